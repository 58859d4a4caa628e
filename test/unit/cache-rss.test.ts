// The caches that see users' keys and values stay bounded: 200,000 distinct
// hostile keys under a Mixed field (10 KB ones, ones just under the key
// cache's size limit, ones spelling prototype names) with 20,000 distinct
// 4 KB string-lookup values, then 300 distinct 1 MiB values, all through
// filter compilation, in a child process with a fresh heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';

const run = promisify(execFile);

test(
  '200,000 hostile keys and 300 values of 1 MiB: RSS growth ≤ 64 MiB, nothing of the 1 MiB values kept',
  { timeout: 300_000 },
  async (t) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', 'test/helpers/cache-rss.ts'], {
      cwd: ROOT,
      env: { ...process.env, KEYS: '200000', HUGE: '300' },
      timeout: 290_000,
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
      keys: number;
      refusedKeys: number;
      aborted: boolean;
      keySeconds: number;
      maxRssGrowthMiB: number;
      hugeValues: number;
      hugeMaxHeapGrowthMiB: number;
      hugeRssGrowthMiB: number;
    };
    t.diagnostic(
      `${result.keys} keys (${result.refusedKeys} refused as malformed) in ${result.keySeconds.toFixed(1)} s: ` +
        `peak RSS growth after collection ${result.maxRssGrowthMiB.toFixed(1)} MiB; ` +
        `${result.hugeValues} values of 1 MiB: V8 heap growth ${result.hugeMaxHeapGrowthMiB.toFixed(1)} MiB, RSS ${result.hugeRssGrowthMiB.toFixed(1)} MiB`,
    );
    assert.equal(result.aborted, false, 'RSS grew past 512 MiB: a cache is unbounded');
    assert.equal(result.keys, 200_000);
    assert.ok(result.maxRssGrowthMiB <= 64, `RSS growth ${result.maxRssGrowthMiB.toFixed(1)} MiB over 200,000 keys`);
    assert.ok(
      result.hugeMaxHeapGrowthMiB <= 64,
      `heap growth ${result.hugeMaxHeapGrowthMiB.toFixed(1)} MiB over 1 MiB values`,
    );
  },
);
