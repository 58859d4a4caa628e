// Update values and keys, and what create, bulkCreate, getOrCreate and
// updateOrCreate write, are data against a real server: a request body never
// becomes an operator, and what cannot be stored is refused with a typed
// error before anything is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, FieldError, ValidationError } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));

/** Every stored document, in _id order, as JSON text: what "nothing changed" compares. */
async function snapshot(): Promise<string> {
  return JSON.stringify(await Entry.find({}).sort({ _id: 1 }).lean());
}

let targetId: unknown;

/** A fresh target document and a bystander; returns the target's QuerySet (wrapped: a QuerySet is thenable). */
async function fixture() {
  await Entry.deleteMany({});
  const target = await Entry.objects.create({
    headline: 'target',
    rating: 3,
    views: 10,
    tags: ['a', 'b'],
    comments: [
      { author: 'ann', score: 1 },
      { author: 'bob', score: 2 },
    ],
    data: { list: [1, 2], label: 'x' },
  });
  targetId = target._id;
  await Entry.objects.create({ headline: 'bystander', rating: 1, tags: ['a'], comments: [{ author: 'ann' }] });
  return { qs: Entry.objects.filter({ pk: target._id }) };
}

/** Runs `write`, expects `error`, and checks that nothing was written. */
async function refused(write: () => Promise<unknown>, error: new (...args: never[]) => Error, pattern?: RegExp) {
  const before = await snapshot();
  await assert.rejects(write, (err: unknown) => {
    assert.ok(err instanceof error, `expected ${error.name}, got ${String(err)}`);
    if (pattern) assert.match((err as Error).message, pattern);
    return true;
  });
  assert.equal(await snapshot(), before, 'nothing is written');
}

async function target() {
  return (await Entry.findById(targetId).lean())!;
}

const VALUE_CASES: [string, Record<string, unknown>, new (...args: never[]) => Error, RegExp][] = [
  ['pull__tags: {$ne: null}', { pull__tags: { $ne: null } }, ValidationError, /Entry\.tags takes a String/],
  ['pull__comments: {author: {$ne: null}}', { pull__comments: { author: { $ne: null } } }, ValidationError, /author/],
  ['pull__comments: {}', { pull__comments: {} }, ValidationError, /at least one field/],
  ['pull__comments: {$where: …}', { pull__comments: { $where: '1' } }, FieldError, /Choices are: author, score/],
  ['push__tags: {$each: [], $slice: 0}', { push__tags: { $each: [], $slice: 0 } }, ValidationError, /String/],
  ['push__comments with an operator key', { push__comments: { author: 'x', $inc: 1 } }, FieldError, /Choices/],
  ['add_to_set__tags with an object', { add_to_set__tags: [{ $gt: '' }] }, ValidationError, /String/],
  ['pull__data__list: {$ne: null}', { pull__data__list: { $ne: null } }, ValidationError, /"\$ne" starts with "\$"/],
  ['set data: {$ne: 1}', { data: { $ne: 1 } }, ValidationError, /Entry\.data: the key "\$ne"/],
  ['set data with a nested $-key', { data: { a: [{ $gt: 1 }] } }, ValidationError, /Entry\.data\.a: the key "\$gt"/],
  ['set data with a dotted key', { data: { 'a.b': 1 } }, ValidationError, /contains "\."/],
  ['set data with a NUL in a key', { data: { 'a\u0000b': 1 } }, ValidationError, /NUL/],
  ['set blog with an operator', { blog: { $ne: null } }, FieldError, /Choices are: name, tagline/],
  ['set headline to an object', { headline: { $ne: null } }, ValidationError, /takes a String/],
  ['inc__headline: "x"', { inc__headline: 'x' }, FieldError, /numeric fields.*Entry\.headline is a String/],
  [
    'inc__rating: {$gt: 1}',
    { inc__rating: { $gt: 1 } },
    ValidationError,
    /takes a finite number \(or a numeric string\), not the object \{/,
  ],
  ['dec__rating: "x"', { dec__rating: 'x' }, ValidationError, /finite number/],
  [
    'mul__rating: [2]',
    { mul__rating: [2] },
    ValidationError,
    /finite number \(or a numeric string\), not the array \[2\]/,
  ],
  ['max__rating: {$gt: 1}', { max__rating: { $gt: 1 } }, ValidationError, /finite number/],
  ['min__tags: "a"', { min__tags: 'a' }, FieldError, /single values/],
  ['inc__tags: 1', { inc__tags: 1 }, FieldError, /numeric fields/],
  ['pop__headline: 1', { pop__headline: 1 }, FieldError, /list fields; Entry\.headline is a String/],
  ['push__headline: "z"', { push__headline: 'z' }, FieldError, /list fields/],
  ['rename__views: "$where"', { rename__views: '$where' }, FieldError, /plain names/],
  ['rename__views: "a.b"', { rename__views: 'a.b' }, FieldError, /plain names/],
  ['a 17 MiB value', { data: 'x'.repeat(17 * 1024 * 1024) }, ValidationError, /16 MiB/],
  [
    'an own "__proto__" key from JSON.parse',
    { data: JSON.parse('{"__proto__":{"x":1}}') },
    ValidationError,
    /__proto__/,
  ],
  ['two keys on one field', { push__tags: 'x', pull__tags: 'a' }, FieldError, /both change Entry\.tags/],
  ['a field and a path inside it', { data: {}, data__label: 'x' }, FieldError, /both change Entry\.data/],
  ['a field inside a list of documents', { set__comments__author: 'x' }, FieldError, /inside the list comments/],
  ['rename__views into a list', { rename__views: 'tags__x' }, FieldError, /inside the list tags/],
];

for (const [name, changes, error, pattern] of VALUE_CASES) {
  test(`update on ${server.name}: ${name} is refused, nothing written`, async () => {
    const { qs } = await fixture();
    await refused(() => qs.update(changes), error, pattern);
  });
}

// A plain __raw__ value is refused too, pointing to RawUpdate: updates-raw-upsert.test.ts.
const KEY_CASES: [string, string][] = [
  ['$set', '$set'],
  ['inc__rating__$', 'inc__rating__$'],
  ['set__data__$', 'set__data__$'],
  ['data__$where', 'data__$where'],
  ['set__data__a.b', 'set__data__a.b'],
  ['a NUL in a key', 'data__a\u0000b'],
  ['an unknown field', 'evil'],
  ['the primary key', 'pk'],
];

for (const [name, key] of KEY_CASES) {
  test(`update on ${server.name}: the key ${name} is a FieldError naming the fields, nothing written`, async () => {
    const { qs } = await fixture();
    await refused(() => qs.update({ [key]: 1 }), FieldError, /Choices are: .*headline|primary key/);
  });
}

test(`update on ${server.name}: inside JSON, an update that does not fit the stored value is a ValidationError`, async () => {
  const { qs } = await fixture();
  // data.label holds a string: only the server can see that.
  for (const changes of [{ inc__data__label: 1 }, { push__data__label: 'x' }, { set__data__list__x: 1 }]) {
    await refused(() => qs.update(changes), ValidationError, /does not fit a value stored inside a JSON field/);
  }
});

test(`update on ${server.name}: values from a query string or JSON body are written literally`, async () => {
  const { qs } = await fixture();
  const fromQueryString: Record<string, unknown> = { inc__rating: '2', push__tags: 'c', set__data__label: 'a$b.c' };
  assert.equal(await qs.update(fromQueryString), 1);
  let doc = await target();
  assert.equal(doc.rating, 5);
  assert.deepEqual(doc.tags, ['a', 'b', 'c']);
  assert.deepEqual(doc.data, { list: [1, 2], label: 'a$b.c' });
  await qs.update({ headline: 'NUL\u0000inside', pull__tags: 'a', push__data__list: { k: '$v' } });
  doc = await target();
  assert.equal(doc.headline, 'NUL\u0000inside', 'BSON strings may hold NUL: stored as given');
  assert.deepEqual(doc.tags, ['b', 'c']);
  assert.deepEqual(doc.data, { list: [1, 2, { k: '$v' }], label: 'a$b.c' });
});

test(`update on ${server.name}: README forms still work`, async () => {
  const { qs } = await fixture();
  await qs.update({ views: F('views').plus(1), push__tags: 'classic' });
  await qs.update({ add_to_set__tags: ['a', 'z'] });
  const doc = await target();
  assert.equal(doc.views, 11);
  assert.deepEqual(doc.tags, ['a', 'b', 'classic', 'z']);
});

test(
  `update on ${server.name}: pull__comments with fields pulls the elements equal on those fields`,
  { skip: lacks('pullConditions') },
  async () => {
    const { qs } = await fixture();
    await qs.update({ pull__comments: { author: 'ann' } });
    assert.deepEqual((await target()).comments, [{ author: 'bob', score: 2 }]);
    const bystander = await Entry.findOne({ headline: 'bystander' }).lean();
    assert.deepEqual(bystander?.comments, [{ author: 'ann' }], 'only the filtered document changes');
  },
);

test(`create on ${server.name}: $-keys in a JSON value are a ValidationError, nothing written`, async () => {
  await fixture();
  await refused(() => Entry.objects.create({ data: { $bad: 1 } }), ValidationError, /Entry\.data: the key "\$bad"/);
  await refused(() => Entry.objects.create({ data: { a: { 'x.y': 1 } } }), ValidationError, /contains "\."/);
  await refused(() => Entry.objects.create({ data: { 'a\u0000': 1 } }), ValidationError, /NUL/);
  await refused(() => Entry.objects.create({ data: 'x'.repeat(17 * 1024 * 1024) }), ValidationError, /16 MiB/);
  for (const body of ['null', '[{"headline":"x"}]', '"x"']) {
    await refused(() => Entry.objects.create(JSON.parse(body) as never), ValidationError, /takes an object/);
  }
  // Mongoose would drop the own key JSON.parse makes, so the stored value would not be the one given.
  await refused(() => Entry.objects.create(JSON.parse('{"data":{"__proto__":{"x":1}}}')), ValidationError, /__proto__/);
});

test(`bulkCreate on ${server.name}: a bad value in a later batch writes nothing`, async () => {
  await fixture();
  const rows = [{ headline: 'ok 1' }, { headline: 'ok 2' }, { headline: 'bad', data: { list: [{ $where: '1' }] } }];
  await refused(() => Entry.objects.bulkCreate(rows, { batchSize: 1 }), ValidationError, /\$where/);
  await refused(() => Entry.objects.bulkCreate(rows), ValidationError, /\$where/);
  const big = [{ headline: 'ok' }, { headline: 'big', data: { text: 'é'.repeat(9 * 1024 * 1024) } }];
  await refused(() => Entry.objects.bulkCreate(big, { batchSize: 1 }), ValidationError, /16 MiB/);
});

test(`getOrCreate on ${server.name}: a $-key in what it would create is a ValidationError, nothing written`, async () => {
  await fixture();
  await refused(() => Entry.objects.getOrCreate({ data: { $bad: 1 } }), ValidationError, /"\$bad"/);
  await refused(() => Entry.objects.getOrCreate({ headline: 'new' }, { data: { $bad: 1 } }), ValidationError);
  // @ts-expect-error a bad defaults key, refused at compile time too
  await refused(() => Entry.objects.getOrCreate({ headline: 'new' }, { $set: { rating: 1 } }), FieldError, /Choices/);
  // @ts-expect-error a bad defaults key, refused at compile time too
  await refused(() => Entry.objects.getOrCreate({ headline: 'new' }, { __raw__: {} }), FieldError, /Choices/);
  await refused(
    // @ts-expect-error an operator is not a field value, refused at compile time too
    () => Entry.objects.getOrCreate({ headline: 'new' }, { blog: { $ne: 1 } }),
    FieldError,
    /name, tagline/,
  );
  const [doc, created] = await Entry.objects.getOrCreate({ headline: 'new' }, { blog__name: 'B', data: { k: '$v' } });
  assert.ok(created);
  assert.deepEqual([doc.blog?.name, doc.data], ['B', { k: '$v' }]);
});

test(`updateOrCreate on ${server.name}: defaults are checked before the found document is saved`, async () => {
  await fixture();
  await refused(() => Entry.objects.updateOrCreate({ headline: 'target' }, { data: { $bad: 1 } }), ValidationError);
  // @ts-expect-error a bad defaults key, refused at compile time too
  await refused(() => Entry.objects.updateOrCreate({ headline: 'target' }, { 'rating.$': 1 }), FieldError);
  // @ts-expect-error a bad defaults key, refused at compile time too
  await refused(() => Entry.objects.updateOrCreate({ headline: 'target' }, { pk: null }), FieldError, /primary key/);
  await refused(
    () => Entry.objects.updateOrCreate({ headline: 'target' }, { data: 'x'.repeat(17 * 1024 * 1024) }),
    ValidationError,
    /16 MiB/,
  );
  const [doc, created] = await Entry.objects.updateOrCreate({ headline: 'target' }, { rating: 4 });
  assert.deepEqual([created, doc.rating, (await target()).rating], [false, 4, 4]);
});
