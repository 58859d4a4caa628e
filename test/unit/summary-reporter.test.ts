// The harness's summary reporter: the totals node:test counted, and each
// failed test named with the first line of its error, which test/run.ts
// prints again at the very end of a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';

test('the summary names every failed test, not only the count', async () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-reporter-')), 'totals.json');
  await new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        `--test-reporter=${path.join(ROOT, 'test', 'harness', 'summary-reporter.mjs')}`,
        `--test-reporter-destination=${out}`,
        path.join('test', 'fixtures', 'reporter', 'two-outcomes.ts'),
      ],
      // Without NODE_TEST_CONTEXT, which would make the child report to this run instead.
      { cwd: ROOT, env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT')) },
      () => resolve(),
    );
  });
  const summary = JSON.parse(readFileSync(out, 'utf8')) as {
    pass: number;
    fail: number;
    failures: { file: string; name: string; message: string }[];
  };
  assert.equal(summary.pass, 1);
  assert.equal(summary.fail, 2);
  assert.deepEqual(
    summary.failures.map((f) => [path.basename(f.file), f.name, f.message]),
    [
      ['two-outcomes.ts', 'a wrong sum', 'one and one are not three'],
      ['two-outcomes.ts', 'throws its own error', 'out of range'],
    ],
  );
});
