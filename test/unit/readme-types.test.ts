// The README's examples type-check as a user's code would: each block marked
// `<!-- readme-test -->` is compiled under the project's strict tsconfig, with
// its `'djongoose'` imports pointed at the source. (test/e2e/readme.test.ts
// runs them; tsx does not check types.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';
import { readmeBlocks, withSourceImports } from '../helpers/readme.js';

const run = promisify(execFile);

test('every README example compiles under the strict tsconfig', async () => {
  const blocks = readmeBlocks();
  assert.ok(blocks.length > 0, 'the README has examples');
  const dir = path.join(ROOT, '.cache', 'readme-types', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  blocks.forEach((block, i) => {
    const source = withSourceImports(block, (file) => path.relative(dir, file).replace(/\.ts$/, '.js'));
    writeFileSync(path.join(dir, `block-${i}.ts`), `${source}\nexport {};\n`);
  });
  // Examples may name values only to show them, so unused locals are allowed.
  const tsconfig = {
    extends: path.relative(dir, path.join(ROOT, 'tsconfig.json')),
    compilerOptions: { noUnusedLocals: false },
    include: ['./*.ts'],
    exclude: [],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { cwd: ROOT }).then(
    () => ({ ok: true, output: '' }),
    (err: { stdout?: string }) => ({ ok: false, output: err.stdout ?? String(err) }),
  );
  rmSync(dir, { recursive: true, force: true });
  assert.ok(result.ok, result.output);
});
