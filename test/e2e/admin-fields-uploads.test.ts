// ImageField uploads in the admin after a refusal, sent as real multipart
// forms through express-formidable to AdminJS's API controller (the new and
// edit actions, as @adminjs/express hands them over): the field error says
// why the file is no image and which formats are accepted, an image the
// schema's dimension validators refuse stores nothing in GridFS, and the
// record sent back to the browser never carries the server's temporary
// upload path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdminJS, { ApiController } from 'adminjs';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { adminModels } from '../helpers/admin-models.js';
import { storedCounts } from '../helpers/storage-layouts.js';
import { adminForms, TEMP_DIR, type ActionResult } from '../helpers/admin-forms.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const { Author, storage } = adminModels(conn);
await ready(Author);
const bob = await Author.objects.create({ name: 'Bob' });

const admin = new AdminJS({ resources: [modelAdmin(Author)] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });
const forms = await adminForms(api, 'Author', 'image/gif', test.after);
const upload = forms.post.bind(forms);

// A 2×1 GIF, and a 100×1 one (wider than avatarWidth's max: 64).
const gif = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');
const wide = Buffer.from(gif);
wide.writeUInt16LE(100, 6);

/** The record sent back names no server file: no temporary path, no upload's own keys. */
function assertNoServerPath(result: ActionResult): void {
  const params = result.record.params;
  assert.ok(!JSON.stringify(params).includes(TEMP_DIR), `a temporary path was sent back: ${JSON.stringify(params)}`);
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
    assert.ok(!JSON.stringify(res).includes(TEMP_DIR), JSON.stringify(res));
    assertNoServerPath(res);
  }
  assert.deepEqual(await storedCounts(storage), before);
  assert.equal(await Author.objects.filter({ name: 'Lost' }).count(), 0);
  assert.equal((await Author.objects.lean().get({ pk: bob._id })).avatar ?? null, null);
});
