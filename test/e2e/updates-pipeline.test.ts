// F() across fields in update() (issue 12 §2.1): a pipeline update, which
// Mongoose 9 sends only with its `updatePipeline` option, set for these
// updates alone. Neither emulator runs pipeline updates (capability
// pipelineUpdates): there, the update reaches the server and its refusal is
// a NotSupportedError, not Mongoose's refusal to send an array.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, FieldError, NotSupportedError, RawUpdate, compileUpdate } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
const scope = { schema: entrySchema(), modelName: 'Entry' };

async function fixture() {
  await Entry.deleteMany({});
  const doc = await Entry.objects.create({ headline: 'f', views: 10, likes: 4, rating: 2 });
  return { qs: Entry.objects.filter({ pk: doc._id }), id: doc._id };
}

test('F() across fields compiles to a pipeline, plain values kept literal', () => {
  assert.deepEqual(compileUpdate(scope, { likes: F('views'), headline: '$views' }), [
    { $set: { headline: { $literal: '$views' }, likes: '$views' } },
  ]);
  assert.deepEqual(compileUpdate(scope, { rating: F('views').plus(F('likes')) }), [
    { $set: { rating: { $add: ['$views', '$likes'] } } },
  ]);
});

test(
  `F across fields on ${server.name}: update({ likes: F('views') }) copies a field`,
  { skip: lacks('pipelineUpdates') },
  async () => {
    // Django's AdvancedTests.test_update_fk / ExpressionsTests' F updates: a = F('b').
    const { qs, id } = await fixture();
    assert.equal(await qs.update({ likes: F('views'), headline: '$views' }), 1);
    const after = await Entry.findById(id).lean();
    assert.equal(after?.likes, 10);
    assert.equal(after?.headline, '$views', 'a plain string stays data');
  },
);

test(`F across fields on ${server.name}: F('views').plus(F('likes'))`, { skip: lacks('pipelineUpdates') }, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ rating: F('views').plus(F('likes')) }), 1);
  assert.equal((await Entry.findById(id).lean())?.rating, 14);
});

test(`F across fields on ${server.name}: a server without pipeline updates gives NotSupportedError, nothing written`, async (t) => {
  if (!lacks('pipelineUpdates')) return t.skip(`${server.name} runs pipeline updates`);
  const { qs } = await fixture();
  const before = JSON.stringify(await Entry.find({}).lean());
  await assert.rejects(qs.update({ likes: F('views') }), (err: unknown) => {
    assert.ok(err instanceof NotSupportedError, `expected NotSupportedError, got ${String(err)}`);
    assert.match(err.message, /does not run pipeline updates/);
    return true;
  });
  assert.equal(JSON.stringify(await Entry.find({}).lean()), before);
});

test(`F across fields on ${server.name}: same-field arithmetic needs no pipeline and runs everywhere`, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ views: F('views').plus(5) }), 1);
  assert.equal((await Entry.findById(id).lean())?.views, 15);
});

// MongoEngine's update(__raw__=[...]): RawUpdate([...stages]) takes the same
// path, so the pipeline reaches the server (Mongoose's updatePipeline).
const twice = RawUpdate([{ $set: { headline: { $concat: ['$headline', ' ', '$headline'] } } }]);

test(
  `RawUpdate([...stages]) on ${server.name}: the raw pipeline runs, after the keys' own stage`,
  { skip: lacks('pipelineUpdates') },
  async () => {
    const { qs, id } = await fixture();
    assert.equal(await qs.update({ headline: 'g', __raw__: twice }), 1);
    assert.equal((await Entry.findById(id).lean())?.headline, 'g g');
  },
);

test(`RawUpdate([...stages]) on ${server.name}: it reaches the server, which refuses it where it lacks pipeline updates`, async (t) => {
  if (!lacks('pipelineUpdates')) return t.skip(`${server.name} runs pipeline updates`);
  const { qs } = await fixture();
  const before = JSON.stringify(await Entry.find({}).lean());
  await assert.rejects(qs.update({ __raw__: twice }), (err: unknown) => {
    assert.ok(err instanceof NotSupportedError, `expected NotSupportedError, got ${String(err)}`);
    assert.match(err.message, /does not run pipeline updates, which F\(\) across fields and RawUpdate/);
    // The server's own refusal, not Mongoose's refusal to send an array.
    assert.ok(err.cause instanceof Error && err.cause.name === 'MongoServerError', String(err.cause));
    return true;
  });
  assert.equal(JSON.stringify(await Entry.find({}).lean()), before);
});

test(`RawUpdate([...stages]) on ${server.name}: a plain array from a request is a FieldError, nothing written`, async () => {
  const { qs } = await fixture();
  const before = JSON.stringify(await Entry.find({}).lean());
  const body = JSON.parse('{"__raw__": [{"$set": {"views": "$likes"}}]}') as Record<string, unknown>;
  await assert.rejects(qs.update(body as never), (err: unknown) => {
    assert.ok(err instanceof FieldError, String(err));
    assert.match(err.message, /takes RawUpdate\(\{ \.\.\. \}\), made in code/);
    return true;
  });
  assert.equal(JSON.stringify(await Entry.find({}).lean()), before);
});
