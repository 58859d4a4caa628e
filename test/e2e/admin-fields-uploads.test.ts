// ImageField uploads in the admin after a refusal, sent as real multipart
// forms through express-formidable to AdminJS's API controller (the new and
// edit actions, as @adminjs/express hands them over): the field error says
// why the file is no image and which formats are accepted, an image the
// schema's dimension validators refuse stores nothing in GridFS, and the
// record sent back to the browser never carries the server's temporary
// upload path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import express, { type RequestHandler } from 'express';
import AdminJS, { ApiController, type ActionRequest, type RecordJSON } from 'adminjs';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { adminModels } from '../helpers/admin-models.js';
import { storedCounts } from '../helpers/storage-layouts.js';

const formidable = createRequire(import.meta.url)('express-formidable') as (options?: object) => RequestHandler;

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const { Author, storage } = adminModels(conn);
await ready(Author);
const bob = await Author.objects.create({ name: 'Bob' });

const admin = new AdminJS({ resources: [modelAdmin(Author)] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });

interface ActionResult {
  record: RecordJSON;
  notice?: { type: string; message: string };
}

// Where express-formidable writes uploads: what must never reach the browser.
const tempDir = tmpdir();
const app = express();
app.post('/authors{/:recordId}', formidable(), async (req, res) => {
  const { fields, files } = req as unknown as { fields: Record<string, unknown>; files: Record<string, unknown> };
  const recordId = req.params['recordId'];
  // `?lose`: the temporary files are gone before the admin stores them (a tmp cleaner, a full disk).
  if ('lose' in req.query) {
    for (const file of Object.values(files)) await rm((file as { path: string }).path, { force: true });
  }
  const request = {
    params: { resourceId: 'Author', action: recordId ? 'edit' : 'new', ...(recordId ? { recordId } : {}) },
    method: 'post',
    payload: { ...fields, ...files },
  } as unknown as ActionRequest;
  res.json(recordId ? await api.recordAction(request, {}) : await api.resourceAction(request, {}));
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
test.after(() => server.close());
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// A 2×1 GIF, and a 100×1 one (wider than avatarWidth's max: 64).
const gif = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');
const wide = Buffer.from(gif);
wide.writeUInt16LE(100, 6);

async function upload(
  recordId: string,
  parts: Record<string, string | [Uint8Array, string]>,
  query = '',
): Promise<ActionResult> {
  const form = new FormData();
  for (const [key, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([value[0]], { type: 'image/gif' }), value[1]);
  }
  const res = await fetch(`${base}/authors${recordId ? `/${recordId}` : ''}${query}`, { method: 'POST', body: form });
  const text = await res.text();
  assert.ok(!text.includes(tempDir), `the response names a server path: ${text}`);
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as ActionResult;
}

/** The record sent back names no server file: no temporary path, no upload's own keys. */
function assertNoServerPath(result: ActionResult): void {
  const params = result.record.params;
  assert.ok(!JSON.stringify(params).includes(tempDir), `a temporary path was sent back: ${JSON.stringify(params)}`);
  assert.deepEqual(
    Object.keys(params).filter((key) => key.startsWith('avatar.')),
    [],
    JSON.stringify(params),
  );
}

test('a file that is no image: the field error says why and what is accepted; no temp path is sent back', async () => {
  const before = await storedCounts(storage);
  for (const recordId of [String(bob._id), '']) {
    const res = await upload(recordId, { name: 'Eve', avatar: [Buffer.from('<script>x</script>'), 'evil.gif'] });
    assert.equal(res.notice?.type, 'error');
    assert.match(
      res.record.errors['avatar']?.message ?? '',
      /^avatar: "evil\.gif" is not an image djongoose can read \(image-size found no known format\); accepted: png, jpeg, gif, webp, /,
    );
    assertNoServerPath(res);
  }
  assert.deepEqual(await storedCounts(storage), before);
  assert.equal(await Author.objects.filter({ name: 'Eve' }).count(), 0);
});

test('an image the dimension validators refuse stores nothing, on new and on edit; no temp path is sent back', async () => {
  const before = await storedCounts(storage);
  for (const recordId of [String(bob._id), '']) {
    const res = await upload(recordId, { name: 'Wide', avatar: [wide, 'wide.gif'] });
    assert.equal(res.notice?.type, 'error');
    assert.match(
      res.record.errors['avatar']?.message ?? '',
      /^avatar: the image is 100×1, which the schema refuses: .*avatarWidth/,
    );
    assertNoServerPath(res);
  }
  assert.deepEqual(await storedCounts(storage), before);
  assert.equal(await Author.objects.filter({ name: 'Wide' }).count(), 0);
  assert.equal((await Author.objects.lean().get({ pk: bob._id })).avatar ?? null, null);
});

test('a form refused for another field stores no file and sends back no temp path', async () => {
  const before = await storedCounts(storage);
  const res = await upload('', { name: '', avatar: [gif, 'nameless.gif'] });
  assert.equal(res.notice?.type, 'error');
  assert.ok(res.record.errors['name'], JSON.stringify(res.record.errors));
  assertNoServerPath(res);
  assert.deepEqual(await storedCounts(storage), before);
});

test('new: an uploaded image is stored with the record, whose params hold only the stored name', async () => {
  const before = await storedCounts(storage);
  const res = await upload('', { name: 'Dee', avatar: [gif, 'dee.gif'] });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  const saved = await Author.objects.lean().get({ name: 'Dee' });
  assert.equal(saved.avatar, 'avatars/dee.gif');
  assert.deepEqual([saved.avatarWidth, saved.avatarHeight], [2, 1]);
  assert.equal(res.record.params['avatar'], 'avatars/dee.gif');
  assertNoServerPath(res);
  assert.deepEqual(await storedCounts(storage), { files: before.files + 1, chunks: before.chunks + 1 });
});

test('an upload whose temporary file is gone: a field error in user terms, no server path, nothing stored', async () => {
  const before = await storedCounts(storage);
  for (const recordId of [String(bob._id), '']) {
    const res = await upload(recordId, { name: 'Lost', avatar: [gif, 'lost.gif'] }, '?lose');
    assert.equal(res.notice?.type, 'error');
    assert.match(
      res.record.errors['avatar']?.message ?? '',
      /^avatar: the upload of "lost\.gif" could not be read on the server .*; choose the file and save again\.$/,
    );
    assert.ok(!JSON.stringify(res).includes(tempDir), JSON.stringify(res));
    assertNoServerPath(res);
  }
  assert.deepEqual(await storedCounts(storage), before);
  assert.equal(await Author.objects.filter({ name: 'Lost' }).count(), 0);
  assert.equal((await Author.objects.lean().get({ pk: bob._id })).avatar ?? null, null);
});
