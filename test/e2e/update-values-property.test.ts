// The write side of issue 10's rule, as a property on a real server: JSON
// bodies and query strings (Express's extended parser, URLSearchParams) given
// as update keys and values, and to create, bulkCreate, getOrCreate and
// updateOrCreate. After every call: either a typed error and nothing written,
// or only the targeted document changed, and it holds the literal data (cast
// by its field's type); no prototype changed. The filter side has its own
// property (the "values" tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import express from 'express';
import { FieldError, ValidationError } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';
import { hostile } from '../helpers/hostile.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));

const app = express();
app.set('query parser', 'extended');
/** Express's extended query parser (qs with allowPrototypes), as `req.query` gets it. */
const parseQuery = app.get('query parser fn') as (query: string) => Record<string, unknown>;

type Doc = EntryRaw & { _id: unknown; [key: string]: unknown };

const START: EntryRaw = {
  headline: 'target',
  rating: 3,
  views: 10,
  tags: ['a', 'b', 'a'],
  comments: [
    { author: 'ann', score: 1 },
    { author: 'bob', score: 2 },
  ],
  data: { list: [1, 'x', { k: 'v' }], label: 'l' },
};
const BYSTANDERS: EntryRaw[] = [
  { headline: 'other', rating: 1, tags: ['a'], comments: [{ author: 'ann', score: 1 }], data: { list: [1] } },
  { headline: 'third', tags: [], data: null },
];

let targetId: string;

async function reset(): Promise<void> {
  await Entry.deleteMany({});
  const [target] = await Entry.insertMany([START, ...BYSTANDERS]);
  targetId = String(target!._id);
}

async function all(): Promise<Doc[]> {
  return (await Entry.find({}).sort({ _id: 1 }).lean()) as unknown as Doc[];
}

/** JSON's view of a value: what a literal write must give back. */
const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** What a save() stores: Mongoose's `minimize` drops empty objects, also inside JSON values. */
function minimized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(minimized);
  if (typeof value !== 'object' || value === null) return value;
  const kept = Object.entries(value)
    .map(([k, v]) => [k, minimized(v)] as const)
    .filter(([, v]) => v !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

function hasNestedArray(value: unknown, inArray = false): boolean {
  if (Array.isArray(value)) return inArray || value.some((v) => hasNestedArray(v, true));
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => hasNestedArray(v, false));
}
// FerretDB refuses arrays in arrays (capability nestedArrays); there, values without them.
const noNestedArrays = lacks('nestedArrays');
const quotesRefused = lacks('quotedFieldNames');

function prototypeState(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .map((name) => `${name}:${typeof Object.getOwnPropertyDescriptor(Object.prototype, name)?.value}`)
    .join(',');
}
const PROTOTYPE = prototypeState();

/** No stored key anywhere reads as an operator or a path. */
function assertStorableKeys(value: unknown, where: string): void {
  if (Array.isArray(value)) return value.forEach((v) => assertStorableKeys(v, where));
  if (typeof value !== 'object' || value === null || value.constructor !== Object) return;
  for (const [key, inner] of Object.entries(value)) {
    assert.ok(!key.startsWith('$') && !key.includes('.'), `${where}: stored key ${JSON.stringify(key)}`);
    assertStorableKeys(inner, `${where}.${key}`);
  }
}

/** How many writes were accepted and refused: both must happen, or the property shows little. */
const tally = { accepted: 0, refused: 0 };

function assertBothOutcomes(): void {
  assert.ok(tally.accepted >= 20 && tally.refused >= 20, `accepted ${tally.accepted}, refused ${tally.refused}`);
  tally.accepted = tally.refused = 0;
}

/** Runs a write; returns whether it was accepted. A refusal must be typed and write nothing. */
async function attempt(write: () => Promise<unknown>, before: Doc[], what: string): Promise<boolean> {
  try {
    await write();
    tally.accepted++;
    return true;
  } catch (err) {
    tally.refused++;
    assert.ok(err instanceof FieldError || err instanceof ValidationError, `${what}: untyped ${String(err)}`);
    assert.deepEqual(await all(), before, `${what}: refused, yet something was written`);
    return false;
  } finally {
    assert.equal(prototypeState(), PROTOTYPE, `${what}: Object.prototype changed`);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined, `${what}: Object.prototype polluted`);
  }
}

// Casts as the field's own Mongoose type does: the oracle for "the literal data".
const castString = (v: unknown): unknown => (v === null ? null : Entry.schema.path('headline').cast(v));
const sameNumber = (a: unknown, b: number) =>
  typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** What an accepted write of `key: value` must have done to the target (before → after). */
const ORACLES: Record<string, (value: unknown, before: Doc, after: Doc) => void> = {
  data: (v, _b, a) => assert.deepEqual(plain(a.data), plain(v)),
  set__data: (v, _b, a) => assert.deepEqual(plain(a.data), plain(v)),
  data__label: (v, _b, a) => assert.deepEqual(plain((a.data as Record<string, unknown>)['label']), plain(v)),
  headline: (v, _b, a) => assert.equal(a.headline, castString(v)),
  set__headline: (v, _b, a) => assert.equal(a.headline, castString(v)),
  blog: (v, _b, a) => {
    if (v === null) return assert.equal(a.blog, null);
    for (const key of Object.keys(a.blog ?? {})) assert.ok(['name', 'tagline'].includes(key), `blog.${key}`);
    for (const [key, inner] of Object.entries(v as object)) {
      assert.equal((a.blog as Record<string, unknown>)[key], castString(inner));
    }
  },
  push__tags: (v, b, a) => assert.deepEqual(a.tags, [...b.tags!, castString(v)]),
  push__data__list: (v, b, a) =>
    assert.deepEqual(plain((a.data as { list: unknown[] }).list), plain([...(b.data as { list: unknown[] }).list, v])),
  push__comments: (_v, b, a) => {
    assert.equal(a.comments!.length, b.comments!.length + 1);
    assert.deepEqual(a.comments!.slice(0, -1), b.comments);
  },
  add_to_set__tags: (v, b, a) => {
    assert.deepEqual(a.tags!.slice(0, b.tags!.length), b.tags);
    const given = (Array.isArray(v) ? v : [v]).map(castString);
    for (const added of a.tags!.slice(b.tags!.length)) assert.ok(given.includes(added), `added ${String(added)}`);
  },
  pull__tags: (v, b, a) =>
    assert.deepEqual(
      a.tags,
      b.tags!.filter((t) => t !== castString(v)),
    ),
  pull_all__tags: (v, b, a) => {
    const given = (v as unknown[]).map(castString);
    assert.deepEqual(
      a.tags,
      b.tags!.filter((t) => !given.includes(t)),
    );
  },
  pull__data__list: (v, b, a) => {
    const kept = (a.data as { list: unknown[] }).list.map((e) => JSON.stringify(e));
    const removed = (b.data as { list: unknown[] }).list.filter((e) => !kept.includes(JSON.stringify(e)));
    for (const e of removed) assert.deepEqual(plain(e), plain(v));
  },
  pull__comments: (v, b, a) => {
    const kept = new Set(a.comments!.map((c) => JSON.stringify(c)));
    const removed = b.comments!.filter((c) => !kept.has(JSON.stringify(c)));
    assert.ok(Object.keys(v as object).length > 0, 'an empty condition was accepted');
    for (const c of removed) {
      for (const [key, inner] of Object.entries(v as object)) {
        assert.equal(String((c as Record<string, unknown>)[key]), String(inner), `pulled ${JSON.stringify(c)}`);
      }
    }
  },
  inc__rating: (v, b, a) => assert.ok(sameNumber(a.rating, b.rating! + Number(v)), `${a.rating}`),
  dec__views: (v, b, a) => assert.ok(sameNumber(a.views, b.views! - Number(v)), `${a.views}`),
  mul__rating: (v, b, a) => assert.ok(sameNumber(a.rating, b.rating! * Number(v)), `${a.rating}`),
  max__rating: (v, b, a) => assert.ok(sameNumber(a.rating, Math.max(b.rating!, Number(v))), `${a.rating}`),
  min__views: (v, b, a) => assert.ok(sameNumber(a.views, Math.min(b.views!, Number(v))), `${a.views}`),
  pop__tags: (v, b, a) => assert.deepEqual(a.tags, Number(v) === 1 ? b.tags!.slice(0, -1) : b.tags!.slice(1)),
  unset__rating: (_v, _b, a) => assert.ok(!('rating' in a)),
  rename__views: (v, b, a) => {
    assert.ok(!('views' in a), 'views is renamed');
    const moved = String(v)
      .split('__')
      .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], a);
    assert.equal(moved, b.views);
  },
};

/** Keys a hostile body may hold: the oracles' own, and ones that must always be refused. */
const REFUSED_KEYS = [
  '__raw__',
  '$set',
  '$where',
  '__proto__',
  'constructor',
  'pk',
  '_id',
  'evil',
  'inc__rating__$',
  'set__data__$',
  'data__$where',
  'data__a.b',
  'blog__$ne',
  'set__comments__author',
  'inc__headline',
  'push__headline',
  'pop__headline',
  // Refused by the server, as data.label holds a string: a typed error all the same.
  'inc__data__label',
  'push__data__label',
];
const keys = fc.oneof(
  { arbitrary: fc.constantFrom(...Object.keys(ORACLES)), weight: 3 },
  { arbitrary: fc.constantFrom(...REFUSED_KEYS), weight: 1 },
);

const operatorish = fc.constantFrom(
  '$ne',
  '$gt',
  '$each',
  '$slice',
  '$where',
  '$in',
  '$inc',
  'a.b',
  '__proto__',
  'name',
);
/** Values JSON.parse can give: hostile operator objects, any JSON, and strings that look like operators or paths. */
const jsonValue = fc
  .oneof(
    hostile,
    fc.jsonValue({ maxDepth: 2 }),
    fc.dictionary(operatorish, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    fc.constantFrom('$views', '$where', 'a.b', '', '1', '-1', '2.5', 'null'),
  )
  // A value under push__data__list is an element of an array already.
  .filter((v) => !noNestedArrays || !hasNestedArray([v]));

/** A query string whose keys use qs's brackets, parsed as Express's extended parser does. */
const queryString = fc
  .array(
    fc.tuple(
      keys,
      fc.oneof(
        { arbitrary: fc.constant(''), weight: 2 },
        {
          arbitrary: fc.constantFrom(
            '[$ne]',
            '[$each][]',
            '[$slice]',
            '[]',
            '[0]',
            '[author][$ne]',
            '[$gt]',
            '[name]',
            '[__proto__][polluted]',
            '[constructor][prototype][polluted]',
          ),
          weight: 1,
        },
      ),
      fc.constantFrom('x', '', '1', '-1', '$where', 'a.b', 'ann'),
    ),
    { minLength: 1, maxLength: 2 },
  )
  .map((parts) => parts.map(([k, bracket, v]) => `${k}${bracket}=${encodeURIComponent(v)}`).join('&'))
  // On FerretDB, no list pushed into data.list, nor a list in a list (see jsonValue).
  .filter(
    (query) =>
      !noNestedArrays ||
      !Object.entries(parseQuery(query)).some(([k, v]) => hasNestedArray(k.includes('data__list') ? [v] : v)),
  );

/** Applies changes to the target; checks bystanders, stored keys and, for one key, its oracle. */
async function checkUpdate(changes: Record<string, unknown>): Promise<void> {
  await reset();
  const before = await all();
  const what = `update(${JSON.stringify(changes)})`;
  const accepted = await attempt(() => Entry.objects.filter({ pk: targetId }).update(changes), before, what);
  if (!accepted) return;
  const after = await all();
  assert.deepEqual(after.slice(1), before.slice(1), `${what}: another document changed`);
  assertStorableKeys(after[0], what);
  const entries = Object.entries(changes);
  const [only] = entries;
  if (entries.length !== 1 || !only) return;
  const oracle = ORACLES[only[0]];
  if (oracle) return oracle(only[1], before[0]!, after[0]!);
  // Any other accepted key names a path inside the JSON field (URLSearchParams
  // keeps "data__label[$ne]" as one key: a literal name there), and only data changed.
  assert.match(only[0], /^(\w+?__)?data__[^$.]/, `${what}: a key that must be refused was accepted`);
  assert.deepEqual({ ...after[0], data: null }, { ...before[0], data: null }, `${what}: changed more than data`);
}

const RUNS = { numRuns: 200, seed: Number(process.env['SEED'] ?? 20261129), endOnFailure: true };

test(`update keys and values from JSON bodies are data on ${server.name}`, async (t) => {
  if (noNestedArrays) t.diagnostic(`values without arrays in arrays: ${noNestedArrays}`);
  if (quotesRefused) t.diagnostic(`rename__ to names without a double quote: ${quotesRefused}`);
  await fc.assert(
    fc.asyncProperty(keys, jsonValue, async (key, value) => {
      // FerretDB cannot name a top-level field with a double quote (capability quotedFieldNames).
      fc.pre(!quotesRefused || key !== 'rename__views' || typeof value !== 'string' || !value.includes('"'));
      await checkUpdate({ [key]: value });
    }),
    RUNS,
  );
  assertBothOutcomes();
});

test(`update(req.query) from qs and URLSearchParams is data on ${server.name}`, async () => {
  await fc.assert(
    fc.asyncProperty(queryString, async (query) => {
      await checkUpdate(parseQuery(query));
      await checkUpdate(Object.fromEntries(new URLSearchParams(query)));
    }),
    { ...RUNS, numRuns: 100 },
  );
  assertBothOutcomes();
});

/** Document-shaped bodies: known fields with hostile values, plus a hostile key. */
const mostlyValid = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: jsonValue, weight: 1 });
const body = fc.record(
  {
    headline: mostlyValid(fc.string()),
    data: jsonValue,
    tags: mostlyValid(fc.array(fc.string(), { maxLength: 3 })),
    blog: mostlyValid(fc.record({ name: fc.string() })),
  },
  { requiredKeys: ['data'] },
);
const extra = fc.option(fc.tuple(fc.constantFrom(...REFUSED_KEYS), jsonValue), { freq: 2 });

function withExtra(fields: Record<string, unknown>, pair: [string, unknown] | null): Record<string, unknown> {
  // defineProperty: a generated "__proto__" key is an own key, as JSON.parse makes it.
  const copy = { ...fields };
  if (pair)
    Object.defineProperty(copy, pair[0], { value: pair[1], enumerable: true, configurable: true, writable: true });
  return copy;
}

test(`create, bulkCreate, getOrCreate and updateOrCreate write literal data on ${server.name}`, async (t) => {
  if (noNestedArrays) t.diagnostic(`values without arrays in arrays: ${noNestedArrays}`);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('create', 'bulkCreate', 'getOrCreate', 'updateOrCreate'),
      body,
      extra,
      async (method, fields, pair) => {
        await reset();
        const before = await all();
        const input = withExtra(fields, pair);
        const what = `${method}(${JSON.stringify(input)})`;
        const run = {
          create: () => Entry.objects.create(input),
          bulkCreate: () => Entry.objects.bulkCreate([{ headline: 'first' }, input], { batchSize: 1 }),
          getOrCreate: () => Entry.objects.getOrCreate({ headline: 'fresh' }, input),
          updateOrCreate: () => Entry.objects.updateOrCreate({ headline: 'target' }, input),
        }[method];
        if (!(await attempt(run, before, what))) return;
        const after = await all();
        for (const doc of after) assertStorableKeys(doc, what);
        const kept = method === 'updateOrCreate' ? before.slice(1) : before;
        const untouched = method === 'updateOrCreate' ? after.slice(1, before.length) : after.slice(0, before.length);
        assert.deepEqual(untouched, kept, `${what}: another document changed`);
        const written = method === 'updateOrCreate' ? after[0]! : after[after.length - 1]!;
        assert.equal(
          after.length,
          before.length + { create: 1, bulkCreate: 2, getOrCreate: 1, updateOrCreate: 0 }[method],
        );
        assert.deepEqual(minimized(plain(written.data)), minimized(plain(fields.data)), `${what}: data is not literal`);
      },
    ),
    RUNS,
  );
  assertBothOutcomes();
});
