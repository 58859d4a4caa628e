// update(changes, { upsert: true }) and the raw update door (issue 12 §2.16),
// MongoEngine's update(upsert=True) and update(__raw__={...}), against a real
// server. A __raw__ key holding a plain object, as a request body can, is
// refused before anything is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError, RawUpdate, compileUpdate, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, entrySchema, type EntryRaw } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));

async function snapshot(): Promise<string> {
  return JSON.stringify(await Entry.find({}).sort({ _id: 1 }).lean());
}

test(`upsert on ${server.name}: no match inserts one document, with set_on_insert__ written`, async () => {
  await Entry.deleteMany({});
  const n = await Entry.objects
    .filter({ headline: 'New' })
    .update({ set__views: 7, set_on_insert__rating: 1 }, { upsert: true });
  assert.equal(n, 1, 'counts the inserted document, as MongoEngine does');
  const docs = await Entry.find({}).lean();
  assert.equal(docs.length, 1);
  assert.equal(docs[0]?.headline, 'New', 'from the filter');
  assert.equal(docs[0]?.views, 7);
  assert.equal(docs[0]?.rating, 1);
});

test(`upsert on ${server.name}: a match is updated and set_on_insert__ is left alone`, async () => {
  await Entry.deleteMany({});
  await Entry.objects.create({ headline: 'Old', rating: 4, views: 1 });
  const n = await Entry.objects
    .filter({ headline: 'Old' })
    .update({ set__views: 7, set_on_insert__rating: 1 }, { upsert: true });
  assert.equal(n, 1);
  const docs = await Entry.find({}).lean();
  assert.equal(docs.length, 1, 'nothing inserted');
  assert.equal(docs[0]?.rating, 4);
  assert.equal(docs[0]?.views, 7);
});

test(`upsert on ${server.name}: the manager's update takes it too; without it nothing is inserted`, async () => {
  await Entry.deleteMany({});
  assert.equal(await Entry.objects.filter({ headline: 'x' }).update({ set_on_insert__rating: 1 }), 0);
  assert.equal(await Entry.countDocuments(), 0);
  assert.equal(await Entry.objects.update({ set_on_insert__rating: 2 }, { upsert: true }), 1);
  assert.equal((await Entry.findOne({}).lean())?.rating, 2);
});

test(`upsert on ${server.name}: with no changes it still inserts, as MongoEngine's update(upsert=True)`, async () => {
  await Entry.deleteMany({});
  assert.equal(await Entry.objects.filter({ headline: 'Bare', rating: 2 }).update({}), 0, "Django's 0, no upsert");
  assert.equal(await Entry.countDocuments(), 0, 'update({}) without upsert writes nothing');
  assert.equal(await Entry.objects.filter({ headline: 'Bare', rating: 2 }).update({}, { upsert: true }), 1);
  const docs = await Entry.find({}).lean();
  assert.equal(docs.length, 1);
  assert.equal(docs[0]?.headline, 'Bare', "from the filter's equalities");
  assert.equal(docs[0]?.rating, 2);
  assert.equal(docs[0]?.__v, 0, 'the version key a created document has');
  assert.equal(await Entry.objects.filter({ headline: 'Bare' }).update({}, { upsert: true }), 1, 'matched');
  assert.equal(await Entry.countDocuments(), 1, 'a match is left as it is');
  assert.deepEqual(await Entry.findOne({}).lean(), docs[0]);
});

test(`upsert on ${server.name}: with no changes and no version key, a FieldError and nothing written`, async () => {
  const schema = entrySchema();
  schema.set('versionKey', false);
  const Bare = Entry.db.model<EntryRaw, Managed<EntryRaw>>('EntryNoVersion', schema);
  await Bare.deleteMany({});
  await assert.rejects(
    Bare.objects.filter({ headline: 'Bare' }).update({}, { upsert: true }),
    (e: unknown) =>
      e instanceof FieldError && /no version key; give a change, e\.g\. update\(\{ set_on_insert__/.test(e.message),
  );
  assert.equal(await Bare.countDocuments(), 0);
});

test(`__raw__ on ${server.name}: a RawUpdate is merged into the compiled update`, async () => {
  await Entry.deleteMany({});
  const doc = await Entry.objects.create({ headline: 'r', rating: 1, comments: [{ author: 'ann', score: 1 }] });
  const changes = { rating: 2, __raw__: RawUpdate({ $inc: { 'comments.0.score': 5 } }) };
  assert.deepEqual(compileUpdate({ schema: entrySchema(), modelName: 'Entry' }, changes), {
    $set: { rating: 2 },
    $inc: { 'comments.0.score': 5 },
  });
  assert.equal(await Entry.objects.filter({ pk: doc._id }).update(changes), 1);
  const after = await Entry.findById(doc._id).lean();
  assert.equal(after?.rating, 2);
  assert.equal(after?.comments?.[0]?.score, 6);
});

test(`__raw__ on ${server.name}: with upsert, a raw $setOnInsert takes effect`, async () => {
  await Entry.deleteMany({});
  const raw = RawUpdate({ $setOnInsert: { tags: ['fresh'] } });
  assert.equal(await Entry.objects.filter({ headline: 'U' }).update({ __raw__: raw }, { upsert: true }), 1);
  assert.deepEqual((await Entry.findOne({ headline: 'U' }).lean())?.tags, ['fresh']);
});

const FROM_JSON: [string, string][] = [
  ['a plain object from JSON', '{"__raw__": {"$set": {"rating": 9}}}'],
  ['beside update keys', '{"rating": 3, "__raw__": {"$unset": {"headline": ""}}}'],
  ['a string', '{"__raw__": "$set"}'],
];

for (const [name, body] of FROM_JSON) {
  test(`__raw__ on ${server.name}: ${name} is a FieldError naming RawUpdate, nothing written`, async () => {
    await Entry.deleteMany({});
    const doc = await Entry.objects.create({ headline: 'r', rating: 1 });
    const before = await snapshot();
    const changes = JSON.parse(body) as Record<string, unknown>;
    await assert.rejects(Entry.objects.filter({ pk: doc._id }).update(changes), (err: unknown) => {
      assert.ok(err instanceof FieldError, String(err));
      assert.match(err.message, /RawUpdate\(\{ \.\.\. \}\), made in code/);
      return true;
    });
    // With upsert too: the refusal comes before anything is sent, so nothing is inserted.
    await assert.rejects(Entry.objects.filter({ headline: 'none' }).update(changes, { upsert: true }), FieldError);
    assert.equal(await snapshot(), before);
  });
}

test(`__raw__ on ${server.name}: a path also written by an update key is a FieldError, nothing written`, async () => {
  await Entry.deleteMany({});
  const doc = await Entry.objects.create({ headline: 'r', rating: 1 });
  const before = await snapshot();
  await assert.rejects(
    Entry.objects.filter({ pk: doc._id }).update({ rating: 2, __raw__: RawUpdate({ $inc: { rating: 1 } }) }),
    /both change rating/,
  );
  assert.equal(await snapshot(), before);
});

test('RawUpdate refuses what is not an update document of operators', () => {
  for (const bad of [{}, { rating: 1 }, { $set: 1 }, [], null]) {
    assert.throws(() => RawUpdate(bad as never), FieldError);
  }
});
