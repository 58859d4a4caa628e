// The README's first command: the example runs and prints its results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';
import { databaseName, server } from '../helpers/server.js';
import mongoose from 'mongoose';

const run = promisify(execFile);

test('examples/blog prints the Beatles entries, newest headline first', async () => {
  const dbName = databaseName(import.meta.url);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/blog/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: server.uri, EXAMPLE_DB_NAME: dbName },
  });
  assert.match(
    stdout,
    /Entries whose blog name starts with "Beatles" \(2\):\n {2}Hey Jude \(Beatles Blog\)\n {2}Abbey Road remastered \(Beatles Blog\)\nEntry ids, numbered by djongo's __schema__ counter: 1, 2, 3\nEntries of Stones Weekly: 1\n/,
  );
  const conn = await mongoose.createConnection(server.uri, { dbName }).asPromise();
  assert.equal(await conn.db!.collection('entries').countDocuments({ 'blog.name': 'Stones Weekly' }), 1);
  const counter = await conn.db!.collection('__schema__').findOne({ name: 'entries' });
  assert.deepEqual(counter?.['auto'], { field_names: ['id'], seq: 3 });
  await conn.dropDatabase();
  await conn.close();
});
