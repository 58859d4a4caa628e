// GridFSStorage's pure parts, no server: options, name cleaning and the
// suspicious-name catalogue, Django's valid file names and alternatives,
// uploadTo placeholders, and HTTP conditionals and ranges.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import {
  GridFSStorage,
  ImproperlyConfigured,
  InvalidFileContent,
  SuspiciousFileOperation,
  cleanPath,
  validFileName,
} from '../../storage/index.js';
import { alternativeName, splitName } from '../../storage/names.js';
import { contentChunks } from '../../storage/content.js';
import { checkStrftime, strftime } from '../../storage/strftime.js';
import { notModified, parseRange } from '../../storage/http-ranges.js';
import { SUSPICIOUS_NAMES } from '../helpers/storage-names.js';

describe('GridFSStorage options', () => {
  test('collection is required; baseUrl ends in "/"; unknown keys are named with a suggestion', () => {
    const conn = mongoose.createConnection();
    assert.equal(new GridFSStorage({ collection: 'myfiles', connection: conn }).collection, 'myfiles');
    assert.equal(
      new GridFSStorage({ collection: 'myfiles' }).connection,
      mongoose.connection,
      'the default connection',
    );
    const bad: [unknown, RegExp][] = [
      [{}, /collection is required/],
      [{ collection: '' }, /collection is required/],
      [{ collection: 'a$b' }, /not a valid bucket name/],
      [{ collection: 'f', baseUrl: '/media' }, /baseUrl must be a string that ends in "\/"/],
      [{ collection: 'f', base_url: '/media/' }, /unknown option "base_url".*Did you mean "baseUrl"\?/],
      [{ collection: 'f', locaton: 'x' }, /Did you mean "location"\?/],
      [{ collection: 'f', location: '../up' }, /location "\.\.\/up" is not a relative path/],
      [{ collection: 'f', connection: {} }, /connection must be a Mongoose Connection/],
      [{ collection: 'f', chunkSizeBytes: 0 }, /chunkSizeBytes/],
      [null, /expected an options object/],
    ];
    for (const [options, message] of bad) {
      assert.throws(
        () => new GridFSStorage(options as never),
        (err: unknown) => {
          assert.ok(err instanceof ImproperlyConfigured, String(err));
          assert.match(err.message, message);
          return true;
        },
      );
    }
  });

  test('location is cleaned', () => {
    assert.equal(new GridFSStorage({ collection: 'f', location: './media//site/' }).location, 'media/site');
  });
});

describe('names', () => {
  test('every name of the catalogue raises SuspiciousFileOperation naming it', () => {
    for (const { name, why } of SUSPICIOUS_NAMES) {
      assert.throws(
        () => cleanPath(name),
        (err: unknown) => err instanceof SuspiciousFileOperation && err.fileName === name,
        `${why}: ${JSON.stringify(name)}`,
      );
    }
  });

  test('harmless redundancy is cleaned; Unicode is kept (NFC)', () => {
    assert.equal(cleanPath('./a//b/./c.txt'), 'a/b/c.txt');
    assert.equal(cleanPath('a/b/'), 'a/b');
    assert.equal(cleanPath('..a/b..c/...'), '..a/b..c/...', 'dots inside a segment are not traversal');
    assert.equal(cleanPath('cafe\u0301.png'), 'café.png');
    assert.equal(cleanPath('', true), '');
  });

  test("validFileName is Django's get_valid_filename on the last segment", () => {
    assert.equal(validFileName('C:\\fakepath\\my photo (1).png'), 'my_photo_1.png');
    assert.equal(validFileName('../../etc/passwd'), 'passwd');
    assert.equal(validFileName("john's portrait in 2004.jpg"), 'johns_portrait_in_2004.jpg');
    assert.equal(validFileName('naïve café.png'), 'naïve_café.png');
    for (const name of ['', '..', '../', '???', '\0'])
      assert.throws(() => validFileName(name), SuspiciousFileOperation);
  });

  test('alternative names put _ and 7 letters or digits before the whole extension', () => {
    assert.deepEqual(splitName('a/b/photo.tar.gz'), ['a/b/', 'photo', '.tar.gz']);
    assert.deepEqual(splitName('.htaccess'), ['', '.htaccess', '']);
    assert.match(alternativeName('a/photo.tar.gz'), /^a\/photo_[A-Za-z0-9]{7}\.tar\.gz$/);
    assert.match(alternativeName('README'), /^README_[A-Za-z0-9]{7}$/);
  });
});

describe('uploadTo placeholders', () => {
  test('strftime in UTC; unknown placeholders are configuration errors', () => {
    const date = new Date('2026-03-05T07:08:09Z');
    assert.equal(strftime('avatars/%Y/%m/%d/%H%M%S-%y-%j-%%/', date), 'avatars/2026/03/05/070809-26-064-%/');
    assert.throws(() => checkStrftime('a/%Q/', 'avatar.uploadTo'), /unknown placeholder %Q.*accepted are %Y, %y, %m/);
  });
});

describe('HTTP conditionals and ranges', () => {
  const etag = '"abc-10"';
  const modified = new Date('2026-03-05T10:00:00.500Z');
  test('If-None-Match (weak comparison, lists, *) wins over If-Modified-Since', () => {
    assert.equal(notModified({ 'if-none-match': 'W/"abc-10"' }, etag, modified), true);
    assert.equal(notModified({ 'if-none-match': '"x", "abc-10"' }, etag, modified), true);
    assert.equal(notModified({ 'if-none-match': '*' }, etag, modified), true);
    assert.equal(
      notModified({ 'if-none-match': '"x"', 'if-modified-since': modified.toUTCString() }, etag, modified),
      false,
    );
    assert.equal(notModified({ 'if-modified-since': modified.toUTCString() }, etag, modified), true, 'whole seconds');
    assert.equal(notModified({ 'if-modified-since': 'Thu, 05 Mar 2026 09:59:59 GMT' }, etag, modified), false);
    assert.equal(notModified({ 'if-modified-since': 'garbage' }, etag, modified), false);
  });

  test('one range, inclusive; suffixes; clamping; 416 cases; ignored cases', () => {
    const r = (range: string, size = 100, extra: Record<string, string> = {}) =>
      parseRange({ range, ...extra }, size, etag, modified);
    assert.deepEqual(r('bytes=0-9'), { kind: 'range', range: { start: 0, end: 9 } });
    assert.deepEqual(r('bytes=90-'), { kind: 'range', range: { start: 90, end: 99 } });
    assert.deepEqual(r('bytes=-5'), { kind: 'range', range: { start: 95, end: 99 } });
    assert.deepEqual(r('bytes=-500'), { kind: 'range', range: { start: 0, end: 99 } });
    assert.deepEqual(r('bytes=50-500'), { kind: 'range', range: { start: 50, end: 99 } });
    for (const range of ['bytes=100-', 'bytes=100-200', 'bytes=-0'])
      assert.deepEqual(r(range), { kind: 'unsatisfiable' });
    assert.deepEqual(r('bytes=0-0', 0), { kind: 'unsatisfiable' });
    for (const range of ['bytes=5-1', 'bytes=0-1,3-4', 'bytes=-', 'chars=0-1', 'bytes=a-b']) {
      assert.deepEqual(r(range), { kind: 'full' }, range);
    }
    assert.deepEqual(r('bytes=0-1', 100, { 'if-range': '"other"' }), { kind: 'full' });
    assert.deepEqual(r('bytes=0-1', 100, { 'if-range': etag }), { kind: 'range', range: { start: 0, end: 1 } });
    assert.deepEqual(r('bytes=0-1', 100, { 'if-range': modified.toUTCString() }), {
      kind: 'range',
      range: { start: 0, end: 1 },
    });
  });
});

describe('content', () => {
  test('bytes, text and byte streams are accepted; anything else is InvalidFileContent naming the file', async () => {
    const chunks = async (content: Parameters<typeof contentChunks>[0]): Promise<string> => {
      const parts: Buffer[] = [];
      for await (const chunk of contentChunks(content, 'a.txt')) parts.push(Buffer.from(chunk));
      return Buffer.concat(parts).toString('utf8');
    };
    assert.equal(await chunks('héllo'), 'héllo');
    assert.equal(await chunks(Buffer.from('bytes')), 'bytes');
    assert.equal(await chunks(Readable.from(['a', 'b'])), 'ab');
    assert.throws(
      () => contentChunks(42 as never, 'a.txt'),
      (e: unknown) =>
        e instanceof InvalidFileContent && e.fileName === 'a.txt' && /not the number 42\./.test(e.message),
    );
    await assert.rejects(
      chunks(Readable.from([{ not: 'bytes' }])),
      (e: unknown) =>
        e instanceof InvalidFileContent && /yielded the object \{"not":"bytes"\};/.test((e as Error).message),
    );
  });
});
