// `npm run bench:admin`: admin list pages over 100,000 entries, through the
// djongoose admin adapter and AdminJS's list action (the code behind its
// HTTP route: filter parsing, find, count, records to JSON), against the raw
// driver queries each page needs: find().sort().skip().limit() plus
// countDocuments (admin-pages.ts). Before timing, each page's commands are
// read from the driver's command monitoring and must equal the raw ones:
// one find and one count, the same filter, sort, skip and limit.
//
// Timing (measure.ts): after a warm-up, ours and the raw queries alternate
// in rounds, ours first in even rounds and the raw queries first in odd ones;
// the cost ratio is ours ÷ raw per round, its median and the median's 95%
// interval; below 1.25 is issue 14's target. Client CPU is this process's
// only: the server's work is the same on both sides.
//
//   npm run bench:admin -- --size 10000 --servers mongo-java-server --seconds 10
//
// Flags, else environment: --size (BENCH_ADMIN_SIZE, default 100,000),
// --servers (BENCH_ADMIN_SERVERS, default ferretdb,mongo-java-server),
// --seconds of timing per page (BENCH_SECONDS, default 30), --rounds at
// least per page (BENCH_ADMIN_ROUNDS, default 10); MONGODB_URI runs on that
// server alone. FerretDB 1.24 on SQLite filters and sorts in its own process
// after reading every row (it pushes down only an _id equality), so a page
// there costs about a second per 10,000 entries and its rounds, not the
// seconds, bound its run.
import os from 'node:os';
import { parseArgs } from 'node:util';
import AdminJS from 'adminjs';
import type { Connection } from 'mongoose';
import { connect } from '../../index.js';
import { Database, Resource } from '../../admin/index.js';
import { commandsDuring } from '../helpers/commands.js';
import { adminList, adminPages, rawPage, seedEntries, type AdminPage, type ListResponse } from './admin-pages.js';
import { pageQueries, type PageQueries } from './admin-sent.js';
import { comparePair, count, table, targetVerdict, type PairResult } from './measure.js';
import { onServers, type BenchServer } from './on-servers.js';

AdminJS.registerAdapter({ Database, Resource });

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string' },
    servers: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const env = process.env;
const SIZE = Number(flags.size ?? env['BENCH_ADMIN_SIZE'] ?? 100_000);
const SECONDS = Number(flags.seconds ?? env['BENCH_SECONDS'] ?? 30);
const ROUNDS = Number(flags.rounds ?? env['BENCH_ADMIN_ROUNDS'] ?? 10);
const WARMUP = Number(env['BENCH_WARMUP_SECONDS'] ?? 3);
const SERVERS = (flags.servers ?? env['BENCH_ADMIN_SERVERS'] ?? 'ferretdb,mongo-java-server').split(',');
const TARGET = 1.25;

/** What `block` resolves to, and what it sent on the entries collection. */
async function observed<T>(connection: Connection, block: () => Promise<T>): Promise<[T, PageQueries]> {
  const results: T[] = [];
  const sent = await commandsDuring(connection, async () => void results.push(await block()));
  return [results[0] as T, pageQueries(sent, 'entries')];
}

/** Checks that a page sends what its raw side sends and lists the same rows; returns what it sends. */
async function checkPage(connection: Connection, list: (page: AdminPage) => Promise<ListResponse>, page: AdminPage) {
  const entries = connection.db!.collection('entries');
  const [listed, ours] = await observed(connection, () => list(page));
  const [rows, raw] = await observed(connection, () => rawPage(entries, page));
  if (ours.queries.join('\n') !== raw.queries.join('\n')) {
    throw new Error(
      `${page.name}: the admin sends\n  ${ours.queries.join('\n  ')}\nbut the raw page sends\n  ${raw.queries.join('\n  ')}`,
    );
  }
  const ids = (docs: readonly Record<string, unknown>[]): string => docs.map((d) => String(d['id'])).join();
  if (listed.meta.total !== rows.total || ids(listed.records.map((r) => r.params)) !== ids(rows.docs)) {
    throw new Error(`${page.name}: the list action and the raw queries disagree: ${JSON.stringify(listed.meta)}`);
  }
  return `${ours.names.join(' + ')}, as the raw page (${rows.docs.length} rows of ${count(rows.total)})`;
}

function cost(result: PairResult): string {
  // measure.ts reports throughput (raw time ÷ ours); the cost is its inverse.
  const median = 1 / result.ratio.median;
  // Below 6 rounds the order statistics around the median cover less than 95%.
  if (result.rounds < 6) return `${median.toFixed(3)} (${result.rounds} rounds: too few for a 95% interval)`;
  const [low, high] = [1 / result.interval[1], 1 / result.interval[0]];
  const verdict = targetVerdict(result.ratio.median, result.interval, 1 / TARGET);
  return `${median.toFixed(3)} [${low.toFixed(3)}–${high.toFixed(3)}] ${verdict}`;
}

const ms = (ns: number): string => (ns / 1e6).toFixed(ns < 1e8 ? 2 : 0);
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function section(label: string, uri: string): Promise<void> {
  const started = performance.now();
  console.log(`\n=== admin list pages on ${label}: ${count(SIZE)} entries (load average ${load()}) ===`);
  const NAME = `djongoose_bench_admin_${process.pid}`;
  const monitored = await connect({ NAME, CLIENT: { host: uri, monitorCommands: true } });
  const connection = await connect({ NAME, CLIENT: { host: uri } });
  try {
    const seconds = await seedEntries(connection.db!, SIZE);
    console.log(`loaded ${count(SIZE)} entries through insertMany in ${seconds.toFixed(1)} s`);
    const pages = adminPages(SIZE);
    const checkList = await adminList(monitored);
    for (const page of pages) {
      const checked = performance.now();
      const sends = await checkPage(monitored, checkList, page);
      console.log(`${page.name}: ${sends}; both sides once in ${((performance.now() - checked) / 1000).toFixed(1)} s`);
    }

    const list = await adminList(connection);
    const entries = connection.db!.collection('entries');
    const options = {
      seconds: SECONDS,
      warmupSeconds: WARMUP,
      minWarmupPairs: 1,
      batchMs: 100,
      minRounds: ROUNDS,
      maxRounds: 1_000,
    };
    const rows: string[][] = [];
    for (const page of pages) {
      const timed = performance.now();
      const r = await comparePair(
        () => list(page),
        () => rawPage(entries, page),
        options,
      );
      // A long run (FerretDB) shows its progress; the table follows at the end.
      console.log(
        `timed ${page.name}: ${cost(r)}, ${r.rounds} rounds in ${((performance.now() - timed) / 60_000).toFixed(1)} min`,
      );
      const excess = (r.cpu.ours - r.cpu.baseline) / r.baseline;
      rows.push([
        page.name,
        ms(r.ours),
        ms(r.baseline),
        cost(r),
        `${ms(r.cpu.ours)} / ${ms(r.cpu.baseline)}`,
        `${(100 * excess).toFixed(1)}%`,
        String(r.rounds),
      ]);
    }
    console.log(
      table(
        [
          'page',
          'ours ms',
          'raw ms',
          `ours ÷ raw, median [95% CI] (≤ ${TARGET})`,
          'client CPU ms ours / raw',
          '(ours − raw CPU) ÷ raw ms',
          'rounds',
        ],
        rows,
      ),
    );
    // Both sides send the same commands (checked above), so what ours adds is client work:
    // the CPU column's difference over the raw page's time, a figure the server's noise hardly moves.
    console.log('ms per page are medians; the last-but-one column is our extra client CPU as a share of the raw page.');
    const minutes = (performance.now() - started) / 60_000;
    console.log(`${label}: ${minutes.toFixed(1)} min in all (load average ${load()})`);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await Promise.all([connection.close(), monitored.close()]);
  }
}

process.exitCode = (await onServers(section, SERVERS as BenchServer[])) ? 0 : 1;
