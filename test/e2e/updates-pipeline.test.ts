// F() across fields in update() (issue 12 §2.1): a pipeline update, which
// Mongoose 9 sends only with its `updatePipeline` option, set for these
// updates alone. Neither emulator runs pipeline updates (capability
// pipelineUpdates): with PIPELINE_UPDATES 'auto' (the default) djongoose then
// computes the update itself (update-fallback.ts), so these run everywhere;
// with 'server' the refusal is a NotSupportedError, nothing written.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { F, FieldError, NotSupportedError, RawUpdate, compileUpdate, connect } from '../../index.js';
import { databaseName, lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
const scope = { schema: entrySchema(), modelName: 'Entry' };

async function fixture(model = Entry) {
  await model.deleteMany({});
  const doc = await model.objects.create({ headline: 'f', views: 10, likes: 4, rating: 2 });
  return { qs: model.objects.filter({ pk: doc._id }), id: doc._id };
}

test('F() across fields compiles to a pipeline, plain values kept literal', () => {
  assert.deepEqual(compileUpdate(scope, { likes: F('views'), headline: '$views' }), [
    { $set: { headline: { $literal: '$views' }, likes: '$views' } },
  ]);
  assert.deepEqual(compileUpdate(scope, { rating: F('views').plus(F('likes')) }), [
    { $set: { rating: { $add: ['$views', '$likes'] } } },
  ]);
});

test(`F across fields on ${server.name}: update({ likes: F('views') }) copies a field`, async () => {
  // Django's AdvancedTests.test_update_fk / ExpressionsTests' F updates: a = F('b').
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ likes: F('views'), headline: '$views' }), 1);
  const after = await Entry.findById(id).lean();
  assert.equal(after?.likes, 10);
  assert.equal(after?.headline, '$views', 'a plain string stays data');
});

test(`F across fields on ${server.name}: F('views').plus(F('likes'))`, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ rating: F('views').plus(F('likes')) }), 1);
  assert.equal((await Entry.findById(id).lean())?.rating, 14);
});

/** Entry on a connection of its own with PIPELINE_UPDATES 'server' (no fallback), dropped after the test. */
async function serverModeModel(t: TestContext, suffix: string): Promise<ReturnType<typeof entryModel>> {
  const conn = await connect({
    NAME: `${databaseName(import.meta.url)}${suffix}`,
    CLIENT: { host: server.uri },
    PIPELINE_UPDATES: 'server',
  });
  t.after(async () => {
    await conn.dropDatabase();
    await conn.close();
  });
  return ready(entryModel(conn));
}

test(`F across fields on ${server.name}: PIPELINE_UPDATES 'server' on a server without pipeline updates gives NotSupportedError, nothing written`, async (t) => {
  if (!lacks('pipelineUpdates')) return t.skip(`${server.name} runs pipeline updates`);
  const OnServer = await serverModeModel(t, '');
  const { qs } = await fixture(OnServer);
  const before = JSON.stringify(await OnServer.find({}).lean());
  await assert.rejects(qs.update({ likes: F('views') }), (err: unknown) => {
    assert.ok(err instanceof NotSupportedError, `expected NotSupportedError, got ${String(err)}`);
    assert.match(err.message, /does not run pipeline updates.*PIPELINE_UPDATES/);
    return true;
  });
  assert.equal(JSON.stringify(await OnServer.find({}).lean()), before);
});

test(`F across fields on ${server.name}: same-field arithmetic needs no pipeline and runs everywhere`, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ views: F('views').plus(5) }), 1);
  assert.equal((await Entry.findById(id).lean())?.views, 15);
});

// MongoEngine's update(__raw__=[...]): RawUpdate([...stages]) takes the same
// path as F() across fields: the pipeline reaches the server (Mongoose's
// updatePipeline), or djongoose computes it where PIPELINE_UPDATES says.
const twice = RawUpdate([{ $set: { headline: { $concat: ['$headline', ' ', '$headline'] } } }]);

test(`RawUpdate([...stages]) on ${server.name}: the raw pipeline runs, after the keys' own stage`, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ headline: 'g', __raw__: twice }), 1);
  assert.equal((await Entry.findById(id).lean())?.headline, 'g g');
});

test(`RawUpdate([...stages]) on ${server.name}: with PIPELINE_UPDATES 'server' it reaches the server, which refuses it where it lacks pipeline updates`, async (t) => {
  if (!lacks('pipelineUpdates')) return t.skip(`${server.name} runs pipeline updates`);
  const OnServer = await serverModeModel(t, '-raw');
  const { qs } = await fixture(OnServer);
  const before = JSON.stringify(await OnServer.find({}).lean());
  await assert.rejects(qs.update({ __raw__: twice }), (err: unknown) => {
    assert.ok(err instanceof NotSupportedError, `expected NotSupportedError, got ${String(err)}`);
    assert.match(err.message, /does not run pipeline updates, which F\(\) across fields and RawUpdate/);
    // The server's own refusal, not Mongoose's refusal to send an array.
    assert.ok(err.cause instanceof Error && err.cause.name === 'MongoServerError', String(err.cause));
    return true;
  });
  assert.equal(JSON.stringify(await OnServer.find({}).lean()), before);
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
