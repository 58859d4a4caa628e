// migrate under way: two runs at once take turns through the lock document
// and apply each migration once; a run killed mid-migration leaves its
// finished steps noted, and the next run resumes after them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type mongoose from 'mongoose';
import { applyMigrations } from '../../cli/api.js';
import { MigrationLockedError } from '../../core/errors.js';
import { ROOT } from '../harness/paths.js';
import { assertMatchesExample } from '../helpers/error-examples.js';
import { cliDatabases } from '../helpers/cli-databases.js';
import { server } from '../helpers/server.js';

const database = cliDatabases(import.meta.url);

async function fresh() {
  const made = await database();
  mkdirSync(made.dir, { recursive: true });
  return { ...made, args: ['migrate', ...made.target] };
}

function start(args: readonly string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/index.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out })),
  );
  return { child, done };
}

// A first migration that makes `blogs`, and a second whose steps count their runs in `runs`.
const INITIAL = `export default { initial: true, dependencies: [], operations: [
  { op: 'CreateModel', model: { name: 'Blog', collection: 'blogs', fields: { name: { type: 'String', required: false } }, indexes: [] } },
] };\n`;
const count = (step: string) =>
  `{ op: 'RunScript', up: async ({ db }) => { await db.collection('runs').updateOne({ _id: '${step}' }, { $inc: { n: 1 } }, { upsert: true }); } }`;

async function runsOf(db: mongoose.mongo.Db): Promise<Record<string, number>> {
  const docs = await db.collection<{ _id: string; n: number }>('runs').find().toArray();
  return Object.fromEntries(docs.map((d) => [d._id, d.n]));
}

describe(`migrate runs on ${server.name}`, () => {
  test('two migrate processes at once: the second waits for the lock, and no migration runs twice', async () => {
    const { db, dir, args } = await fresh();
    writeFileSync(`${dir}/0001_initial.ts`, INITIAL);
    writeFileSync(
      `${dir}/0002_slow.ts`,
      `export default { dependencies: ['0001_initial'], operations: [
  ${count('slow')},
  { op: 'RunScript', up: () => new Promise((resolve) => setTimeout(resolve, 1500)) },
] };\n`,
    );
    const [a, b] = [start(args), start(args)];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.out);
    assert.equal(rb.code, 0, rb.out);
    assert.deepEqual(await runsOf(db), { slow: 1 });
    assert.equal(await db.collection('django_migrations').countDocuments({ app: 'djongoose' }), 2);
    // One of them applied both; the other found nothing left to apply.
    assert.equal([ra.out, rb.out].filter((out) => /No migrations to apply/.test(out)).length, 1, ra.out + rb.out);
    assert.equal(await db.collection('djongoose_migrations_lock').countDocuments({ _id: 'lock' as never }), 0);
  });

  test('with no wait, a second run refuses while the first holds the lock, with nothing run', async () => {
    const { conn, db, dir } = await fresh();
    writeFileSync(`${dir}/0001_initial.ts`, INITIAL);
    writeFileSync(
      `${dir}/0002_slow.ts`,
      `export default { dependencies: ['0001_initial'], operations: [
  { op: 'RunScript', up: () => new Promise((resolve) => setTimeout(resolve, 1000)) }, ${count('slow')},
] };\n`,
    );
    const first = applyMigrations(conn, { migrations: dir });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(
      applyMigrations(conn, { migrations: dir, lockWait: 0 }),
      (err: unknown) => err instanceof MigrationLockedError && assertMatchesExample(err, 'MigrationLockedError'),
    );
    await first;
    assert.deepEqual(await runsOf(db), { slow: 1 });
  });

  test('a run killed mid-migration resumes after its finished steps on the next migrate', async () => {
    const { db, dir, args } = await fresh();
    writeFileSync(`${dir}/0001_initial.ts`, INITIAL);
    // Step 1 counts; step 2 backfills; step 3 stops the first run (it waits to be killed); step 4 backfills.
    writeFileSync(
      `${dir}/0002_steps.ts`,
      `export default { dependencies: ['0001_initial'], operations: [
  ${count('first')},
  { op: 'AddField', model: 'Blog', name: 'a', field: { type: 'String', required: false }, backfill: 'A' },
  { op: 'RunScript', up: async ({ db }) => {
      const seen = await db.collection('runs').findOne({ _id: 'stop' });
      await db.collection('runs').updateOne({ _id: 'stop' }, { $inc: { n: 1 } }, { upsert: true });
      if (!seen) await new Promise(() => setInterval(() => undefined, 1000));
  } },
  { op: 'AddField', model: 'Blog', name: 'b', field: { type: 'String', required: false }, backfill: 'B' },
] };\n`,
    );
    await db.collection('blogs').insertMany(Array.from({ length: 500 }, (_, i) => ({ name: `blog ${i}` })));
    const run = start(args);
    for (let i = 0; i < 300 && !(await db.collection('runs').findOne({ _id: 'stop' as never })); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    run.child.kill('SIGKILL');
    await run.done;
    assert.equal(await db.collection('django_migrations').countDocuments({ name: '0002_steps' }), 0, 'not recorded');
    assert.equal(await db.collection('blogs').countDocuments({ a: 'A' }), 500);
    assert.equal(await db.collection('blogs').countDocuments({ b: { $exists: true } }), 0);

    const resumed = start(args);
    const result = await resumed.done;
    assert.equal(result.code, 0, result.out);
    assert.match(result.out, /Applying djongoose\.0002_steps\.\.\. OK/);
    assert.deepEqual(await runsOf(db), { first: 1, stop: 2 }, 'step 1 did not run again; step 3 did');
    assert.equal(await db.collection('blogs').countDocuments({ a: 'A', b: 'B' }), 500);
    assert.equal(await db.collection('django_migrations').countDocuments({ name: '0002_steps' }), 1);
  });
});
