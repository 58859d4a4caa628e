// Two copies of Mongoose in one process (npm link, or an app pinned to
// another version than djongoose resolves): a schema made by the other copy
// is refused when a djongoose plugin is applied, with both versions and the
// way to dedupe, instead of a model whose `objects` is undefined.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { autoIncrement, djongo, enforceSchema, jsonFields, manager } from '../../plugins/index.js';
import { ImproperlyConfigured } from '../../core/errors.js';
import { ROOT } from '../harness/paths.js';

type MongooseModule = typeof mongoose;
let other: MongooseModule;

// A real second copy: Mongoose's own files copied to a temp folder, so Node
// loads them as another module instance (its dependencies are shared, as
// npm would hoist them).
before(() => {
  const source = path.join(ROOT, 'node_modules', 'mongoose');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'djongoose-mongoose-copy-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const modules = path.join(dir, 'node_modules');
  const copy = path.join(modules, 'mongoose');
  mkdirSync(copy, { recursive: true });
  for (const entry of ['package.json', 'index.js', 'lib']) {
    cpSync(path.join(source, entry), path.join(copy, entry), { recursive: true });
  }
  const pkg = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const dep of Object.keys(pkg.dependencies)) {
    mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
  }
  other = createRequire(path.join(copy, 'package.json'))('mongoose') as MongooseModule;
});

test('the copy is another module instance of Mongoose', () => {
  assert.notEqual(other.Schema, mongoose.Schema);
  assert.equal(new other.Schema({}) instanceof mongoose.Schema, false);
});

const plugins = { djongo, manager, jsonFields, enforceSchema, autoIncrement } as const;

for (const [name, plugin] of Object.entries(plugins)) {
  test(`schema.plugin(${name}) refuses a schema of another Mongoose copy, naming both versions`, () => {
    const schema = new other.Schema({ headline: String }) as unknown as mongoose.Schema;
    assert.throws(
      () => schema.plugin(plugin as (s: mongoose.Schema) => void),
      (err: unknown) => {
        assert.ok(err instanceof ImproperlyConfigured, String(err));
        assert.match(err.message, new RegExp(`^schema\\.plugin\\(${name}\\): `));
        // Its version is read from the schema's own Mongoose; ours from ours.
        assert.ok(err.message.includes(`another copy of Mongoose (${other.version})`), err.message);
        assert.ok(err.message.includes(`the one djongoose uses (${mongoose.version})`), err.message);
        assert.match(err.message, /npm dedupe/);
        assert.match(err.message, /"overrides": \{ "mongoose": /);
        return true;
      },
    );
  });
}

test('a schema of another Mongoose instance of the same copy is accepted', () => {
  const instance = new mongoose.Mongoose();
  const schema = new instance.Schema({ headline: String });
  assert.doesNotThrow(() => schema.plugin(djongo));
  const Entry = instance.model('Entry', schema) as unknown as { objects?: unknown };
  assert.notEqual(Entry.objects, undefined);
});
