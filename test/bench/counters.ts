// Counter benchmark: inserting 10,000 documents with djongo ids, on one
// server and one connection, side by side with two baselines:
//   1. Model.objects.bulkCreate with autoIncrement (one $inc: 10,000 on __schema__)
//      against plain insertMany with no counter at all.            Target ≥ 0.9×.
//   2. the same against insertMany of the same documents with their ids set
//      in the client and the same unique index on `id`: the counter's own
//      cost, without the index's (which djongo's layout requires). Target ≥ 0.9×.
//   3. the same bulkCreate against a counter per document, as the other
//      Mongoose counter plugins do it (one findOneAndUpdate per save).  Target ≥ 10×.
//   4. and 5., no target: row 1's ceiling on the server at hand. insertMany of
//      the documents with ids and the unique index, no counter, against the
//      same baseline, through Mongoose and then through the driver alone. No
//      counter can beat it: it is what the id field and its index cost there.
// The per-document baseline was to be mongoose-sequence 6.0.1, but it cannot
// run on Mongoose 9: its pre('save') hook calls next(), which Mongoose 9 no
// longer passes, so documents are saved without their number (or the save
// throws "next is not a function"). Its replacement is
// @typegoose/auto-increment 5 (peer mongoose ^9), used when installed.
//
// Each call starts from an empty collection (emptied outside the timing);
// rounds are interleaved, the order flipped every round. Prints ratios
// (baseline time ÷ ours: above 1 means ours is faster); asserts no timing.
//
// Alone: `node --import tsx test/bench/counters.ts` runs it on MONGODB_URI,
// else on FerretDB and mongo-java-server, which it starts.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import mongoose, { type Connection, type Model, type Schema } from 'mongoose';
import { connect, manager, type Managed } from '../../index.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { commandsDuring } from '../helpers/commands.js';
import { abbaRound, count, medianInterval, spread, table, targetVerdict, type Spread } from './measure.js';

export const DOCUMENTS = Number(process.env['COUNTER_DOCS'] ?? 10_000);
const FAST_ROUNDS = Number(process.env['COUNTER_ROUNDS'] ?? 15);
const SLOW_ROUNDS = Number(process.env['COUNTER_SLOW_ROUNDS'] ?? 3);
const WARMUP_ROUNDS = Number(process.env['COUNTER_WARMUP_ROUNDS'] ?? 3);
const PER_DOCUMENT_PACKAGE = '@typegoose/auto-increment';

export interface CounterRow {
  readonly name: string;
  readonly baselineName: string;
  readonly documents: number;
  /** Milliseconds per call of 10,000 documents. */
  readonly ours: Spread;
  readonly baseline: Spread;
  /** Baseline time ÷ ours, per round. */
  readonly ratio: Spread;
  readonly interval: readonly [low: number, high: number];
  /** Undefined for a row measured only to show a bound (no target). */
  readonly target: number | undefined;
  readonly rounds: number;
  /** Counter round trips per call (findAndModify commands), counted once outside the timing. */
  readonly counterTripsOurs: number;
  readonly counterTripsBaseline: number;
}

/** A row that could not be measured, and why. */
export interface SkippedRow {
  readonly name: string;
  readonly skipped: string;
}

// A type alias, not an interface, so that it is a Record<string, unknown> for bulkCreate.
type Raw = {
  headline: string;
  rating: number;
  n: number;
  id?: number;
};

function documents(): Raw[] {
  return Array.from({ length: DOCUMENTS }, (_, n) => ({ headline: `Song ${n}`, rating: 1 + (n % 5), n }));
}

function baseSchema(): Schema<Raw> {
  return new mongoose.Schema<Raw>({ headline: String, rating: Number, n: Number });
}

type PerDocumentPlugin = (schema: Schema, options: { field: string }) => void;

/** @typegoose/auto-increment's AutoIncrementID, or a reason it cannot be had. */
async function perDocumentPlugin(): Promise<PerDocumentPlugin | string> {
  try {
    const loaded = (await import(PER_DOCUMENT_PACKAGE)) as { AutoIncrementID?: PerDocumentPlugin };
    return loaded.AutoIncrementID ?? `${PER_DOCUMENT_PACKAGE} has no AutoIncrementID export`;
  } catch (err) {
    return `${PER_DOCUMENT_PACKAGE} is not installed (npm i -D ${PER_DOCUMENT_PACKAGE}@5.0.1): ${(err as Error).message.split('\n')[0]}`;
  }
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

async function timed(reset: () => Promise<unknown>, run: () => Promise<unknown>): Promise<number> {
  await reset();
  const started = now();
  await run();
  return now() - started;
}

/** Interleaved rounds (AB BA AB …), each call on an emptied collection. */
async function comparePerCall(
  ours: () => Promise<unknown>,
  resetOurs: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  resetBaseline: () => Promise<unknown>,
  rounds: number,
  warmupRounds = WARMUP_ROUNDS,
): Promise<Pick<CounterRow, 'ours' | 'baseline' | 'ratio' | 'interval' | 'rounds'>> {
  // Warm-up rounds, untimed: both JITs (Node's, and the JVM's of
  // mongo-java-server) are cold for whichever case runs first.
  for (let round = 0; round < warmupRounds; round++) {
    await timed(resetOurs, ours);
    await timed(resetBaseline, baseline);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const [x, y] = await abbaRound(
      round,
      () => timed(resetOurs, ours),
      () => timed(resetBaseline, baseline),
    );
    a.push(x);
    b.push(y);
  }
  const ratios = a.map((ms, i) => b[i]! / ms);
  return { ours: spread(a), baseline: spread(b), ratio: spread(ratios), interval: medianInterval(ratios), rounds };
}

/** findAndModify commands a block sends, on a monitored connection of its own. */
async function counterTrips(monitored: Connection, block: () => Promise<unknown>): Promise<number> {
  return (await commandsDuring(monitored, block)).filter((c) => c.name === 'findAndModify').length;
}

async function distinctIds(model: Model<Raw>): Promise<number> {
  const ids = await model.distinct('id');
  return ids.filter((id) => typeof id === 'number').length;
}

/**
 * Runs both comparisons on a fresh database of `uri`, then drops it.
 *
 * @example
 * ```ts
 * const rows = await counterBenchmark('mongodb://127.0.0.1:27017/', 'djongoose_bench');
 * console.log(counterTable(rows));
 * ```
 */
export async function counterBenchmark(uri: string, dbName: string): Promise<(CounterRow | SkippedRow)[]> {
  const conn = await connect({ ENGINE: 'djongo', NAME: dbName, CLIENT: { host: uri } });
  const monitored = await mongoose.createConnection(uri, { dbName, monitorCommands: true }).asPromise();
  try {
    await conn.dropDatabase();
    const docs = documents();
    // The same documents with their ids computed in the client, for a model
    // with the same unique index as ours but no counter: what the counter itself costs.
    const numbered = docs.map((doc, i) => ({ ...doc, id: i + 1 }));
    const models = (c: Connection) => {
      const ours = baseSchema();
      ours.plugin(manager);
      ours.plugin(autoIncrement);
      const indexed = baseSchema();
      indexed.add({ id: Number });
      indexed.index({ id: 1 }, { unique: true });
      return {
        Ours: c.model<Raw, Managed<Raw>>('CounterOurs', ours, 'bench_ours'),
        Plain: c.model<Raw>('CounterPlain', baseSchema(), 'bench_plain'),
        Indexed: c.model<Raw>('CounterIndexed', indexed, 'bench_indexed'),
      };
    };
    const { Ours, Plain, Indexed } = models(conn);
    const watched = models(monitored);
    await Promise.all([Ours.init(), Plain.init(), Indexed.init()]);
    const emptyOurs = () => Ours.deleteMany({});
    const oursCall = () => Ours.objects.bulkCreate(docs);

    // Untimed checks: every document numbered, with one counter round trip
    // (after a first call, which creates the __schema__ entry).
    await watched.Ours.objects.bulkCreate(docs.slice(0, 1));
    await emptyOurs();
    const oursTrips = await counterTrips(monitored, () => watched.Ours.objects.bulkCreate(docs));
    assert.equal(await distinctIds(Ours), DOCUMENTS, 'bulkCreate must number every document once');

    const rows: (CounterRow | SkippedRow)[] = [];
    // bulkCreate against an insertMany baseline of the same documents.
    const againstInsertMany = async (
      baselineName: string,
      baseline: () => Promise<unknown>,
      resetBaseline: () => Promise<unknown>,
    ): Promise<CounterRow> => ({
      name: `objects.bulkCreate, ${count(DOCUMENTS)} docs, autoIncrement`,
      baselineName,
      documents: DOCUMENTS,
      target: 0.9,
      counterTripsOurs: oursTrips,
      counterTripsBaseline: 0,
      ...(await comparePerCall(oursCall, emptyOurs, baseline, resetBaseline, FAST_ROUNDS)),
    });
    rows.push(
      await againstInsertMany(
        'insertMany, no counter',
        () => Plain.insertMany(docs),
        () => Plain.deleteMany({}),
      ),
    );
    rows.push(
      await againstInsertMany(
        'insertMany, ids set in the client, same unique index',
        () => Indexed.insertMany(numbered),
        () => Indexed.deleteMany({}),
      ),
    );
    // The first row's ceiling on this server: the ids and their unique index
    // alone, with no counter and no djongoose code, against the same baseline;
    // then the same through the driver alone, without Mongoose.
    rows.push(await ceiling(Indexed, numbered, Plain, docs, false));
    rows.push(await ceiling(Indexed, numbered, Plain, docs, true));

    const plugin = await perDocumentPlugin();
    const perDocumentName = `objects.bulkCreate vs ${PER_DOCUMENT_PACKAGE} (a counter per document)`;
    if (typeof plugin === 'string') {
      rows.push({ name: perDocumentName, skipped: plugin });
      return rows;
    }
    const perDocumentModel = (c: Connection) => {
      const schema = baseSchema();
      schema.add({ id: Number });
      schema.plugin(plugin, { field: 'id' });
      return c.model<Raw>('CounterPerDocument', schema, 'bench_per_document');
    };
    const PerDocument = perDocumentModel(conn);
    const watchedPerDocument = perDocumentModel(monitored);
    const emptyPerDocument = () => PerDocument.deleteMany({});
    // Its natural batch: Model.create(docs), a save (and a counter round trip) per document.
    const perDocumentCall = () => PerDocument.create(docs);
    let baselineTrips: number;
    try {
      await watchedPerDocument.create(docs.slice(0, 1)); // creates its tracker outside the count
      await emptyPerDocument();
      baselineTrips = await counterTrips(monitored, () => watchedPerDocument.create(docs));
    } catch (err) {
      // e.g. FerretDB v1.24 has no projection on findAndModify, which it sends.
      rows.push({ name: perDocumentName, skipped: `${PER_DOCUMENT_PACKAGE} fails here: ${(err as Error).message}` });
      return rows;
    }
    assert.equal(await distinctIds(PerDocument), DOCUMENTS, `${PER_DOCUMENT_PACKAGE} must number every document`);
    rows.push({
      name: perDocumentName,
      baselineName: `Model.create(docs) with ${PER_DOCUMENT_PACKAGE}`,
      documents: DOCUMENTS,
      target: 10,
      counterTripsOurs: oursTrips,
      counterTripsBaseline: baselineTrips,
      ...(await comparePerCall(oursCall, emptyOurs, perDocumentCall, emptyPerDocument, SLOW_ROUNDS, 1)),
    });
    return rows;
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await monitored.close();
  }
}

/**
 * insertMany of the documents with ids into the indexed collection against
 * insertMany of them without ids into the plain one, through the models or
 * (`driver`) through their driver collections. No target: what any
 * counter's first row is bounded by here.
 */
async function ceiling(
  indexed: Model<Raw>,
  numbered: readonly Raw[],
  plain: Model<Raw>,
  docs: readonly Raw[],
  driver: boolean,
): Promise<CounterRow> {
  const side = (model: Model<Raw>, items: readonly Raw[]) => {
    let batch: Raw[] = [];
    const reset = async () => {
      await model.deleteMany({});
      // Copies, as the driver sets `_id` on what it is given, with the __v
      // Mongoose adds, so that the driver sends the same documents.
      if (driver) batch = items.map((item) => ({ ...item, __v: 0 }));
    };
    const run = () => (driver ? model.collection.insertMany(batch) : model.insertMany(items));
    return { run, reset };
  };
  const withIds = side(indexed, numbered);
  const without = side(plain, docs);
  const by = driver ? 'collection.insertMany (the driver alone)' : 'insertMany';
  return {
    name: `ceiling: ${by}, ids set in the client, unique index; no counter`,
    baselineName: `${by}, no ids, no index`,
    documents: DOCUMENTS,
    target: undefined,
    counterTripsOurs: 0,
    counterTripsBaseline: 0,
    ...(await comparePerCall(withIds.run, withIds.reset, without.run, without.reset, FAST_ROUNDS)),
  };
}

function isSkipped(row: CounterRow | SkippedRow): row is SkippedRow {
  return 'skipped' in row;
}

/** The target and met / MISSED (see targetVerdict), or "— (bound)" for a row with no target. */
export function counterVerdict(row: CounterRow): string {
  if (row.target === undefined) return '— (bound)';
  return `≥ ${row.target} ${targetVerdict(row.ratio.median, row.interval, row.target)}`;
}

/** The table of one server's rows. */
export function counterTable(rows: readonly (CounterRow | SkippedRow)[]): string {
  const measured = rows.filter((r): r is CounterRow => !isSkipped(r));
  const rate = (row: CounterRow, ms: number): string =>
    `${count((row.documents / ms) * 1000)} docs/s (${ms.toFixed(0)} ms)`;
  const lines = [
    table(
      ['case', 'ours', 'baseline', 'ratio', 'target', 'ratio 95% CI', 'counter trips ours / baseline', 'rounds'],
      measured.map((row) => [
        row.name,
        rate(row, row.ours.median),
        `${row.baselineName}: ${rate(row, row.baseline.median)}`,
        row.ratio.median.toFixed(3),
        counterVerdict(row),
        `${row.interval[0].toFixed(3)}–${row.interval[1].toFixed(3)}`,
        `${count(row.counterTripsOurs)} / ${count(row.counterTripsBaseline)}`,
        String(row.rounds),
      ]),
    ),
  ];
  for (const row of rows.filter(isSkipped)) lines.push(`${row.name}: not measured — ${row.skipped}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { onServers } = await import('./on-servers.js');
  const dbName = `djongoose_counters_${process.pid}`;
  const ok = await onServers(async (label, uri) => {
    console.log(`\n=== counters on ${label} ===`);
    console.log(counterTable(await counterBenchmark(uri, dbName)));
  });
  console.log(
    `\nratio: the baseline's time per call ÷ ours (> 1: ours is faster), median of per-round ratios over\n` +
      `interleaved rounds, each call on an emptied collection; 95% CI: of that median.`,
  );
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
