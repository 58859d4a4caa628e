// Migrations inside embedded documents, the pure parts: the state records
// the fields inside (embedded documents, nested objects, arrays of embedded
// documents, a schema holding itself), the autodetector names changes inside
// by dotted path, the operations fold to the models' state, and the written
// file loads back as the same operations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Schema, type SchemaDefinition } from 'mongoose';
import { autodetect } from '../../cli/migrations/autodetect.js';
import { reachesInside } from '../../cli/migrations/embedded-apply.js';
import { loadMigrations, stateAfter } from '../../cli/migrations/loader.js';
import { stateForwards, type Operation } from '../../cli/migrations/operations.js';
import { questioner } from '../../cli/migrations/questioner.js';
import { stateOfModels, type ProjectState } from '../../cli/migrations/state.js';
import { migrationName, renderMigration } from '../../cli/migrations/writer.js';
import { AnswerRequired, ImproperlyConfigured } from '../../core/errors.js';
import { abstractModel } from '../../fields/abstract.js';
import { ArrayField, EmbeddedField } from '../../fields/embedded.js';
import { migrationsDir, modelOf } from '../helpers/migrations.js';

const entry = (blog: SchemaDefinition, comment: SchemaDefinition = { author: String }) =>
  stateOfModels([
    modelOf(
      'Entry',
      new Schema(
        { headline: String, blog: EmbeddedField(abstractModel(blog)), comments: ArrayField(abstractModel(comment)) },
        { versionKey: false },
      ),
    ),
  ]);
const yes = questioner({ yes: true });
const fold = (state: ProjectState, ops: readonly Operation[]) => ops.reduce(stateForwards, state);

describe('the state of fields inside', () => {
  test('an embedded document, an array of embedded documents and a nested object record their fields', () => {
    const state = stateOfModels([modelOf('Entry', new Schema({ meta: { source: String } }, { versionKey: false }))]);
    assert.deepEqual(state['Entry']?.fields['meta'], {
      type: 'Nested',
      required: false,
      typeCode: 'object',
      fields: { source: { type: 'String', required: false } },
    });
    const fields = entry({ name: String, rank: { type: Number, required: true, default: 1 } })['Entry']?.fields;
    assert.deepEqual(fields?.['blog'], {
      type: 'Embedded',
      required: false,
      typeCode: 'object',
      fields: { name: { type: 'String', required: false }, rank: { type: 'Number', required: true, default: 1 } },
    });
    assert.deepEqual(fields?.['comments']?.fields, { author: { type: 'String', required: false } });
    assert.equal(fields?.['comments']?.type, 'Array');
  });

  test('a schema that holds itself is recorded once, not forever', () => {
    const node = new Schema({ text: String }, { _id: false });
    node.add({ replies: [node] });
    const fields = stateOfModels([modelOf('Thread', new Schema({ root: node }))])['Thread']?.fields;
    assert.deepEqual(Object.keys(fields?.['root']?.fields ?? {}), ['text', 'replies']);
    assert.equal(fields?.['root']?.fields?.['replies']?.fields, undefined);
  });
});

describe('the autodetector inside embedded documents', () => {
  test('AddField, RemoveField and AlterField by dotted path, folding to the models’ state', async () => {
    const from = entry({ name: String, tagline: String, rank: String });
    const to = entry(
      { name: String, rank: Number, description: { type: String, default: '' } },
      { author: String, flag: Boolean },
    );
    const ops = await autodetect(from, to, yes);
    assert.deepEqual(
      ops.map((op) => [op.op, 'name' in op ? op.name : '']),
      [
        ['AddField', 'blog.description'],
        ['RemoveField', 'blog.tagline'],
        ['AlterField', 'blog.rank'],
        ['AddField', 'comments.flag'],
      ],
    );
    const [add] = ops;
    assert.equal(add?.op === 'AddField' && add.backfill, '');
    assert.deepEqual(fold(from, ops), to);
    assert.equal(migrationName(ops.slice(0, 1), false), 'entry_blog_description');
  });

  test('a rename inside is asked with the dotted names, and --rename blog.tagline:blog.motto answers', async () => {
    const from = entry({ name: String, tagline: String });
    const to = entry({ name: String, motto: String });
    await assert.rejects(
      autodetect(from, to, questioner({})),
      (err: unknown) => err instanceof AnswerRequired && /--rename blog\.tagline:blog\.motto/.test(err.message),
    );
    const ops = await autodetect(from, to, questioner({ renames: ['blog.tagline:blog.motto'] }));
    assert.deepEqual(ops, [{ op: 'RenameField', model: 'Entry', from: 'blog.tagline', to: 'blog.motto' }]);
    assert.deepEqual(fold(from, ops), to);
  });

  test('a required field inside without a default takes --default blog.rank=…, or refuses naming it', async () => {
    const to = entry({ name: String, rank: { type: Number, required: true } });
    await assert.rejects(
      autodetect(entry({ name: String }), to, yes),
      (err: unknown) => err instanceof AnswerRequired && /--default blog\.rank=<value>/.test(err.message),
    );
    const [op] = await autodetect(entry({ name: String }), to, questioner({ defaults: { 'blog.rank': '3' } }));
    assert.equal(op?.op === 'AddField' && op.backfill, 3);
  });

  test('a state written before fields inside were recorded: one AlterField records them, nothing stored changes', async () => {
    const to = entry({ name: String });
    const blog = to['Entry']!.fields['blog']!;
    const bare = { type: blog.type, required: blog.required, ...(blog.typeCode ? { typeCode: blog.typeCode } : {}) };
    const old: ProjectState = { Entry: { ...to['Entry']!, fields: { ...to['Entry']!.fields, blog: bare } } };
    const ops = await autodetect(old, to, yes);
    assert.deepEqual(ops, [{ op: 'AlterField', model: 'Entry', name: 'blog', from: bare, to: blog }]);
    assert.equal(reachesInside(ops[0]!)?.op, 'AlterField', 'applied as a change of state only');
    assert.deepEqual(fold(old, ops), to);
  });

  test('a dotted path through a field that holds no documents is ImproperlyConfigured', () => {
    const state = entry({ name: String });
    const op: Operation = {
      op: 'AddField',
      model: 'Entry',
      name: 'headline.x',
      field: { type: 'String', required: false },
      backfill: null,
    };
    assert.throws(
      () => stateForwards(state, op),
      (err: unknown) => err instanceof ImproperlyConfigured && /headline is not an embedded document/.test(err.message),
    );
  });

  test('a rename into or out of an array of embedded documents is ImproperlyConfigured; within one level it folds', () => {
    const state = entry({ name: String });
    const out: Operation = { op: 'RenameField', model: 'Entry', from: 'comments.author', to: 'author' };
    assert.throws(
      () => stateForwards(state, out),
      (err: unknown) => err instanceof ImproperlyConfigured && /into or out of an array/.test(err.message),
    );
    const across: Operation = { op: 'RenameField', model: 'Entry', from: 'blog.name', to: 'title' };
    assert.deepEqual(Object.keys(stateForwards(state, across)['Entry']?.fields ?? {}), [
      'headline',
      'blog',
      'comments',
      'title',
    ]);
  });

  test('a written migration with dotted operations loads back as the same operations', async () => {
    const from = entry({ name: String });
    const to = entry({ name: String, description: { type: String, default: '' } }, { author: String, flag: Boolean });
    const dir = migrationsDir();
    mkdirSync(dir, { recursive: true });
    const initial = await autodetect({}, from, yes);
    const second = await autodetect(from, to, yes);
    writeFileSync(
      path.join(dir, '0001_initial.ts'),
      renderMigration({ dependencies: [], initial: true, operations: initial }),
    );
    const source = renderMigration({ dependencies: ['0001_initial'], operations: second });
    assert.match(source, /op: 'AddField',\s+model: 'Entry',\s+name: 'blog\.description',/);
    writeFileSync(path.join(dir, '0002_auto.ts'), source);
    const loaded = await loadMigrations(dir, process.cwd());
    assert.deepEqual(loaded[1]?.migration.operations, second);
    assert.deepEqual(stateAfter(loaded), to);
    assert.deepEqual(await autodetect(stateAfter(loaded), to, yes), []);
  });
});
