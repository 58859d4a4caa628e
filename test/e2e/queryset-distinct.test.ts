// distinct() without a field, Django's SELECT DISTINCT, against a real
// server: distinct combinations after values()/valuesList(), the ordering's
// fields joining them, and a no-op over documents.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const Entry = await ready(entryModel(conn));
// Two blogs; (blog, rating) repeats once; of blog S, one entry has no rating
// at all and one a stored null, which Django's NULL makes one row.
await Entry.insertMany([
  { headline: 'a', blog: { name: 'B' }, rating: 5, views: 1 },
  { headline: 'b', blog: { name: 'B' }, rating: 5, views: 2 },
  { headline: 'c', blog: { name: 'B' }, rating: 4, views: 3 },
  { headline: 'd', blog: { name: 'S' }, rating: 5, views: 4 },
  { headline: 'e', blog: { name: 'S' }, views: 5 },
  { headline: 'f', blog: { name: 'S' }, rating: null as unknown as number, views: 6 },
]);

describe(`distinct() over rows on ${server.name}`, () => {
  test('values() then distinct(): the distinct combinations, in one aggregate', async () => {
    let rows: unknown;
    const sent = await commandsDuring(conn, async () => {
      rows = await Entry.objects.values('blog__name', 'rating').distinct().orderBy('blog__name', '-rating');
    });
    assert.deepEqual(rows, [
      { blog__name: 'B', rating: 5 },
      { blog__name: 'B', rating: 4 },
      { blog__name: 'S', rating: 5 },
      { blog__name: 'S', rating: null },
    ]);
    assert.deepEqual(
      sent.map((c) => c.name),
      ['aggregate'],
    );
  });

  test('count() counts the combinations, and slices apply to them', async () => {
    assert.equal(await Entry.objects.values('blog__name', 'rating').distinct().count(), 4);
    assert.equal(await Entry.objects.values('blog__name').distinct().count(), 2);
    assert.equal(await Entry.objects.filter({ rating: 5 }).values('rating').distinct().count(), 1);
    const page = Entry.objects.values('blog__name', 'rating').distinct().orderBy('blog__name', '-rating').slice(1, 3);
    assert.deepEqual(await page, [
      { blog__name: 'B', rating: 4 },
      { blog__name: 'S', rating: 5 },
    ]);
    assert.equal(await page.count(), 2);
  });

  test('valuesList(): tuples and flat values; the iterator gives the same rows', async () => {
    const flat = Entry.objects.valuesList('blog__name', { flat: true }).distinct().orderBy('-blog__name');
    assert.deepEqual(await flat, ['S', 'B']);
    const seen: unknown[] = [];
    for await (const v of flat) seen.push(v);
    assert.deepEqual(seen, ['S', 'B']);
    assert.deepEqual(await Entry.objects.valuesList('rating').distinct().orderBy('rating'), [[null], [4], [5]]);
  });

  test("ordering by a field not selected joins the key, as Django's DISTINCT does", async () => {
    const rows = await Entry.objects.values('blog__name').distinct().orderBy('views');
    assert.deepEqual(
      rows.map((r) => r.blog__name),
      ['B', 'B', 'B', 'S', 'S', 'S'],
    );
  });

  test('over documents, or values() with no fields, nothing changes', async () => {
    assert.equal((await Entry.objects.distinct()).length, 6);
    assert.equal(await Entry.objects.distinct().count(), 6);
    assert.equal((await Entry.objects.values().distinct()).length, 6);
    assert.deepEqual(Entry.objects.distinct().toMongo(), Entry.objects.all().toMongo());
  });

  test('toPipeline() shows the $group', () => {
    assert.deepEqual(Entry.objects.values('rating').distinct().orderBy('-rating').toPipeline(), [
      { $match: {} },
      { $group: { _id: { k0: '$rating' } } },
      { $sort: { '_id.k0': -1 } },
    ]);
  });
});
