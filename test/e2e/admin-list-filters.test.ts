// The list page's filters as AdminJS's filter drawer sends them, through its
// API controller: a date range from the date picker (ISO text), a text filter
// inside a list of embedded documents, the auto id and _id exactly, a list
// of references populated with the referenced records; and query strings a
// hand-made URL may carry, refused as a FilterError naming the bad filter,
// with nothing of the page computed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdminJS, { ApiController, type ActionRequest, type RecordJSON } from 'adminjs';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import { FilterError } from '../../core/errors.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { adminModels } from '../helpers/admin-models.js';
import { parseExtendedQuery } from '../helpers/hostile.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const { Entry, Author } = adminModels(conn);
await ready(Entry);
await ready(Author);

const [ann, bob] = await Author.objects.bulkCreate([{ name: 'Ann' }, { name: 'Bob' }]);
await Entry.objects.create({
  headline: 'Winter',
  pubDate: new Date('2024-01-10T12:00:00Z'),
  comments: [{ author: 'ann', text: 'Cold and grey' }],
  authors: [ann!._id, bob!._id],
});
await Entry.objects.create({
  headline: 'Spring',
  pubDate: new Date('2024-04-10T12:00:00Z'),
  comments: [{ author: 'bob', text: 'Warm' }],
  authors: [bob!._id],
});
await Entry.objects.create({ headline: 'Summer', pubDate: new Date('2024-07-10T12:00:00Z') });

const admin = new AdminJS({ resources: [modelAdmin(Entry, { ordering: ['headline'] }), Author] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });

interface ListResponse {
  records: RecordJSON[];
  meta: { total: number };
}

async function list(query: Record<string, unknown>): Promise<ListResponse> {
  return (await api.resourceAction(
    { params: { resourceId: 'Entry', action: 'list' }, query, method: 'get' } as unknown as ActionRequest,
    {},
  )) as unknown as ListResponse;
}

const headlines = (r: ListResponse): unknown[] => r.records.map((rec) => rec.params['headline']);

test('a date range from the date picker (ISO text) is gte/lte on the date', async () => {
  const page = await list({
    'filters.pubDate~~from': new Date('2024-02-01T00:00:00Z').toISOString(),
    'filters.pubDate~~to': new Date('2024-08-01T00:00:00Z').toISOString(),
  });
  assert.deepEqual(headlines(page), ['Spring', 'Summer']);
  assert.equal(page.meta.total, 2);
  const from = await list({ 'filters.pubDate~~from': '2024-04-10T12:00:00.000Z' });
  assert.deepEqual(headlines(from), ['Spring', 'Summer'], 'the bound itself is included');
});

test('a text filter inside a list of embedded documents matches any item', async () => {
  assert.deepEqual(headlines(await list({ 'filters.comments.text': 'GREY' })), ['Winter']);
  assert.deepEqual(headlines(await list({ 'filters.comments.author': 'bob' })), ['Spring']);
});

test('the auto id and _id match exactly', async () => {
  const spring = await Entry.objects.get({ headline: 'Spring' });
  assert.deepEqual(headlines(await list({ 'filters.id': String(spring.id) })), ['Spring']);
  assert.deepEqual(headlines(await list({ 'filters._id': String(spring._id) })), ['Spring']);
});

test('a list of references: filtered by one of them, and populated with the referenced records', async () => {
  const page = await list({ 'filters.authors': String(bob!._id) });
  assert.deepEqual(headlines(page), ['Spring', 'Winter']);
  const winter = page.records.find((r) => r.params['headline'] === 'Winter')!;
  const populated = winter.populated as Record<string, RecordJSON | undefined>;
  assert.deepEqual(
    [populated['authors.0']?.title, populated['authors.1']?.title],
    ['Ann', 'Bob'],
    JSON.stringify(Object.keys(populated)),
  );
});

test('hand-made query strings are refused as a FilterError naming each bad filter', async () => {
  for (const query of [
    'filters[headline][$ne]=x',
    'filters[pubDate][from][$gt]=2024',
    'filters[comments]=x',
    'filters[id]=one',
    'filters[pubDate]=yesterday',
    'filters[nope]=1',
  ]) {
    const parsed = parseExtendedQuery(query) as Record<string, unknown>;
    await assert.rejects(list(parsed), (err: unknown) => {
      assert.ok(err instanceof FilterError, `${query}: ${String(err)}`);
      assert.equal(Object.keys(err.errors).length, 1, `${query}: ${JSON.stringify(err.errors)}`);
      return true;
    });
  }
});

test("the multi-select's autocomplete (AdminJS's search action) finds the referenced records by title, icontains", async () => {
  const res = (await api.resourceAction(
    {
      params: { resourceId: 'Author', action: 'search', query: 'AN' },
      query: {},
      method: 'get',
    } as unknown as ActionRequest,
    {},
  )) as unknown as { records: RecordJSON[] };
  assert.deepEqual(
    res.records.map((r) => r.title),
    ['Ann'],
  );
  const all = (await api.resourceAction(
    { params: { resourceId: 'Author', action: 'search' }, query: {}, method: 'get' } as unknown as ActionRequest,
    {},
  )) as unknown as { records: RecordJSON[] };
  assert.deepEqual(
    all.records.map((r) => r.title),
    ['Ann', 'Bob'],
  );
});

test('bulk delete: the selected records are found by id and deleted, the others kept', async () => {
  const ids = (
    await Entry.objects.filter({ headline__in: ['Winter', 'Summer'] }).valuesList('_id', { flat: true })
  ).map(String);
  const res = (await api.bulkAction(
    {
      params: { resourceId: 'Entry', action: 'bulkDelete' },
      query: { recordIds: ids.join(',') },
      method: 'post',
    } as unknown as ActionRequest,
    {},
  )) as unknown as { notice?: { type: string } };
  assert.equal(res.notice?.type, 'success');
  assert.deepEqual(await Entry.objects.valuesList('headline', { flat: true }), ['Spring']);
});
