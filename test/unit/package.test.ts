// The built package, loaded the way consumers load it: `import` and `require`,
// by its name and subpaths, from a project that depends on it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
  // Only what `files` publishes: with the source beside it, node10 would
  // resolve `djongoose/storage` to storage/index.ts and hide a missing mapping.
  const installed = path.join(consumer, 'node_modules', 'djongoose');
  mkdirSync(installed);
  symlinkSync(path.join(ROOT, 'dist'), path.join(installed, 'dist'), 'dir');
  symlinkSync(path.join(ROOT, 'package.json'), path.join(installed, 'package.json'), 'file');
  symlinkSync(path.join(ROOT, 'node_modules', 'mongoose'), path.join(consumer, 'node_modules', 'mongoose'), 'dir');
});

async function node(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: consumer });
  return stdout.trim();
}

/** Type-checks a consumer's project in `dir` (its tsconfig given) against the built package; tsc's diagnostics, or ''. */
async function consumerTsc(dir: string, tsconfig: object): Promise<string> {
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { cwd: dir }).then(
    () => '',
    (err: { stdout?: string }) => err.stdout ?? String(err),
  );
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

// AdminJS bundles djongoose/admin's MigrationError component from its source,
// which the package ships beside admin/index.js; both builds find it there.
test('djongoose/admin registers its MigrationError component from the installed package, ESM and CommonJS', async () => {
  const adminjs = path.join(consumer, 'node_modules', 'adminjs');
  if (!existsSync(adminjs)) symlinkSync(path.join(ROOT, 'node_modules', 'adminjs'), adminjs, 'dir');
  const esm = await node([
    '--input-type=module',
    '-e',
    `import { ComponentLoader } from 'adminjs';
     import { showMigrationErrors } from 'djongoose/admin';
     const loader = new ComponentLoader();
     console.log(showMigrationErrors(loader), loader.getComponents()[showMigrationErrors(loader)]);`,
  ]);
  const cjs = await node([
    '--no-warnings',
    '-e',
    `const { ComponentLoader } = require('adminjs');
     const { showMigrationErrors } = require('djongoose/admin');
     const loader = new ComponentLoader();
     console.log(showMigrationErrors(loader), loader.getComponents()[showMigrationErrors(loader)]);`,
  ]);
  const shipped = `DjongooseMigrationError ${path.join(ROOT, 'dist', 'admin', 'components', 'migration-error')}`;
  assert.equal(esm, shipped);
  assert.equal(cjs, shipped);
  assert.ok(existsSync(path.join(ROOT, 'dist', 'admin', 'components', 'migration-error.tsx')));
});

test('type declarations exist for both module systems', async () => {
  const out = await node([
    '-e',
    `const fs = require('fs'); const pkg = require('djongoose/package.json');
     const files = Object.values(pkg.exports).flatMap((e) => typeof e === 'string' ? [] : [e.import.types, e.require.types]);
     console.log(files.length, files.every((f) => fs.existsSync(require('path').join(${JSON.stringify(ROOT)}, f))));`,
  ]);
  assert.equal(out, '16 true');
});

// Each subpath the package exports, by its specifier: `djongoose/storage`.
const subpaths = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports,
)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'djongoose' : `djongoose/${key.slice(2)}`));

// node10 ignores `exports`, so without `typesVersions` its subpaths are TS2307.
for (const [moduleResolution, module] of [
  ['node10', 'commonjs'],
  ['node16', 'node16'],
  ['bundler', 'esnext'],
] as const) {
  test(`a TypeScript consumer resolves the types of every subpath under moduleResolution ${moduleResolution}`, async () => {
    const dir = path.join(consumer, moduleResolution);
    mkdirSync(dir);
    // One named import per subpath, so a subpath that resolves to nothing or to `any` fails.
    const names = {
      djongoose: 'connect',
      plugins: 'manager',
      manager: 'Q',
      fields: 'EmbeddedField',
      storage: 'GridFSStorage',
      filterset: 'filterSet',
      cli: 'check',
      admin: 'modelAdmin',
    } as Record<string, string>;
    const lines = subpaths.map((spec, i) => {
      const name = names[spec.split('/')[1] ?? 'djongoose'];
      assert.ok(name, `the test names an export of ${spec}`);
      return `import { ${name} as x${i} } from '${spec}';\nconst f${i}: Function = x${i};\nvoid f${i};`;
    });
    writeFileSync(path.join(dir, 'consumer.ts'), `${lines.join('\n')}\nexport {};\n`);
    const tsconfig = {
      compilerOptions: {
        module,
        moduleResolution,
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        noImplicitAny: true,
        types: [],
      },
      files: ['consumer.ts'],
    };
    const result = await consumerTsc(dir, tsconfig);
    assert.equal(result, '', `tsc under ${moduleResolution}:\n${result}`);
  });
}

// A user declares a registered lookup once, by augmenting the package's
// CustomLookups (issue 11 §5): the typed filter of a model typed through the
// published declarations then takes it, in ESM and CommonJS resolution alike.
for (const [moduleResolution, module] of [
  ['node10', 'commonjs'],
  ['node16', 'node16'],
  ['bundler', 'esnext'],
] as const) {
  test(`module augmentation of CustomLookups reaches the typed filter under moduleResolution ${moduleResolution}`, async () => {
    const dir = path.join(consumer, `augment-${moduleResolution}`);
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'consumer.ts'),
      `import mongoose from 'mongoose';
import { manager, registerLookup, type Managed } from 'djongoose';
declare module 'djongoose' {
  interface CustomLookups {
    ne_ci: { field: string; value: string };
  }
}
registerLookup('String', { name: 'ne_ci', compile: (t, v) => ({ [t.path]: { $ne: v } }) });
interface Post { title?: string; n?: number }
const schema = new mongoose.Schema<Post>({ title: String, n: Number });
schema.plugin(manager);
const Post = mongoose.model<Post, Managed<Post>>('Post', schema);
export const ok = Post.objects.filter({ title__ne_ci: 'x' });
// @ts-expect-error declared for string fields only
Post.objects.filter({ n__ne_ci: 'x' });
// @ts-expect-error takes a string
Post.objects.filter({ title__ne_ci: 1 });
// @ts-expect-error not declared
Post.objects.filter({ title__ne_cx: 'x' });
`,
    );
    const tsconfig = {
      compilerOptions: {
        module,
        moduleResolution,
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        // Mongoose's own declarations need Node's (Buffer, streams), as in any Mongoose app.
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    };
    const result = await consumerTsc(dir, tsconfig);
    assert.equal(result, '', `tsc under ${moduleResolution}:\n${result}`);
  });
}
