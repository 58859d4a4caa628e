// AlterField's conversion of stored values on the server of the run: the
// server's `$convert` against convertValue, value by value, for every
// value the pipeline update would take; the fallback where the server
// refuses pipeline updates (probed once per client, before any write); and
// the values that cannot convert, counted, reported and kept, both ways.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { Schema, type Connection, type mongo } from 'mongoose';
import { applyMigrations, makeMigrations } from '../../cli/api.js';
import { CONVERTIBLE_TYPES, convertValue, serverConversion, toConvert } from '../../cli/migrations/convert.js';
import { formatApplyMigrations } from '../../cli/migrations/format.js';
import { UnconvertibleValuesError } from '../../core/errors.js';
import { migrationsDir, modelOf, freshDatabases } from '../helpers/migrations.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { djongoose as cli } from '../helpers/cli.js';

const base = await openTestDatabase(import.meta.url);
/** A database of the test's own, on the file's connection. */
const freshDb = freshDatabases(base);

const DATE = new Date('2020-01-02T03:04:05.006Z');
const OID = '5f0c4b4b4b4b4b4b4b4b4b4b';

/** Values a field may hold after years of lax writes. */
function awkwardValues(m: typeof mongo): readonly unknown[] {
  return [
    '42',
    ' 42 ',
    '1e3',
    '1E+3',
    '.5',
    '5.',
    '+7',
    '-0',
    '0',
    '12345678901234567890',
    '1e999',
    '-1e999',
    '1e-999',
    `0.${'0'.repeat(400)}1`,
    'n/a',
    '',
    '0x1A',
    '1_000',
    '1d',
    'NaN',
    'Infinity',
    'true',
    'FALSE',
    '2020-01-02',
    5,
    -3,
    1.5,
    1 / 3,
    1e21,
    2 ** 31,
    true,
    false,
    DATE,
    new m.ObjectId(OID),
    { a: 1 },
    [1],
    ['2'],
    [],
    null,
  ];
}

const blog = (rank: typeof String | typeof Number) => new Schema({ name: String, rank }, { versionKey: false });

/** Equal as stored values: numbers by value (0 and -0 alike), dates by time, ObjectIds by hex. */
function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') return actual === expected;
  if (expected instanceof Date) return actual instanceof Date && actual.getTime() === expected.getTime();
  if (expected instanceof mongoose.mongo.ObjectId)
    return actual instanceof mongoose.mongo.ObjectId && actual.equals(expected);
  return JSON.stringify(actual) === JSON.stringify(expected) && typeof actual === typeof expected;
}

describe(`AlterField's conversion on ${server.name}`, () => {
  test(
    "the server's $convert gives convertValue's answer for every stored value the pipeline update takes",
    { skip: lacks('convertExpression') },
    async () => {
      const coll = freshDb().db!.collection<Stored>('awkward');
      const values = awkwardValues(mongoose.mongo);
      await coll.insertMany([...values.map((v, i) => ({ _id: i, v })), { _id: values.length }]);
      const claimed = CONVERTIBLE_TYPES.filter((type) => serverConversion('v', type));
      assert.deepEqual(claimed, ['String', 'Number', 'Double']);
      for (const type of claimed) {
        const conversion = serverConversion('v', type)!;
        // The very stages the pipeline update runs, after the filter it runs with.
        const rows = await coll
          .aggregate([{ $match: { $and: [toConvert('v', type), conversion.filter] } }, ...conversion.pipeline])
          .toArray();
        const taken = new Set(rows.map((row) => JSON.stringify(values[row['_id'] as number])));
        for (const row of rows) {
          const before = values[row['_id'] as number];
          const converted = convertValue(before, type);
          // A value convertValue refuses stops AlterField before the server runs; written meanwhile, it is kept.
          const expected = converted.ok ? converted.value : before;
          assert.ok(
            sameValue(row['v'], expected),
            `${type}: $convert of ${JSON.stringify(before)} gave ${String(row['v'])}, convertValue ${String(expected)}`,
          );
        }
        // What the filter takes and leaves is the claim itself: the leftovers go to convertValue.
        if (type === 'String') {
          assert.deepEqual([...taken].sort(), ['-3', '5', JSON.stringify(OID)].sort());
        } else {
          for (const wanted of ['42', '1e3', '.5', '-0', '12345678901234567890', true, DATE])
            assert.ok(taken.has(JSON.stringify(wanted)), `${type}: ${String(wanted)} taken by the server`);
          for (const left of [' 42 ', '0x1A', '1d', 'NaN', 'Infinity', '1e999', '1e-999', 'n/a', [1], 5, null])
            assert.ok(!taken.has(JSON.stringify(left)), `${type}: ${JSON.stringify(left)} left to convertValue`);
        }
      }
    },
  );
});

/** A stored document with a numeric _id, as the tests write them. */
type Stored = { _id: number; [key: string]: unknown };
const blogs = (db: mongo.Db) => db.collection<Stored>('blogs');

interface Story {
  readonly conn: Connection;
  readonly db: mongo.Db;
  readonly dir: string;
}

/** A `blogs` collection migrated with `v1`'s rank, `docs` stored, and v2's migration written. */
async function story(
  v1: typeof String | typeof Number,
  docs: readonly Stored[],
  v2: typeof String | typeof Number,
): Promise<Story> {
  const conn = freshDb();
  const dir = migrationsDir();
  await makeMigrations([modelOf('Blog', blog(v1))], { migrations: dir });
  await applyMigrations(conn, { migrations: dir });
  if (docs.length > 0) await blogs(conn.db!).insertMany(docs.map((d) => ({ ...d })));
  const second = await makeMigrations([modelOf('Blog', blog(v2))], { migrations: dir, yes: true });
  assert.deepEqual(second.operations, [
    `Alter field rank on Blog (${String(v1)} → ${String(v2)})`.replace(
      /function (\w+)\(\) \{ \[native code\] \}/g,
      '$1',
    ),
  ]);
  return { conn, db: conn.db!, dir };
}

const ranks = async (s: Story) =>
  (await blogs(s.db).find({}).sort({ _id: 1 }).toArray()).map((d) => ('rank' in d ? d['rank'] : 'missing'));
const forwards = (s: Story, more: Parameters<typeof applyMigrations>[1] = {}) =>
  applyMigrations(s.conn, { migrations: s.dir, ...more });
const backwards = (s: Story) => applyMigrations(s.conn, { migrations: s.dir, target: '0001_initial' });
const via = lacks('pipelineUpdates') ? 'batched' : 'server';

describe(`AlterField on ${server.name}: every stored value converted, or counted and kept`, () => {
  test('String → Number converts each value with a number form; the reverse makes them text again', async () => {
    const docs: Stored[] = [
      { _id: 1, rank: '42' },
      { _id: 2, rank: ' 42 ' },
      { _id: 3, rank: '1e3' },
      { _id: 4, rank: '.5' },
      { _id: 5, rank: '12345678901234567890' },
      { _id: 6, rank: true },
      { _id: 7, rank: DATE },
      { _id: 8, rank: null },
      { _id: 9 },
      { _id: 10, rank: 7 },
    ];
    const s = await story(String, docs, Number);
    const run = await forwards(s);
    assert.deepEqual(run.runs[0]?.results, [
      { operation: 'Alter field rank on Blog (String → Number)', modified: 7, via, unconverted: 0 },
    ]);
    assert.deepEqual(await ranks(s), [42, 42, 1000, 0.5, 12345678901234567000, 1, DATE.getTime(), null, 'missing', 7]);
    const back = await backwards(s);
    assert.equal(back.runs[0]?.results[0]?.modified, 8);
    assert.deepEqual(await ranks(s), [
      '42',
      '42',
      '1000',
      '0.5',
      '12345678901234567000',
      '1',
      String(DATE.getTime()),
      null,
      'missing',
      '7',
    ]);
  });

  test('values that cannot convert are counted, reported with their _ids, and kept; nothing else is written', async () => {
    const bad = ['n/a', '', '0x1A', '1_000', { a: 1 }, ['2']];
    const docs = [{ _id: 0, rank: '42' }, ...bad.map((rank, i) => ({ _id: i + 1, rank }))];
    const s = await story(String, docs, Number);
    const before = await ranks(s);
    await assert.rejects(forwards(s), (err: unknown) => {
      assert.ok(err instanceof UnconvertibleValuesError, String(err));
      assert.equal(err.count, 6);
      assert.deepEqual(err.sample, [1, 2, 3, 4, 5]);
      assert.match(
        err.message,
        /Blog\.rank: 6 stored values cannot convert from String to Number \(_ids: 1, 2, 3, 4, 5\)/,
      );
      return true;
    });
    assert.deepEqual(await ranks(s), before, 'not even the convertible 42 is written');
  });

  test('the reverse (Number → String) refuses values it cannot convert the same way, and keeps them', async () => {
    const s = await story(String, [{ _id: 1, rank: '5' }], Number);
    await forwards(s);
    await blogs(s.db).insertMany([
      { _id: 2, rank: 6 },
      { _id: 3, rank: { score: 7 } },
    ]);
    await assert.rejects(backwards(s), (err: unknown) => {
      assert.ok(err instanceof UnconvertibleValuesError, String(err));
      assert.deepEqual([err.count, err.sample], [1, [3]]);
      return true;
    });
    assert.deepEqual(await ranks(s), [5, 6, { score: 7 }]);
    await blogs(s.db).deleteOne({ _id: 3 });
    await backwards(s);
    assert.deepEqual(await ranks(s), ['5', '6']);
  });

  test('a value that cannot convert, written while the conversion runs, is kept and counted in the summary', async () => {
    const docs = Array.from({ length: 40 }, (_, i) => ({ _id: i, rank: String(i) }));
    const s = await story(String, docs, Number);
    let late: Promise<unknown> | undefined;
    const run = await forwards(s, {
      batchSize: 5,
      // The batched pass's first progress: the scan found nothing in the way; now a lax writer stores 'n/a'.
      onProgress: () => (late ??= blogs(s.db).insertOne({ _id: 100, rank: 'n/a' })),
    });
    await late;
    const result = run.runs[0]?.results[0];
    assert.equal(result?.unconverted, 1);
    assert.equal((await blogs(s.db).findOne({ _id: 100 }))?.['rank'], 'n/a');
    assert.match(
      formatApplyMigrations(run, false),
      /0002_alter_blog_rank\.\.\. OK \(40 documents changed, 1 value left unconverted\)/,
    );
  });

  test('where the server refuses pipeline updates, one probe per client says so before any write', async () => {
    // A client of its own, so that no earlier test's probe is remembered, and its commands can be watched.
    const conn = await mongoose
      .createConnection(server.uri, { dbName: `${base.name}_probe`.slice(0, 60), monitorCommands: true })
      .asPromise();
    after(async () => {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    });
    const pipelines: unknown[] = [];
    conn.getClient().on('commandStarted', (event) => {
      const updates = event.command['updates'] as { q: unknown; u: unknown }[] | undefined;
      for (const update of updates ?? []) if (Array.isArray(update.u)) pipelines.push(update.q);
    });
    const dir = migrationsDir();
    const two = (type: unknown) => new Schema({ rank: type, score: type }, { versionKey: false });
    await makeMigrations([modelOf('Blog', two(String))], { migrations: dir });
    await applyMigrations(conn, { migrations: dir });
    await conn.db!.collection('blogs').insertMany([{ rank: '1', score: '2' }]);
    await makeMigrations([modelOf('Blog', two(Number))], { migrations: dir, yes: true });
    await applyMigrations(conn, { migrations: dir });
    await applyMigrations(conn, { migrations: dir, target: '0001_initial' });
    assert.deepEqual(pipelines[0], { _id: { $in: [] } }, 'the probe matches no document');
    assert.equal(pipelines.filter((q) => JSON.stringify(q) === '{"_id":{"$in":[]}}').length, 1, 'probed once');
    // Four conversions ran (two fields, both ways): on the server where it takes pipeline updates.
    assert.equal(pipelines.length, lacks('pipelineUpdates') ? 1 : 5);
    assert.deepEqual(await conn.db!.collection('blogs').findOne({}, { projection: { _id: 0 } }), {
      rank: '1',
      score: '2',
    });
  });
});

describe(`migrate --json on ${server.name}: the values that cannot convert, as JSON`, () => {
  test('exit 4, the count and the _ids on stdout, the message on stderr, nothing written', async () => {
    const s = await story(
      String,
      [
        { _id: 1, rank: '5' },
        { _id: 2, rank: 'n/a' },
      ],
      Number,
    );
    const args = ['migrate', '--uri', server.uri, '--db', s.db.databaseName, '--migrations', s.dir];
    const json = await cli([...args, '--json']);
    assert.equal(json.code, 4, json.stderr);
    const report = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual(
      { ...report, message: undefined },
      { error: 'UnconvertibleValuesError', message: undefined, model: 'Blog', unconvertible: 1, sample: [2] },
    );
    const text = await cli(args);
    assert.equal(text.code, 4);
    assert.match(
      text.stderr,
      /UnconvertibleValuesError: Blog\.rank: 1 stored value cannot convert from String to Number \(_ids: 2\)/,
    );
    assert.deepEqual(await ranks(s), ['5', 'n/a']);
  });
});
