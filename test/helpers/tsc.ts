// Type-checks files written into a scratch directory against the project's
// tsconfig, as a user's compile would, and gives tsc's diagnostics ('' when
// clean). Used by the tests that compile examples and user files.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';

const run = promisify(execFile);

/** Runs tsc over `include` (relative to `dir`), then removes `dir`; returns the diagnostics. */
export async function typeCheckDir(
  dir: string,
  include: readonly string[],
  compilerOptions: Record<string, unknown> = {},
): Promise<string> {
  const tsconfig = {
    extends: path.relative(dir, path.join(ROOT, 'tsconfig.json')),
    compilerOptions,
    include,
    exclude: [],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    return await run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { cwd: ROOT }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
