// An ImageField inside an embedded document (`brand.logo`), uploaded through
// the admin as a real multipart form (express-formidable, AdminJS's API
// controller). AdminJS's param converter reads the file through its parent
// `brand`, turning it into a plain copy that holds the server's temporary
// path: the record sent back never shows it, and the upload is taken by its
// path and stored through the field, the rest of the embedded document kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import AdminJS, { ApiController } from 'adminjs';
import { Database, Resource } from '../../admin/index.js';
import { manager, type Managed } from '../../index.js';
import { abstractModel, ArrayField, EmbeddedField } from '../../fields/index.js';
import { GridFSStorage, ImageField } from '../../storage/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { adminForms, TEMP_DIR } from '../helpers/admin-forms.js';
import { storedCounts } from '../helpers/storage-layouts.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const storage = new GridFSStorage({ collection: 'logos', connection: conn, baseUrl: '/media/' });
interface Shop {
  _id: mongoose.Types.ObjectId;
  title: string;
  brand?: { name?: string; logo?: string | null } | null;
}
const Brand = abstractModel({ name: String, logo: { type: ImageField, storage, uploadTo: 'logos/' } });
const schema = new mongoose.Schema<Shop>({ title: { type: String, required: true }, brand: EmbeddedField(Brand) });
schema.plugin(manager);
const Shop = conn.model<Shop, Managed<Shop>>('Shop', schema);
await ready(Shop);

const admin = new AdminJS({ resources: [Shop] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });
const forms = await adminForms(api, 'Shop', 'image/gif', test.after);
const gif = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');

test('new: the logo inside the embedded brand is stored through its ImageField; no temporary path is sent back', async () => {
  const before = await storedCounts(storage);
  const res = await forms.post('', { title: 'Corner', 'brand.name': 'Acme', 'brand.logo': [gif, 'acme logo.gif'] });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  assert.ok(!JSON.stringify(res).includes(TEMP_DIR));
  const stored = await Shop.objects.lean().get({ title: 'Corner' });
  assert.match(String(stored.brand?.logo), /^logos\/acme_logo(_\w+)?\.gif$/);
  assert.equal(stored.brand?.name, 'Acme');
  assert.equal(res.record.params['brand.logo'], stored.brand?.logo);
  assert.equal((await storedCounts(storage)).files, before.files + 1);
});

test('edit: a new logo replaces the name, the brand name kept; a form refused elsewhere stores nothing', async () => {
  const shop = await Shop.objects.lean().get({ title: 'Corner' });
  const res = await forms.post(String(shop._id), { title: 'Corner', 'brand.logo': [gif, 'new.gif'] });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  const stored = await Shop.objects.lean().get({ pk: shop._id });
  assert.match(String(stored.brand?.logo), /^logos\/new(_\w+)?\.gif$/);
  assert.equal(stored.brand?.name, 'Acme');

  const before = await storedCounts(storage);
  const refused = await forms.post('', { title: '', 'brand.logo': [gif, 'orphan.gif'] });
  assert.equal(refused.notice?.type, 'error');
  assert.ok(refused.record.errors['title'], JSON.stringify(refused.record.errors));
  assert.deepEqual(await storedCounts(storage), before);
});

test('a logo that is no image is refused on the brand.logo field; nothing stored', async () => {
  const before = await storedCounts(storage);
  const res = await forms.post('', { title: 'Bad', 'brand.logo': [Buffer.from('<svg onload=x>'), 'bad.gif'] });
  assert.equal(res.notice?.type, 'error');
  assert.match(res.record.errors['brand.logo']?.message ?? '', /not an image/, JSON.stringify(res.record.errors));
  assert.deepEqual(await storedCounts(storage), before);
  assert.equal(await Shop.objects.filter({ title: 'Bad' }).count(), 0);
});

test('a file in an item of a list of embedded documents is stored through its field, the other items kept', async () => {
  const Slide = abstractModel({ caption: String, image: { type: ImageField, storage, uploadTo: 'slides/' } });
  const deckSchema = new mongoose.Schema({ title: String, slides: ArrayField(Slide) });
  deckSchema.plugin(manager);
  const Deck = conn.model('Deck', deckSchema);
  await ready(Deck);
  const decks = await adminForms(
    new ApiController({ admin: new AdminJS({ resources: [Deck] }) }, {}),
    'Deck',
    'image/gif',
    test.after,
  );
  const res = await decks.post('', {
    title: 'Intro',
    'slides.0.caption': 'one',
    'slides.1.caption': 'two',
    'slides.1.image': [gif, 'two.gif'],
  });
  assert.equal(res.notice?.type, 'success', JSON.stringify(res.record.errors));
  const stored = await Deck.findOne({ title: 'Intro' }).lean();
  const slides = stored?.['slides'] as { caption?: string; image?: string }[];
  assert.deepEqual(
    slides.map((slide) => slide.caption),
    ['one', 'two'],
  );
  assert.equal(slides[0]?.image ?? null, null);
  assert.match(String(slides[1]?.image), /^slides\/two(_\w+)?\.gif$/);

  // Saved again as the edit form sends it: the item's stored name comes back as text.
  const again = await decks.post(String(stored?._id), {
    title: 'Intro',
    'slides.0.caption': 'ONE',
    'slides.1.caption': 'two',
    'slides.1.image': String(slides[1]?.image),
  });
  assert.equal(again.notice?.type, 'success', JSON.stringify(again.record.errors));
  const edited = (await Deck.findOne({ title: 'Intro' }).lean())?.['slides'] as { caption?: string; image?: string }[];
  assert.deepEqual(
    edited.map((slide) => [slide.caption, slide.image ?? null]),
    [
      ['ONE', null],
      ['two', slides[1]?.image],
    ],
  );
});
