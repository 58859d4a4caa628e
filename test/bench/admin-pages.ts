// The fixture and the pages of `npm run bench:admin`: each page is the query
// string the browser sends to the list action, beside the raw queries that
// page needs, written by hand as an application would: one find with its
// filter, sort, skip and limit, and one countDocuments of the same filter.
import AdminJS, { ApiController, type ActionRequest, type RecordJSON } from 'adminjs';
import type mongoose from 'mongoose';
import { type Connection } from 'mongoose';
import { modelAdmin } from '../../admin/index.js';
import { entryModel } from '../../examples/blog/models.js';

type Doc = mongoose.mongo.Document;

/** One admin list page and the raw queries it needs. */
export interface AdminPage {
  readonly name: string;
  /** The list action's query string, flattened as AdminJS's router hands it over. */
  readonly query: Readonly<Record<string, string>>;
  readonly filter: mongoose.mongo.Filter<Doc>;
  readonly sort: Readonly<Record<string, 1 | -1>>;
  readonly skip: number;
  readonly limit: number;
}

/** The example admin's page size (examples/admin/resources.ts: listPerPage). */
export const PER_PAGE = 20;
const BLOGS = 50;

/**
 * The pages measured over `size` entries, newest first (`ordering: ['-id']`):
 * the first page, a page in the middle of the collection (a skip of half of
 * it), a page filtered by `blog.name` (icontains) and an id range
 * (`__gte`/`__lte`), and a search box `q` over `searchFields` (an OR of
 * icontains).
 */
export function adminPages(size: number): AdminPage[] {
  const sort = { id: -1 } as const;
  const middle = Math.max(1, Math.floor(size / PER_PAGE / 2) + 1);
  const [from, to] = [Math.round(size * 0.2), Math.round(size * 0.8)];
  return [
    { name: 'first page', query: {}, filter: {}, sort, skip: 0, limit: PER_PAGE },
    {
      name: `page ${middle.toLocaleString('en-US')} (skip ${((middle - 1) * PER_PAGE).toLocaleString('en-US')})`,
      query: { page: String(middle) },
      filter: {},
      sort,
      skip: (middle - 1) * PER_PAGE,
      limit: PER_PAGE,
    },
    {
      name: 'blog.name icontains + id range, page 3',
      query: {
        'filters.blog.name': 'blog 7',
        'filters.id~~from': String(from),
        'filters.id~~to': String(to),
        page: '3',
      },
      filter: { 'blog.name': /blog 7/i, id: { $gte: from, $lte: to } },
      sort,
      skip: 2 * PER_PAGE,
      limit: PER_PAGE,
    },
    {
      name: 'search q=123',
      query: { 'filters.q': '123' },
      filter: { $or: [{ headline: /123/i }, { 'blog.name': /123/i }] },
      sort,
      skip: 0,
      limit: PER_PAGE,
    },
  ];
}

/** What the list action answers, as far as the bench reads it. */
export interface ListResponse {
  records: RecordJSON[];
  meta: { total: number; perPage: number };
}

/** The list action of the example admin's Entry page (examples/admin/resources.ts), on `connection`. */
export async function adminList(connection: Connection): Promise<(page: AdminPage) => Promise<ListResponse>> {
  const Entry = entryModel(connection);
  await Entry.init(); // its collection and indexes, before any page is timed or its commands read
  const entries = modelAdmin(Entry, {
    listDisplay: ['id', 'headline', 'blog.name'],
    listFilter: ['blog.name', 'headline'],
    searchFields: ['headline', 'blog.name'],
    ordering: ['-id'],
    readonlyFields: ['id'],
    listPerPage: PER_PAGE,
  });
  const api = new ApiController({ admin: new AdminJS({ resources: [entries] }) }, { email: 'bench@example.com' });
  return async (page) =>
    (await api.resourceAction(
      { params: { resourceId: 'Entry', action: 'list' }, query: { ...page.query }, method: 'get' } as ActionRequest,
      {},
    )) as unknown as ListResponse;
}

/**
 * The raw side of a page, through the driver (`mongoose.mongo`): what an
 * application writing the page by hand sends, one find and one count.
 */
export async function rawPage(
  entries: mongoose.mongo.Collection,
  page: AdminPage,
): Promise<{ readonly docs: Doc[]; readonly total: number }> {
  const docs = await entries
    .find(page.filter)
    .sort({ ...page.sort })
    .skip(page.skip)
    .limit(page.limit)
    .toArray();
  return { docs, total: await entries.countDocuments(page.filter) };
}

/**
 * Loads `size` entries of the seed's Entry (examples/blog) through the
 * driver, in large unordered batches (FerretDB on SQLite and
 * mongo-java-server both take 10,000 a batch well), and sets the
 * `__schema__` counter past them. Resolves to the seconds it took.
 */
export async function seedEntries(db: mongoose.mongo.Db, size: number, batch = 10_000): Promise<number> {
  const started = performance.now();
  for (let start = 0; start < size; start += batch) {
    const docs = Array.from({ length: Math.min(batch, size - start) }, (_, k) => {
      const i = start + k + 1;
      return { id: i, headline: `Headline ${i}`, blog: { name: `Blog ${i % BLOGS}`, tagline: `Tagline ${i % 7}` } };
    });
    await db.collection('entries').insertMany(docs, { ordered: false });
  }
  await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq: size } });
  return (performance.now() - started) / 1000;
}
