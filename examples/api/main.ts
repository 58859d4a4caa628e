// A small JSON API over the seed's Entry model: clients filter, order and
// page with query strings through a FilterSet, and our errors come back as
// 400/404 JSON through djongooseErrorHandler.
//   node --import tsx examples/api/main.ts           # a demo: a few requests, printed, then exit
//   node --import tsx examples/api/main.ts --serve   # keep serving on PORT (default 8000)
import type { AddressInfo } from 'node:net';
import express from 'express';
import { connect, djongooseErrorHandler, filterSet, type ErrorBody, type Page } from '../../index.js';
import { entryModel, type Entry as EntryRaw } from '../blog/models.js';
import { exampleServer } from '../avatars/server.js';

const { host, stop } = await exampleServer();
const connection = await connect({ NAME: process.env['EXAMPLE_DB_NAME'] ?? 'api', CLIENT: { host } });
const Entry = entryModel(connection);
await Entry.objects.all().delete();
await Entry.objects.bulkCreate([
  { blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' }, headline: 'Hey Jude' },
  { blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' }, headline: 'Abbey Road remastered' },
  { blog: { name: 'Stones Weekly', tagline: 'Rolling news.' }, headline: 'Paint It Black' },
  { blog: { name: 'Stones Weekly', tagline: 'Rolling news.' }, headline: 'Gimme Shelter' },
  { blog: { name: 'Kinks Quarterly', tagline: 'Village green news.' }, headline: 'Waterloo Sunset' },
]);

// Which fields and lookups clients may use; checked against the model now.
const entries = filterSet(Entry, {
  fields: { headline: ['exact', 'icontains'], blog__name: ['exact', 'startswith'], pk: ['in'] },
  ordering: ['headline', 'blog__name'],
  pageSize: 2,
  maxPageSize: 50,
});

const app = express();
app.set('query parser', 'extended');
app.get('/entries', async (req, res) => {
  res.json(await entries.page(req.query, { base: Entry.objects.lean(), url: req.originalUrl }));
});
app.get('/entries/:id', async (req, res) => {
  res.json(await Entry.objects.lean().get({ pk: Number(req.params.id) }));
});
app.use(djongooseErrorHandler());

const listener = app.listen(process.argv.includes('--serve') ? Number(process.env['PORT'] ?? 8000) : 0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

async function get<T>(path: string): Promise<[number, T]> {
  const response = await fetch(base + path);
  return [response.status, (await response.json()) as T];
}
const titles = (page: Page<EntryRaw>): string => page.results.map((e) => e.headline).join(', ');

if (process.argv.includes('--serve')) {
  console.log(`Try ${base}/entries?blog__name__startswith=Beatles&ordering=-headline`);
} else {
  try {
    const [, beatles] = await get<Page<EntryRaw>>('/entries?blog__name__startswith=Beatles&ordering=-headline');
    console.log(`Beatles entries (${beatles.count}): ${titles(beatles)}`);
    const [, second] = await get<Page<EntryRaw>>('/entries?ordering=headline&page=2');
    console.log(`page 2 by headline: ${titles(second)}; previous ${second.previous}; next ${second.next}`);
    const [, wide] = await get<Page<EntryRaw>>('/entries?ordering=headline&page_size=500');
    console.log(`page_size=500 is capped at 50: ${wide.results.length} of ${wide.count}, next ${wide.next}`);
    const [first, last] = [wide.results[0], wide.results.at(-1)];
    const [, one] = await get<EntryRaw>(`/entries/${first?.id}`);
    console.log(`GET /entries/${first?.id}: ${one.headline}`);
    const [, some] = await get<Page<EntryRaw>>(`/entries?pk__in=${first?.id},${last?.id}&ordering=headline`);
    console.log(`pk__in=${first?.id},${last?.id}: ${titles(some)}`);
    const [missing, { error }] = await get<ErrorBody>('/entries/999');
    console.log(`GET /entries/999: ${missing} ${error}`);
    const [status, bad] = await get<ErrorBody>('/entries?headline[$ne]=x&pk__in=1,two&ordering=-id');
    console.log(`hostile query: ${status} ${bad.error} on ${Object.keys(bad.errors ?? {}).join(', ')}`);
  } finally {
    listener.close();
    await connection.close();
    await stop();
  }
}
