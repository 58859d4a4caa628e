// The proof of issue 10, section 1 (filter side), as a property on a real
// server: a hostile value, sent as a JSON body, an extended query string or
// URLSearchParams, given to a code-side key (or a whole request given as the
// filter) and passed to filter, exclude, get, Q, getOrCreate, updateOrCreate,
// update or delete. After each call: what it matched is within what the value
// literally says (the oracle in literal-match.ts, computed in JS from a
// snapshot), nothing else was written or deleted, and Object.prototype is as
// it was. Refusing with FieldError or ValidationError is always allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DoesNotExist,
  FieldError,
  MultipleObjectsReturned,
  Q,
  ValidationError,
  type FilterInput,
} from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';
import { SOURCES, received, receivedRequest, tree, type Tree } from '../helpers/hostile-requests.js';
import { POSITIONS, requestOracle, type Doc } from '../helpers/literal-match.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
await Entry.insertMany([
  ...SEED,
  { headline: 'Hey', rating: 0, blog: { name: 'Beatles' }, tags: ['rock', 'uk'], comments: [{ author: 'ann' }] },
  { headline: '', data: ['Apple', 5] },
]);
const collection = Entry.collection;
const id = (doc: Doc): string => String(doc['_id']);

async function stored(): Promise<Doc[]> {
  return collection.find({}).sort({ _id: 1 }).toArray();
}
const baseline = await stored();
const baselineById = new Map(baseline.map((d) => [id(d), JSON.stringify(d)]));

/** What a call may change: these documents, and at most this many new ones. */
interface Allowed {
  readonly changed: ReadonlySet<string>;
  readonly created: number;
}
const NOTHING: Allowed = { changed: new Set(), created: 0 };

type Call = (lookup: FilterInput, literal: ReadonlySet<string>) => Promise<Allowed>;

function within(ids: readonly string[], literal: ReadonlySet<string>, what: string): void {
  const wider = ids.filter((i) => !literal.has(i));
  assert.deepEqual(wider, [], `${what} matched ${wider.length} document(s) the value does not literally match`);
}

const fetchIds = async (qs: PromiseLike<unknown[]>) => ((await qs) as Doc[]).map(id);
const DEFAULTS = { views: 7 };

const CALLS: Record<string, Call> = {
  async filter(lookup, literal) {
    within(await fetchIds(Entry.objects.filter(lookup).lean()), literal, 'filter');
    return NOTHING;
  },
  async exclude(lookup) {
    const excluded = await fetchIds(Entry.objects.exclude(lookup).lean());
    const matched = await fetchIds(Entry.objects.filter(lookup).lean());
    const all = [...baselineById.keys()].sort();
    // A request the parser left empty (qs drops a `__proto__` key) is no
    // condition, and excluding no condition excludes nothing, as Django's
    // exclude(**{}): ~Q() is an empty Q. Otherwise the oracle bounds filter's
    // matches, and exclude must be exactly the rest.
    if (Object.keys(lookup).length === 0) assert.deepEqual([...excluded].sort(), all, 'exclude() excludes nothing');
    else assert.deepEqual([...excluded, ...matched].sort(), all, 'exclude is the complement');
    return NOTHING;
  },
  async get(lookup, literal) {
    try {
      within([id((await Entry.objects.get(lookup)) as unknown as Doc)], literal, 'get');
    } catch (err) {
      if (!(err instanceof DoesNotExist || err instanceof MultipleObjectsReturned)) throw err;
    }
    return NOTHING;
  },
  async Q(lookup, literal) {
    within(await fetchIds(Entry.objects.filter(Q(lookup).or({ headline: 'no such headline' })).lean()), literal, 'Q');
    return NOTHING;
  },
  async getOrCreate(lookup, literal) {
    const [doc, created] = await Entry.objects.getOrCreate(lookup, DEFAULTS);
    if (!created) within([String(doc._id)], literal, 'getOrCreate');
    return { changed: new Set(), created: created ? 1 : 0 };
  },
  async updateOrCreate(lookup, literal) {
    const [doc, created] = await Entry.objects.updateOrCreate(lookup, DEFAULTS);
    if (!created) within([String(doc._id)], literal, 'updateOrCreate');
    return { changed: created ? new Set() : new Set([String(doc._id)]), created: created ? 1 : 0 };
  },
  async update(lookup, literal) {
    await Entry.objects.filter(lookup).update({ likes: 4242 });
    return { changed: literal, created: 0 };
  },
  async delete(lookup, literal) {
    await Entry.objects.filter(lookup).delete();
    return { changed: literal, created: 0 };
  },
};
const CREATING = new Set(['getOrCreate', 'updateOrCreate']);

/** Compares the collection with the baseline, then puts the baseline back. */
async function checkWritesAndRestore(allowed: Allowed): Promise<void> {
  const now = await stored();
  let differs = now.length !== baseline.length;
  let created = 0;
  for (const doc of now) {
    const before = baselineById.get(id(doc));
    if (before === undefined) created++;
    else if (before !== JSON.stringify(doc)) {
      differs = true;
      assert.ok(allowed.changed.has(id(doc)), `document ${id(doc)} changed, though the value does not match it`);
    }
  }
  assert.ok(created <= allowed.created, `${created} document(s) created`);
  const present = new Set(now.map(id));
  for (const key of baselineById.keys()) {
    if (!present.has(key)) assert.ok(allowed.changed.has(key), `document ${key} deleted, though not matched`);
  }
  if (differs || created > 0) {
    await collection.deleteMany({});
    await collection.insertMany(baseline.map((d) => ({ ...d })));
  }
}

const PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort().join();
function prototypeUnchanged(): void {
  assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), PROTOTYPE, 'Object.prototype changed');
  for (const key in {}) assert.fail(`Object.prototype gained the enumerable ${key}`);
}

// A refusal, or Django's MultipleObjectsReturned from getOrCreate when the value matches several.
const typed = (err: unknown) =>
  err instanceof FieldError || err instanceof ValidationError || err instanceof MultipleObjectsReturned;

test(`hostile request values stay data through every method on ${server.name}`, async (t) => {
  const positions = POSITIONS.filter((p) => p.needs === undefined || !lacks(p.needs));
  for (const p of POSITIONS) if (p.needs && lacks(p.needs)) t.diagnostic(`${p.key} left out: ${lacks(p.needs)}`);
  const requestKeys = [...positions.map((p) => p.key), '__raw__', '$where', '$or', '__proto__', 'constructor'];
  const target = fc.oneof(
    fc.record({ position: fc.constantFrom(...positions), value: tree }),
    fc.record({
      request: fc.array(fc.tuple(fc.constantFrom(...requestKeys), tree), { minLength: 1, maxLength: 3 }),
    }),
  );
  const tally = { ran: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...SOURCES),
      fc.constantFrom(...Object.keys(CALLS)),
      target,
      async (source, call, t2) => {
        let lookup: Record<string, unknown>;
        let oracle: (doc: Doc) => boolean;
        if ('position' in t2) {
          const got = received(source, t2.position.key, t2.value as Tree);
          fc.pre(Object.hasOwn(got, t2.position.key));
          lookup = { [t2.position.key]: got[t2.position.key] };
          oracle = (doc) => t2.position.oracle(doc, lookup[t2.position.key]);
          fc.pre(!CREATING.has(call) || t2.position.creatable);
        } else {
          lookup = receivedRequest(source, t2.request);
          const request = lookup;
          oracle = (doc) => requestOracle(doc, request);
          fc.pre(!CREATING.has(call) || !Object.keys(lookup).some((k) => k.startsWith('data')));
        }
        const literal = new Set(baseline.filter(oracle).map(id));
        let allowed = NOTHING;
        try {
          allowed = await CALLS[call]!(lookup, literal);
          tally.ran++;
        } catch (err) {
          if (!typed(err)) throw err;
          tally.refused++;
        }
        await checkWritesAndRestore(allowed);
        prototypeUnchanged();
      },
    ),
    { numRuns: 400, seed: 20261129, maxSkipsPerRun: 10 },
  );
  t.diagnostic(`${tally.ran} calls ran, ${tally.refused} refused with a typed error`);
  assert.ok(tally.ran > 30 && tally.refused > 30, 'both outcomes occur');
});
