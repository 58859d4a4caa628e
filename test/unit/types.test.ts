// Runs the type tests in test/types: every `@ts-expect-error` there must
// still be an error, and everything else must compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';

const run = promisify(execFile);

test('type tests compile, and each expected error is still an error', async (t) => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const started = process.hrtime.bigint();
  const result = await run(process.execPath, [tsc, '-p', 'test/types/tsconfig.json'], { cwd: ROOT }).then(
    () => ({ ok: true, output: '' }),
    (err: { stdout?: string }) => ({ ok: false, output: err.stdout ?? String(err) }),
  );
  t.diagnostic(`tsc on test/types: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
  assert.ok(result.ok, result.output);
});
