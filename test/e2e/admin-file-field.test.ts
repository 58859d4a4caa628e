// A FileField (not an image) in the admin, uploaded as a real multipart form
// through express-formidable to AdminJS's API controller: the file is stored
// in its GridFSStorage under `uploadTo` with the browser's name cleaned, the
// record holds only the stored name, keeping the name on a later edit
// keeps the file, and clearing the field empties it. Read back from the
// database after each action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import AdminJS, { ApiController } from 'adminjs';
import { Database, Resource } from '../../admin/index.js';
import { manager, type Managed } from '../../index.js';
import { FileField, GridFSStorage } from '../../storage/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { storedCounts } from '../helpers/storage-layouts.js';
import { adminForms } from '../helpers/admin-forms.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const storage = new GridFSStorage({ collection: 'papers', connection: conn, baseUrl: '/media/' });
interface Paper {
  _id: mongoose.Types.ObjectId;
  title: string;
  attachment?: string | null;
}
const schema = new mongoose.Schema<Paper>({
  title: { type: String, required: true },
  attachment: { type: FileField, storage, uploadTo: 'papers/' },
});
schema.plugin(manager);
const Paper = conn.model<Paper, Managed<Paper>>('Paper', schema);
await ready(Paper);

const admin = new AdminJS({ resources: [Paper] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });

const forms = await adminForms(api, 'Paper', 'text/plain', test.after);
const post = forms.post.bind(forms);

async function contentOf(name: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.open(name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test('the FileField carries the file marker with its storage base URL', () => {
  const custom = admin.findResource('Paper').decorate().getPropertyByKey('attachment')?.toJSON().custom;
  assert.deepEqual(custom, { djongoose: { kind: 'file', baseUrl: '/media/' } });
});

test('new: the file is stored under uploadTo with a cleaned name; the record holds the stored name', async () => {
  const before = await storedCounts(storage);
  const res = await post('', { title: 'Notes', attachment: ['hello, paper', '../../etc/notes v1.txt'] });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  const saved = await Paper.objects.lean().get({ title: 'Notes' });
  assert.match(String(saved.attachment), /^papers\/notes_v1(_\w+)?\.txt$/);
  assert.equal(res.record.params['attachment'], saved.attachment);
  assert.equal(await contentOf(String(saved.attachment)), 'hello, paper');
  assert.equal((await storedCounts(storage)).files, before.files + 1);
});

test('edit: sending the stored name back keeps the file; an empty value clears the field', async () => {
  const paper = await Paper.objects.lean().get({ title: 'Notes' });
  const id = String(paper._id);
  const kept = await post(id, { title: 'Notes 2', attachment: String(paper.attachment) });
  assert.equal(kept.notice?.type, 'success', JSON.stringify(kept.record.errors));
  assert.equal((await Paper.objects.lean().get({ pk: paper._id })).attachment, paper.attachment);
  const cleared = await post(id, { title: 'Notes 2', attachment: '' });
  assert.equal(cleared.notice?.type, 'success', JSON.stringify(cleared.record.errors));
  assert.equal((await Paper.objects.lean().get({ pk: paper._id })).attachment ?? null, null);
});

test("edit: another stored file's name is refused on the field, nothing changed", async () => {
  const other = await post('', { title: 'Other', attachment: ['other', 'other.txt'] });
  assert.equal(other.notice?.type, 'success');
  const paper = await Paper.objects.lean().get({ title: 'Notes 2' });
  const res = await post(String(paper._id), {
    title: 'Notes 2',
    attachment: String(other.record.params['attachment']),
  });
  assert.equal(res.notice?.type, 'error');
  assert.ok(res.record.errors['attachment'], JSON.stringify(res.record.errors));
  assert.equal((await Paper.objects.lean().get({ pk: paper._id })).attachment ?? null, null);
});
