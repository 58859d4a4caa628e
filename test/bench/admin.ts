// `npm run bench:admin`: an admin list page with a filter over 100,000
// entries, through the djongoose admin adapter, against the raw driver
// queries that page needs: find().sort().skip().limit() plus countDocuments,
// side by side in interleaved rounds (measure.ts). Two rows:
//   1. Resource.find + Resource.count, as AdminJS's list action calls them;
//   2. the list action's handler itself (Filter, find, count, records to JSON).
// The cost ratio is ours ÷ raw (below 1.25 is the target), with the
// 95% interval of its median. BENCH_ADMIN_SIZE (default 100,000) for a
// smaller run while developing; MONGODB_URI, else FerretDB and mongo-java-server
// (BENCH_ADMIN_SERVERS=mongo-java-server picks some). FerretDB 1.24 on SQLite
// scans for this filter and sort: about 0.6 s a page per 1,000 entries, so its
// 100,000-entry run takes the better part of an hour.
import AdminJS, { Filter, ListAction, type ActionContext, type ActionRequest, type BaseResource } from 'adminjs';
import type mongoose from 'mongoose';
import { connect } from '../../index.js';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import { entryModel } from '../../examples/blog/models.js';
import { comparePair, count, table, targetVerdict, type PairResult } from './measure.js';
import { onServers, type BenchServer } from './on-servers.js';

AdminJS.registerAdapter({ Database, Resource });

const SIZE = Number(process.env['BENCH_ADMIN_SIZE'] ?? 100_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const WARMUP = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);
const TARGET = 1.25;
const BLOGS = 50;
const PER_PAGE = 20;
const PAGE = 3;
// The list page: the search in the filter drawer for blog.name, newest first.
const QUERY = { 'filters.blog.name': 'blog 7', page: String(PAGE), perPage: String(PER_PAGE) };
// As a hand-written query says it, and as the adapter sends it: a BSON regular expression.
const RAW_FILTER = { 'blog.name': /blog 7/i };

async function seed(db: mongoose.mongo.Db): Promise<void> {
  const batch = 10_000;
  for (let start = 0; start < SIZE; start += batch) {
    const docs = Array.from({ length: Math.min(batch, SIZE - start) }, (_, k) => {
      const i = start + k + 1;
      return { id: i, headline: `Headline ${i}`, blog: { name: `Blog ${i % BLOGS}`, tagline: `Tagline ${i % 7}` } };
    });
    await db.collection('entries').insertMany(docs, { ordered: false });
  }
  await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq: SIZE } });
}

interface Row {
  readonly name: string;
  readonly result: PairResult;
}

async function measure(uri: string): Promise<Row[]> {
  const dbName = `djongoose_bench_admin_${process.pid}`;
  const connection = await connect({ NAME: dbName, CLIENT: { host: uri } });
  try {
    const db = connection.db!;
    const started = performance.now();
    await seed(db);
    console.log(`seeded ${count(SIZE)} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const Entry = entryModel(connection);
    const admin = new AdminJS({
      resources: [modelAdmin(Entry, { listDisplay: ['id', 'headline', 'blog.name'], ordering: ['-id'] })],
    });
    const resource = admin.findResource('Entry') as BaseResource;
    const context = { resource, _admin: admin, currentAdmin: undefined } as unknown as ActionContext;
    const request = { query: QUERY, params: { resourceId: resource.id(), action: 'list' }, method: 'get' };
    const handler = ListAction.handler as (r: ActionRequest, s: unknown, c: ActionContext) => Promise<unknown>;

    const raw = db.collection('entries');
    const rawPage = async (): Promise<number> => {
      const docs = await raw
        .find(RAW_FILTER)
        .sort({ id: -1 })
        .skip((PAGE - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .toArray();
      return docs.length + (await raw.countDocuments(RAW_FILTER));
    };

    // Both sides list the same page: checked once before timing.
    const listed = (await handler(request as ActionRequest, {}, context)) as {
      meta: { total: number };
      records: { params: Record<string, unknown> }[];
    };
    const expected = await raw
      .find(RAW_FILTER)
      .sort({ id: -1 })
      .skip((PAGE - 1) * PER_PAGE)
      .limit(PER_PAGE)
      .toArray();
    const total = await raw.countDocuments(RAW_FILTER);
    if (
      listed.meta.total !== total ||
      listed.records.map((r) => r.params['id']).join() !== expected.map((d) => d['id']).join()
    ) {
      throw new Error(`the list action and the raw queries disagree: ${JSON.stringify(listed.meta)} vs total ${total}`);
    }
    console.log(`the page: page ${PAGE} (${PER_PAGE} a page) of ${count(total)} matching entries, newest first`);
    // What one page sends: one query and one count, never the collection.
    const sent: string[] = [];
    connection.set(
      'debug',
      (collection: string, method: string, ...args: unknown[]) =>
        void sent.push(`${collection}.${method}${process.env['BENCH_ADMIN_SHOW'] ? JSON.stringify(args) : ''}`),
    );
    await handler(request as ActionRequest, {}, context);
    connection.set('debug', false);
    console.log(`one list page sends: ${sent.join(', ')}`);

    const options = { seconds: SECONDS, warmupSeconds: WARMUP, batchMs: 200, minRounds: 8, maxRounds: 200 };
    const findCount = await comparePair(
      async () => {
        const filter = new Filter({ 'blog.name': 'blog 7' }, resource);
        const sort = { sortBy: 'id', direction: 'desc' as const };
        const records = await resource.find(filter, { limit: PER_PAGE, offset: (PAGE - 1) * PER_PAGE, sort });
        return records.length + (await resource.count(filter));
      },
      rawPage,
      options,
    );
    const action = await comparePair(() => handler(request as ActionRequest, {}, context), rawPage, options);
    return [
      { name: 'Resource.find + Resource.count', result: findCount },
      { name: 'list action handler', result: action },
    ];
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

function cost(result: PairResult): string {
  // measure.ts reports throughput (raw time ÷ ours); the cost is its inverse.
  const median = 1 / result.ratio.median;
  const [low, high] = [1 / result.interval[1], 1 / result.interval[0]];
  const verdict = targetVerdict(result.ratio.median, result.interval, 1 / TARGET);
  return `${median.toFixed(3)} [${low.toFixed(3)}–${high.toFixed(3)}] (≤ ${TARGET} ${verdict})`;
}

async function section(label: string, uri: string): Promise<void> {
  console.log(`\n=== admin list page on ${label}: ${count(SIZE)} entries, filter blog.name icontains ===`);
  const rows = await measure(uri);
  console.log(
    table(
      ['page', 'ours ms', 'raw ms', 'ours ÷ raw, median [95% CI]', 'rounds'],
      rows.map((r) => [
        r.name,
        (r.result.ours / 1e6).toFixed(2),
        (r.result.baseline / 1e6).toFixed(2),
        cost(r.result),
        String(r.result.rounds),
      ]),
    ),
  );
}

const servers = (process.env['BENCH_ADMIN_SERVERS'] ?? 'ferretdb,mongo-java-server').split(',') as BenchServer[];
process.exitCode = (await onServers(section, servers)) ? 0 : 1;
