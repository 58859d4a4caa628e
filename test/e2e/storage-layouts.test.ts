// djongo's GridFS layout against a real server: where files land (a bucket
// per directory), listdir over sub-buckets, names that would forge a bucket
// refused with nothing made, and `layout: 'auto'` reading what the database
// holds. The rest of the Storage API runs on both layouts in storage.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { GridFSStorage, ImproperlyConfigured, SuspiciousFileOperation } from '../../storage/index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { BUCKET_SUFFIX_NAMES } from '../helpers/storage-names.js';

const conn = await openTestDatabase(import.meta.url);
const collections = async (c = conn): Promise<string[]> =>
  (await c.db!.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name).sort();

describe(`djongo's GridFS layout on ${server.name}`, () => {
  test("docs/report.txt is stored as report.txt in the bucket myfiles.docs, as djongo's GridFSStorage stores it", async () => {
    const storage = new GridFSStorage({ collection: 'placed', connection: conn, layout: 'djongo' });
    assert.equal(await storage.save('docs/report.txt', 'in docs'), 'docs/report.txt');
    assert.equal(await storage.save('top.txt', 'at the top'), 'top.txt');
    const db = conn.db!;
    const inDocs = await db.collection('placed.docs.files').find({}).toArray();
    assert.deepEqual(
      inDocs.map((doc) => doc['filename']),
      ['report.txt'],
    );
    assert.deepEqual(
      (await db.collection('placed.files').find({}).toArray()).map((doc) => doc['filename']),
      ['top.txt'],
    );
    assert.equal(await db.collection('placed.docs.chunks').countDocuments({ files_id: inDocs[0]!['_id'] }), 1);
    assert.equal(await text(await storage.open('docs/report.txt')), 'in docs');
    assert.equal(await storage.exists('report.txt'), false, 'not at the top level');
    const again = await storage.save('docs/report.txt', 'twice');
    assert.match(again, /^docs\/report_[A-Za-z0-9]{7}\.txt$/);
    assert.equal((await storage.stat(again)).name, again);
  });

  test('listdir lists the sub-buckets as directories (direct children only) and the bucket’s files', async () => {
    const storage = new GridFSStorage({ collection: 'tree', connection: conn, layout: 'djongo' });
    for (const name of ['a.txt', 'docs/r.txt', 'docs/2026/01/x.txt', 'docs/2025/y.txt', 'img/z.png', 'img/é/w.png']) {
      await storage.save(name, 'x');
    }
    // A bucket that merely starts with the same name is another storage's.
    await new GridFSStorage({ collection: 'tree2', connection: conn, layout: 'djongo' }).save('other/o.txt', 'x');
    assert.deepEqual(await storage.listdir(), { directories: ['docs', 'img'], files: ['a.txt'] });
    assert.deepEqual(await storage.listdir('docs/'), { directories: ['2025', '2026'], files: ['r.txt'] });
    assert.deepEqual(await storage.listdir('docs/2026'), { directories: ['01'], files: [] });
    assert.deepEqual(await storage.listdir('img'), { directories: ['é'], files: ['z.png'] });
    assert.deepEqual(await storage.listdir('nothing'), { directories: [], files: [] });
    await assert.rejects(storage.listdir('a.files'), SuspiciousFileOperation);
  });

  test('names that would forge a bucket are refused and make no collection; the flat layout stores them', async () => {
    const storage = new GridFSStorage({ collection: 'forge', connection: conn, layout: 'djongo' });
    await storage.save('ok/x.txt', 'x');
    const before = await collections();
    for (const { name } of BUCKET_SUFFIX_NAMES) {
      for (const call of [() => storage.save(name, 'x'), () => storage.open(name), () => storage.exists(name)]) {
        await assert.rejects(call, SuspiciousFileOperation, name);
      }
    }
    const deep = `${'d'.repeat(120)}/${'e'.repeat(120)}/x.txt`;
    await assert.rejects(storage.save(deep, 'x'), /at most 255/);
    assert.deepEqual(await collections(), before, 'no collection was made');
    const flat = new GridFSStorage({ collection: 'forge_flat', connection: conn, layout: 'flat' });
    assert.equal(await flat.save('a.files/x.txt', 'x'), 'a.files/x.txt');
    assert.equal(await flat.save(deep, 'x'), deep, 'one bucket: the path is only a file name');
  });
});

describe(`layout: 'auto' on ${server.name}`, () => {
  test('a new database gets the flat layout', async () => {
    const fresh = await openTestDatabase(import.meta.url);
    const storage = new GridFSStorage({ collection: 'myfiles', connection: fresh });
    assert.equal(await storage.layout(), 'flat');
    await storage.save('docs/a.txt', 'x');
    assert.equal(await fresh.db!.collection('myfiles.files').countDocuments({ filename: 'docs/a.txt' }), 1);
  });

  test("a database Django migrated (django_migrations) gets djongo's layout, so djongo reads what Node writes", async () => {
    const django = await openTestDatabase(import.meta.url);
    await django.db!.collection('django_migrations').insertOne({ id: 1, app: 'blog', name: '0001_initial' });
    const storage = new GridFSStorage({ collection: 'myfiles', connection: django });
    assert.equal(await storage.layout(), 'djongo');
    await storage.save('docs/a.txt', 'x');
    assert.equal(await django.db!.collection('myfiles.docs.files').countDocuments({ filename: 'a.txt' }), 1);
  });

  test('the files already stored decide: sub-buckets are djongo’s, paths in the bucket flat; both is an error', async () => {
    const db = await openTestDatabase(import.meta.url);
    await new GridFSStorage({ collection: 'subs', connection: db, layout: 'djongo' }).save('d/x.txt', 'x');
    await new GridFSStorage({ collection: 'paths', connection: db, layout: 'flat' }).save('d/x.txt', 'x');
    await db.db!.collection('django_migrations').insertOne({ id: 1 }); // outweighed by the files
    assert.equal(await new GridFSStorage({ collection: 'subs', connection: db }).layout(), 'djongo');
    assert.equal(await new GridFSStorage({ collection: 'paths', connection: db }).layout(), 'flat');
    const paths = new GridFSStorage({ collection: 'paths', connection: db });
    assert.equal(await text(await paths.open('d/x.txt')), 'x');
    await new GridFSStorage({ collection: 'paths', connection: db, layout: 'djongo' }).save('e/y.txt', 'y');
    await assert.rejects(
      new GridFSStorage({ collection: 'paths', connection: db }).exists('d/x.txt'),
      (err: unknown) =>
        err instanceof ImproperlyConfigured &&
        /both layouts/.test(err.message) &&
        /djongoose gridfs-layout/.test(err.message),
    );
  });
});
