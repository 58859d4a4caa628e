// Every migration operation, forwards and backwards, on the server of the
// run: models v1, a first migration, documents, models v2, makemigrations
// writes the second, migrate applies it, migrate 0001_initial reverses it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Schema, type Connection, type mongo } from 'mongoose';
import { applyMigrations, makeMigrations, showMigrations } from '../../cli/api.js';
import type { CommandModel } from '../../cli/models.js';
import { AnswerRequired, IrreversibleError, UnconvertibleValuesError } from '../../core/errors.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { assertMatchesExample } from '../helpers/error-examples.js';
import { migrationsDir, modelOf, freshDatabases } from '../helpers/migrations.js';
import { openTestDatabase, server } from '../helpers/server.js';

const base = await openTestDatabase(import.meta.url);
/** A database of the test's own, on the file's connection. */
const freshDb = freshDatabases(base);

interface Story {
  readonly conn: Connection;
  readonly db: mongo.Db;
  readonly dir: string;
  readonly second: Awaited<ReturnType<typeof makeMigrations>>;
}

/** v1 migrated with `docs` stored, then v2's migration written (not applied). */
async function story(
  v1: readonly CommandModel[],
  docs: Readonly<Record<string, readonly Record<string, unknown>[]>>,
  v2: readonly CommandModel[],
  options: Parameters<typeof makeMigrations>[1] = {},
): Promise<Story> {
  const conn = freshDb();
  const dir = migrationsDir();
  const first = await makeMigrations(v1, { migrations: dir });
  assert.equal(first.name, '0001_initial');
  await applyMigrations(conn, { migrations: dir });
  for (const [collection, list] of Object.entries(docs)) {
    if (list.length > 0) await conn.db!.collection(collection).insertMany(list.map((d) => ({ ...d })));
  }
  const second = await makeMigrations(v2, { migrations: dir, yes: true, ...options });
  return { conn, db: conn.db!, dir, second };
}

const forwards = (s: Story) => applyMigrations(s.conn, { migrations: s.dir, yes: true });
const backwards = (s: Story) => applyMigrations(s.conn, { migrations: s.dir, target: '0001_initial', yes: true });
const stored = (s: Story, collection: string) =>
  s.db
    .collection(collection)
    .find({}, { projection: { _id: 0 } })
    .sort({ name: 1 })
    .toArray();
const names = async (db: mongo.Db) => (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
const indexNames = async (s: Story, collection: string) =>
  (await s.db.collection(collection).indexes()).map((i) => i.name);

const blog = (fields: Record<string, unknown>) => new Schema(fields, { versionKey: false });
const BEATLES = { name: 'Beatles', tagline: 'news' };
const STONES = { name: 'Stones', tagline: 'rolling' };

describe(`migration operations, both directions, on ${server.name}`, () => {
  test('CreateModel and DeleteModel', async () => {
    const s = await story([modelOf('Blog', blog({ name: String }))], {}, [
      modelOf('Blog', blog({ name: String })),
      modelOf('Post', blog({ title: { type: String, unique: true } })),
    ]);
    assert.deepEqual(s.second.operations, ['Create model Post']); // its indexes with it
    await forwards(s);
    assert.ok((await names(s.db)).includes('posts'));
    assert.ok((await indexNames(s, 'posts')).includes('title_1'));
    assert.deepEqual((await s.db.collection('__schema__').findOne({ name: 'posts' }))?.['fields'], {
      title: { type_code: 'string' },
    });
    await backwards(s);
    assert.ok(!(await names(s.db)).includes('posts'));
    assert.equal(await s.db.collection('__schema__').countDocuments({ name: 'posts' }), 0);
  });

  test('DeleteModel asks before dropping; yes confirms, and the reverse creates it again', async () => {
    const s = await story(
      [modelOf('Blog', blog({ name: String })), modelOf('Post', blog({ title: String }))],
      { posts: [{ title: 'a' }] },
      [modelOf('Blog', blog({ name: String }))],
    );
    assert.deepEqual(s.second.operations, ['Delete model Post']);
    await assert.rejects(applyMigrations(s.conn, { migrations: s.dir }), AnswerRequired);
    assert.equal(await s.db.collection('posts').countDocuments(), 1, 'nothing dropped without a yes');
    await applyMigrations(s.conn, { migrations: s.dir, confirm: async () => true });
    assert.ok(!(await names(s.db)).includes('posts'));
    await backwards(s);
    assert.ok((await names(s.db)).includes('posts'));
  });

  test('RenameModel keeps the documents and the __schema__ entry', async () => {
    const v1 = blog({ name: String, tagline: String });
    v1.plugin(autoIncrement);
    const v2 = blog({ name: String, tagline: String });
    v2.plugin(autoIncrement);
    const s = await story([modelOf('Blog', v1)], { blogs: [{ id: 1, ...BEATLES }] }, [modelOf('Weblog', v2)], {
      renames: ['Blog:Weblog'],
    });
    assert.deepEqual(s.second.operations, ['Rename model Blog to Weblog']);
    await forwards(s);
    assert.deepEqual(await stored(s, 'weblogs'), [{ id: 1, ...BEATLES }]);
    assert.ok(!(await names(s.db)).includes('blogs'));
    assert.equal((await s.db.collection('__schema__').findOne({ name: 'weblogs' }))?.['auto']?.field_names?.[0], 'id');
    await backwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [{ id: 1, ...BEATLES }]);
    assert.ok(await s.db.collection('__schema__').findOne({ name: 'blogs' }));
  });

  test('AddField backfills the default; the reverse unsets it', async () => {
    const s = await story(
      [modelOf('Blog', blog({ name: String }))],
      { blogs: [{ name: 'Beatles' }, { name: 'Stones', description: 'kept' }] },
      [modelOf('Blog', blog({ name: String, description: { type: String, default: 'none yet' } }))],
    );
    assert.deepEqual(s.second.operations, ['Add field description to Blog']);
    assert.match(readFileSync(s.second.file!, 'utf8'), /backfill: 'none yet'/);
    const progress: { label: string; done: number; total: number }[] = [];
    const run = await applyMigrations(s.conn, { migrations: s.dir, onProgress: (p) => progress.push(p) });
    // What the progress bar draws: the operation over its collection, from 0 to the collection's documents.
    assert.deepEqual(progress, [
      { label: 'Add field description to Blog', done: 0, total: 2 },
      { label: 'Add field description to Blog', done: 2, total: 2 },
    ]);
    assert.equal(run.runs[0]?.results[0]?.modified, 1);
    assert.deepEqual(await stored(s, 'blogs'), [
      { name: 'Beatles', description: 'none yet' },
      { name: 'Stones', description: 'kept' },
    ]);
    await backwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [{ name: 'Beatles' }, { name: 'Stones' }]);
  });

  test('AddField: an optional field without a default backfills null; a required one takes --default or refuses', async () => {
    const v2 = [modelOf('Blog', blog({ name: String, rank: { type: Number, required: true } }))];
    const refused = story([modelOf('Blog', blog({ name: String }))], { blogs: [{ name: 'Beatles' }] }, v2);
    await assert.rejects(
      refused,
      (err: unknown) => err instanceof AnswerRequired && assertMatchesExample(err, 'AnswerRequired'),
    );
    const s = await story([modelOf('Blog', blog({ name: String }))], { blogs: [{ name: 'Beatles' }] }, v2, {
      defaults: { rank: '3' },
    });
    await forwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [{ name: 'Beatles', rank: 3 }]);
    const lax = await story([modelOf('Blog', blog({ name: String }))], { blogs: [{ name: 'Beatles' }] }, [
      modelOf('Blog', blog({ name: String, note: String })),
    ]);
    await forwards(lax);
    assert.deepEqual(await stored(lax, 'blogs'), [{ name: 'Beatles', note: null }]);
  });

  test('RemoveField unsets the key; the reverse puts back the default (or null)', async () => {
    const s = await story([modelOf('Blog', blog({ name: String, tagline: String }))], { blogs: [BEATLES, STONES] }, [
      modelOf('Blog', blog({ name: String })),
    ]);
    assert.deepEqual(s.second.operations, ['Remove field tagline from Blog']);
    await forwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [{ name: 'Beatles' }, { name: 'Stones' }]);
    await backwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [
      { name: 'Beatles', tagline: null },
      { name: 'Stones', tagline: null },
    ]);
  });

  test('RenameField with --rename moves the values; without an answer it refuses', async () => {
    const v1 = [modelOf('Blog', blog({ name: String, tagline: String }))];
    const v2 = [modelOf('Blog', blog({ name: String, motto: String }))];
    const dir = migrationsDir();
    await makeMigrations(v1, { migrations: dir });
    await assert.rejects(
      makeMigrations(v2, { migrations: dir }),
      (err: unknown) => err instanceof AnswerRequired && /--rename tagline:motto/.test(err.message),
    );
    const s = await story(v1, { blogs: [BEATLES] }, v2, { renames: ['tagline:motto'] });
    assert.deepEqual(s.second.operations, ['Rename field tagline on Blog to motto']);
    await forwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [{ name: 'Beatles', motto: 'news' }]);
    await backwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [{ name: 'Beatles', tagline: 'news' }]);
  });

  test('AlterField converts stored values and back', async () => {
    const s = await story(
      [modelOf('Blog', blog({ name: String, rank: String }))],
      {
        blogs: [
          { name: 'Beatles', rank: '5' },
          { name: 'Stones', rank: null },
        ],
      },
      [modelOf('Blog', blog({ name: String, rank: Number }))],
    );
    assert.deepEqual(s.second.operations, ['Alter field rank on Blog (String → Number)']);
    await forwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [
      { name: 'Beatles', rank: 5 },
      { name: 'Stones', rank: null },
    ]);
    await backwards(s);
    assert.deepEqual(await stored(s, 'blogs'), [
      { name: 'Beatles', rank: '5' },
      { name: 'Stones', rank: null },
    ]);
  });

  test('AlterField of a field whose type stays (a list, a Mixed made required) changes no stored value', async () => {
    const docs = [
      { name: 'Beatles', tags: ['pop', 'rock'], meta: { since: 1960 } },
      { name: 'Stones', tags: [], meta: 'rolling' },
    ];
    const s = await story([modelOf('Blog', blog({ name: String, tags: [String], meta: {} }))], { blogs: docs }, [
      modelOf(
        'Blog',
        blog({ name: String, tags: { type: [String], required: true }, meta: { type: {}, required: true } }),
      ),
    ]);
    assert.equal(s.second.operations.length, 2, s.second.operations.join('; '));
    await forwards(s);
    assert.deepEqual(await stored(s, 'blogs'), docs);
    await backwards(s);
    assert.deepEqual(await stored(s, 'blogs'), docs);
  });

  test('AlterField counts the values that cannot convert and writes nothing', async () => {
    const s = await story(
      [modelOf('Blog', blog({ name: String, rank: String }))],
      {
        blogs: [
          { _id: 1, name: 'Beatles', rank: '5' },
          { _id: 2, name: 'Stones', rank: 'n/a' },
        ],
      },
      [modelOf('Blog', blog({ name: String, rank: Number }))],
    );
    await assert.rejects(forwards(s), (err: unknown) => {
      assert.ok(err instanceof UnconvertibleValuesError);
      assert.equal(err.count, 1);
      assert.deepEqual(err.sample, [2]);
      return assertMatchesExample(err, 'UnconvertibleValuesError');
    });
    assert.deepEqual(await stored(s, 'blogs'), [
      { name: 'Beatles', rank: '5' },
      { name: 'Stones', rank: 'n/a' },
    ]);
    assert.deepEqual(
      (await showMigrations(s.conn, { migrations: s.dir })).apps[0]?.migrations.map((m) => m.applied),
      [true, false],
    );
  });

  test('AddIndex, RemoveIndex and AlterUnique', async () => {
    const s = await story(
      [modelOf('Blog', blog({ name: { type: String, index: true }, tagline: String }))],
      { blogs: [BEATLES] },
      [
        modelOf(
          'Blog',
          blog({ name: { type: String, index: true, unique: true }, tagline: { type: String, index: true } }),
        ),
      ],
    );
    assert.deepEqual([...s.second.operations].sort(), [
      'Alter unique of name_1 on Blog (unique)',
      'Create index tagline_1 on Blog',
    ]);
    await forwards(s);
    const after = await s.db.collection('blogs').indexes();
    assert.equal(after.find((i) => i.name === 'name_1')?.unique, true);
    assert.ok(after.some((i) => i.name === 'tagline_1'));
    await backwards(s);
    const back = await s.db.collection('blogs').indexes();
    assert.notEqual(back.find((i) => i.name === 'name_1')?.unique, true);
    assert.ok(!back.some((i) => i.name === 'tagline_1'));
  });

  test('AddAutoIncrement numbers the stored documents and seeds __schema__; the reverse drops the counter', async () => {
    const v2 = blog({ name: String });
    v2.plugin(autoIncrement);
    const s = await story(
      [modelOf('Blog', blog({ name: String }))],
      { blogs: [{ name: 'Beatles' }, { name: 'Stones' }] },
      [modelOf('Blog', v2)],
    );
    assert.deepEqual(s.second.operations, [
      'Add field id to Blog',
      'Add auto-increment id to Blog',
      'Create index __primary_key__ on Blog',
    ]);
    await forwards(s);
    const ids = (await stored(s, 'blogs')).map((d) => d['id'] as number).sort();
    assert.deepEqual(ids, [1, 2]);
    assert.equal(Number((await s.db.collection('__schema__').findOne({ name: 'blogs' }))?.['auto']?.seq), 2);
    await backwards(s);
    assert.equal((await s.db.collection('__schema__').findOne({ name: 'blogs' }))?.['auto'], undefined);
    assert.deepEqual(await stored(s, 'blogs'), [{ name: 'Beatles' }, { name: 'Stones' }]);
  });

  test('RunScript runs up, and down backwards; without down the reverse stops before anything runs', async () => {
    const conn = freshDb();
    const dir = migrationsDir();
    await makeMigrations([modelOf('Blog', blog({ name: String }))], { migrations: dir });
    const { writeFileSync } = await import('node:fs');
    const script = (down: boolean) => `export default {
  dependencies: ['0001_initial'],
  operations: [{ op: 'RunScript', description: 'upper-case names',
    up: async ({ db }) => { for (const d of await db.collection('blogs').find().toArray()) await db.collection('blogs').updateOne({ _id: d._id }, { $set: { name: d.name.toUpperCase() } }); },
    ${down ? "down: async ({ db }) => { for (const d of await db.collection('blogs').find().toArray()) await db.collection('blogs').updateOne({ _id: d._id }, { $set: { name: d.name.toLowerCase() } }); }," : ''} }],
};\n`;
    writeFileSync(`${dir}/0002_upper.ts`, script(true));
    writeFileSync(`${dir}/0003_upper_again.ts`, script(false).replace("['0001_initial']", "['0002_upper']"));
    await applyMigrations(conn, { migrations: dir, target: '0002_upper' });
    await conn.db!.collection('blogs').insertOne({ name: 'beatles' });
    await applyMigrations(conn, { migrations: dir, target: '0001_initial' });
    await applyMigrations(conn, { migrations: dir, target: '0002_upper' });
    assert.deepEqual(
      await conn
        .db!.collection('blogs')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
      [{ name: 'BEATLES' }],
    );
    await applyMigrations(conn, { migrations: dir });
    await assert.rejects(
      applyMigrations(conn, { migrations: dir, target: '0001_initial' }),
      (err: unknown) => err instanceof IrreversibleError && assertMatchesExample(err, 'IrreversibleError'),
    );
    // Nothing ran: 0003 and 0002 are still applied, the name still upper-case.
    const shown = (await showMigrations(conn, { migrations: dir })).apps[0]?.migrations;
    assert.deepEqual(
      shown?.map((m) => m.applied),
      [true, true, true],
    );
    assert.deepEqual(
      await conn
        .db!.collection('blogs')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
      [{ name: 'BEATLES' }],
    );
  });
});
