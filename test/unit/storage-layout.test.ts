// Where names go in each GridFS layout, no server: djongo's bucket per
// directory and the flat layout, the inverse mapping, the names djongo's
// layout must refuse, and a property that no name, however hostile, maps
// outside the storage's own buckets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { GridFSStorage, ImproperlyConfigured, SuspiciousFileOperation, cleanPath } from '../../storage/index.js';
import { checkNamespace, directoryBucket, nameOf, placeOf, type GridFSLayout } from '../../storage/layout.js';
import { subBuckets } from '../../storage/layout-detect.js';
import { BUCKET_SUFFIX_NAMES, SUSPICIOUS_NAMES } from '../helpers/storage-names.js';

const LAYOUTS: readonly GridFSLayout[] = ['flat', 'djongo'];

describe('GridFS layouts', () => {
  test("djongo's layout: the directory is a bucket suffix, the base name the filename (djongo's _get_gridfs)", () => {
    assert.deepEqual(placeOf('djongo', 'myfiles', '', 'docs/report.txt'), {
      bucket: 'myfiles.docs',
      filename: 'report.txt',
    });
    assert.deepEqual(placeOf('djongo', 'myfiles', '', 'report.txt'), { bucket: 'myfiles', filename: 'report.txt' });
    assert.deepEqual(placeOf('djongo', 'myfiles', 'media', 'a/b/c.tar.gz'), {
      bucket: 'myfiles.media.a.b',
      filename: 'c.tar.gz',
    });
    assert.deepEqual(placeOf('flat', 'myfiles', 'media', 'a/b/c.tar.gz'), {
      bucket: 'myfiles',
      filename: 'media/a/b/c.tar.gz',
    });
    assert.equal(directoryBucket('myfiles', '', ''), 'myfiles');
    assert.equal(directoryBucket('myfiles', 'media', 'docs/2026/'), 'myfiles.media.docs.2026');
  });

  test('nameOf is the inverse of placeOf, with and without a location', () => {
    for (const layout of LAYOUTS) {
      for (const location of ['', 'media', 'media/site1']) {
        for (const name of ['a.txt', 'docs/report.txt', 'x/y/z/photo.tar.gz', 'é/ü.png']) {
          const place = placeOf(layout, 'myfiles', location, name);
          assert.equal(nameOf(layout, 'myfiles', location, place), name, `${layout} ${location} ${name}`);
        }
      }
    }
  });

  test('the suspicious-name catalogue is refused in both layouts', () => {
    for (const layout of LAYOUTS) {
      for (const { name, why } of SUSPICIOUS_NAMES) {
        assert.throws(() => placeOf(layout, 'myfiles', '', name), SuspiciousFileOperation, `${layout}: ${why}`);
      }
    }
  });

  test("names that would forge a bucket are refused in djongo's layout and stay names in the flat one", () => {
    for (const { name, why } of BUCKET_SUFFIX_NAMES) {
      assert.throws(
        () => placeOf('djongo', 'myfiles', '', name),
        (err: unknown) =>
          err instanceof SuspiciousFileOperation &&
          err.fileName === name &&
          /bucket suffix|traversal/.test(err.message),
        why,
      );
      if (!name.startsWith('\uff0e')) assert.equal(placeOf('flat', 'myfiles', '', name).bucket, 'myfiles', why);
    }
    assert.throws(() => directoryBucket('myfiles', '', 'a.files'), SuspiciousFileOperation);
    // Dots in the file name itself are the filename's business.
    assert.deepEqual(placeOf('djongo', 'myfiles', '', 'docs/.env.files'), {
      bucket: 'myfiles.docs',
      filename: '.env.files',
    });
  });

  test("MongoDB's namespace limit: a bucket whose chunks collection would pass 255 bytes is refused", () => {
    checkNamespace('blog', `myfiles.${'d'.repeat(200)}`, 'ok');
    assert.throws(
      () => checkNamespace('blog', `myfiles.${'d'.repeat(240)}`, 'long'),
      (err: unknown) => err instanceof SuspiciousFileOperation && /at most 255/.test(err.message),
    );
    assert.throws(
      () => checkNamespace('blog', `myfiles.${'é'.repeat(120)}`, 'bytes, not characters'),
      SuspiciousFileOperation,
    );
  });

  test('property: no name maps outside <collection> or <collection>.<dir>… buckets', () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '',
        'files',
        'chunks',
        'a.files',
        'x.chunks',
        '$cmd',
        'system',
        '\0',
        '\\',
        '\uff0e\uff0e',
      ),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: fc.constantFrom('a', '.', '/', '$', '\\', '\0', 'é', '\uff0e', '\u2025', ' '), maxLength: 8 }),
    );
    const name = fc.array(segment, { maxLength: 6 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.constantFrom('', 'media', 'media/site1'),
        name,
        (layout, location, raw) => {
          let place;
          try {
            place = placeOf(layout, 'myfiles', location, raw);
          } catch (err) {
            assert.ok(err instanceof SuspiciousFileOperation, `only SuspiciousFileOperation, got ${String(err)}`);
            return;
          }
          const { bucket, filename } = place;
          assert.ok(filename !== '' && !filename.includes('\0'));
          if (layout === 'flat') {
            assert.equal(bucket, 'myfiles');
          } else {
            assert.ok(bucket === 'myfiles' || bucket.startsWith('myfiles.'), bucket);
            const suffix = bucket === 'myfiles' ? [] : bucket.slice('myfiles.'.length).split('.');
            for (const part of suffix)
              assert.ok(part !== '' && !/[$\0/\\]/.test(part), `${JSON.stringify(raw)} → ${bucket}`);
            assert.ok(!filename.includes('/'));
            if (location !== '') assert.ok(bucket.startsWith(`myfiles.${location.replace('/', '.')}`));
          }
          assert.equal(nameOf(layout, 'myfiles', location, place), cleanPath(raw), 'the mapping is one to one');
        },
      ),
      { numRuns: 3000, seed: 20261130 },
    );
  });

  test("subBuckets reads djongo's sub-buckets from collection names, not buckets that merely start alike", () => {
    const names = [
      'myfiles.files',
      'myfiles.chunks',
      'myfiles.docs.files',
      'myfiles.docs.chunks',
      'myfiles.a.b.chunks',
      'myfiles2.files',
      'myfiles.notes',
    ];
    assert.deepEqual(subBuckets(names, 'myfiles'), ['myfiles.a.b', 'myfiles.docs']);
    assert.deepEqual(subBuckets(names, 'myfiles.docs'), []);
  });

  test('the layout option: checked, and a location djongo would read as buckets is refused', () => {
    const connection = mongoose.createConnection();
    assert.throws(
      () => new GridFSStorage({ collection: 'myfiles', connection, layout: 'nested' as never }),
      (err: unknown) =>
        err instanceof ImproperlyConfigured && /layout must be one of 'auto', 'djongo', 'flat'/.test(err.message),
    );
    for (const layout of ['auto', 'djongo'] as const) {
      assert.throws(
        () => new GridFSStorage({ collection: 'myfiles', connection, layout, location: 'v1.2' }),
        ImproperlyConfigured,
      );
    }
    assert.equal(
      new GridFSStorage({ collection: 'myfiles', connection, layout: 'flat', location: 'v1.2' }).location,
      'v1.2',
    );
    assert.throws(
      () => new GridFSStorage({ collection: 'myfiles', connection, layout: 'djongo', baseUrl: '/m/' }).url('a.files/x'),
      SuspiciousFileOperation,
    );
  });
});
