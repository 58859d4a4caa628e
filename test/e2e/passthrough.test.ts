// djongo's `Entry.objects.mongo_*` passthrough, calling the driver on the
// server of this run.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { mongoPassthrough } from '../../manager/passthrough.js';
import { UnknownMongoMethod } from '../../core/errors.js';
import { openTestDatabase } from '../helpers/server.js';

const conn = await openTestDatabase(import.meta.url);
const blogSchema = new mongoose.Schema({ name: String }, { _id: false });
const entrySchema = new mongoose.Schema({ headline: String, blog: blogSchema });
const Entry = conn.model('Entry', entrySchema);
type EntryDoc = mongoose.InferSchemaType<typeof entrySchema>;

// The driver's collection, not Mongoose's wrapper of it: the passthrough is the driver's API.
const objects = mongoPassthrough(() => conn.db!.collection<EntryDoc>(Entry.collection.collectionName));

const beatles = { name: 'Beatles Blog' };
beforeEach(async () => {
  await Entry.deleteMany({});
  await Entry.insertMany([
    { headline: 'Hey Jude', blog: beatles },
    { headline: 'Help!', blog: beatles },
    { headline: 'Hey Jude', blog: { name: 'Cover Versions' } },
  ]);
});

const headlines = async (): Promise<string[]> =>
  (await Entry.find().sort({ headline: 1 }).lean()).map((e) => e.headline ?? '');

test('mongo_insert_one writes a document that mongo_find reads back', async () => {
  const result = await objects.mongo_insert_one({ headline: 'Yesterday', blog: beatles });
  assert.equal(result.acknowledged, true);
  assert.ok(result.insertedId instanceof mongoose.mongo.ObjectId);
  const found = await objects.mongo_find({ _id: result.insertedId }).toArray();
  assert.deepEqual(found, [{ _id: result.insertedId, headline: 'Yesterday', blog: beatles }]);
  assert.equal((await Entry.findById(result.insertedId).lean())?.headline, 'Yesterday');
});

test('mongo_update_many reports what it matched and modified', async () => {
  const result = await objects.mongo_update_many({ headline: 'Hey Jude' }, { $set: { headline: 'Hey Jules' } });
  assert.equal(result.matchedCount, 2);
  assert.equal(result.modifiedCount, 2);
  assert.deepEqual(await headlines(), ['Help!', 'Hey Jules', 'Hey Jules']);
});

test('mongo_bulk_write runs inserts, updates and deletes in order', async () => {
  const result = await objects.mongo_bulk_write([
    { insertOne: { document: { headline: 'Yesterday', blog: beatles } } },
    { updateOne: { filter: { headline: 'Help!' }, update: { $set: { headline: 'Help me' } } } },
    { deleteMany: { filter: { 'blog.name': 'Cover Versions' } } },
  ]);
  assert.equal(result.insertedCount, 1);
  assert.equal(result.modifiedCount, 1);
  assert.equal(result.deletedCount, 1);
  assert.deepEqual(await headlines(), ['Help me', 'Hey Jude', 'Yesterday']);
});

test('mongo_create_index creates an index that mongo_index_information and mongo_list_indexes show', async () => {
  const name = await objects.mongo_create_index({ headline: 1 });
  assert.equal(name, 'headline_1');
  const info = await objects.mongo_index_information();
  assert.deepEqual(info[name], [['headline', 1]]);
  const listed = await objects.mongo_list_indexes().toArray();
  assert.deepEqual(listed.map((i) => i['name'] as string).sort(), ['_id_', 'headline_1']);
  assert.equal(await objects.mongo_index_exists('headline_1'), true);
});

test('mongo_count_documents and mongo_estimated_document_count count', async () => {
  assert.equal(await objects.mongo_count_documents({ headline: 'Hey Jude' }), 2);
  assert.equal(await objects.mongo_count_documents({ 'blog.name': 'Beatles Blog' }), 2);
  assert.equal(await objects.mongo_estimated_document_count(), 3);
});

test("the seed's EntryView.get_object: mongo_aggregate with $match on headline", async () => {
  const matched = await objects.mongo_aggregate<EntryDoc>([{ $match: { headline: 'Hey Jude' } }]).toArray();
  assert.deepEqual(
    matched.map((e) => e.headline),
    ['Hey Jude', 'Hey Jude'],
  );
  assert.deepEqual(matched.map((e) => e.blog?.name).sort(), ['Beatles Blog', 'Cover Versions']);
});

test('mongo_find_one_and_update returns the document as it was, by default', async () => {
  const before = await objects.mongo_find_one_and_update({ headline: 'Help!' }, { $set: { headline: 'Help me' } });
  assert.equal(before?.headline, 'Help!');
  assert.deepEqual(await headlines(), ['Help me', 'Hey Jude', 'Hey Jude']);
});

test('an unknown mongo_ name raises UnknownMongoMethod, and nothing is written', async () => {
  const loose = objects as unknown as Record<string, (doc: object) => Promise<unknown>>;
  assert.throws(() => loose['mongo_frobnicate']!({ headline: 'Yesterday' }), {
    name: 'UnknownMongoMethod',
    message:
      /"mongo_frobnicate": the driver's Collection has no method frobnicate\(\)\. Choices are: .*mongo_insert_one/,
  });
  assert.throws(
    () => loose['mongo_insert_onee']!({ headline: 'Yesterday' }),
    (err: unknown) =>
      err instanceof UnknownMongoMethod &&
      err.driverMethod === 'insertOnee' &&
      err.message.endsWith('Did you mean "mongo_insert_one"?'),
  );
  assert.deepEqual(await headlines(), ['Help!', 'Hey Jude', 'Hey Jude']);
});
