// ENFORCE_SCHEMA strict in the admin: a document that drifted from the model
// (a field missing, an unknown one) does not crash the list. It is listed
// with what it stores and its MigrationError as the record's base error; its
// show page carries the same error; editing or deleting it is refused with
// that message and writes nothing. The message is also the value of a
// virtual property, which djongoose's component (showMigrationErrors) shows
// on the show page and as a badge in the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import AdminJS, { ApiController, ComponentLoader, type ActionRequest, type RecordJSON } from 'adminjs';
import { enforceSchema, manager, type Managed } from '../../index.js';
import {
  Database,
  MIGRATION_ERROR_COMPONENT,
  MIGRATION_ERROR_PATH,
  modelAdmin,
  Resource,
  showMigrationErrors,
} from '../../admin/index.js';
import { openTestDatabase } from '../helpers/server.js';

interface Blog {
  name?: string | null;
  tagline?: string | null;
}

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const schema = new mongoose.Schema<Blog>({ name: String, tagline: String });
schema.plugin(manager);
schema.plugin(enforceSchema, { strict: true });
const Blog = conn.model<Blog, Managed<Blog>>('Blog', schema);
await conn.db!.createCollection(Blog.collection.collectionName);
await Blog.objects.create({ name: 'Beatles Blog', tagline: 'news' });
await Blog.objects.create({ name: 'Stones Weekly', tagline: 'rolling' });
// Written by something else: no tagline, and a field the model does not know.
const { insertedId: drifted } = await Blog.collection.insertOne({ name: 'Drifted', rating: 5 });

const admin = new AdminJS({ resources: [Blog] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });

async function act(action: string, recordId?: string, payload?: object): Promise<Record<string, unknown>> {
  const request = {
    params: { resourceId: 'Blog', action, ...(recordId ? { recordId } : {}) },
    method: payload ? 'post' : 'get',
    query: { sortBy: 'name', direction: 'asc' },
    ...(payload ? { payload } : {}),
  } as unknown as ActionRequest;
  return (recordId ? await api.recordAction(request, {}) : await api.resourceAction(request, {})) as unknown as Record<
    string,
    unknown
  >;
}

test('the list shows every document; the drifted one carries its MigrationError', async () => {
  const { records, meta } = (await act('list')) as { records: RecordJSON[]; meta: { total: number } };
  assert.equal(meta.total, 3);
  assert.deepEqual(
    records.map((r) => [r.params['name'], r.baseError?.type ?? null]),
    [
      ['Beatles Blog', null],
      ['Drifted', 'MigrationError'],
      ['Stones Weekly', null],
    ],
  );
  const row = records[1]!;
  assert.match(row.baseError!.message, /tagline/);
  assert.match(row.baseError!.message, /rating/);
  assert.equal(row.params['rating'], undefined, 'unknown fields are not properties');
});

test('the drifted document opens with its MigrationError', async () => {
  const { record } = (await act('show', String(drifted))) as { record: RecordJSON };
  assert.equal(record.params['name'], 'Drifted');
  assert.equal(record.baseError?.type, 'MigrationError');
});

test('editing or deleting the drifted document is refused with that error, nothing written', async () => {
  const edited = (await act('edit', String(drifted), { name: 'Fixed?' })) as {
    notice: { type: string; message: string };
  };
  assert.equal(edited.notice.type, 'error');
  assert.match(edited.notice.message, /ENFORCE_SCHEMA|tagline/);
  const deleted = (await act('delete', String(drifted), {})) as { notice: { type: string; message: string } };
  assert.equal(deleted.notice.type, 'error');
  assert.deepEqual(await Blog.collection.findOne({ _id: drifted }), { _id: drifted, name: 'Drifted', rating: 5 });
});

test('the documents that agree with the model are edited as usual', async () => {
  const beatles = await Blog.objects.get({ name: 'Beatles Blog' });
  const edited = (await act('edit', String(beatles._id), { tagline: 'All the news' })) as { notice: { type: string } };
  assert.equal(edited.notice.type, 'success');
  assert.equal((await Blog.objects.lean().get({ name: 'Beatles Blog' })).tagline, 'All the news');
});

test('the drifted record carries the message in the MigrationError property, the others leave it empty', async () => {
  const { records } = (await act('list')) as { records: RecordJSON[] };
  const byName = new Map(records.map((r) => [r.params['name'], r]));
  const row = byName.get('Drifted')!;
  assert.equal(row.params[MIGRATION_ERROR_PATH], row.baseError!.message);
  assert.match(String(row.params[MIGRATION_ERROR_PATH]), /the document lacks tagline; unknown fields: rating/);
  assert.equal(byName.get('Beatles Blog')!.params[MIGRATION_ERROR_PATH], undefined);
  const { record } = (await act('show', String(drifted))) as { record: RecordJSON };
  assert.equal(record.params[MIGRATION_ERROR_PATH], record.baseError!.message);
  // Not a field: no filter, sort or modelAdmin name takes it.
  assert.ok(!(admin.findResource('Blog') as Resource).paths().includes(MIGRATION_ERROR_PATH));
});

test('without showMigrationErrors the message is text at the end of the show page; with it, the component leads the list and show pages', () => {
  const plain = admin.findResource('Blog').decorate();
  const showPaths = plain.getProperties({ where: 'show' }).map((p) => p.propertyPath);
  assert.deepEqual([...showPaths].sort(), ['__migrationError', '_id', 'name', 'tagline']);
  assert.equal(showPaths.at(-1), MIGRATION_ERROR_PATH);
  assert.ok(!plain.getListProperties().some((p) => p.propertyPath === MIGRATION_ERROR_PATH));

  const componentLoader = new ComponentLoader();
  assert.equal(showMigrationErrors(componentLoader), MIGRATION_ERROR_COMPONENT);
  const shown = new AdminJS({
    componentLoader,
    resources: [modelAdmin(Blog, { listDisplay: ['name'], fieldsets: [[null, { fields: ['name', 'tagline'] }]] })],
  })
    .findResource('Blog')
    .decorate();
  assert.deepEqual(
    shown.getListProperties().map((p) => p.propertyPath),
    [MIGRATION_ERROR_PATH, 'name'],
  );
  assert.deepEqual(
    shown.getProperties({ where: 'show' }).map((p) => p.propertyPath),
    [MIGRATION_ERROR_PATH, 'name', 'tagline'],
  );
  assert.ok(!shown.getProperties({ where: 'edit' }).some((p) => p.propertyPath === MIGRATION_ERROR_PATH));
  const json = shown.getPropertyByKey(MIGRATION_ERROR_PATH)!.toJSON('show');
  assert.deepEqual(json.components, { show: MIGRATION_ERROR_COMPONENT, list: MIGRATION_ERROR_COMPONENT });
  assert.match(componentLoader.getComponents()[MIGRATION_ERROR_COMPONENT]!, /admin\/components\/migration-error$/);
});
