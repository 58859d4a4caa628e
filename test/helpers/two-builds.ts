// The package's two builds, ESM (dist/index.js) and CommonJS (dist/index.cjs),
// loaded side by side in this process, as in an app that both imports and
// requires djongoose. Built once per process by tsup, the way `npm run build`
// builds them (same entry, formats and chunk splitting), into a temp folder,
// without type declarations, which this does not need and which cost most of
// the build's time. The folder's node_modules links to ours, so both builds
// and this test share one Mongoose.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after } from 'node:test';
import { build } from 'tsup';
import { ROOT } from '../harness/paths.js';
import type * as Djongoose from '../../index.js';

type Package = typeof Djongoose;

/** The two copies of the package. */
export interface TwoBuilds {
  readonly esm: Package;
  readonly cjs: Package;
}

/**
 * Builds the package's ESM and CommonJS bundles and loads one of each; the
 * temp folder goes after the test file. Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * const { esm, cjs } = await loadBothBuilds();
 * esm.Q === cjs.Q; // false: two copies
 * ```
 */
export async function loadBothBuilds(): Promise<TwoBuilds> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'djongoose-two-builds-'));
  // Once loaded, the modules no longer need their files.
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const outDir = path.join(dir, 'dist');
  await build({
    config: false,
    entry: { index: path.join(ROOT, 'index.ts') },
    format: ['esm', 'cjs'],
    splitting: true,
    dts: false,
    target: 'node20',
    outDir,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    silent: true,
  });
  const esm = (await import(pathToFileURL(path.join(outDir, 'index.js')).href)) as Package;
  const cjs = createRequire(path.join(outDir, 'index.cjs'))(path.join(outDir, 'index.cjs')) as Package;
  return { esm, cjs };
}
