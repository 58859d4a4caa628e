// Query benchmark: `Entry.objects.filter(...)` against the hand-written
// `Entry.find(...)` it stands for, on the same documents, connection and
// server, lean and hydrated, for a selective query and a 1,000-document scan.
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { connect } from '../../index.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';
import { comparePair, count, table, targetVerdict, type PairOptions, type PairResult } from './measure.js';

export const RATIO_TARGET = 0.95;
const DOCUMENTS = 1_000;
const WARMUP_SECONDS = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 4);
const BLOGS = [
  { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' },
  { name: 'Stones Weekly', tagline: 'Rolling news.' },
  { name: 'Kinks Korner', tagline: 'Sunny afternoons.' },
  { name: 'The Who Times', tagline: 'Talking about my generation.' },
] as const;
const WORDS = ['Jude', 'Road', 'Black', 'Yesterday', 'Help', 'Day', 'Night', 'Sun', 'Tuesday', 'Waterloo'] as const;

/** The same 1,000 documents every run: a seeded generator, not Math.random. */
export function dataset(): EntryRaw[] {
  let state = 20_240_601;
  const next = (n: number): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return (state >>> 8) % n;
  };
  return Array.from({ length: DOCUMENTS }, (_, i) => ({
    blog: BLOGS[next(BLOGS.length)]!,
    headline: `${next(20) === 0 ? 'Hey' : 'Song'} ${WORDS[next(WORDS.length)]!} ${i}`,
    rating: 1 + next(5),
    views: next(10_000),
    likes: next(1_000),
    tags: ['rock', 'pop', 'uk', 'live'].slice(0, next(4)),
    comments: Array.from({ length: next(3) }, (_c, k) => ({ author: `user${k}`, score: next(6) })),
    pub_date: new Date(Date.UTC(1960 + next(60), next(12), 1 + next(28))),
  }));
}

// Ours and the filter it should compile to, written by hand.
const SELECTIVE = {
  ours: { blog__name: 'Beatles Blog', rating__gte: 4, headline__startswith: 'Hey' },
  baseline: { 'blog.name': 'Beatles Blog', rating: { $gte: 4 }, headline: /^Hey/ },
};
const SCAN = {
  ours: { views__gte: 0 },
  baseline: { views: { $gte: 0 } },
};

interface Case {
  readonly name: string;
  /** Documents per call: 1 reports ops/s, more reports docs/s. */
  readonly unit: 'ops/s' | 'docs/s';
  readonly ours: () => PromiseLike<unknown[]>;
  readonly baseline: () => PromiseLike<unknown[]>;
}

export interface QueryRow {
  readonly name: string;
  readonly unit: Case['unit'];
  readonly documents: number;
  readonly result: PairResult;
}

function ids(docs: readonly unknown[]): string[] {
  return docs.map((d) => String((d as { _id: unknown })._id)).sort();
}

function options(): PairOptions {
  const seconds = Number(process.env['BENCH_CASE_SECONDS'] ?? 10);
  return { seconds, warmupSeconds: Math.min(1.5, seconds / 4), batchMs: 40, minRounds: 15, maxRounds: 2_000 };
}

/** Seeds a fresh database on the server, runs every case, drops the database. */
export async function queryBenchmark(uri: string, dbName: string): Promise<QueryRow[]> {
  const conn: Connection = await connect({ ENGINE: 'djongo', NAME: dbName, CLIENT: { host: uri } });
  try {
    const Entry = entryModel(conn);
    await Entry.deleteMany({});
    await Entry.insertMany(dataset());

    const cases: Case[] = [
      {
        name: 'selective, lean',
        unit: 'ops/s',
        ours: () => Entry.objects.filter(SELECTIVE.ours).lean(),
        baseline: () => Entry.find(SELECTIVE.baseline).lean(),
      },
      {
        name: 'selective, hydrated',
        unit: 'ops/s',
        ours: () => Entry.objects.filter(SELECTIVE.ours),
        baseline: () => Entry.find(SELECTIVE.baseline),
      },
      {
        name: `${count(DOCUMENTS)}-doc scan, lean`,
        unit: 'docs/s',
        ours: () => Entry.objects.filter(SCAN.ours).lean(),
        baseline: () => Entry.find(SCAN.baseline).lean(),
      },
      {
        name: `${count(DOCUMENTS)}-doc scan, hydrated`,
        unit: 'docs/s',
        ours: () => Entry.objects.filter(SCAN.ours),
        baseline: () => Entry.find(SCAN.baseline),
      },
    ];

    // Every case warms up before any is measured: otherwise the first case
    // measured also pays for JIT-compiling the code paths of the others
    // (measured: the first pair of a run came out 3–6% lower, whichever it was).
    const warmUntil = performance.now() + WARMUP_SECONDS * 1000;
    while (performance.now() < warmUntil) {
      for (const c of cases) {
        await c.ours();
        await c.baseline();
      }
    }

    const rows: QueryRow[] = [];
    for (const c of cases) {
      // Both sides must return the very same documents (checked once, untimed).
      const [a, b] = [await c.ours(), await c.baseline()];
      assert.deepEqual(ids(a), ids(b), `${c.name}: ours and the baseline return different documents`);
      if (c.unit === 'ops/s') assert.ok(a.length >= 1 && a.length <= 10, `${c.name}: ${a.length} documents, not 1–10`);
      else assert.equal(a.length, DOCUMENTS, `${c.name}: the scan must return every document`);
      rows.push({
        name: c.name,
        unit: c.unit,
        documents: a.length,
        result: await comparePair(c.ours, c.baseline, options()),
      });
    }
    return rows;
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

/** met / MISSED, or "within noise" when the 95% interval of the ratio straddles the target. */
export function verdict(result: PairResult): string {
  return targetVerdict(result.ratio.median, result.interval, RATIO_TARGET);
}

/** The table of one server's rows. */
export function queryTable(rows: readonly QueryRow[]): string {
  const rate = (row: QueryRow, ns: number): string => {
    const perSecond = (1e9 / ns) * (row.unit === 'docs/s' ? row.documents : 1);
    return `${count(perSecond)} ${row.unit} (${(ns / 1e6).toFixed(2)} ms)`;
  };
  return table(
    ['case', 'ours', 'baseline', 'ratio', 'target', 'ratio 95% CI', 'client CPU ratio', 'rounds × batch'],
    rows.map((row) => [
      `${row.name} (${row.documents} docs)`,
      rate(row, row.result.ours),
      rate(row, row.result.baseline),
      row.result.ratio.median.toFixed(3),
      `≥ ${RATIO_TARGET.toFixed(2)} ${verdict(row.result)}`,
      `${row.result.interval[0].toFixed(3)}–${row.result.interval[1].toFixed(3)}`,
      row.result.cpuRatio.toFixed(3),
      `${row.result.rounds} × ${row.result.batch}`,
    ]),
  );
}
