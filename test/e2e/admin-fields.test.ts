// djongo's fields in the admin, through AdminJS's API controller: lists of
// embedded documents (add, edit, remove items), lists of scalars,
// ArrayReferenceField as a multi-select of the other resource, JSONField as
// JSON text refused when invalid, and ImageField uploads sent as a real
// multipart form through express-formidable, stored by the field. After each
// action the test reads what the database holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdminJS, { ApiController, type ActionRequest } from 'adminjs';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { adminModels } from '../helpers/admin-models.js';
import { adminForms, type ActionResult } from '../helpers/admin-forms.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const { Entry, Author, storage } = adminModels(conn);
await ready(Entry);
await ready(Author);

const [ann, bob, cid] = await Author.objects.bulkCreate([{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }]);
const jude = await Entry.objects.create({
  headline: 'Hey Jude',
  blog: { name: 'Beatles Blog' },
  tags: ['rock', 'uk'],
  comments: [
    { author: 'ann', text: 'one' },
    { author: 'bob', text: 'two' },
  ],
  authors: [ann!._id],
  data: { label: 'Apple', chart: { uk: 1 } },
});
const id = String(jude._id);

const admin = new AdminJS({ resources: [modelAdmin(Entry, { readonlyFields: ['rating'] }), modelAdmin(Author)] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });

async function edit(payload: Record<string, unknown>, resourceId = 'Entry', recordId = id): Promise<ActionResult> {
  return (await api.recordAction(
    { params: { resourceId, action: 'edit', recordId }, method: 'post', payload } as unknown as ActionRequest,
    {},
  )) as unknown as ActionResult;
}

const stored = () => Entry.objects.lean().get({ id: jude.id! });

test('file, image, JSON and auto-id properties carry a djongoose marker for UI components', () => {
  const custom = (resource: string, path: string): unknown =>
    admin.findResource(resource).decorate().getPropertyByKey(path)?.toJSON().custom;
  assert.deepEqual(custom('Author', 'avatar'), { djongoose: { kind: 'image', baseUrl: '/media/' } });
  assert.deepEqual(custom('Entry', 'data'), { djongoose: { kind: 'json' } });
  assert.deepEqual(custom('Entry', 'id'), { djongoose: { kind: 'autoId' } });
  assert.deepEqual(custom('Entry', 'headline'), {});
  // The app's options are laid over the markers.
  assert.equal(admin.findResource('Entry').decorate().getPropertyByKey('rating')?.isDisabled(), true);
});

test('a connection is an AdminJS database: each of its models a resource', () => {
  const byDatabase = new AdminJS({ databases: [conn] });
  assert.deepEqual(byDatabase.resources.map((r) => r.id()).sort(), [Author.modelName, Entry.modelName].sort());
});

test('comments: edit one, add one, then remove the first', async () => {
  let res = await edit({
    'comments.0.text': 'ONE',
    'comments.1.text': 'two',
    'comments.1.author': 'bob',
    'comments.2.text': 'three',
  });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  assert.deepEqual((await stored()).comments, [{ text: 'ONE' }, { author: 'bob', text: 'two' }, { text: 'three' }]);
  // The form renumbers nothing when an item is removed: the params skip index 0.
  res = await edit({ 'comments.1.text': 'two', 'comments.1.author': 'bob', 'comments.2.text': 'three' });
  assert.equal(res.notice?.type, 'success');
  assert.deepEqual((await stored()).comments, [{ author: 'bob', text: 'two' }, { text: 'three' }]);
  assert.equal(res.record.params['comments.0.text'], 'two');
});

test('comments: an item failing validation shows on its own form field', async () => {
  const res = await edit({ 'comments.0.text': 'two', 'comments.1.author': 'x' }); // text is required
  assert.equal(res.notice?.type, 'error');
  assert.ok(res.record.errors['comments.1.text'], JSON.stringify(res.record.errors));
  assert.equal((await stored()).comments?.length, 2);
});

test('comments: removing every item stores an empty list', async () => {
  // AdminJS's form sends an emptied list as a marker its request parser turns into [].
  const res = await edit({ comments: '__FORM_VALUE_EMPTY_ARRAY__' });
  assert.equal(res.notice?.type, 'success');
  assert.deepEqual((await stored()).comments, []);
});

test('tags: a list of strings', async () => {
  await edit({ 'tags.0': 'pop', 'tags.1': 'uk', 'tags.2': 'sixties' });
  assert.deepEqual((await stored()).tags, ['pop', 'uk', 'sixties']);
});

test('authors: an ArrayReferenceField is a multi-select of Author records, populated on show', async () => {
  const property = admin.findResource('Entry').decorate().getPropertyByKey('authors')!;
  assert.equal(property.isArray(), true);
  assert.equal(property.reference()?.id(), Author.modelName);
  await edit({ 'authors.0': String(bob!._id), 'authors.1': String(cid!._id) });
  assert.deepEqual((await stored()).authors?.map(String), [String(bob!._id), String(cid!._id)]);
  const show = (await api.recordAction(
    { params: { resourceId: 'Entry', action: 'show', recordId: id }, method: 'get' } as unknown as ActionRequest,
    {},
  )) as unknown as ActionResult;
  const populated = show.record.populated as Record<string, { title: string } | undefined>;
  assert.deepEqual([populated['authors.0']?.title, populated['authors.1']?.title], ['Bob', 'Cid']);
  const bad = await edit({ 'authors.0': 'not-an-id' });
  assert.equal(bad.notice?.type, 'error');
  assert.ok(bad.record.errors['authors.0'] ?? bad.record.errors['authors'], JSON.stringify(bad.record.errors));
});

test('data: a JSONField takes JSON text; invalid JSON is a field error and nothing is written', async () => {
  let res = await edit({ data: '{"label": "EMI", "chart": {"us": 2}}' });
  assert.equal(res.notice?.type, 'success');
  assert.deepEqual((await stored()).data, { label: 'EMI', chart: { us: 2 } });
  assert.deepEqual(JSON.parse(String(res.record.params['data'])), { label: 'EMI', chart: { us: 2 } });
  res = await edit({ data: '{"label": ', headline: 'Changed' });
  assert.equal(res.notice?.type, 'error');
  assert.match(res.record.errors['data']?.message ?? '', /Not valid JSON/);
  const after = await stored();
  assert.deepEqual(after.data, { label: 'EMI', chart: { us: 2 } });
  assert.equal(after.headline, 'Hey Jude', 'nothing of the refused form is written');
});

test('readonlyFields and the auto id are never written, whatever the form sends', async () => {
  await Entry.objects.filter({ id: jude.id! }).update({ rating: 3 });
  const res = await edit({ rating: '5', id: '42', headline: 'Hey Jude' });
  assert.equal(res.notice?.type, 'success');
  const after = await stored();
  assert.equal(after.rating, 3);
  assert.equal(after.id, jude.id);
});

// --- uploads, as @adminjs/express hands them over: { ...req.fields, ...req.files } from express-formidable.
const forms = await adminForms(api, 'Author', 'image/png', test.after);
const upload = forms.post.bind(forms);

// A 2×1 GIF, and a 100×1 one (wider than avatarWidth's max: 64).
const gif = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');
const wide = Buffer.from(gif);
wide.writeUInt16LE(100, 6);

test('avatar: an uploaded image is stored by the ImageField, with its dimensions', async () => {
  const res = await upload(String(ann!._id), { name: 'Ann', avatar: [gif, 'ann photo.gif'] });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  const saved = await Author.objects.lean().get({ pk: ann!._id });
  assert.equal(saved.avatar, 'avatars/ann_photo.gif');
  assert.deepEqual([saved.avatarWidth, saved.avatarHeight], [2, 1]);
  assert.equal(await storage.size('avatars/ann_photo.gif'), gif.length);
  assert.equal(res.record.params['avatar'], 'avatars/ann_photo.gif');
  // Saving the form again with the name it holds keeps the file.
  const again = await upload(String(ann!._id), { name: 'Ann B.', avatar: 'avatars/ann_photo.gif' });
  assert.equal(again.notice?.type, 'success', JSON.stringify(again.record.errors));
  assert.equal((await Author.objects.lean().get({ pk: ann!._id })).avatar, 'avatars/ann_photo.gif');
});

test('avatar: not an image, or too wide, is a field error and nothing is stored', async () => {
  const before = (await storage.listdir('avatars')).files;
  const text = await upload(String(bob!._id), { name: 'Bob', avatar: [Buffer.from('<script>x</script>'), 'bob.gif'] });
  assert.equal(text.notice?.type, 'error');
  assert.ok(text.record.errors['avatar'], JSON.stringify(text.record.errors));
  const tooWide = await upload(String(bob!._id), { name: 'Bob', avatar: [wide, 'bob.gif'] });
  assert.equal(tooWide.notice?.type, 'error');
  assert.ok(
    tooWide.record.errors['avatarWidth'] ?? tooWide.record.errors['avatar'],
    JSON.stringify(tooWide.record.errors),
  );
  assert.deepEqual((await storage.listdir('avatars')).files, before);
  assert.equal((await Author.objects.lean().get({ pk: bob!._id })).avatar ?? null, null);
});

test("avatar: form text naming a server file, or another document's file, is refused", async () => {
  const forged = await upload(String(bob!._id), { name: 'Bob', 'avatar.path': '/etc/passwd', 'avatar.name': 'x.gif' });
  assert.equal(forged.notice?.type, 'error');
  assert.ok(forged.record.errors['avatar'], JSON.stringify(forged.record.errors));
  const stolen = await upload(String(bob!._id), { name: 'Bob', avatar: 'avatars/ann_photo.gif' });
  assert.equal(stolen.notice?.type, 'error');
  assert.ok(stolen.record.errors['avatar'], JSON.stringify(stolen.record.errors));
  assert.equal((await Author.objects.lean().get({ pk: bob!._id })).avatar ?? null, null);
});
