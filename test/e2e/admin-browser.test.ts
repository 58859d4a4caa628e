// The admin example in a real browser (Debian's chromium, headless, through
// playwright-core): every action a Django admin user takes, each followed by
// a read of the database to check what was stored. Screenshots of each page
// go to test-output/admin-screenshots/<server>/ (CI keeps test-output/);
// with DJONGOOSE_UPDATE_DOCS=1 (`npm run docs:screenshots`, on FerretDB) the
// README's pictures are also written to docs/admin-*.png, from pages whose
// content the test fixes (seeded data, a fixed id, a fixed viewport).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { gradientPng } from '../../examples/avatars/png.js';
import { launchChromium, screenshotDir, startAdminExample, type RunningAdmin } from '../helpers/admin-example.js';
import { databaseName, server } from '../helpers/server.js';
import { ROOT } from '../harness/paths.js';
import mongoose from 'mongoose';

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const EMAIL = 'tester@example.com';
const UPDATE_DOCS = process.env['DJONGOOSE_UPDATE_DOCS'] === '1';
// AdminJS's sidebar shows the database's name: for the README's pictures, a fixed one.
const dbName = UPDATE_DOCS ? 'blog' : databaseName(import.meta.url);
const shots = screenshotDir(server.kind);
let shot = 0;

let admin: RunningAdmin;
let browser: Browser;
let page: Page;
let db: mongoose.mongo.Db;
let conn: mongoose.Connection;

before(async () => {
  const started = performance.now();
  // A fresh bundle directory: the first bundle, as from a clean clone.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'djongoose-adminjs-'));
  conn = await mongoose.createConnection(server.uri, { dbName }).asPromise();
  db = conn.db!;
  // The fixed name may hold an interrupted run's data, which the seed would keep.
  if (UPDATE_DOCS) await db.dropDatabase();
  [admin, browser] = await Promise.all([
    startAdminExample(server.uri, dbName, { ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD, ADMIN_JS_TMP_DIR: tmp }),
    launchChromium(),
  ]);
  console.log(`admin example ready in ${Math.round(performance.now() - started)} ms; ${admin.stderr().trim()}`);
  console.log(`screenshots: ${shots}`);
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(20_000);
  // Offline, as CI is: AdminJS's web font from Google is not fetched.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
});

after(async () => {
  await browser?.close();
  await admin?.stop();
  await conn?.dropDatabase().catch(() => undefined);
  await conn?.close();
});

/** A screenshot of the page; `docs` names the README picture (docs/admin-<docs>.png) it also is. */
async function screenshot(name: string, docs?: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: path.join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  if (docs && UPDATE_DOCS) {
    // The viewport only, the pointer out of the way: the same picture on every run.
    await page.mouse.move(page.viewportSize()!.width - 1, page.viewportSize()!.height - 1);
    await page.screenshot({ path: path.join(ROOT, 'docs', `admin-${docs}.png`), animations: 'disabled' });
  }
}

const entries = () => db.collection('entries');
const authors = () => db.collection('authors');

// The page's globals, for functions that run in the browser (this file is type-checked without the DOM lib).
interface BrowserGlobals {
  document: { querySelector(selector: string): { value?: string; naturalWidth?: number } | null };
}

/** Waits for AdminJS's notice after a save or a delete, and checks it says success. */
async function saved(): Promise<void> {
  const notice = page.getByTestId('notice-wrapper').first();
  await notice.waitFor();
  assert.match(await notice.innerText(), /^Successfully/);
}

/**
 * Types into a form field and leaves it. AdminJS's text inputs hand their
 * value to the form on blur, and an array item is re-rendered (a new
 * element) when its value changes, so the next field of the same item is
 * filled only once that has happened.
 */
async function fill(name: string, value: string): Promise<void> {
  const input = page.locator(`[name="${name}"]`);
  await input.fill(value);
  await input.blur();
  await page.waitForFunction(
    ([n, v]) => (globalThis as unknown as BrowserGlobals).document.querySelector(`[name="${n}"]`)?.value === v,
    [name, value],
  );
}

test('the example prints exactly one line on stdout: its address', () => {
  assert.deepEqual(admin.stdout, [`Admin ready at ${admin.url}`]);
});

test('log in: a wrong password is refused without echoing it, the right one opens the dashboard', async () => {
  await page.goto(`${admin.url}/login`);
  assert.match(await page.locator('body').innerText(), /for local use only/);
  await screenshot('login');
  await page.fill('input[name=email]', EMAIL);
  await page.fill('input[name=password]', `${PASSWORD}-wrong`);
  await page.click('button:has-text("Login")');
  await page.waitForURL(/\/admin\/login/);
  const refused = await page.content();
  assert.ok(!refused.includes(PASSWORD), 'the login page echoed the password');
  await page.fill('input[name=email]', EMAIL);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button:has-text("Login")');
  await page.waitForURL((url) => url.pathname === '/admin' || url.pathname === '/admin/');
  await screenshot('dashboard');
  assert.ok(!admin.stderr().includes(PASSWORD), 'the password reached the server log');
});

test('list entries: the rows are the collection, newest id first (ordering -id)', async () => {
  await page.goto(`${admin.url}/resources/Entry`);
  await page.getByText('Paint It Black').waitFor();
  await screenshot('entries-list');
  const rows = await page.locator('tbody tr').allInnerTexts();
  const stored = await entries().find().sort({ id: -1 }).toArray();
  assert.equal(rows.length, stored.length);
  stored.forEach((doc, i) => {
    assert.match(rows[i]!, new RegExp(String(doc['headline'])));
    // listDisplay's blog.name: the embedded document's field in its own column.
    assert.match(rows[i]!, new RegExp(String((doc['blog'] as { name: string }).name)));
  });
});

test("show pages: an entry's embedded blog and an author's list of comments, field by field", async () => {
  const entry = await entries().findOne({ headline: 'Paint It Black' });
  await page.goto(`${admin.url}/resources/Entry/records/${String(entry?.['_id'])}/show`);
  await page.getByText('Paint It Black').first().waitFor();
  const shown = await page.locator('section, main').first().innerText();
  const blog = entry?.['blog'] as { name: string; tagline: string };
  assert.match(shown, new RegExp(blog.name));
  assert.match(shown, new RegExp(blog.tagline));
  await screenshot('entry-show');

  const ann = await authors().findOne({ name: 'Ann' });
  await page.goto(`${admin.url}/resources/Author/records/${String(ann?.['_id'])}/show`);
  await page.getByText('Ann').first().waitFor();
  const author = await page.locator('section, main').first().innerText();
  for (const comment of ann?.['comments'] as { author: string; text: string }[]) {
    assert.ok(
      author.includes(comment.author) && author.includes(comment.text),
      `${comment.text} not shown:\n${author}`,
    );
  }
  await screenshot('author-show');
});

test('filter by blog.name: only the matching entries are listed', async () => {
  await page.goto(`${admin.url}/resources/Entry`);
  await page.locator('[data-css="Entry-filter-button"]').click();
  await page.locator('[name="filter-blog.name"]').fill('stones');
  await screenshot('entries-filter-drawer');
  await page.locator('[data-css="Entry-filter-drawer-button-apply"]').click();
  await page.waitForURL(/filters\.blog\.name=stones/);
  await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
  await screenshot('entries-filtered');
  const rows = await page.locator('tbody tr').allInnerTexts();
  const stored = await entries()
    .find({ 'blog.name': { $regex: 'stones', $options: 'i' } })
    .toArray();
  assert.equal(stored.length, 1);
  assert.equal(rows.length, 1);
  assert.match(rows[0]!, /Paint It Black/);
});

async function entryId(headline: string): Promise<string> {
  const doc = await entries().findOne({ headline });
  assert.ok(doc, `no entry ${headline}`);
  return String(doc['_id']);
}

test('edit the embedded blog name and save: the subdocument is updated in place', async () => {
  const id = await entryId('Paint It Black');
  await page.goto(`${admin.url}/resources/Entry/records/${id}/edit`);
  await fill('blog.name', 'Stones Monthly');
  await screenshot('entry-edit');
  await page.getByTestId('button-save').click();
  await saved();
  await screenshot('entry-saved');
  const doc = await entries().findOne({ headline: 'Paint It Black' });
  assert.deepEqual(doc?.['blog'], { name: 'Stones Monthly', tagline: 'Rolling news.' });
});

async function authorPage(name: string, action: 'edit' | 'show'): Promise<void> {
  const doc = await authors().findOne({ name });
  assert.ok(doc, `no author ${name}`);
  await page.goto(`${admin.url}/resources/Author/records/${String(doc['_id'])}/${action}`);
}

test('add a comment, then remove one: the array of embedded documents is saved', async () => {
  await authorPage('Ann', 'edit');
  await page.getByTestId('comments-add').click();
  await fill('comments.2.author', 'zoe');
  await fill('comments.2.text', 'First!');
  await screenshot('author-comment-added');
  await page.getByTestId('button-save').click();
  await saved();
  let doc = await authors().findOne({ name: 'Ann' });
  assert.deepEqual(
    (doc?.['comments'] as { author: string; text: string }[]).map((c) => [c.author, c.text]),
    [
      ['bob', 'Great post!'],
      ['eve', 'Needs more Ringo.'],
      ['zoe', 'First!'],
    ],
  );

  await authorPage('Ann', 'edit');
  await page.getByTestId('comments.1').getByTestId('delete-item').click();
  await screenshot('author-comment-removed');
  await page.getByTestId('button-save').click();
  await saved();
  doc = await authors().findOne({ name: 'Ann' });
  assert.deepEqual(
    (doc?.['comments'] as { author: string }[]).map((c) => c.author),
    ['bob', 'zoe'],
  );
});

test('upload an avatar: stored in GridFS through the ImageField, its thumbnail shown', async () => {
  await authorPage('Bob', 'edit');
  await page.getByTestId('upload-avatar').setInputFiles({
    name: 'bob face.png',
    mimeType: 'image/png',
    buffer: gradientPng(64, 48),
  });
  await page.getByTestId('button-save').click();
  await saved();
  const doc = await authors().findOne({ name: 'Bob' });
  assert.match(String(doc?.['avatar']), /^avatars\/bob_face(_\w+)?\.png$/);
  assert.equal(doc?.['avatarWidth'], 64);
  assert.equal(doc?.['avatarHeight'], 48);
  assert.equal(await db.collection('avatars.files').countDocuments({ filename: doc?.['avatar'] }), 1);

  await authorPage('Bob', 'show');
  const thumb = page.getByTestId('thumbnail-avatar');
  await thumb.waitFor();
  // Loaded, not just in the page: storage.serve() answered with the PNG.
  await page.waitForFunction(
    () =>
      (globalThis as unknown as BrowserGlobals).document.querySelector('[data-testid="thumbnail-avatar"]')
        ?.naturalWidth === 64,
  );
  await screenshot('author-avatar');
  await page.goto(`${admin.url}/resources/Author`);
  await page.getByTestId('thumbnail-avatar').first().waitFor();
  await screenshot('authors-list', 'authors');
});

test('an upload that is not an image is refused on the avatar field, and nothing is stored', async () => {
  const files = await db.collection('avatars.files').countDocuments();
  await authorPage('Ann', 'edit');
  await page.getByTestId('upload-avatar').setInputFiles({
    name: 'evil.png',
    mimeType: 'image/png',
    buffer: Buffer.from('not a picture at all'),
  });
  await page.getByTestId('button-save').click();
  const notice = page.getByTestId('notice-wrapper').first();
  await notice.waitFor();
  assert.doesNotMatch(await notice.innerText(), /^Successfully/);
  const fieldMessage = await page.getByTestId('property-edit-avatar').innerText();
  assert.match(fieldMessage, /image/i, fieldMessage);
  await screenshot('author-avatar-refused');
  assert.equal((await authors().findOne({ name: 'Ann' }))?.['avatar'] ?? null, null);
  assert.equal(await db.collection('avatars.files').countDocuments(), files);
});

test('create an entry: it gets the next id from __schema__, shown on its page', async () => {
  const before = await db.collection('__schema__').findOne({ name: 'entries' });
  const next = Number((before?.['auto'] as { seq: number }).seq) + 1;
  await page.goto(`${admin.url}/resources/Entry/actions/new`);
  await fill('headline', 'Let It Be');
  await fill('blog.name', 'Beatles Blog');
  await fill('blog.tagline', 'All the latest Beatles news.');
  await screenshot('entry-new');
  await page.getByTestId('button-save').click();
  await saved();
  const doc = await entries().findOne({ headline: 'Let It Be' });
  assert.equal(doc?.['id'], next);
  assert.deepEqual(doc?.['blog'], { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' });
  await page.goto(`${admin.url}/resources/Entry/records/${String(doc?.['_id'])}/show`);
  await page.getByText('Let It Be').first().waitFor();
  assert.match(await page.locator('section, main').first().innerText(), new RegExp(`\\b${next}\\b`));
  await screenshot('entry-created');
});

test('delete with confirmation: the entry is gone after confirming, not before', async () => {
  const id = await entryId('Hey Jude');
  await page.goto(`${admin.url}/resources/Entry/records/${id}/show`);
  await page.getByTestId('action-delete').first().click();
  const confirm = page.getByRole('button', { name: /^confirm$/i });
  await confirm.waitFor();
  await screenshot('entry-delete-confirm');
  assert.equal(await entries().countDocuments({ headline: 'Hey Jude' }), 1, 'deleted before confirming');
  await confirm.click();
  await saved();
  await screenshot('entry-deleted');
  assert.equal(await entries().countDocuments({ headline: 'Hey Jude' }), 0);
});

test('a validation error is shown on the field that caused it, and nothing is written', async () => {
  const count = await authors().countDocuments();
  await page.goto(`${admin.url}/resources/Author/actions/new`);
  await fill('name', 'x'.repeat(101));
  await page.getByTestId('button-save').click();
  // On the form, under the field: not only in the notice at the top.
  await page
    .getByTestId('property-edit-name')
    .getByText(/maximum allowed length \(100\)/)
    .waitFor();
  await screenshot('author-validation-error');
  assert.equal(await authors().countDocuments(), count);
});

test('the JSON editor: JSON text is stored as its value; text that is not JSON gets a field error, nothing written', async () => {
  await authorPage('Ann', 'edit');
  await page.getByTestId('json-settings').fill('{"theme": "light", "shortcuts": [1, 2]}');
  await page.getByTestId('button-save').click();
  await saved();
  assert.deepEqual((await authors().findOne({ name: 'Ann' }))?.['settings'], { theme: 'light', shortcuts: [1, 2] });

  await authorPage('Ann', 'edit');
  await page.getByTestId('json-settings').fill('{"theme": light}');
  await page.getByTestId('button-save').click();
  // The server's refusal (the form's own hint says "Not valid JSON:" before any save).
  const notice = page.getByTestId('notice-wrapper').first();
  await notice.waitFor();
  assert.doesNotMatch(await notice.innerText(), /^Successfully/);
  await page
    .getByTestId('property-edit-settings')
    .getByText(/Not valid JSON \(/)
    .waitFor();
  await screenshot('author-json-error');
  assert.deepEqual((await authors().findOne({ name: 'Ann' }))?.['settings'], { theme: 'light', shortcuts: [1, 2] });
});

test('a drifted document in strict mode: the list shows the others and marks it; its page shows the MigrationError', async () => {
  // Written by another program: no email, and a field the Reader model does not have. A fixed id, for the README's picture.
  const _id = new mongoose.Types.ObjectId('64d1f7a00000000000000d01');
  await db.collection('readers').insertOne({ _id, name: 'Mallory', mail: 'mallory@example.com' });
  await page.goto(`${admin.url}/resources/Reader`);
  await page.getByText('Mallory').waitFor();
  await screenshot('readers-drifted-list');
  const rows = await page.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.deepEqual(
    rows.map((row) => /Carol|Dave|Mallory/.exec(row)?.[0]),
    ['Carol', 'Dave', 'Mallory'],
  );
  const badges = page.getByTestId('migration-error-badge');
  assert.equal(await badges.count(), 1);
  assert.match(await page.locator('tbody tr', { hasText: 'Mallory' }).innerText(), /drifted/);

  await page.goto(`${admin.url}/resources/Reader/records/${String(_id)}/show`);
  const shown = page.getByTestId('migration-error');
  await shown.waitFor();
  const message = await shown.innerText();
  assert.match(message, /^Reader 64d1f7a00000000000000d01: the document lacks email; unknown fields: mail\./);
  assert.match(message, /ENFORCE_SCHEMA is strict/);
  assert.match(await page.locator('section, main').first().innerText(), /Mallory/);
  await screenshot('reader-drifted', 'drifted');

  // A reader that matches the model has no such box.
  const carol = await db.collection('readers').findOne({ name: 'Carol' });
  await page.goto(`${admin.url}/resources/Reader/records/${String(carol?.['_id'])}/show`);
  await page.getByText('carol@example.com').waitFor();
  assert.equal(await page.getByTestId('migration-error').count(), 0);
  assert.doesNotMatch(admin.stderr(), /MigrationError/);
});
