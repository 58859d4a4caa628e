// The GridFS examples run and print what they promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { ROOT } from '../harness/paths.js';
import { databaseName, server } from '../helpers/server.js';

const run = promisify(execFile);

async function runExample(file: string): Promise<string> {
  const dbName = databaseName(import.meta.url);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: server.uri, EXAMPLE_DB_NAME: dbName },
    });
    return stdout;
  } finally {
    const conn = await mongoose.createConnection(server.uri, { dbName }).asPromise();
    await conn.dropDatabase();
    await conn.close();
  }
}

test("examples/avatars: the seed's ImageField on GridFSStorage(collection='myfiles')", async () => {
  assert.equal(
    await runExample('examples/avatars/main.ts'),
    [
      "ann's avatar: ann.png (64×48, " + String(await pngSize()) + ' bytes) at /media/ann.png',
      "bob's avatar took a free name: true",
      'profiles whose avatar name starts with "ann": ann, bob',
      "eve naming bob's file: SuspiciousFileOperation",
      "ann's new avatar: ann-2026.png; files in myfiles: 3",
      '',
    ].join('\n'),
  );
});

test('examples/uploads: uploads through the field into GridFS, checked, served back by storage.serve()', async () => {
  assert.equal(
    await runExample('examples/uploads/main.ts'),
    [
      'uploaded: avatars/YYYY/MM/holiday_photo.png (64×48)',
      'GET 200 image/png ' + String(await pngSize(64, 48)) + ' bytes',
      'GET with If-None-Match: 304',
      'GET bytes=0-7: 206 bytes 0-7/…',
      'a text file named evil.png: 400 InvalidFileContent',
      'a 4096×1 image (max 2048): 400 InvalidFileContent',
      'files stored: 1',
      'missing file: 404',
      '',
    ].join('\n'),
  );
});

async function pngSize(width = 64, height = 48): Promise<number> {
  const { gradientPng } = await import('../../examples/avatars/png.js');
  return gradientPng(width, height).length;
}
