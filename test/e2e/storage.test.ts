// GridFSStorage against a real server, in both layouts (flat, djongo's
// bucket per directory): Django's Storage API, names and directories, ranges,
// typed errors, no orphans when a source fails, and concurrent saves of one
// name under the unique index.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import {
  FileNotFound,
  GridFSStorage,
  ImproperlyConfigured,
  InvalidRange,
  SuspiciousFileOperation,
} from '../../storage/index.js';
import { NAME_INDEX } from '../../storage/bucket.js';
import type { GridFSLayout } from '../../storage/layout.js';
import { BOTH_LAYOUTS, rawPlace, storedCounts } from '../helpers/storage-layouts.js';
import { openTestDatabase, server } from '../helpers/server.js';
import {
  failingStream,
  patternHash,
  patternStream,
  readAll,
  sha256,
  SourceFailed,
} from '../helpers/storage-sources.js';
import { SUSPICIOUS_NAMES } from '../helpers/storage-names.js';

const conn = await openTestDatabase(import.meta.url);
let buckets = 0;
const bucketCounts = storedCounts;

for (const layout of BOTH_LAYOUTS) describeLayout(layout);

function describeLayout(layout: GridFSLayout): void {
  /** A storage on a bucket of its own, so that tests do not see each other's files. */
  const fresh = (extra: { location?: string; baseUrl?: string } = {}): GridFSStorage =>
    new GridFSStorage({ collection: `files${++buckets}`, connection: conn, layout, ...extra });

  describe(`GridFSStorage, ${layout} layout, on ${server.name}`, () => {
    test('save, open, exists, size, stat and delete, as Django storages do', async () => {
      const storage = fresh();
      const name = await storage.save('docs/hello.txt', 'hello, world');
      assert.equal(name, 'docs/hello.txt');
      assert.equal(await storage.exists('docs/hello.txt'), true);
      assert.equal(await storage.size(name), 12);
      assert.equal((await readAll(await storage.open(name))).toString(), 'hello, world');
      const stat = await storage.stat(name);
      assert.equal(stat.contentType, 'text/plain; charset=utf-8');
      assert.equal(stat.size, 12);
      assert.ok(stat.createdTime instanceof Date && Date.now() - stat.createdTime.getTime() < 60_000);
      assert.deepEqual(await storage.createdTime(name), stat.createdTime);
      assert.deepEqual(await storage.modifiedTime(name), stat.createdTime);
      await storage.delete(name);
      assert.equal(await storage.exists(name), false);
      await storage.delete(name); // missing: a no-op
      assert.deepEqual(await bucketCounts(storage), { files: 0, chunks: 0 });
    });

    test('content may be a Buffer, a string or a Readable; contentType goes to metadata', async () => {
      const storage = fresh();
      const a = await storage.save('a.bin', Buffer.from([1, 2, 3]), { contentType: 'application/x-test' });
      const b = await storage.save('b.bin', patternStream(700_000));
      assert.deepEqual([...(await readAll(await storage.open(a)))], [1, 2, 3]);
      assert.equal(await sha256(await storage.open(b)), await patternHash(700_000));
      const { files } = await storage.bucket(); // top-level files are stored alike in both layouts
      const raw = await files.findOne({ filename: 'a.bin' });
      assert.equal(raw?.metadata?.['contentType'], 'application/x-test');
      assert.equal(
        (raw as Record<string, unknown> | null)?.['contentType'],
        undefined,
        'not the removed top-level field',
      );
    });

    test('a taken name gets a unique suffix before the extension, as get_available_name', async () => {
      const storage = fresh();
      assert.equal(await storage.save('x/photo.tar.gz', 'one'), 'x/photo.tar.gz');
      const second = await storage.save('x/photo.tar.gz', 'two');
      assert.match(second, /^x\/photo_[A-Za-z0-9]{7}\.tar\.gz$/);
      assert.equal((await readAll(await storage.open('x/photo.tar.gz'))).toString(), 'one');
      assert.equal((await readAll(await storage.open(second))).toString(), 'two');
      assert.match(await storage.getAvailableName('x/photo.tar.gz'), /^x\/photo_\w{7}\.tar\.gz$/);
    });

    test('open() reads a range, end exclusive, across chunk boundaries', async () => {
      const storage = fresh();
      const whole = await readAll(patternStream(600_000));
      const name = await storage.save('r.bin', whole);
      const part = await readAll(await storage.open(name, { start: 261_000, end: 523_000 }));
      assert.ok(part.equals(whole.subarray(261_000, 523_000)));
      assert.equal((await readAll(await storage.open(name, { start: 5, end: 5 }))).length, 0);
      await assert.rejects(storage.open(name, { start: 10, end: 600_001 }), InvalidRange);
      await assert.rejects(storage.open(name, { start: 10, end: 9 }), InvalidRange);
    });

    test('missing files raise FileNotFound naming the file', async () => {
      const storage = fresh();
      // One call at a time: calls made together could reject before their
      // turn to be awaited, an unhandled rejection that fails the test.
      const calls = [
        () => storage.open('no/such.png'),
        () => storage.size('no/such.png'),
        () => storage.stat('no/such.png'),
      ];
      for (const call of calls) {
        await assert.rejects(call, (err: unknown) => {
          assert.ok(err instanceof FileNotFound);
          assert.equal(err.fileName, 'no/such.png');
          const bucket = layout === 'flat' ? 'files\\d+' : 'files\\d+\\.no';
          assert.match(err.message, new RegExp(`"no/such\\.png" does not exist in the GridFS bucket "${bucket}"`));
          return true;
        });
      }
      assert.equal(await storage.exists('no/such.png'), false);
    });

    test('url() is baseUrl and the URL-encoded name', () => {
      const storage = fresh({ baseUrl: 'https://cdn.example.com/media/' });
      assert.equal(storage.url('a b/c?#%.png'), 'https://cdn.example.com/media/a%20b/c%3F%23%25.png');
      assert.equal(storage.url('é/ü.png'), 'https://cdn.example.com/media/%C3%A9/%C3%BC.png');
      assert.throws(() => fresh().url('a.png'), ImproperlyConfigured);
    });

    test('listdir() gives the directories and files directly inside, from the name index', async () => {
      const storage = fresh();
      for (const name of [
        'top.txt',
        'avatars/default.png',
        'avatars/2026/01/a.png',
        'avatars/2026/02/b.png',
        'avatars/2025/12/c.png',
        'avatars-old/x.png',
        'avatars.txt',
        'avatars/z.png',
        'avatars/é.png',
      ]) {
        await storage.save(name, 'x');
      }
      assert.deepEqual(await storage.listdir(''), {
        directories: ['avatars', 'avatars-old'],
        files: ['avatars.txt', 'top.txt'],
      });
      assert.deepEqual(await storage.listdir('avatars'), {
        directories: ['2025', '2026'],
        files: ['default.png', 'z.png', 'é.png'],
      });
      assert.deepEqual(await storage.listdir('avatars/2026/'), { directories: ['01', '02'], files: [] });
      assert.deepEqual(await storage.listdir('nothing'), { directories: [], files: [] });
      for (const name of ['top.txt', 'avatars/2026/01/a.png']) {
        const { files } = await rawPlace(storage, name);
        const indexes = await files.listIndexes().toArray();
        assert.ok(
          indexes.some((i) => i.name === NAME_INDEX && i['unique'] === true),
          `the unique index on filename exists in the bucket of ${name}`,
        );
      }
    });

    test('location confines names: they are stored under it and listed relative to it', async () => {
      const storage = fresh({ location: 'media/site1' });
      const name = await storage.save('avatars/me.png', 'x');
      assert.equal(name, 'avatars/me.png');
      const { db } = await storage.bucket();
      const [bucket, filename] =
        layout === 'flat'
          ? [storage.collection, 'media/site1/avatars/me.png']
          : [`${storage.collection}.media.site1.avatars`, 'me.png'];
      assert.ok(await db.collection(`${bucket}.files`).findOne({ filename }));
      assert.deepEqual(await storage.listdir(), { directories: ['avatars'], files: [] });
      await assert.rejects(storage.save('../site2/evil.png', 'x'), SuspiciousFileOperation);
    });

    test('suspicious names are rejected before anything is written (the whole catalogue)', async () => {
      const storage = fresh();
      for (const { name } of SUSPICIOUS_NAMES) {
        await assert.rejects(storage.save(name, 'x'), SuspiciousFileOperation, `save(${JSON.stringify(name)})`);
        await assert.rejects(storage.open(name), SuspiciousFileOperation, `open(${JSON.stringify(name)})`);
        await assert.rejects(storage.delete(name), SuspiciousFileOperation, `delete(${JSON.stringify(name)})`);
      }
      assert.deepEqual(await bucketCounts(storage), { files: 0, chunks: 0 });
    });

    test('harmless redundancy in a name is cleaned, as normpath would', async () => {
      const storage = fresh();
      assert.equal(await storage.save('./a//b/./c.txt', 'x'), 'a/b/c.txt');
      assert.equal(await storage.exists('a/b/c.txt'), true);
    });

    test('R3: a source that fails after a few chunks leaves no chunks and no files document', async () => {
      const storage = fresh();
      await storage.save('keep.txt', 'kept'); // the bucket exists, and one file in it stays
      await assert.rejects(storage.save('broken.bin', failingStream(5)), SourceFailed);
      await assert.rejects(storage.save('broken.bin', failingStream(0)), SourceFailed);
      assert.deepEqual(await bucketCounts(storage), { files: 1, chunks: 1 });
      assert.equal(await storage.exists('broken.bin'), false);
    });

    test('concurrent saves of one name all succeed with distinct names, under the unique index', async () => {
      const storage = fresh();
      const names = await Promise.all(
        Array.from({ length: 8 }, (_, i) => storage.save('race/same.txt', patternStream(300_000 + i))),
      );
      assert.equal(new Set(names).size, 8);
      assert.ok(names.includes('race/same.txt'));
      for (const [i, name] of names.entries()) assert.equal(await storage.size(name), 300_000 + i);
      const { files, filename } = await rawPlace(storage, 'race/same.txt');
      await assert.rejects(
        files.insertOne({
          _id: new mongoose.Types.ObjectId(),
          filename,
          length: 0,
          chunkSize: 1,
          uploadDate: new Date(),
        }),
        (err: unknown) => (err as { code?: number }).code === 11000,
        'the server enforces the unique index',
      );
      const chunkCount = (await bucketCounts(storage)).chunks;
      assert.equal(chunkCount, names.length * 2, 'each 300 kB file is two chunks; nothing orphaned');
    });
  });
}
