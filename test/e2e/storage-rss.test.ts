// 256 MiB through GridFSStorage.save() and open() must never be buffered:
// peak RSS growth ≤ 64 MiB, measured in a child process with a fresh heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';
import { databaseName, server } from '../helpers/server.js';

const run = promisify(execFile);

// FerretDB v1.24 on SQLite stores GridFS chunks at about 7 MiB/s on this
// machine (test/bench/gridfs.ts), so 256 MiB would take a minute or more of a
// shared CI budget; the bench measures it there instead.
const tooSlow =
  server.kind === 'ferretdb'
    ? `${server.name} writes GridFS chunks at ~7 MiB/s; 256 MiB is measured by test/bench/gridfs.ts`
    : false;

test(
  '256 MiB through save() and open(): peak RSS growth ≤ 64 MiB, bytes intact',
  { skip: tooSlow, timeout: 180_000 },
  async (t) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', 'test/helpers/storage-rss.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DJONGOOSE_RSS_URI: server.uri,
        DJONGOOSE_RSS_DB: databaseName(import.meta.url),
        SIZE_MIB: '256',
      },
      timeout: 170_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      peakGrowthMiB: number;
      intact: boolean;
      uploadMs: number;
      downloadMs: number;
    };
    t.diagnostic(
      `peak RSS growth ${result.peakGrowthMiB.toFixed(1)} MiB; upload ${(result.uploadMs / 1000).toFixed(1)} s, download ${(result.downloadMs / 1000).toFixed(1)} s`,
    );
    assert.equal(result.intact, true, 'the bytes read back are the bytes saved');
    assert.ok(result.peakGrowthMiB <= 64, `peak RSS growth ${result.peakGrowthMiB.toFixed(1)} MiB`);
  },
);
