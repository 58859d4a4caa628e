// migrate interrupted inside one operation, not between two: the CLI killed
// while the server runs a backfill's updateMany, or halfway through a batched
// conversion, and (FerretDB) the server itself killed mid-backfill and
// restarted on its data. Each time the next migrate finishes with exactly the
// documents of an uninterrupted run on the same seed, and records the
// migration once.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { applyMigrations } from '../../cli/api.js';
import { stepsDone } from '../../cli/migrations/recorder.js';
import { ROOT } from '../harness/paths.js';
import { ferretdb, freePort } from '../harness/servers.js';
import { migrationsDir } from '../helpers/migrations.js';
import { databaseName, lacks, server } from '../helpers/server.js';

type Db = mongoose.mongo.Db;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const conns: mongoose.Connection[] = [];
after(async () => {
  for (const conn of conns) {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
});

/** A fresh database; its connection is dropped and closed after the file's tests, or by the caller's `opened`. */
async function open(uri: string, opened = conns): Promise<{ conn: mongoose.Connection; db: Db }> {
  const conn = await mongoose
    .createConnection(uri, {
      dbName: databaseName(import.meta.url),
      serverSelectionTimeoutMS: 10_000,
      heartbeatFrequencyMS: 500,
    })
    .asPromise();
  opened.push(conn);
  return { conn, db: conn.db! };
}

interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function cli(args: readonly string[]): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: '', DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const INITIAL = `export default { initial: true, dependencies: [], operations: [
  { op: 'CreateModel', model: { name: 'Blog', collection: 'blogs', fields: {
    name: { type: 'String', required: false, typeCode: 'string' },
    rank: { type: 'String', required: false, typeCode: 'string' },
  }, indexes: [] } },
] };\n`;

/** A migrations folder: the initial one, then `0002_<name>` with these operations (source text). */
function migrations(name: string, operations: string): string {
  const dir = migrationsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '0001_initial.ts'), INITIAL);
  writeFileSync(
    path.join(dir, `0002_${name}.ts`),
    `export default { dependencies: ['0001_initial'], operations: [\n${operations}\n] };\n`,
  );
  return dir;
}

const string = (name: string, value: string) =>
  `{ op: 'AddField', model: 'Blog', name: '${name}', field: { type: 'String', required: false, typeCode: 'string' }, backfill: '${value}' }`;
const RANK_TO_NUMBER = `{ op: 'AlterField', model: 'Blog', name: 'rank',
  from: { type: 'String', required: false, typeCode: 'string' }, to: { type: 'Number', required: false, typeCode: 'double' } }`;

/** n blogs with fixed _ids; most ranks convert to numbers, some are null, some missing. */
async function seed(db: Db, n: number): Promise<void> {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: i,
    name: `blog ${i}`,
    ...(i % 97 === 0 ? {} : { rank: i % 41 === 0 ? null : String(i) }),
  }));
  for (let i = 0; i < n; i += 5000) await db.collection<{ _id: number }>('blogs').insertMany(docs.slice(i, i + 5000));
}

/** What a database holds after the migration: the collection, its `__schema__` fields and the history. */
async function outcome(db: Db): Promise<unknown> {
  const schema = await db.collection('__schema__').findOne({ name: 'blogs' }, { projection: { _id: 0 } });
  const history = await db
    .collection('django_migrations')
    .find({}, { projection: { _id: 0, app: 1, name: 1 } })
    .sort({ id: 1 })
    .toArray();
  return {
    blogs: await db.collection('blogs').find().sort({ _id: 1 }).toArray(),
    schema,
    history,
    locks: await db.collection('djongoose_migrations_lock').countDocuments(),
  };
}

/**
 * The migration's outcome on a control database with the same seed, run
 * without interruption, and how long each operation over the collection took.
 */
async function control(
  uri: string,
  dir: string,
  n: number,
  opened = conns,
): Promise<{ outcome: unknown; ms: number; took: Map<string, number> }> {
  const { conn, db } = await open(uri, opened);
  await seed(db, n);
  const started = Date.now();
  const began = new Map<string, number>();
  const took = new Map<string, number>();
  await applyMigrations(conn, {
    migrations: dir,
    onProgress: ({ label, done, total }) => {
      if (!began.has(label)) began.set(label, Date.now());
      if (done === total) took.set(label, Date.now() - began.get(label)!);
    },
  });
  return { ms: Date.now() - started, took, outcome: await outcome(db) };
}

/** Polls until `ready` holds; fails the test after `ms`. */
async function until(what: string, ms: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** The count once it stops changing: a write the server was running when its client died has ended. */
async function settled(count: () => Promise<number>): Promise<number> {
  let last = await count();
  for (;;) {
    await sleep(300);
    const now = await count();
    if (now === last) return now;
    last = now;
  }
}

interface JsonReport {
  runs: { name: string; results: { operation: string; modified: number; via?: string }[] }[];
}

const args = (uri: string, db: string, dir: string, ...more: string[]) => [
  'migrate',
  '--uri',
  uri,
  '--db',
  db,
  '--migrations',
  dir,
  '--json',
  ...more,
];

// Enough documents that the work takes a good part of a second or more on each emulator
// (FerretDB writes each document in its own SQLite transaction; mongo-java-server is in memory).
const BACKFILL_DOCS = server.kind === 'ferretdb' ? 600 : 30_000;
const KILL_AFTER_MS = 150;
const CONVERT_DOCS = server.kind === 'ferretdb' ? 300 : 2_000;
const CONVERT_BATCH = server.kind === 'ferretdb' ? 10 : 100;

describe(`migrate interrupted inside an operation on ${server.name}`, () => {
  test('the CLI killed while the server runs AddField’s updateMany: the next migrate finishes it, as a run without the kill', async (t) => {
    const dir = migrations(
      'backfill',
      `{ op: 'RunScript', up: () => undefined },\n${string('a', 'A')},\n${string('b', 'B')}`,
    );
    const expected = await control(server.uri, dir, BACKFILL_DOCS);
    const { db } = await open(server.uri);
    await seed(db, BACKFILL_DOCS);
    const name = db.databaseName;

    const run = cli(args(server.uri, name, dir));
    // Step 1 noted: the CLI has gone on to the backfill (one small update, then the updateMany).
    // Killed KILL_AFTER_MS later, the updateMany is on the server and its answer not back yet:
    // the control's updateMany takes several times that. The checks after the kill prove it.
    const backfill = expected.took.get('Add field a to Blog') ?? 0;
    await until(
      'step 1 of 0002_backfill',
      30_000,
      async () => (await stepsDone(db, 'djongoose', '0002_backfill', 'forwards')) >= 1,
    );
    await sleep(KILL_AFTER_MS);
    run.child.kill('SIGKILL');
    await run.done;

    // The kill landed inside the updateMany: the server received it (documents have `a`) and
    // the CLI never saw it end (the step is not noted, the migration not recorded).
    const orphan = await settled(() => db.collection('blogs').countDocuments({ a: 'A' }));
    t.diagnostic(`control run's updateMany ${backfill} ms; the killed run's set a on ${orphan} of ${BACKFILL_DOCS}`);
    assert.ok(orphan > 0, 'the CLI was killed before it sent the updateMany: the kill came too early');
    assert.equal(await stepsDone(db, 'djongoose', '0002_backfill', 'forwards'), 1);
    assert.equal(await db.collection('django_migrations').countDocuments({ name: '0002_backfill' }), 0);
    assert.equal(await db.collection('blogs').countDocuments({ b: { $exists: true } }), 0);

    // The killed holder's lock is taken over at once (its process is gone), not waited out.
    const started = Date.now();
    const resumed = await cli(args(server.uri, name, dir, '--lock-wait', '0')).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    const report = JSON.parse(resumed.stdout) as JsonReport;
    assert.deepEqual(
      report.runs.map((r) => [r.name, r.results.map((x) => [x.operation, x.modified])]),
      [
        [
          '0002_backfill',
          [
            ['Add field a to Blog', BACKFILL_DOCS - orphan],
            ['Add field b to Blog', BACKFILL_DOCS],
          ],
        ],
      ],
    );
    t.diagnostic(`resumed in ${Date.now() - started} ms`);
    assert.deepEqual(await outcome(db), expected.outcome);
  });

  test(
    'the CLI killed halfway through AlterField’s batched conversion: the next migrate converts the rest, as a run without the kill',
    {
      skip: lacks('pipelineUpdates')
        ? false
        : `${server.name} converts in one pipeline updateMany: no batches to interrupt`,
      // FerretDB v1.24 never answered a bulkWrite of 100 statements or more (cli/migrations/bulk.ts): fail, not hang.
      timeout: 120_000,
    },
    async (t) => {
      const dir = migrations('rank', RANK_TO_NUMBER);
      // The control run converts with the default batch size, 1000: more than 99 statements a batch.
      const expected = await control(server.uri, dir, CONVERT_DOCS);
      const { db } = await open(server.uri);
      await seed(db, CONVERT_DOCS);
      const convertible = await db.collection('blogs').countDocuments({ rank: { $type: 'string' } });

      const run = cli(args(server.uri, db.databaseName, dir, '--batch-size', String(CONVERT_BATCH)));
      const numbers = () => db.collection('blogs').countDocuments({ rank: { $type: 'number' } });
      await until('the first converted batch', 60_000, async () => (await numbers()) > 0);
      run.child.kill('SIGKILL');
      await run.done;

      const converted = await settled(numbers);
      t.diagnostic(`control run ${expected.ms} ms; the killed run converted ${converted} of ${convertible}`);
      assert.ok(converted > 0 && converted < convertible, `${converted} of ${convertible} converted: not halfway`);
      assert.equal(await stepsDone(db, 'djongoose', '0002_rank', 'forwards'), 0);
      assert.equal(await db.collection('django_migrations').countDocuments({ name: '0002_rank' }), 0);

      const resumed = await cli(args(server.uri, db.databaseName, dir, '--batch-size', String(CONVERT_BATCH))).done;
      assert.equal(resumed.code, 0, resumed.stderr);
      const report = JSON.parse(resumed.stdout) as JsonReport;
      assert.deepEqual(
        report.runs.map((r) => r.results.map((x) => [x.operation, x.modified, x.via])),
        [[['Alter field rank on Blog (String → Number)', convertible - converted, 'batched']]],
        'the resumed run converts only what the killed one left',
      );
      assert.deepEqual(await outcome(db), expected.outcome);
    },
  );
});

const PLANTED = 'pl4nted-Secret';
const NOT_PERSISTENT =
  server.kind === 'ferretdb'
    ? false
    : `${server.name} keeps its data in memory: a restarted server has lost the documents, so there is nothing to resume`;

describe(`migrate while the server restarts (a FerretDB of its own, on SQLite)`, { skip: NOT_PERSISTENT }, () => {
  test('the server killed mid-backfill: exit 3 with one clear line; restarted on its data, the next migrate finishes as a run without the kill', async (t) => {
    const definition = ferretdb();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'djongoose-interrupt-'));
    const port = await freePort();
    const start = () => definition.start({ dataDir, extraArgs: ['-listen', `127.0.0.1:${port}`] });
    let running = await start();
    const opened: mongoose.Connection[] = [];
    t.after(async () => {
      for (const conn of opened) await conn.close();
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const uri = `mongodb://migrator:${PLANTED}@127.0.0.1:${port}/?authMechanism=PLAIN&authSource=%24external`;
    const dir = migrations('backfill', `${string('a', 'A')},\n${string('b', 'B')}`);
    const expected = await control(running.uri, dir, BACKFILL_DOCS, opened);
    const { db } = await open(running.uri, opened);
    await seed(db, BACKFILL_DOCS);

    const run = cli(args(uri, db.databaseName, dir, '--timeout', '1000'));
    await until(
      'the backfill under way',
      30_000,
      async () => (await db.collection('blogs').countDocuments({ a: 'A' })) > 0,
    );
    await running.kill();
    const failed = await run.done;
    t.diagnostic(failed.stderr.trim());
    assert.equal(failed.code, 3, failed.stdout + failed.stderr);
    assert.match(failed.stderr, /^djongoose: OperationalError: .*127\.0\.0\.1:\d+/m);
    assert.doesNotMatch(failed.stderr, /^\s+at /m, 'a stack trace');
    assert.ok(!(failed.stdout + failed.stderr).includes(PLANTED), 'the password leaked');

    running = await start();
    const partial = await db.collection('blogs').countDocuments({ a: 'A' });
    t.diagnostic(`the restarted server kept a on ${partial} of ${BACKFILL_DOCS}`);
    assert.ok(partial < BACKFILL_DOCS, 'the backfill had finished before the server was killed');
    const resumed = await cli(args(uri, db.databaseName, dir, '--lock-wait', '0')).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(await outcome(db), expected.outcome);
  });
});
