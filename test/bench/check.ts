// `djongoose check` on a million documents: the CLI run as a user runs it (a
// child process) with a capped heap, so that it could not hold the collection
// if it tried, side by side with a raw driver cursor over the same collection
// (the least any scan costs). Prints throughput, the ratio (ours ÷ the raw
// scan) and the child's peak RSS; checks that the report counts exactly the
// drift that was planted. Asserts no timing.
// CHECK_ROUNDS rounds (default 3), interleaved (raw, check; then check, raw; …)
// so that load on a shared machine falls on both: the ratio is the median of
// the rounds' ratios, with its interval. CHECK_BEFORE=<dir> runs the check of
// another checkout of djongoose (its own cli/index.ts) in the same rounds, for
// before/after figures from one run.
//
// `npm run bench:check` runs it on MONGODB_URI when set, else on
// mongo-java-server, which it starts (FerretDB v1 on SQLite stores a million
// documents in minutes: CHECK_SERVERS=ferretdb,mongo-java-server adds it).
// CHECK_DOCS changes the size; CHECK_HEAP_MB the child's heap cap.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { ROOT } from '../harness/paths.js';
import { loadavg } from 'node:os';
import { count, medianInterval, spread } from './measure.js';
import type { BenchServer } from './on-servers.js';

const DOCUMENTS = Number(process.env['CHECK_DOCS'] ?? 1_000_000);
const HEAP_MB = Number(process.env['CHECK_HEAP_MB'] ?? 96);
const ROUNDS = Number(process.env['CHECK_ROUNDS'] ?? 3);
const BEFORE = process.env['CHECK_BEFORE'];
const MODELS = 'test/fixtures/cli/models.ts';
// Planted drift, by position: every 100th document lacks `rating`, every
// 250th has a field the schema does not declare, every 333rd stores `rating`
// as a string (unless it is also a 100th: those lack it).
const MISSING_EVERY = 100;
const UNKNOWN_EVERY = 250;
const WRONG_TYPE_EVERY = 333;

interface Planted {
  readonly missingRating: number;
  readonly unknownLegacy: number;
  readonly wrongTypeRating: number;
}

function plantedCounts(n: number): Planted {
  let missingRating = 0;
  let unknownLegacy = 0;
  let wrongTypeRating = 0;
  for (let i = 1; i <= n; i++) {
    if (i % MISSING_EVERY === 0) missingRating++;
    else if (i % WRONG_TYPE_EVERY === 0) wrongTypeRating++;
    if (i % UNKNOWN_EVERY === 0) unknownLegacy++;
  }
  return { missingRating, unknownLegacy, wrongTypeRating };
}

function document(i: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    id: i,
    headline: `Song ${i}`,
    blog: { name: 'Beatles Blog', tagline: 'news' },
    tags: ['rock'],
  };
  if (i % MISSING_EVERY !== 0) doc['rating'] = i % WRONG_TYPE_EVERY === 0 ? 'five' : 1 + (i % 5);
  if (i % UNKNOWN_EVERY === 0) doc['legacy'] = true;
  return doc;
}

async function seed(db: mongoose.mongo.Db): Promise<number> {
  const started = performance.now();
  const collection = db.collection('entries');
  const BATCH = 10_000;
  for (let from = 1; from <= DOCUMENTS; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(from + BATCH, DOCUMENTS + 1); i++) batch.push(document(i));
    await collection.insertMany(batch, { ordered: false });
  }
  return performance.now() - started;
}

/** Peak resident set of a Linux process, in MiB, from /proc (undefined elsewhere or once it has exited). */
function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface CheckRun {
  readonly code: number | null;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly peakRssMiB: number | undefined;
}

function runCheck(uri: string, dbName: string, root = ROOT): Promise<CheckRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_MB}`,
        '--import',
        'tsx',
        'cli/index.ts',
        'check',
        '--uri',
        uri,
        '--db',
        dbName,
        '--models',
        MODELS,
        '--json',
      ],
      { cwd: root, env: { ...process.env, MONGODB_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let peak: number | undefined;
    // VmHWM is the high-water mark: the last reading before exit is the peak.
    const poll = setInterval(() => (peak = peakRssMiB(child.pid ?? -1) ?? peak), 200);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, ms: performance.now() - started, stdout, stderr, peakRssMiB: peak });
    });
  });
}

async function rawScan(db: mongoose.mongo.Db): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const doc of db.collection('entries').find({}, { batchSize: 1000 })) if (doc) n++;
  assert.equal(n, DOCUMENTS);
  return performance.now() - started;
}

interface Drift {
  readonly field: string;
  readonly count: number;
}

interface Report {
  readonly drift: boolean;
  readonly models: readonly {
    readonly model: string;
    readonly scanned: number;
    readonly missing: readonly Drift[];
    readonly unknown: readonly Drift[];
    readonly wrongType: readonly Drift[];
  }[];
}

const countOf = (list: readonly Drift[] | undefined, field: string): number =>
  list?.find((d) => d.field === field)?.count ?? 0;

/**
 * Seeds a fresh database, runs `djongoose check` on it and a raw scan, and
 * returns the lines to print.
 *
 * @example
 * ```ts
 * console.log((await checkBenchmark('mongodb://127.0.0.1:27017/', 'check_bench')).join('\n'));
 * ```
 */
export async function checkBenchmark(uri: string, dbName: string): Promise<string[]> {
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    await conn.dropDatabase();
    const db = conn.db!;
    const seedMs = await seed(db);
    const load = loadavg()[0]!.toFixed(2);
    const raws: number[] = [];
    const checks: CheckRun[] = [];
    const befores: CheckRun[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Odd rounds flip the order, so that neither side always runs first.
      const sides = [async () => raws.push(await rawScan(db)), async () => checks.push(await runCheck(uri, dbName))];
      if (BEFORE) sides.push(async () => befores.push(await runCheck(uri, dbName, BEFORE)));
      for (const side of round % 2 === 0 ? sides : sides.reverse()) await side();
    }
    const planted = plantedCounts(DOCUMENTS);
    for (const check of [...checks, ...befores]) assertReport(check, planted);
    const ratios = (runs: readonly CheckRun[]): string => {
      const each = runs.map((run, i) => raws[i]! / run.ms);
      const [low, high] = medianInterval(each);
      return `${spread(each).median.toFixed(3)} (interval ${low.toFixed(3)}–${high.toFixed(3)}, ${each.length} rounds)`;
    };
    const rate = (runs: readonly number[]): string => {
      const ms = spread(runs).median;
      return `${count((DOCUMENTS / ms) * 1000)} docs/s (${(ms / 1000).toFixed(1)} s, median)`;
    };
    const peak = (runs: readonly CheckRun[]): string => {
      const peaks = runs.map((r) => r.peakRssMiB).filter((p) => p !== undefined);
      return peaks.length === 0 ? 'n/a' : `${Math.max(...peaks).toFixed(0)} MiB`;
    };
    const lines = [
      `seeded ${count(DOCUMENTS)} documents in ${(seedMs / 1000).toFixed(1)} s; load average ${load} before the rounds, ` +
        `${loadavg()[0]!.toFixed(2)} after`,
      `djongoose check (child process, --max-old-space-size=${HEAP_MB}): ${rate(checks.map((c) => c.ms))}, ` +
        `peak RSS ${peak(checks)}`,
      `raw driver cursor scan, same collection: ${rate(raws)}`,
      `ratio (ours ÷ raw scan throughput): ${ratios(checks)} — check also starts Node, ` +
        `loads the models and inspects every field`,
    ];
    if (BEFORE) {
      lines.push(
        `before (${BEFORE}): ${rate(befores.map((c) => c.ms))}, peak RSS ${peak(befores)}; ratio ${ratios(befores)}`,
      );
    }
    lines.push(
      `report: ${count(planted.missingRating)} missing rating, ${count(planted.unknownLegacy)} unknown legacy, ` +
        `${count(planted.wrongTypeRating)} wrong-type rating — as planted`,
    );
    return lines;
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

function assertReport(check: CheckRun, planted: Planted): void {
  // Exit code 1 means drift was found, which there is.
  assert.equal(check.code, 1, `check should exit 1 on drift; stderr:\n${check.stderr}`);
  const report = JSON.parse(check.stdout) as Report;
  const entry = report.models.find((m) => m.model === 'Entry');
  assert.ok(entry, 'the report has no Entry model');
  assert.equal(entry.scanned, DOCUMENTS, 'check must read every document');
  assert.equal(countOf(entry.missing, 'rating'), planted.missingRating, 'documents lacking rating');
  assert.equal(countOf(entry.unknown, 'legacy'), planted.unknownLegacy, 'documents with the unknown field');
  assert.equal(countOf(entry.wrongType, 'rating'), planted.wrongTypeRating, 'documents with a string rating');
}

async function main(): Promise<void> {
  const { onServers } = await import('./on-servers.js');
  const dbName = `djongoose_check_${process.pid}`;
  const servers = (process.env['CHECK_SERVERS'] ?? 'mongo-java-server').split(',') as BenchServer[];
  const ok = await onServers(async (label, uri) => {
    console.log(`\n=== djongoose check, ${count(DOCUMENTS)} documents, on ${label} ===`);
    console.log((await checkBenchmark(uri, dbName)).join('\n'));
  }, servers);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
