// The built package, loaded the way consumers load it: `import` and `require`,
// by its name and subpaths, from a project that depends on it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';

const run = promisify(execFile);
let consumer: string;

before(async () => {
  await run(process.execPath, [path.join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js')], { cwd: ROOT });
  consumer = mkdtempSync(path.join(os.tmpdir(), 'djongoose-consumer-'));
  mkdirSync(path.join(consumer, 'node_modules'));
  symlinkSync(ROOT, path.join(consumer, 'node_modules', 'djongoose'), 'dir');
  symlinkSync(path.join(ROOT, 'node_modules', 'mongoose'), path.join(consumer, 'node_modules', 'mongoose'), 'dir');
});

async function node(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: consumer });
  return stdout.trim();
}

test('ESM consumers import the package and its subpaths', async () => {
  const out = await node([
    '--input-type=module',
    '-e',
    `import { connect, ImproperlyConfigured, DjongooseError } from 'djongoose';
     import * as plugins from 'djongoose/plugins';
     import * as manager from 'djongoose/manager';
     import * as storage from 'djongoose/storage';
     import { EmbeddedField } from 'djongoose/fields';
     import { filterSet, FilterError } from 'djongoose/filterset';
     console.log(typeof connect, typeof plugins.connectionSettings, typeof EmbeddedField,
       manager.ImproperlyConfigured === ImproperlyConfigured, storage.ImproperlyConfigured === ImproperlyConfigured,
       typeof filterSet, new FilterError('m', {}) instanceof DjongooseError,
       import.meta.resolve('djongoose').endsWith('dist/index.js'));`,
  ]);
  assert.equal(out, 'function function function true true function true true');
});

test('CommonJS consumers require the package and its subpaths', async () => {
  const out = await node([
    '-e',
    `const { connect, ImproperlyConfigured, resolveSettings } = require('djongoose');
     const manager = require('djongoose/manager');
     let caught;
     try { resolveSettings({}); } catch (e) { caught = e; }
     console.log(typeof connect, caught instanceof manager.ImproperlyConfigured, caught instanceof ImproperlyConfigured,
       require.resolve('djongoose').endsWith('dist/index.cjs'));`,
  ]);
  assert.equal(out, 'function true true true');
});

test('type declarations exist for both module systems', async () => {
  const out = await node([
    '-e',
    `const fs = require('fs'); const pkg = require('djongoose/package.json');
     const files = Object.values(pkg.exports).flatMap((e) => typeof e === 'string' ? [] : [e.import.types, e.require.types]);
     console.log(files.length, files.every((f) => fs.existsSync(require('path').join(${JSON.stringify(ROOT)}, f))));`,
  ]);
  assert.equal(out, '14 true');
});
