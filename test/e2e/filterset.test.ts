// A FilterSet behind a real Express app, asked over HTTP with fetch, with
// Express's simple query parser (node:querystring) and its extended one (qs):
// declared parameters filter, order and page; hostile query strings get a 400
// listing every bad parameter and reach nothing; our errors map to statuses.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  EmptyPage,
  PageNotAnInteger,
  djongooseErrorHandler,
  filterSet,
  paginate,
  type ErrorBody,
  type Page,
} from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED, type EntryRaw } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
// The seed's three entries, and nine more for pages: ratings 1..9, one a year from 2001.
const MORE: EntryRaw[] = Array.from({ length: 9 }, (_, i) => ({
  blog: { name: 'Paging Weekly' },
  headline: `Page filler ${i + 1}`,
  rating: i + 1,
  tags: [],
  pub_date: new Date(Date.UTC(2001 + i, 0, 1)),
}));
await Entry.insertMany([...SEED, ...MORE]);

const entries = filterSet(Entry, {
  fields: {
    headline: ['exact', 'icontains'],
    rating: ['gte', 'lte', 'in'],
    pub_date: ['year', 'gte'],
    blog__name: ['startswith'],
    blog: ['isnull'],
    tags: ['len__gt'],
  },
  ordering: ['rating', 'pub_date', 'headline'],
  pageSize: 3,
  maxPageSize: 5,
});

function app(queryParser: 'simple' | 'extended'): express.Express {
  const api = express();
  api.set('query parser', queryParser);
  api.get('/entries', async (req: Request, res: Response) => {
    res.json(await entries.page(req.query, { base: Entry.objects.lean(), url: req.originalUrl }));
  });
  api.get('/entries/:id', async (req: Request, res: Response) => {
    res.json(await Entry.objects.lean().get({ pk: String(req.params['id']) }));
  });
  api.get('/boom', () => {
    throw new Error('not ours');
  });
  api.use(djongooseErrorHandler());
  api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    void next;
    res.status(500).json({ error: 'unhandled', message: String(err) });
  });
  return api;
}

async function listen(api: express.Express): Promise<{ base: string; listener: Server }> {
  const listener = api.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  return { base: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`, listener };
}

const servers = {
  simple: await listen(app('simple')),
  extended: await listen(app('extended')),
};
after(() => {
  for (const { listener } of Object.values(servers)) listener.close();
});

async function get(parser: keyof typeof servers, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(servers[parser].base + path);
  return { status: response.status, body: await response.json() };
}

const headlines = (body: unknown): string[] => (body as Page<EntryRaw>).results.map((e) => e.headline ?? '');

for (const parser of ['simple', 'extended'] as const) {
  describe(`with Express's ${parser} query parser, on ${server.name}`, () => {
    test('declared parameters filter and order, with values converted by field type', async () => {
      const cases: [string, Record<string, unknown>, string[]][] = [
        ['?blog__name__startswith=Beatles&ordering=-rating', { blog__name__startswith: 'Beatles' }, ['-rating']],
        ['?rating__in=3,5&ordering=rating', { rating__in: [3, 5] }, ['rating']],
        ['?headline__icontains=JUDE', { headline__icontains: 'jude' }, []],
        ['?headline=Paint%20It%20Black', { headline: 'Paint It Black' }, []],
        ['?pub_date__year=2019', { pub_date__year: 2019 }, []],
        [
          '?pub_date__gte=2008-06-01T00:00:00%2B02:00&ordering=pub_date',
          { pub_date__gte: new Date('2008-05-31T22:00:00Z') },
          ['pub_date'],
        ],
        [
          '?blog__isnull=false&rating__gte=4&rating__lte=5&ordering=-rating,headline',
          { rating__range: [4, 5] },
          ['-rating', 'headline'],
        ],
        ['?tags__len__gt=1', { tags__len__gt: 1 }, []],
        ['?headline=', {}, ['pk']],
      ];
      for (const [query, literal, order] of cases) {
        const { status, body } = await get(parser, `/entries${query}&page_size=5`);
        assert.equal(status, 200, `${query}: ${JSON.stringify(body)}`);
        const expected = await Entry.objects
          .filter(literal)
          .orderBy(...order, 'pk')
          .valuesList('headline', { flat: true });
        assert.equal((body as Page<EntryRaw>).count, expected.length, query);
        assert.deepEqual(headlines(body), expected.slice(0, 5), query);
        const total = SEED.length + MORE.length;
        assert.ok(expected.length > 0 && (query === '?headline=' || expected.length < total), `${query} selects some`);
      }
    });

    test('hostile query strings: one 400 listing every bad parameter, nothing read', async () => {
      const cases: [string, string[]][] = [
        ['?headline[$ne]=x', [parser === 'extended' ? 'headline' : 'headline[$ne]']],
        ['?__raw__[headline][$ne]=x', [parser === 'extended' ? '__raw__' : '__raw__[headline][$ne]']],
        ['?__raw__[a]=1&rating__in=3,x', [parser === 'extended' ? '__raw__' : '__raw__[a]', 'rating__in']],
        [
          '?rating__gte[$gt]=0&blog__name__startswith[]=B',
          parser === 'extended'
            ? ['rating__gte', 'blog__name__startswith']
            : ['rating__gte[$gt]', 'blog__name__startswith[]'],
        ],
        ['?headline=a&headline=b', ['headline']],
        ['?rating=5', ['rating']],
        ['?headline__regex=.*', ['headline__regex']],
        [
          '?__proto__[polluted]=1&constructor[prototype][polluted]=1',
          parser === 'extended' ? ['constructor'] : ['__proto__[polluted]', 'constructor[prototype][polluted]'],
        ],
        ['?ordering=-views&page=two&page_size=x', ['ordering', 'page', 'page_size']],
        [
          '?pub_date__gte=2020-02-30&blog__isnull=nope&pub_date__year=12345',
          ['pub_date__gte', 'blog__isnull', 'pub_date__year'],
        ],
      ];
      for (const [query, names] of cases) {
        const { status, body } = await get(parser, `/entries${query}`);
        assert.equal(status, 400, `${query}: ${JSON.stringify(body)}`);
        const { error, errors, message } = body as ErrorBody;
        assert.equal(error, 'FilterError', query);
        assert.deepEqual(Object.keys(errors ?? {}).sort(), [...names].sort(), query);
        assert.match(message, new RegExp(`^${names.length} bad query parameters?\\.`), query);
        // Refused while reading the query, by shape, name or text, each with
        // what is accepted: no hostile value got as far as the compiler's cast.
        for (const problems of Object.values(errors ?? {})) {
          assert.match(problems.join(' '), /^(was given|unknown parameter|"[^"]*" is not|Page "two")/, query);
          assert.match(problems.join(' '), /accepted|takes|give|numbered/, query);
        }
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      }
    });

    test("pages: REST framework's shape with links; page_size capped; Django's out-of-range rules", async () => {
      const first = await get(parser, '/entries?blog__name__startswith=Paging&ordering=rating');
      assert.deepEqual(first.body, {
        count: 9,
        next: '/entries?blog__name__startswith=Paging&ordering=rating&page=2',
        previous: null,
        results: (first.body as Page<EntryRaw>).results,
      });
      assert.deepEqual(headlines(first.body), ['Page filler 1', 'Page filler 2', 'Page filler 3']);

      const second = await get(parser, '/entries?blog__name__startswith=Paging&ordering=rating&page=2&page_size=50');
      // page_size=50 is capped at maxPageSize, 5: the second page of five holds the last four.
      assert.deepEqual(headlines(second.body), ['Page filler 6', 'Page filler 7', 'Page filler 8', 'Page filler 9']);
      assert.equal((second.body as Page<EntryRaw>).next, null);
      assert.equal(
        (second.body as Page<EntryRaw>).previous,
        '/entries?blog__name__startswith=Paging&ordering=rating&page_size=50',
      );

      const last = await get(parser, '/entries?blog__name__startswith=Paging&ordering=rating&page=last');
      assert.deepEqual(headlines(last.body), ['Page filler 7', 'Page filler 8', 'Page filler 9']);

      const past = await get(parser, '/entries?blog__name__startswith=Paging&page=4');
      assert.equal(past.status, 400);
      assert.deepEqual(past.body, {
        error: 'EmptyPage',
        message: 'Page 4 is out of range: there are 3 pages (1 to 3).',
      });
      assert.equal((await get(parser, '/entries?page=0')).status, 400);

      const none = await get(parser, '/entries?headline=Nobody');
      assert.deepEqual(none, { status: 200, body: { count: 0, next: null, previous: null, results: [] } });
      assert.equal((await get(parser, '/entries?headline=Nobody&page=2')).status, 400);
    });

    test('DoesNotExist is a 404, a bad id a 400, other errors go on to the next handler', async () => {
      const [one] = await Entry.objects.filter({ headline: 'Hey Jude' }).valuesList('pk', { flat: true });
      const found = await get(parser, `/entries/${String(one)}`);
      assert.equal(found.status, 200);
      assert.equal((found.body as EntryRaw).headline, 'Hey Jude');
      const missing = await get(parser, '/entries/64b7f0c2a1b2c3d4e5f60718');
      assert.deepEqual(missing, {
        status: 404,
        body: { error: 'DoesNotExist', message: 'Entry matching query does not exist.' },
      });
      const bad = await get(parser, '/entries/not-an-id');
      assert.equal(bad.status, 400);
      assert.equal((bad.body as ErrorBody).error, 'ValidationError');
      assert.deepEqual(await get(parser, '/boom'), {
        status: 500,
        body: { error: 'unhandled', message: 'Error: not ours' },
      });
    });
  });
}

describe(`paginate() on ${server.name}`, () => {
  test('an unordered QuerySet is ordered by primary key: the pages cover every match once', async () => {
    const seen: unknown[] = [];
    for (let page = 1; ; page++) {
      const { results, next } = await paginate(Entry.objects.lean(), page, 5);
      seen.push(...results.map((e) => String((e as { _id: unknown })._id)));
      if (next === null) break;
      assert.equal(next, page + 1);
    }
    const all = (await Entry.objects.orderBy('pk').valuesList('pk', { flat: true })).map(String);
    assert.deepEqual(seen, all);
  });

  test("Django's Paginator rules: page 1 of nothing, or EmptyPage when that is not allowed; absolute links", async () => {
    const nothing = Entry.objects.filter({ headline: 'Nobody' });
    assert.deepEqual(await paginate(nothing, 1, 10), { count: 0, next: null, previous: null, results: [] });
    await assert.rejects(paginate(nothing, 1, 10, { allowEmptyFirstPage: false }), EmptyPage);
    await assert.rejects(paginate(nothing, 'x', 10), PageNotAnInteger);
    const page = await paginate(Entry.objects.orderBy('rating'), 2, 4, 'https://api.example/entries?page=2&q=1');
    assert.equal(page.count, 12);
    assert.equal(page.next, 'https://api.example/entries?page=3&q=1');
    assert.equal(page.previous, 'https://api.example/entries?q=1');
  });
});
