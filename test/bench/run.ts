// `npm run bench`: benchmarks, each side by side with its baseline in one run,
// printed as ratios (ours ÷ baseline; above 1 means ours is faster).
//   1. Translation: resolveSettings and compiling a six-clause nested Q filter.
//   2. Type-check: the whole project, a 30-field model embedded three deep, and a
//      user's file of queries with djongoose against the same with plain Mongoose.
//   3. On MONGODB_URI when set, else on FerretDB and on mongo-java-server:
//      queries (Entry.objects.filter(...) against the hand-written Entry.find(...)),
//      enforceSchema's lax reads against the same model without the plugin, and
//      autoIncrement's bulkCreate against insertMany and a per-document counter.
//   4. GridFSStorage against the raw GridFSBucket, and the RSS of 256 MiB through
//      save() and open(): test/bench/gridfs.ts, run as a child process (it takes minutes).
// Not run here: `npm run bench:check` (test/bench/check.ts), `djongoose check`
// over a million documents with a capped heap, against a raw cursor scan.
// BENCH_ONLY=queries,enforce,counters,gridfs picks some of the server sections.
// Prints numbers only; nothing here fails on a slow result.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';
import { resolveSettings } from '../../index.js';
import { onServers } from './on-servers.js';
import { perCall } from './measure.js';
import { RATIO_TARGET, queryBenchmark, queryTable, verdict, type QueryRow } from './query.js';
import { translationBenchmark } from './translate.js';
import { enforceBenchmark, enforceTable } from './enforce.js';
import { counterBenchmark, counterTable } from './counters.js';
import { FIXTURES, tsc, userFileBudget, type TscTiming } from './typecheck.js';

const benchStarted = Date.now();
const dbName = `djongoose_bench_${process.pid}`;

console.log('=== translation (no server) ===');
const seed = {
  ENGINE: 'djongo',
  NAME: 'blog',
  CLIENT: { host: 'localhost', port: 27017, username: 'u', password: 'p', authSource: 'admin' },
} as const;
const ns = perCall(() => resolveSettings(seed), 50_000);
console.log(`resolveSettings (seed dict): ${(ns / 1000).toFixed(2)} µs per call`);
for (const row of translationBenchmark()) console.log(`${row.name}: ${(row.ns / 1000).toFixed(2)} µs per call`);

console.log('\n=== type-check ===');
let failed = false;
const typeErrors = (label: string, timing: TscTiming): string => {
  if (timing.errors === undefined) return '';
  failed = true;
  return `  — FAILED with type errors (${label}):\n${timing.errors}`;
};
const whole = await tsc('tsconfig.json');
console.log(`tsc --noEmit (whole project): ${whole.ms.toFixed(0)} ms${typeErrors('whole project', whole)}`);
const describeTsc = (t: TscTiming): string =>
  `${t.ms.toFixed(0)} ms (check ${t.checkMs?.toFixed(0) ?? '?'} ms, ` +
  `${t.instantiations?.toLocaleString('en-US') ?? '?'} type instantiations)`;
const wide = await tsc(path.join(FIXTURES, 'tsconfig.json'), true);
console.log(`tsc --noEmit (30-field model, 3-level embedding): ${describeTsc(wide)}${typeErrors('wide-model', wide)}`);
const small = await tsc(path.join(FIXTURES, 'tsconfig.small.json'), true);
console.log(`tsc --noEmit (1-field model, same imports, baseline): ${describeTsc(small)}${typeErrors('small', small)}`);
console.log(
  `  the 30-field model adds ${(wide.ms - small.ms).toFixed(0)} ms wall, ` +
    `${((wide.checkMs ?? 0) - (small.checkMs ?? 0)).toFixed(0)} ms check time and ` +
    `${((wide.instantiations ?? 0) - (small.instantiations ?? 0)).toLocaleString('en-US')} instantiations ` +
    `(ratio baseline ÷ wide: ${(small.ms / wide.ms).toFixed(3)})`,
);

const budget = userFileBudget();
const budgetErrors = [budget.ours.errors, budget.mongoose.errors].filter((e) => e !== undefined).join('\n');
if (budgetErrors !== '') failed = true;
console.log(
  `a user's file, 14 queries on that model (test/bench/fixtures/user-*.ts): djongoose ` +
    `${budget.ours.instantiations.toLocaleString('en-US')} instantiations, plain Mongoose ` +
    `${budget.mongoose.instantiations.toLocaleString('en-US')}; ratio ours ÷ Mongoose: ${budget.ratio.toFixed(3)} ` +
    `(target ≤ 1.10)${budgetErrors === '' ? '' : ` — FAILED with type errors:\n${budgetErrors}`}`,
);

const only = (process.env['BENCH_ONLY'] ?? 'queries,enforce,counters,gridfs').split(',');

async function section(label: string, uri: string): Promise<QueryRow[]> {
  let rows: QueryRow[] = [];
  if (only.includes('queries')) {
    console.log(`\n=== queries on ${label} ===`);
    rows = await queryBenchmark(uri, dbName);
    console.log(queryTable(rows));
  }
  if (only.includes('enforce')) {
    console.log(`\n=== enforceSchema lax reads on ${label} ===`);
    console.log(enforceTable(await enforceBenchmark(uri, dbName)));
  }
  if (only.includes('counters')) {
    console.log(`\n=== autoIncrement counters on ${label} ===`);
    console.log(counterTable(await counterBenchmark(uri, dbName)));
  }
  return rows;
}

const missed: string[] = [];
const collect = (label: string, rows: readonly QueryRow[]): void => {
  for (const row of rows) {
    if (row.result.ratio.median < RATIO_TARGET) missed.push(`${label}: ${row.name} (${verdict(row.result)})`);
  }
};

if (!(await onServers(async (label, uri) => collect(label, await section(label, uri))))) failed = true;

if (only.includes('gridfs')) {
  console.log('\n=== GridFS (test/bench/gridfs.ts) ===');
  const gridfs = spawnSync(process.execPath, ['--import', 'tsx', path.join('test', 'bench', 'gridfs.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (gridfs.status !== 0) failed = true;
}

console.log(
  `\nratio: ours ÷ baseline throughput (> 1: ours is faster), the median of per-round ratios over interleaved\n` +
    `rounds; 95% CI: of that median; client CPU ratio: the baseline's CPU time per call in this process ÷ ours\n` +
    `(the server's time is not in it). Each table names its target; "within noise": the CI straddles it.`,
);
if (only.includes('queries')) {
  console.log(
    missed.length === 0
      ? `All query ratios meet their target (≥ ${RATIO_TARGET}).`
      : `Query ratios below their target (≥ ${RATIO_TARGET}): ${missed.join('; ')}.`,
  );
}
console.log(`bench took ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
