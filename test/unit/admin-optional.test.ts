// AdminJS is an optional peer dependency: every entry point but
// `djongoose/admin` loads without it. Each is imported in a child process
// whose module resolution refuses `adminjs` and `@adminjs/*`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';

const run = promisify(execFile);
const ENTRIES = [
  'index.ts',
  'plugins/index.ts',
  'manager/index.ts',
  'fields/index.ts',
  'storage/index.ts',
  'filterset/index.ts',
  'cli/api.ts',
];

async function importWithoutAdminJS(file: string): Promise<string> {
  const url = JSON.stringify(path.join(ROOT, file));
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      path.join(ROOT, 'test', 'fixtures', 'refuse-adminjs.mjs'),
      '--input-type=module',
      '-e',
      `import(${url}).then(() => console.log('loaded'), (err) => console.log('failed: ' + err.message));`,
    ],
    { cwd: ROOT },
  );
  return stdout.trim();
}

test('every entry point but djongoose/admin loads without AdminJS', async () => {
  const results = await Promise.all(ENTRIES.map(async (file) => [file, await importWithoutAdminJS(file)] as const));
  assert.deepEqual(
    results,
    ENTRIES.map((file) => [file, 'loaded']),
  );
});

test('djongoose/admin needs AdminJS (the hook does refuse it)', async () => {
  assert.match(await importWithoutAdminJS('admin/index.ts'), /^failed: .*not installed: adminjs/);
});
