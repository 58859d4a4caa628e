// Keys that walk into a Mongoose Map (MongoEngine's MapField): after the Map
// field, a part names one of its keys, whose value is of the Map's value type
// (`collaborators__helpful__user` of a Map of lists of documents). A part that
// is a lookup on the Map itself stays one (`scores__exists`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, ValidationError, compileUpdate, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';

interface SiteRaw {
  name?: string;
  collaborators?: Map<string, { user?: string }[]>;
  scores?: Map<string, number>;
}
const collaborator = new mongoose.Schema({ user: String }, { _id: false });
const siteSchema = new mongoose.Schema<SiteRaw>({
  name: String,
  collaborators: { type: Map, of: [collaborator] },
  scores: { type: Map, of: Number },
});
siteSchema.plugin(manager);
const Site = await ready(
  (await openTestDatabase(import.meta.url)).model<SiteRaw, Managed<SiteRaw>>('Site', siteSchema),
);
const scope = { schema: siteSchema, modelName: 'Site' };
const loose = (changes: Record<string, unknown>) => changes as never;

async function site() {
  await Site.deleteMany({});
  const doc = await Site.create({
    name: 's',
    collaborators: { helpful: [{ user: 'Esteban' }, { user: 'Ann' }], unhelpful: [{ user: 'Frank' }] },
    scores: { a: 1, b: 2 },
  });
  return { one: Site.objects.filter({ pk: doc._id }), stored: async () => Site.collection.findOne({ _id: doc._id }) };
}

test('update keys name a Map key, then a field of its value', () => {
  assert.deepEqual(compileUpdate(scope, { inc__scores__a: 2, set__collaborators__helpful: [{ user: 'x' }] }), {
    $inc: { 'scores.a': 2 },
    $set: { 'collaborators.helpful': [{ user: 'x' }] },
  });
  assert.deepEqual(compileUpdate(scope, { pull__collaborators__helpful__user: 'Esteban' }), {
    $pull: { 'collaborators.helpful': { user: 'Esteban' } },
  });
});

test(`Map keys on ${server.name}: inc__, set__ and push__ reach the value at a key`, async () => {
  const { one, stored } = await site();
  assert.equal(await one.update(loose({ inc__scores__a: 2, set__scores__c: 5 })), 1);
  assert.equal(await one.update(loose({ push__collaborators__unhelpful: { user: 'Bob' } })), 1);
  const after = await stored();
  assert.deepEqual(after?.['scores'], { a: 3, b: 2, c: 5 });
  assert.deepEqual(after?.['collaborators']?.unhelpful, [{ user: 'Frank' }, { user: 'Bob' }]);
});

test(
  `Map keys on ${server.name}: pull__ with a field of the elements of the list at a key`,
  { skip: lacks('pullConditions') },
  async () => {
    const { one, stored } = await site();
    assert.equal(await one.update(loose({ pull__collaborators__helpful__user: 'Esteban' })), 1);
    const after = await stored();
    assert.deepEqual(after?.['collaborators']?.helpful, [{ user: 'Ann' }]);
    assert.deepEqual(after?.['collaborators']?.unhelpful, [{ user: 'Frank' }], 'another key is left alone');
  },
);

test(`Map keys on ${server.name}: filters walk into a Map too, and a lookup on the Map stays one`, async () => {
  await site();
  assert.equal(await Site.objects.filter(loose({ scores__b__gte: 2 })).count(), 1);
  assert.equal(await Site.objects.filter(loose({ scores__b__gt: 2 })).count(), 0);
  assert.equal(await Site.objects.filter(loose({ collaborators__unhelpful__user: 'Frank' })).count(), 1);
  assert.equal(await Site.objects.filter(loose({ scores__exists: true })).count(), 1);
});

test(`Map keys on ${server.name}: a value of another type, or a key MongoDB would not read as one, is refused, nothing written`, async () => {
  const { one, stored } = await site();
  const before = JSON.stringify(await stored());
  await assert.rejects(one.update(loose({ set__scores__a: { $gt: 1 } })), ValidationError);
  for (const key of ['inc__scores__$where', 'set__scores__a.b', 'pull__collaborators__$x__user']) {
    await assert.rejects(
      one.update(loose({ [key]: 1 })),
      (e: unknown) => e instanceof FieldError && /does not name a field|Invalid key/.test(e.message),
      key,
    );
  }
  await assert.rejects(
    async () => Site.objects.filter(loose({ scores__$gt: 1 })).count(),
    (e: unknown) => e instanceof FieldError && /Map field Site\.scores: it starts with "\$"/.test(e.message),
  );
  assert.equal(JSON.stringify(await stored()), before);
});
