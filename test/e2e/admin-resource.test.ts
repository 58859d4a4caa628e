// The AdminJS adapter driven through AdminJS's own API controller (the code
// behind its HTTP routes): list pages filter, sort and page on the server
// with one find and one count; show, new, edit and delete write what the
// form sent, read back from the database after each action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdminJS, { ApiController, type ActionRequest, type RecordJSON } from 'adminjs';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { adminModels } from '../helpers/admin-models.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const { Entry, Author } = adminModels(conn);
await ready(Entry);
await ready(Author);

const [ann, bob] = await Author.objects.bulkCreate([{ name: 'Ann' }, { name: 'Bob' }]);
await Entry.objects.create({
  headline: 'Hey Jude',
  blog: { name: 'Beatles Blog', tagline: 'news' },
  rating: 5,
  published: true,
  tags: ['rock'],
  comments: [{ author: 'ann', text: 'Great' }],
  authors: [ann!._id],
  data: { label: 'Apple' },
});
await Entry.objects.create({ headline: 'Abbey Road', blog: { name: 'Beatles Blog' }, rating: 4, published: false });
await Entry.objects.create({ headline: 'Paint It Black', blog: { name: 'Stones Weekly' }, rating: 3, published: true });
for (let i = 1; i <= 9; i++)
  await Entry.objects.create({ headline: `Filler ${i}`, blog: { name: 'Paging Weekly' }, rating: i % 6 });

const admin = new AdminJS({
  resources: [
    modelAdmin(Entry, { searchFields: ['headline', 'blog.name'], listPerPage: 5, ordering: ['headline'] }),
    Author,
  ],
});
const api = new ApiController({ admin }, { email: 'admin@example.com' });

interface ListResponse {
  records: RecordJSON[];
  meta: { total: number; page: number; perPage: number; sortBy: string; direction: string };
}

async function list(query: Record<string, string> = {}): Promise<ListResponse> {
  return (await api.resourceAction(
    { params: { resourceId: 'Entry', action: 'list' }, query, method: 'get' } as unknown as ActionRequest,
    {},
  )) as unknown as ListResponse;
}

async function recordAction(
  action: string,
  id: string,
  payload?: Record<string, unknown>,
): Promise<{ record: RecordJSON; notice?: { type: string } }> {
  return (await api.recordAction(
    {
      params: { resourceId: 'Entry', action, recordId: id },
      method: payload ? 'post' : 'get',
      ...(payload ? { payload } : {}),
    } as unknown as ActionRequest,
    {},
  )) as unknown as { record: RecordJSON; notice?: { type: string } };
}

const headlines = (r: ListResponse): unknown[] => r.records.map((rec) => rec.params['headline']);
const idOf = async (headline: string): Promise<string> => String((await Entry.objects.get({ headline }))._id);

test('a list page is one find with sort, skip and limit, and one count', async () => {
  let page: ListResponse | undefined;
  const sent = await commandsDuring(conn, async () => {
    page = await list({ page: '2', sortBy: 'rating', direction: 'desc' });
  });
  const names = sent.map((c) => c.name);
  const finds = sent.filter((c) => c.name === 'find' && c.command['find'] === Entry.collection.collectionName);
  assert.equal(finds.length, 1, `one find: ${names.join(', ')}`);
  assert.deepEqual(
    [...(finds[0]!.command['sort'] as Map<string, number>)],
    [
      ['rating', -1],
      ['_id', -1],
    ],
  );
  assert.equal(finds[0]!.command['skip'], 5);
  assert.equal(finds[0]!.command['limit'], 5);
  const counts = sent.filter(
    (c) =>
      (c.name === 'aggregate' || c.name === 'count') &&
      (c.command['aggregate'] ?? c.command['count']) === Entry.collection.collectionName,
  );
  assert.equal(counts.length, 1, `one count: ${names.join(', ')}`);
  assert.equal(page!.meta.total, 12);
  assert.equal(page!.meta.perPage, 5, 'listPerPage');
  const all = await Entry.objects.orderBy('-rating', '-_id').valuesList('headline', { flat: true });
  assert.deepEqual(headlines(page!), all.slice(5, 10));
});

test('a filtered, searched page is still one find and one count, both with the same filter', async () => {
  let page: ListResponse | undefined;
  const sent = await commandsDuring(conn, async () => {
    page = await list({
      'filters.blog.name': 'weekly',
      'filters.rating~~from': '1',
      'filters.q': 'filler',
      perPage: '3',
    });
  });
  const mine = sent.filter(
    (c) => (c.command['find'] ?? c.command['aggregate'] ?? c.command['count']) === Entry.collection.collectionName,
  );
  const names = sent.map((c) => c.name).join(', ');
  assert.equal(mine.length, 2, names);
  assert.equal(mine.filter((c) => c.name === 'find').length, 1, names);
  assert.equal(mine.filter((c) => c.name === 'aggregate' || c.name === 'count').length, 1, names);
  const find = mine.find((c) => c.name === 'find')!;
  assert.equal(find.command['limit'], 3);
  const all = await Entry.objects
    .filter({ blog__name__icontains: 'weekly', rating__gte: 1, headline__icontains: 'filler' })
    .count();
  assert.equal(page!.meta.total, all);
  assert.ok(all > 3, 'more rows than the page holds');
  assert.equal(page!.records.length, 3);
});

test('a page sorted by a unique field (the auto-increment id) is sorted by it alone', async () => {
  const sent = await commandsDuring(conn, () => list({ sortBy: 'id', direction: 'desc', perPage: '20' }));
  const find = sent.find((c) => c.name === 'find' && c.command['find'] === Entry.collection.collectionName);
  assert.deepEqual([...(find!.command['sort'] as Map<string, number>)], [['id', -1]]);
});

test('a page sorted by an embedded field (blog.name) is sorted on the server by it, then _id', async () => {
  let page: ListResponse | undefined;
  const sent = await commandsDuring(conn, async () => {
    page = await list({ sortBy: 'blog.name', direction: 'desc', perPage: '20' });
  });
  const find = sent.find((c) => c.name === 'find' && c.command['find'] === Entry.collection.collectionName);
  assert.deepEqual(
    [...(find!.command['sort'] as Map<string, number>)],
    [
      ['blog.name', -1],
      ['_id', -1],
    ],
  );
  const expected = await Entry.objects.orderBy('-blog__name', '-_id').valuesList('headline', { flat: true });
  assert.deepEqual(headlines(page!), expected);
});

test('the default order is modelAdmin ordering', async () => {
  const page = await list();
  assert.deepEqual(headlines(page), ['Abbey Road', 'Filler 1', 'Filler 2', 'Filler 3', 'Filler 4']);
});

test('a text filter on an embedded field is icontains; a range is gte/lte', async () => {
  const page = await list({ 'filters.blog.name': 'beatles', perPage: '20' });
  assert.deepEqual(headlines(page).sort(), ['Abbey Road', 'Hey Jude']);
  const ranged = await list({ 'filters.rating~~from': '4', 'filters.rating~~to': '5', perPage: '20' });
  assert.deepEqual(headlines(ranged).sort(), ['Abbey Road', 'Filler 4', 'Filler 5', 'Hey Jude']);
  assert.equal(ranged.meta.total, 4);
  const flagged = await list({ 'filters.published': 'false' });
  assert.deepEqual(headlines(flagged), ['Abbey Road']);
});

test('the search box ORs icontains over searchFields', async () => {
  const page = await list({ 'filters.q': 'stones', perPage: '20' });
  assert.deepEqual(headlines(page), ['Paint It Black']);
  const either = await list({ 'filters.q': 'PAGING', perPage: '20' });
  assert.equal(either.meta.total, 9, 'blog.name matches');
  const words = await list({ 'filters.q': 'hey beatles', perPage: '20' });
  assert.deepEqual(headlines(words), ['Hey Jude'], 'every word matches some field');
});

test('a reference filter matches the referenced id exactly', async () => {
  const page = await list({ 'filters.authors': String(ann!._id) });
  assert.deepEqual(headlines(page), ['Hey Jude']);
  assert.deepEqual(headlines(await list({ 'filters.authors': String(bob!._id) })), []);
});

test('show gives every field, embedded and listed ones flattened, JSON as text', async () => {
  const { record } = await recordAction('show', await idOf('Hey Jude'));
  assert.equal(record.params['blog.name'], 'Beatles Blog');
  assert.equal(record.params['comments.0.text'], 'Great');
  assert.equal(record.params['tags.0'], 'rock');
  assert.equal(record.params['authors.0'], String(ann!._id));
  assert.deepEqual(JSON.parse(String(record.params['data'])), { label: 'Apple' });
  assert.equal(record.params['id'], 1);
});

test('new: a record gets the next auto-increment id; an id sent is ignored', async () => {
  const before = (await Entry.objects.orderBy('-id').first())!.id!;
  const res = await api.resourceAction(
    {
      params: { resourceId: 'Entry', action: 'new' },
      method: 'post',
      payload: {
        headline: 'Get Back',
        'blog.name': 'Beatles Blog',
        id: '999',
        rating: '2',
        'comments.0.text': 'first!',
      },
    } as unknown as ActionRequest,
    {},
  );
  const record = (res as unknown as { record: RecordJSON }).record;
  assert.equal(record.params['id'], before + 1);
  const stored = await Entry.objects.lean().get({ headline: 'Get Back' });
  assert.equal(stored.id, before + 1);
  assert.equal(stored.rating, 2);
  assert.deepEqual(stored.blog, { name: 'Beatles Blog' });
  assert.deepEqual(stored.comments, [{ text: 'first!' }]);
  const seq = await conn.db!.collection('__schema__').findOne({ name: Entry.collection.collectionName });
  assert.equal(seq?.['auto']?.seq, before + 1);
});

test('edit: the embedded blog name is saved, the rest of the blog kept', async () => {
  const id = await idOf('Hey Jude');
  const res = await recordAction('edit', id, { 'blog.name': 'The Beatles Blog', id: '77' });
  assert.equal(res.notice?.type, 'success');
  const stored = await Entry.objects.lean().get({ headline: 'Hey Jude' });
  assert.deepEqual(stored.blog, { name: 'The Beatles Blog', tagline: 'news' });
  assert.equal(stored.id, 1, 'the auto id is never edited');
});

test('edit: a validation error lands on its form field and nothing is written', async () => {
  const id = await idOf('Paint It Black');
  const res = await recordAction('edit', id, { headline: 'Paint It Black', rating: '9', 'blog.name': 'x'.repeat(41) });
  assert.equal(res.notice?.type, 'error');
  assert.ok(res.record.errors['rating'], JSON.stringify(res.record.errors));
  assert.ok(res.record.errors['blog.name'], JSON.stringify(res.record.errors));
  const stored = await Entry.objects.lean().get({ headline: 'Paint It Black' });
  assert.equal(stored.rating, 3);
  assert.deepEqual(stored.blog, { name: 'Stones Weekly' });
});

test('delete removes the document', async () => {
  const id = await idOf('Filler 9');
  await recordAction('delete', id, {});
  assert.equal(await Entry.objects.filter({ headline: 'Filler 9' }).count(), 0);
  assert.equal(await Entry.objects.count(), 12);
});
