// AddField's backfill through `migrate` (the migration files loaded, the
// lock taken, the operation run, the migration recorded) against the one
// raw updateMany that does the same, side by side in alternating rounds
// (AB BA …) on the same collection, reset between rounds. Prints the median
// ratio (ours ÷ raw) with its 95% interval, and the process's peak RSS.
// Asserts no timing.
//
// `npm run bench:migrate` runs it on MONGODB_URI when set, else on
// mongo-java-server (MIGRATE_SERVERS=ferretdb,mongo-java-server adds
// FerretDB). MIGRATE_DOCS sets N (default 10^6, the figure);
// MIGRATE_ROUNDS the rounds per side.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { applyMigrations } from '../../cli/api.js';
import { count, medianInterval, spread } from './measure.js';
import type { BenchServer } from './on-servers.js';

const DOCUMENTS = Number(process.env['MIGRATE_DOCS'] ?? 1_000_000);
const ROUNDS = Number(process.env['MIGRATE_ROUNDS'] ?? 6);

const INITIAL = `export default { initial: true, dependencies: [], operations: [
  { op: 'CreateModel', model: { name: 'Blog', collection: 'blogs', fields: { name: { type: 'String', required: false }, tagline: { type: 'String', required: false } }, indexes: [] } },
] };\n`;
const ADD_FIELD = `export default { dependencies: ['0001_initial'], operations: [
  { op: 'AddField', model: 'Blog', name: 'description', field: { type: 'String', required: false, default: '' }, backfill: '' },
] };\n`;

async function seed(db: mongoose.mongo.Db): Promise<void> {
  const BATCH = 10_000;
  for (let from = 0; from < DOCUMENTS; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(from + BATCH, DOCUMENTS); i++) batch.push({ name: `Blog ${i}`, tagline: 'news' });
    await db.collection('blogs').insertMany(batch, { ordered: false });
  }
}

const ms = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;

/**
 * Seeds N blogs, then times `migrate` of an AddField against the raw
 * updateMany, round by round; returns the lines to print.
 *
 * @example
 * ```ts
 * console.log((await migrateBenchmark('mongodb://127.0.0.1:27017/', 'migrate_bench')).join('\n'));
 * ```
 */
export async function migrateBenchmark(uri: string, dbName: string): Promise<string[]> {
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  const db = conn.db!;
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-bench-')), 'migrations');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '0001_initial.ts'), INITIAL);
  writeFileSync(path.join(dir, '0002_blog_description.ts'), ADD_FIELD);
  try {
    await conn.dropDatabase();
    const seedStarted = process.hrtime.bigint();
    await seed(db);
    const seedMs = ms(seedStarted);
    await applyMigrations(conn, { migrations: dir, target: '0001_initial', fakeInitial: true });
    const reset = async (): Promise<void> => {
      await db.collection('blogs').updateMany({}, { $unset: { description: '' } });
      await db.collection('django_migrations').deleteMany({ name: '0002_blog_description' });
    };
    const ours = async (): Promise<number> => {
      const started = process.hrtime.bigint();
      const report = await applyMigrations(conn, { migrations: dir });
      const took = ms(started);
      assert.equal(report.runs[0]?.results[0]?.modified, DOCUMENTS);
      return took;
    };
    const raw = async (): Promise<number> => {
      const started = process.hrtime.bigint();
      const result = await db
        .collection('blogs')
        .updateMany({ description: { $exists: false } }, { $set: { description: '' } });
      const took = ms(started);
      assert.equal(result.modifiedCount, DOCUMENTS);
      return took;
    };
    const ratios: number[] = [];
    const oursMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [ours, raw] : [raw, ours];
      const times = new Map<unknown, number>();
      for (const side of order) {
        await reset();
        times.set(side, await side());
      }
      oursMs.push(times.get(ours) ?? Number.NaN);
      rawMs.push(times.get(raw) ?? Number.NaN);
      ratios.push((times.get(ours) ?? Number.NaN) / (times.get(raw) ?? Number.NaN));
    }
    const [low, high] = medianInterval(ratios);
    const peak = process.resourceUsage().maxRSS / 1024;
    return [
      `seeded ${count(DOCUMENTS)} documents in ${(seedMs / 1000).toFixed(1)} s`,
      `migrate (AddField backfill, files loaded, lock, record): median ${spread(oursMs).median.toFixed(0)} ms`,
      `raw updateMany, same filter and $set: median ${spread(rawMs).median.toFixed(0)} ms`,
      `ratio ours ÷ raw, median of ${ROUNDS} rounds: ${spread(ratios).median.toFixed(3)} (95% interval ${low.toFixed(3)}–${high.toFixed(3)}; the issue's target: ≤ 1.2)`,
      `peak RSS of this process (seeding included): ${peak.toFixed(0)} MiB`,
    ];
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

async function main(): Promise<void> {
  const { onServers } = await import('./on-servers.js');
  const servers = (process.env['MIGRATE_SERVERS'] ?? 'mongo-java-server').split(',') as BenchServer[];
  const ok = await onServers(async (label, uri) => {
    console.log(`\n=== migrate AddField backfill, ${count(DOCUMENTS)} documents, on ${label} ===`);
    console.log((await migrateBenchmark(uri, `djongoose_migrate_${process.pid}`)).join('\n'));
  }, servers);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
