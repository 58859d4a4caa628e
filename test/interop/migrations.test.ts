// djongo 1.3.7's migrations and djongoose's on one database, both orders,
// on the server of this run: djongo's manage.py (migrate, showmigrations)
// from the interop project, djongoose's CLI in a child process. One
// `django_migrations` table holds both histories; its ids come from one
// `__schema__` counter, whichever side writes; each tool shows both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, mongo } from 'mongoose';
import { migrationsDir } from '../helpers/migrations.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { djongoose, type CliResult } from '../helpers/cli.js';
import { manage, step } from './djongo.js';

const V1 = 'test/fixtures/migrations/blog-v1.ts';
const V2 = 'test/fixtures/migrations/blog-v2.ts';

/** djongo's manage.py showmigrations once the project's two migrations are applied. */
const DJONGO_SHOWS = 'blog\n [X] 0001_initial\n [X] 0002_attachment\n';
const MIGRATED = /Applying blog\.0001_initial\.\.\.[^]* OK\n {2}Applying blog\.0002_attachment\.\.\.[^]* OK\n$/;

/** A row as Django's MigrationRecorder reads it through djongo (steps.py recorded). */
interface Recorded {
  id: number;
  app: string;
  name: string;
  types: [string, string];
}

const noAutoCreate = { autoCreate: false, autoIndex: false };
const djongoFirst = await openTestDatabase(import.meta.url, noAutoCreate);
const djongooseFirst = await openTestDatabase(import.meta.url, noAutoCreate);

function ok(result: CliResult): string {
  assert.equal(result.code, 0, `djongoose exited ${String(result.code)}: ${result.stderr}`);
  return result.stdout;
}

/** The CLI's connection and migrations-folder options for `conn`'s database. */
const targetOf = (conn: Connection, dir: string): string[] => [
  '--uri',
  server.uri,
  '--db',
  conn.name,
  '--migrations',
  dir,
];

const table = (conn: Connection): mongo.Collection => conn.db!.collection('django_migrations');

/** [id, app, name] of every row, by id. */
async function history(conn: Connection): Promise<[number, string, string][]> {
  const rows = await table(conn).find({}).sort({ id: 1 }).toArray();
  return rows.map((row) => [row['id'] as number, row['app'] as string, row['name'] as string]);
}

/** djongo's counter entry for django_migrations, numbers left as their BSON types. */
const counterEntry = (conn: Connection): Promise<mongo.Document | null> =>
  conn
    .db!.collection('__schema__')
    .findOne({ name: 'django_migrations' }, { projection: { _id: 0 }, promoteValues: false });

/** A value's BSON type as the driver decodes it with promoteValues off. */
function bsonType(value: unknown): string {
  if (value instanceof Date) return 'Date';
  if (typeof value === 'object' && value !== null && '_bsontype' in value) return String(value._bsontype);
  return typeof value;
}

/** A row's fields in stored order, each with its BSON type. */
async function shapeOf(conn: Connection, app: string, name: string): Promise<string[]> {
  const row = await table(conn).findOne({ app, name }, { promoteValues: false });
  assert.ok(row, `no django_migrations row for ${app}.${name}`);
  return Object.entries(row).map(([key, value]) => `${key}: ${bsonType(value)}`);
}

/** The ids are unique (djongo's `__primary_key__` index) and the counter stands at the last one. */
async function assertCounterConsistent(conn: Connection): Promise<void> {
  const ids = (await history(conn)).map(([id]) => id);
  assert.equal(new Set(ids).size, ids.length, `ids repeat: ${ids.join(', ')}`);
  const entry = await counterEntry(conn);
  const seq = (entry?.['auto'] as { seq?: unknown } | undefined)?.seq;
  assert.equal(bsonType(seq), 'Int32', 'djongo $incs a Python int: the counter stays an int32');
  assert.equal(Number(seq), Math.max(...ids));
  const indexes = await table(conn).indexes();
  assert.ok(indexes.some((index) => index.name === '__primary_key__' && index.unique === true));
}

describe('djongo migrates first, then djongoose, then djongo again', () => {
  const conn = djongoFirst;
  const db = conn.name;
  const dir = migrationsDir();
  const target = targetOf(conn, dir);

  test("djongoose migrates beside djongo's history; its row takes the counter's next id", async () => {
    assert.match(await manage(db, 'migrate'), MIGRATED);
    assert.match(ok(await djongoose(['makemigrations', ...target, '--models', V1])), /0001_initial\.ts/);
    assert.match(ok(await djongoose(['migrate', ...target])), /Applying djongoose\.0001_initial\.\.\. OK/);
    assert.deepEqual(await history(conn), [
      [1, 'blog', '0001_initial'],
      [2, 'blog', '0002_attachment'],
      [3, 'djongoose', '0001_initial'],
    ]);
    await assertCounterConsistent(conn);
  });

  test("djongoose showmigrations lists djongo's apps and its own", async () => {
    assert.equal(ok(await djongoose(['showmigrations', ...target])), `${DJONGO_SHOWS}djongoose\n [X] 0001_initial\n`);
  });

  test("djongo reads djongoose's row; its showmigrations and a second migrate still work", async () => {
    assert.deepEqual(await step<Recorded[]>(db, 'recorded'), [
      { id: 1, app: 'blog', name: '0001_initial', types: ['int', 'datetime'] },
      { id: 2, app: 'blog', name: '0002_attachment', types: ['int', 'datetime'] },
      { id: 3, app: 'djongoose', name: '0001_initial', types: ['int', 'datetime'] },
    ]);
    assert.equal(await manage(db, 'showmigrations'), DJONGO_SHOWS);
    assert.match(await manage(db, 'migrate'), /Running migrations:\n {2}No migrations to apply\.\n$/);
  });

  test('djongo unapplies and reapplies blog.0002 after djongoose: its new row gets a fresh id', async () => {
    assert.match(await manage(db, 'migrate', 'blog', '0001'), /Unapplying blog\.0002_attachment\.\.\. OK/);
    assert.match(await manage(db, 'migrate', 'blog'), /Applying blog\.0002_attachment\.\.\.[^]* OK\n$/);
    assert.deepEqual(await history(conn), [
      [1, 'blog', '0001_initial'],
      [3, 'djongoose', '0001_initial'],
      [4, 'blog', '0002_attachment'],
    ]);
    await assertCounterConsistent(conn);
  });

  test("djongoose's next migration numbers its row after djongo's again", async () => {
    assert.match(ok(await djongoose(['makemigrations', ...target, '--models', V2])), /0002_blog_description\.ts/);
    assert.match(ok(await djongoose(['migrate', ...target])), /Applying djongoose\.0002_blog_description\.\.\. OK/);
    assert.deepEqual((await history(conn)).at(-1), [5, 'djongoose', '0002_blog_description']);
    await assertCounterConsistent(conn);
    assert.equal(
      ok(await djongoose(['showmigrations', ...target])),
      `${DJONGO_SHOWS}djongoose\n [X] 0001_initial\n [X] 0002_blog_description\n`,
    );
    assert.equal(await manage(db, 'showmigrations'), DJONGO_SHOWS);
  });

  test('djongoose migrates its app back to zero and forwards again: only its rows go and come back', async () => {
    assert.match(
      ok(await djongoose(['migrate', ...target, 'zero', '--yes'])),
      /Unapplying djongoose\.0002_blog_description\.\.\. OK[^]*Unapplying djongoose\.0001_initial\.\.\. OK/,
    );
    assert.deepEqual(await history(conn), [
      [1, 'blog', '0001_initial'],
      [4, 'blog', '0002_attachment'],
    ]);
    assert.equal(
      ok(await djongoose(['showmigrations', ...target])),
      `${DJONGO_SHOWS}djongoose\n [ ] 0001_initial\n [ ] 0002_blog_description\n`,
    );
    assert.match(await manage(db, 'migrate'), /No migrations to apply\.\n$/);
    // Applied again: new rows, never a freed id.
    ok(await djongoose(['migrate', ...target]));
    assert.deepEqual((await history(conn)).slice(2), [
      [6, 'djongoose', '0001_initial'],
      [7, 'djongoose', '0002_blog_description'],
    ]);
    await assertCounterConsistent(conn);
  });
});

describe('djongoose migrates an empty database first, then djongo with ENFORCE_SCHEMA on', () => {
  const conn = djongooseFirst;
  // Strict djongo: a row that lacks a column is a MigrationError, not a None.
  const db = { name: conn.name, enforceSchema: true };
  const dir = migrationsDir();
  const target = targetOf(conn, dir);

  test('djongoose migrates, then djongo migrates its apps on the same table, ids continuing', async () => {
    ok(await djongoose(['makemigrations', ...target, '--models', V1]));
    ok(await djongoose(['migrate', ...target]));
    assert.deepEqual(await history(conn), [[1, 'djongoose', '0001_initial']]);
    assert.match(await manage(db, 'migrate'), MIGRATED);
    assert.deepEqual(await history(conn), [
      [1, 'djongoose', '0001_initial'],
      [2, 'blog', '0001_initial'],
      [3, 'blog', '0002_attachment'],
    ]);
    await assertCounterConsistent(conn);
  });

  test('both tools show both histories; djongo reads every row', async () => {
    assert.equal(await manage(db, 'showmigrations'), DJONGO_SHOWS);
    assert.equal(ok(await djongoose(['showmigrations', ...target])), `${DJONGO_SHOWS}djongoose\n [X] 0001_initial\n`);
    assert.deepEqual(
      (await step<Recorded[]>(db, 'recorded')).map((row) => [row.id, row.app, row.name, ...row.types]),
      [
        [1, 'djongoose', '0001_initial', 'int', 'datetime'],
        [2, 'blog', '0001_initial', 'int', 'datetime'],
        [3, 'blog', '0002_attachment', 'int', 'datetime'],
      ],
    );
    ok(await djongoose(['makemigrations', ...target, '--models', V2]));
    ok(await djongoose(['migrate', ...target]));
    assert.deepEqual((await history(conn)).at(-1), [4, 'djongoose', '0002_blog_description']);
    await assertCounterConsistent(conn);
    assert.match(await manage(db, 'migrate'), /No migrations to apply\.\n$/);
  });

  test('the strict djongo above does refuse a row that lacks a column', async () => {
    const { insertedId } = await table(conn).insertOne({ id: 99, app: 'elsewhere', name: '0001_initial' });
    try {
      await assert.rejects(manage(db, 'showmigrations'), /MigrationError: applied/);
      assert.equal(await manage(conn.name, 'showmigrations'), DJONGO_SHOWS, 'lax djongo reads it as None');
    } finally {
      await table(conn).deleteOne({ _id: insertedId });
    }
  });
});

describe("django_migrations rows: djongoose's have the shape djongo writes", () => {
  // Django's MigrationRecorder row as djongo stores it: pymongo puts `_id`
  // first, then the model's columns in order; `id` a Python int (int32).
  const SHAPE = ['_id: ObjectId', 'id: Int32', 'app: string', 'name: string', 'applied: Date'];

  test('field by field, types included, in both databases', async () => {
    for (const conn of [djongoFirst, djongooseFirst]) {
      assert.deepEqual(await shapeOf(conn, 'blog', '0001_initial'), SHAPE, `djongo's row in ${conn.name}`);
      assert.deepEqual(await shapeOf(conn, 'djongoose', '0001_initial'), SHAPE, `djongoose's row in ${conn.name}`);
    }
  });

  test("the counter entry djongoose made for the table is the one djongo's migrate makes", async () => {
    const strip = (entry: mongo.Document | null): unknown => {
      const { auto, ...rest } = entry ?? {};
      const { seq, ...counter } = (auto ?? {}) as { seq?: unknown };
      return { ...rest, auto: counter, seq: bsonType(seq) };
    };
    const [djongos, ours] = [await counterEntry(djongoFirst), await counterEntry(djongooseFirst)];
    assert.deepEqual(strip(ours), strip(djongos));
    assert.deepEqual(Object.keys(ours?.['fields'] ?? {}), Object.keys(djongos?.['fields'] ?? {}));
  });
});
