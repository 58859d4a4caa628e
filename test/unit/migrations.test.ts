// The pure parts of migrations: the autodetector's operations for each kind
// of change, the writer's files read back as the same operations, the value
// conversion, and the executor's plan (reversal, irreversible steps).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Schema } from 'mongoose';
import { autodetect } from '../../cli/migrations/autodetect.js';
import { convertValue } from '../../cli/migrations/convert.js';
import { planMigrations } from '../../cli/migrations/executor.js';
import { migrateTarget } from '../../cli/migrations/program.js';
import { loadMigrations, stateAfter } from '../../cli/migrations/loader.js';
import { stateForwards, type Operation } from '../../cli/migrations/operations.js';
import { questioner } from '../../cli/migrations/questioner.js';
import { stateOfModels } from '../../cli/migrations/state.js';
import { migrationName, renderMigration } from '../../cli/migrations/writer.js';
import { AnswerRequired, ImproperlyConfigured, IrreversibleError } from '../../core/errors.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { migrationsDir, modelOf } from '../helpers/migrations.js';

const blog = (fields: Record<string, unknown>, plugin = false) => {
  const schema = new Schema(fields, { versionKey: false });
  if (plugin) schema.plugin(autoIncrement);
  return stateOfModels([modelOf('Blog', schema)]);
};
const yes = questioner({ yes: true });
const ops = (list: readonly Operation[]) => list.map((op) => op.op);

describe('the autodetector', () => {
  test('no change: no operations', async () => {
    assert.deepEqual(await autodetect(blog({ name: String }), blog({ name: String }), yes), []);
  });

  test('a field added with a default backfills it; without one, null', async () => {
    const [withDefault] = await autodetect(
      blog({ name: String }),
      blog({ name: String, d: { type: String, default: 'x' } }),
      yes,
    );
    assert.deepEqual(withDefault, {
      op: 'AddField',
      model: 'Blog',
      name: 'd',
      field: { type: 'String', required: false, default: 'x', typeCode: 'string' },
      backfill: 'x',
    });
    const [without] = await autodetect(blog({ name: String }), blog({ name: String, d: Number }), yes);
    assert.equal(without?.op === 'AddField' && without.backfill, null);
  });

  test('a required field without a default takes --default, typed, or refuses', async () => {
    const to = blog({ name: String, rank: { type: Number, required: true } });
    await assert.rejects(autodetect(blog({ name: String }), to, yes), AnswerRequired);
    const [op] = await autodetect(blog({ name: String }), to, questioner({ defaults: { 'Blog.rank': '7' } }));
    assert.equal(op?.op === 'AddField' && op.backfill, 7);
    await assert.rejects(
      autodetect(blog({ name: String }), to, questioner({ defaults: { rank: 'seven' } })),
      AnswerRequired,
    );
  });

  test('a removed and an added field of one type: a rename when --rename or the prompt says so', async () => {
    const from = blog({ title: String });
    const to = blog({ name: String });
    assert.deepEqual(ops(await autodetect(from, to, yes)), ['AddField', 'RemoveField']);
    assert.deepEqual(ops(await autodetect(from, to, questioner({ renames: ['title:name'] }))), ['RenameField']);
    const asked: string[] = [];
    const prompt = async (q: string) => (asked.push(q), 'y');
    assert.deepEqual(ops(await autodetect(from, to, questioner({ prompt }))), ['RenameField']);
    assert.deepEqual(asked, ['Was Blog.title renamed to name? [y/N] ']);
    await assert.rejects(autodetect(from, to, questioner({})), AnswerRequired);
    // Of different types, no question: removed and added.
    assert.deepEqual(ops(await autodetect(blog({ title: Number }), to, questioner({}))), ['AddField', 'RemoveField']);
  });

  test('a type change, an index, a unique flag, an auto field, a new and a removed model', async () => {
    assert.deepEqual(ops(await autodetect(blog({ rank: String }), blog({ rank: Number }), yes)), ['AlterField']);
    assert.deepEqual(
      ops(await autodetect(blog({ rank: String }), blog({ rank: { type: String, index: true } }), yes)),
      ['AddIndex'],
    );
    assert.deepEqual(
      ops(
        await autodetect(
          blog({ rank: { type: String, index: true } }),
          blog({ rank: { type: String, index: true, unique: true } }),
          yes,
        ),
      ),
      ['AlterUnique'],
    );
    assert.deepEqual(ops(await autodetect(blog({ name: String }), blog({ name: String }, true), yes)), [
      'AddField',
      'AddAutoIncrement',
      'AddIndex',
    ]);
    assert.deepEqual(ops(await autodetect({}, blog({ name: String }), yes)), ['CreateModel']);
    assert.deepEqual(ops(await autodetect(blog({ name: String }), {}, yes)), ['DeleteModel']);
  });
});

describe('the writer and the loader', () => {
  test('a written migration loads back as the same operations, and folds to the models’ state', async () => {
    const dir = migrationsDir();
    mkdirSync(dir, { recursive: true });
    const to = blog(
      { name: String, at: { type: Date, default: new Date('2020-01-02T00:00:00Z') }, tags: [String] },
      true,
    );
    const operations = await autodetect({}, to, yes);
    writeFileSync(path.join(dir, '0001_initial.ts'), renderMigration({ dependencies: [], initial: true, operations }));
    const [loaded] = await loadMigrations(dir, process.cwd());
    assert.deepEqual(loaded?.migration.operations, operations);
    assert.deepEqual(stateAfter(loaded ? [loaded] : []), to);
    assert.deepEqual(await autodetect(stateAfter(loaded ? [loaded] : []), to, yes), []);
  });

  test('names: initial, one AddField, several', () => {
    assert.equal(migrationName([], true), 'initial');
    const add: Operation = {
      op: 'AddField',
      model: 'Blog',
      name: 'description',
      field: { type: 'String', required: false },
      backfill: '',
    };
    assert.equal(migrationName([add], false), 'blog_description');
    assert.equal(migrationName([add, add], false), 'auto');
  });

  test('a file with an unknown op, or a dependency that is not earlier, is refused', async () => {
    const dir = migrationsDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, '0001_initial.ts'),
      "export default { dependencies: [], operations: [{ op: 'AddColumn' }] };\n",
    );
    await assert.rejects(
      loadMigrations(dir, process.cwd()),
      /operation 1 has op "AddColumn"; the operations are CreateModel, /,
    );
    writeFileSync(path.join(dir, '0001_initial.ts'), "export default { dependencies: ['0002_x'], operations: [] };\n");
    await assert.rejects(loadMigrations(dir, process.cwd()), ImproperlyConfigured);
  });
});

describe('value conversion (AlterField)', () => {
  test('converts what has a form in the new type, and says which values do not', () => {
    assert.deepEqual(convertValue('42', 'Number'), { ok: true, value: 42 });
    assert.deepEqual(convertValue('n/a', 'Number'), { ok: false });
    assert.deepEqual(convertValue('', 'Number'), { ok: false });
    assert.deepEqual(convertValue(5, 'String'), { ok: true, value: '5' });
    assert.deepEqual(convertValue('false', 'Boolean'), { ok: true, value: false });
    assert.deepEqual(convertValue('maybe', 'Boolean'), { ok: false });
    assert.deepEqual(convertValue('2020-01-02', 'Date'), { ok: true, value: new Date('2020-01-02') });
    assert.deepEqual(convertValue(null, 'Date'), { ok: true, value: null });
    assert.deepEqual(convertValue({ a: 1 }, 'String'), { ok: false });
  });
});

describe('the plan', () => {
  const create: Operation = { op: 'CreateModel', model: blog({ name: String })['Blog']! };
  const script: Operation = { op: 'RunScript', up: () => undefined };
  const migrations = [
    { name: '0001_initial', file: '', migration: { dependencies: [], initial: true, operations: [create] } },
    { name: '0002_script', file: '', migration: { dependencies: ['0001_initial'], operations: [script] } },
  ];

  test('forwards in order, backwards in reverse order, to a target or zero', () => {
    assert.deepEqual(
      planMigrations(migrations, new Set(), undefined).map((m) => [m.name, m.direction]),
      [
        ['0001_initial', 'forwards'],
        ['0002_script', 'forwards'],
      ],
    );
    assert.deepEqual(planMigrations(migrations, new Set(['0001_initial']), '0001_initial'), []);
    const back = planMigrations(migrations, new Set(['0001_initial']), 'zero');
    assert.deepEqual(
      back.map((m) => [m.name, m.direction, m.steps[0]?.operation.op]),
      [['0001_initial', 'backwards', 'DeleteModel']],
    );
  });

  test('a step without a reverse stops the plan before anything runs', () => {
    assert.throws(
      () => planMigrations(migrations, new Set(['0001_initial', '0002_script']), 'zero'),
      IrreversibleError,
    );
    assert.throws(() => planMigrations(migrations, new Set(), '0003_nope'), /There is no migration "0003_nope"/);
  });

  test("a target is a name or, as Django's, the start of one name only", () => {
    assert.deepEqual(planMigrations(migrations, new Set(['0001_initial']), '0001'), [], 'at 0001 already');
    assert.deepEqual(
      planMigrations(migrations, new Set(), '0001').map((m) => m.name),
      ['0001_initial'],
    );
    assert.throws(
      () => planMigrations(migrations, new Set(), '000'),
      (err: unknown) =>
        err instanceof ImproperlyConfigured &&
        /matches more than one migration: 0001_initial, 0002_script/.test(err.message),
    );
    assert.equal(migrateTarget('djongoose', '0001', 'djongoose'), '0001');
    assert.equal(migrateTarget('djongoose', undefined, 'djongoose'), undefined);
    assert.equal(migrateTarget('zero', undefined, 'djongoose'), 'zero');
    assert.throws(() => migrateTarget('blog', 'zero', 'djongoose'), /No migrations for the app "blog"/);
  });
});

describe('migration files: what they cannot hold or name is a typed error', () => {
  test('a model that no earlier migration creates: ImproperlyConfigured naming the ones that exist', () => {
    const field = { type: 'String', required: false } as const;
    const op = { op: 'RemoveField', model: 'Ghost', name: 'x', field } as unknown as Operation;
    assert.throws(
      () => stateForwards({}, op),
      (err: unknown) =>
        err instanceof ImproperlyConfigured && /"Ghost" that no earlier migration creates.*: none\.$/.test(err.message),
    );
  });

  test('a value a file cannot write (a bigint default): ImproperlyConfigured saying what is accepted', () => {
    const field = { type: 'Number', required: false } as const;
    const op = { op: 'AddField', model: 'Blog', name: 'n', field, backfill: 10n } as unknown as Operation;
    assert.throws(
      () => renderMigration({ dependencies: [], operations: [op] }),
      (err: unknown) =>
        err instanceof ImproperlyConfigured && /cannot hold a bigint.*Accepted: null, strings/.test(err.message),
    );
  });
});
