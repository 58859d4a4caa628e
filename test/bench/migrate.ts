// AddField's backfill through `migrate` (the migration files loaded, the
// lock taken, the progress bar's count, the operation run, the migration
// recorded) against the one raw updateMany that does the same, side by side
// in alternating rounds (ours first, then raw first, …) after a warm-up
// pair. Before each side the field is unset on every document (a raw
// updateMany) and the migration's record removed, so both backfill the whole
// collection. Prints per size the median times, the ratio ours ÷ raw (median
// of the rounds' ratios, with its 95% interval) and the peak RSS of the
// `djongoose migrate` CLI doing the same backfill in a child process, as a
// user runs it. Asserts no timing.
//
// `npm run bench:migrate` runs it on MONGODB_URI when set, else on
// mongo-java-server. Flags (or their environment variables):
//   --docs 100000,1000000  (MIGRATE_DOCS) sizes, grown in place, smallest first;
//                          default 100000,1000000, and 1000,2000 on FerretDB
//   --rounds 5             (MIGRATE_ROUNDS) timed rounds per size
//   --servers ferretdb,mongo-java-server  (MIGRATE_SERVERS)
// FerretDB v1.24 on SQLite: its updateMany takes time growing with the
// square of the documents (1,000 in ~3 s, 2,000 in ~13 s, 5,000 in ~130 s on
// a loaded machine), and a round is four passes (two resets, two backfills),
// so it stops at a few thousand.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { applyMigrations } from '../../cli/api.js';
import { djongoose } from '../helpers/cli.js';
import { abbaRound, count, medianInterval, spread, table } from './measure.js';
import type { BenchServer } from './on-servers.js';

/** The sizes, rounds and servers, from the flags or their environment variables. */
function options(): { sizes: number[] | undefined; rounds: number; servers: BenchServer[] } {
  const { values } = parseArgs({
    options: {
      docs: { type: 'string', ...(process.env['MIGRATE_DOCS'] ? { default: process.env['MIGRATE_DOCS'] } : {}) },
      rounds: { type: 'string', default: process.env['MIGRATE_ROUNDS'] ?? '5' },
      servers: { type: 'string', default: process.env['MIGRATE_SERVERS'] ?? 'mongo-java-server' },
    },
  });
  const sizes = values.docs
    ?.split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const rounds = Number(values.rounds);
  assert.ok(
    (sizes ?? []).every((n) => Number.isSafeInteger(n) && n > 0) && Number.isSafeInteger(rounds) && rounds > 0,
    '--docs takes sizes like 100000,1000000 and --rounds a whole number',
  );
  return { sizes, rounds, servers: values.servers.split(',') as BenchServer[] };
}

const COLLECTION = 'blogs';
const MIGRATION = '0002_blog_description';
const INITIAL = `export default { initial: true, dependencies: [], operations: [
  { op: 'CreateModel', model: { name: 'Blog', collection: '${COLLECTION}', fields: { name: { type: 'String', required: false }, tagline: { type: 'String', required: false } }, indexes: [] } },
] };\n`;
const ADD_FIELD = `export default { dependencies: ['0001_initial'], operations: [
  { op: 'AddField', model: 'Blog', name: 'description', field: { type: 'String', required: false, default: '' }, backfill: '' },
] };\n`;

/** Inserts documents `from` … `to - 1`, in large unordered batches, a few in flight. */
async function seed(collection: mongoose.mongo.Collection, from: number, to: number): Promise<void> {
  const BATCH = 20_000;
  const IN_FLIGHT = 2;
  const pending: Promise<unknown>[] = [];
  for (let start = from; start < to; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(start + BATCH, to); i++) batch.push({ name: `Blog ${i}`, tagline: 'news' });
    pending.push(collection.insertMany(batch, { ordered: false }));
    if (pending.length >= IN_FLIGHT) await pending.shift();
  }
  await Promise.all(pending);
}

const since = (started: number): number => performance.now() - started;

interface ChildRun {
  readonly ms: number;
  readonly peakRssMiB: number;
  readonly modified: number;
}

/** `djongoose migrate` in a child process, as a user runs it; its peak RSS from the kernel. */
async function migrateCli(uri: string, dbName: string, dir: string): Promise<ChildRun> {
  const rssFile = path.join(path.dirname(dir), 'peak-rss');
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const { code, stdout, stderr } = await djongoose(
    ['migrate', '--uri', uri, '--db', dbName, '--migrations', dir, '--json'],
    { PEAK_RSS_FILE: rssFile },
    ['--import', './test/bench/peak-rss.ts'],
  );
  const ms = since(started);
  if (code !== 0) throw new Error(`djongoose migrate exited ${String(code)}:\n${stderr}`);
  const report = JSON.parse(stdout) as { runs: { results: { modified: number }[] }[] };
  const peakRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  return { ms, peakRssMiB, modified: report.runs[0]?.results[0]?.modified ?? Number.NaN };
}

interface SizeResult {
  readonly documents: number;
  readonly seedMs: number;
  readonly oursMs: readonly number[];
  readonly rawMs: readonly number[];
  readonly ratios: readonly number[];
  readonly cli: ChildRun;
}

/**
 * Grows the collection to each size in turn and times `migrate`'s AddField
 * backfill against the raw updateMany; returns the lines to print.
 *
 * @example
 * ```ts
 * console.log((await migrateBenchmark('mongodb://127.0.0.1:27017/', 'migrate_bench', [100_000], 5)).join('\n'));
 * ```
 */
export async function migrateBenchmark(
  uri: string,
  dbName: string,
  sizes: readonly number[],
  rounds: number,
): Promise<string[]> {
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  const db = conn.db!;
  const blogs = db.collection(COLLECTION);
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-bench-')), 'migrations');
  mkdirSync(dir);
  writeFileSync(path.join(dir, '0001_initial.ts'), INITIAL);
  writeFileSync(path.join(dir, `${MIGRATION}.ts`), ADD_FIELD);
  const loadBefore = os.loadavg()[0]!;
  try {
    await conn.dropDatabase();
    await applyMigrations(conn, { migrations: dir, target: '0001_initial' });
    const reset = async (): Promise<void> => {
      await blogs.updateMany({}, { $unset: { description: '' } });
      await db.collection('django_migrations').deleteMany({ name: MIGRATION });
    };
    const results: SizeResult[] = [];
    let stored = 0;
    for (const documents of sizes) {
      const seedStarted = performance.now();
      await seed(blogs, stored, documents);
      stored = documents;
      const seedMs = since(seedStarted);
      // Ours as the CLI runs it on a terminal: with the progress bar's count.
      const ours = async (): Promise<number> => {
        await reset();
        const started = performance.now();
        const report = await applyMigrations(conn, { migrations: dir, onProgress: () => undefined });
        const took = since(started);
        assert.equal(report.runs[0]?.results[0]?.modified, documents);
        return took;
      };
      const raw = async (): Promise<number> => {
        await reset();
        const started = performance.now();
        const result = await blogs.updateMany({ description: { $exists: false } }, { $set: { description: '' } });
        const took = since(started);
        assert.equal(result.modifiedCount, documents);
        return took;
      };
      await ours(); // warm-up: the server's and the JIT's first pass, and the migration files' first load
      await raw();
      const oursMs: number[] = [];
      const rawMs: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const [a, b] = await abbaRound(round, ours, raw);
        oursMs.push(a);
        rawMs.push(b);
        // On stderr, so a long run shows where it is; stdout gets the table.
        console.error(
          `${count(documents)} documents, round ${round + 1}/${rounds}: migrate ${a.toFixed(0)} ms, raw ${b.toFixed(0)} ms`,
        );
      }
      await reset();
      const cli = await migrateCli(uri, dbName, dir);
      assert.equal(cli.modified, documents);
      results.push({ documents, seedMs, oursMs, rawMs, ratios: oursMs.map((ms, i) => ms / rawMs[i]!), cli });
    }
    return report(results, rounds, loadBefore);
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

function report(results: readonly SizeResult[], rounds: number, loadBefore: number): string[] {
  const seconds = (ms: number): string => (ms / 1000).toFixed(2);
  const rows = results.map((r) => {
    const [low, high] = medianInterval(r.ratios);
    return [
      count(r.documents),
      seconds(spread(r.oursMs).median),
      seconds(spread(r.rawMs).median),
      `${spread(r.ratios).median.toFixed(3)} [${low.toFixed(2)}–${high.toFixed(2)}]`,
      seconds(r.cli.ms),
      r.cli.peakRssMiB.toFixed(0),
    ];
  });
  return [
    `seeded ${results.map((r) => `${count(r.documents)} in ${seconds(r.seedMs)} s`).join(', ')} (growing one collection); ` +
      `load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after`,
    table(
      ['documents', 'migrate s', 'raw s', `ours ÷ raw, median of ${rounds} [95%]`, 'CLI s', 'CLI peak RSS MiB'],
      rows,
    ),
    'migrate: applyMigrations in-process with a progress callback (files loaded, lock, count, updateMany, record);',
    'raw: updateMany({ description: { $exists: false } }, { $set: { description: "" } }). Target: ratio ≤ 1.2.',
    'CLI: `djongoose migrate --json` in a child under tsx (Node start and all), its peak RSS from the kernel.',
  ];
}

async function main(): Promise<void> {
  const { onServers } = await import('./on-servers.js');
  const { sizes, rounds, servers } = options();
  const ok = await onServers(async (label, uri) => {
    console.log(`\n=== migrate AddField backfill against one raw updateMany, on ${label} ===`);
    const defaults = label.startsWith('FerretDB') ? [1_000, 2_000] : [100_000, 1_000_000];
    const lines = await migrateBenchmark(uri, `djongoose_migrate_${process.pid}`, sizes ?? defaults, rounds);
    console.log(lines.join('\n'));
  }, servers);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
