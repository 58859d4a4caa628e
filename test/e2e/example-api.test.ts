// examples/api runs and prints what its requests got back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { ROOT } from '../harness/paths.js';
import { databaseName, server } from '../helpers/server.js';

const run = promisify(execFile);

test('examples/api: a FilterSet behind Express filters, orders, pages and answers errors as JSON', async () => {
  const dbName = databaseName(import.meta.url);
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/api/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: server.uri, EXAMPLE_DB_NAME: dbName },
    });
    assert.equal(
      stdout,
      [
        'Beatles entries (2): Hey Jude, Abbey Road remastered',
        'page 2 by headline: Hey Jude, Paint It Black; previous /entries?ordering=headline; next /entries?ordering=headline&page=3',
        'page_size=500 is capped at 50: 5 of 5, next null',
        'GET /entries/2: Abbey Road remastered',
        'pk__in=2,5: Abbey Road remastered, Waterloo Sunset',
        'GET /entries/999: 404 DoesNotExist',
        'hostile query: 400 FilterError on headline, pk__in, ordering',
        '',
      ].join('\n'),
    );
  } finally {
    const conn = await mongoose.createConnection(server.uri, { dbName }).asPromise();
    await conn.dropDatabase();
    await conn.close();
  }
});
