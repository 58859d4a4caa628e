// ENFORCE_SCHEMA's cost: lax reads of 10,000 documents through a model with
// the enforceSchema plugin against the same model without it, on the same
// documents, connection and server, hydrated and lean, side by side. Every
// document lacks one model field, so the lax path does its real work.
import assert from 'node:assert/strict';
import mongoose, { type Connection } from 'mongoose';
import { connect } from '../../core/connect.js';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { comparePair, count, table, targetVerdict, type PairOptions, type PairResult } from './measure.js';

// Issue 16: lax reads at 0.95 or more of the same model without the plugin.
export const ENFORCE_RATIO_TARGET = 0.95;
const DOCUMENTS = 10_000;
const COLLECTION = 'enforce_bench';

function fields() {
  return {
    blog: new mongoose.Schema({ name: String, tagline: String }, { _id: false }),
    headline: String,
    rating: Number,
    views: Number,
    tags: [String],
    comments: [new mongoose.Schema({ author: String, score: Number }, { _id: false })],
    pub_date: Date,
    description: String, // the field the stored documents lack
  };
}

function dataset(): Record<string, unknown>[] {
  return Array.from({ length: DOCUMENTS }, (_, i) => ({
    blog: { name: `Blog ${i % 7}`, tagline: 'news' },
    headline: `Song ${i}`,
    rating: 1 + (i % 5),
    views: i * 3,
    tags: ['rock', 'pop'].slice(0, i % 3),
    comments: Array.from({ length: i % 3 }, (_c, k) => ({ author: `user${k}`, score: k })),
    pub_date: new Date(Date.UTC(1960 + (i % 60), i % 12, 1 + (i % 28))),
  }));
}

export interface EnforceRow {
  readonly name: string;
  readonly documents: number;
  readonly result: PairResult;
}

function options(): PairOptions {
  const seconds = Number(process.env['BENCH_CASE_SECONDS'] ?? 10);
  return { seconds, warmupSeconds: Math.min(1.5, seconds / 4), batchMs: 200, minRounds: 9, maxRounds: 500 };
}

/** Seeds a fresh database on the server, runs both cases, drops the database. */
export async function enforceBenchmark(uri: string, dbName: string): Promise<EnforceRow[]> {
  const conn: Connection = await connect({
    ENGINE: 'djongo',
    NAME: dbName,
    ENFORCE_SCHEMA: false,
    CLIENT: { host: uri },
  });
  try {
    const withPlugin = new mongoose.Schema(fields(), { collection: COLLECTION });
    withPlugin.plugin(enforceSchema);
    const Ours = conn.model('EnforcedEntry', withPlugin);
    const Baseline = conn.model('PlainEntry', new mongoose.Schema(fields(), { collection: COLLECTION }));
    await conn.getClient().db(dbName).collection(COLLECTION).deleteMany({});
    await conn.getClient().db(dbName).collection(COLLECTION).insertMany(dataset());

    // Untimed checks: same documents, and the plugin really filled.
    const [a, b] = [await Ours.find().lean(), await Baseline.find().lean()];
    assert.equal(a.length, DOCUMENTS);
    assert.equal(b.length, DOCUMENTS);
    assert.equal(a[0]?.['description'], null);
    assert.equal(b[0]?.['description'], undefined);

    const cases = [
      { name: `${count(DOCUMENTS)} docs, hydrated`, ours: () => Ours.find(), baseline: () => Baseline.find() },
      {
        name: `${count(DOCUMENTS)} docs, lean`,
        ours: () => Ours.find().lean(),
        baseline: () => Baseline.find().lean(),
      },
    ];
    const rows: EnforceRow[] = [];
    for (const c of cases) {
      rows.push({ name: c.name, documents: DOCUMENTS, result: await comparePair(c.ours, c.baseline, options()) });
    }
    return rows;
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

/** The table of one server's rows: ratio is the baseline's time ÷ ours (ours' throughput ÷ the baseline's). */
export function enforceTable(rows: readonly EnforceRow[]): string {
  const rate = (row: EnforceRow, ns: number): string =>
    `${count((1e9 / ns) * row.documents)} docs/s (${(ns / 1e6).toFixed(1)} ms)`;
  return table(
    [
      'lax read',
      'with enforceSchema',
      'without',
      'ratio',
      'target',
      'ratio 95% CI',
      'client CPU ratio',
      'rounds × batch',
    ],
    rows.map((row) => [
      row.name,
      rate(row, row.result.ours),
      rate(row, row.result.baseline),
      row.result.ratio.median.toFixed(3),
      `≥ ${ENFORCE_RATIO_TARGET.toFixed(2)} ${targetVerdict(row.result.ratio.median, row.result.interval, ENFORCE_RATIO_TARGET)}`,
      `${row.result.interval[0].toFixed(3)}–${row.result.interval[1].toFixed(3)}`,
      row.result.cpuRatio.toFixed(3),
      `${row.result.rounds} × ${row.result.batch}`,
    ]),
  );
}
