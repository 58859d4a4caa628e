// aggregate() and annotate() against a real server. Expected numbers come
// from SEED: views 100/300/50, likes 150/200/10, ratings 5/4/3, comment
// scores [5, 2], [5] and [].
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { Avg, Count, F, Max, Min, Sum } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { entryModel, SEED } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);
// SEED and an entry with an explicit null rating, no blog and a repeated
// commenter, for null handling and distinct counts.
const Sparse = await ready(entryModel(conn, 'SparseEntry'));
await Sparse.insertMany([
  ...SEED,
  {
    headline: 'Untitled',
    rating: null as unknown as number,
    comments: [
      { author: 'ann', score: 1 },
      { author: 'ann', score: 1 },
    ],
  },
]);

/** The commands a block sends, with their pipelines. */
const sentDuring = async (block: () => Promise<unknown>): Promise<{ name: string; pipeline: unknown }[]> =>
  (await commandsDuring(conn, block)).map((c) => ({ name: c.name, pipeline: c.command['pipeline'] }));

describe(`aggregate() on ${server.name}`, () => {
  test('Sum and Count: one aggregate command, $match then $group', async () => {
    let result: unknown;
    const sent = await sentDuring(async () => {
      result = await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ total: Sum('views') });
    });
    assert.deepEqual(result, { total: 400 });
    assert.deepEqual(sent, [
      {
        name: 'aggregate',
        pipeline: [{ $match: { 'blog.name': 'Beatles Blog' } }, { $group: { _id: null, total: { $sum: '$views' } } }],
      },
    ]);
    assert.deepEqual(await Entry.objects.aggregate({ likes: Sum('likes') }), { likes: 360 });
    assert.deepEqual(await Entry.objects.aggregate({ n: Count() }), { n: 3 });
    assert.deepEqual(await Entry.objects.filter({ rating__gte: 4 }).aggregate({ n: Count('id') }), { n: 2 });
    assert.deepEqual(await Entry.objects.exclude({ rating: 5 }).aggregate({ n: Count('pk') }), { n: 2 });
  });

  test('several aggregates in one $group', { skip: lacks('multipleAccumulators') }, async () => {
    assert.deepEqual(
      await Entry.objects
        .filter({ blog__name: 'Beatles Blog' })
        .aggregate({ total: Sum('views'), likes: Sum('likes'), n: Count('id'), all: Count() }),
      { total: 400, likes: 350, n: 2, all: 2 },
    );
  });

  test('no matches: Sum is null and Count 0, from the server', async () => {
    let result: unknown;
    const sent = await sentDuring(async () => {
      result = await Entry.objects.filter({ rating__gt: 5 }).aggregate({ total: Sum('views'), n: Count() });
    });
    assert.deepEqual(result, { total: null, n: 0 });
    assert.deepEqual(
      sent.map((c) => c.name),
      ['aggregate'],
    );
  });

  test('none() answers without a round trip', async () => {
    let result: unknown;
    const sent = await sentDuring(async () => {
      result = await Entry.objects.none().aggregate({ total: Sum('views'), best: Max('rating'), n: Count() });
    });
    assert.deepEqual(result, { total: null, best: null, n: 0 });
    assert.deepEqual(sent, []);
  });

  test('over a slice, the slice is folded', async () => {
    const byViews = Entry.objects.orderBy('-views');
    assert.deepEqual(await byViews.slice(0, 2).aggregate({ total: Sum('views') }), { total: 400 });
    assert.deepEqual(await byViews.slice(1).aggregate({ total: Sum('views') }), { total: 150 });
    assert.deepEqual(await byViews.slice(1, 2).aggregate({ n: Count() }), { n: 1 });
  });

  const accumulators = lacks('groupAccumulators') || lacks('multipleAccumulators');
  test('Avg, Min and Max, and null over no matches', { skip: accumulators }, async () => {
    assert.deepEqual(
      await Entry.objects.aggregate({ avg: Avg('views'), rating: Avg('rating'), lo: Min('views'), hi: Max('likes') }),
      { avg: 150, rating: 4, lo: 50, hi: 200 },
    );
    assert.deepEqual(await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ avg: Avg('rating') }), {
      avg: 4.5,
    });
    assert.deepEqual(
      await Entry.objects
        .filter({ rating__gt: 5 })
        .aggregate({ avg: Avg('views'), lo: Min('views'), hi: Max('views') }),
      { avg: null, lo: null, hi: null },
    );
    // Nulls are skipped, as in SQL: the Untitled entry's null rating does not lower the mean.
    assert.deepEqual(await Sparse.objects.aggregate({ avg: Avg('rating'), lo: Min('rating') }), { avg: 4, lo: 3 });
  });

  test('Count distinct counts distinct non-null values', { skip: accumulators }, async () => {
    assert.deepEqual(
      await Entry.objects.aggregate({
        blogs: Count('blog__name', { distinct: true }),
        ratings: Count('rating', { distinct: true }),
        total: Sum('views'),
      }),
      { blogs: 2, ratings: 3, total: 450 },
    );
    // Untitled has rating null and no blog: neither is a value.
    assert.deepEqual(
      await Sparse.objects.aggregate({
        blogs: Count('blog__name', { distinct: true }),
        ratings: Count('rating', { distinct: true }),
        n: Count(),
      }),
      { blogs: 2, ratings: 3, n: 4 },
    );
    assert.deepEqual(await Entry.objects.none().aggregate({ blogs: Count('blog__name', { distinct: true }) }), {
      blogs: 0,
    });
  });

  const conditional = lacks('conditionalExpressions') || lacks('multipleAccumulators');
  test('Count(field) counts documents where the field is not null', { skip: conditional }, async () => {
    assert.deepEqual(
      await Sparse.objects.aggregate({ rated: Count('rating'), blogged: Count('blog__name'), n: Count() }),
      {
        rated: 3,
        blogged: 3,
        n: 4,
      },
    );
  });
});

describe(`annotate() on ${server.name}`, () => {
  test('Sum over an array, ordered by the annotation, read on documents', async () => {
    const qs = Entry.objects.annotate({ points: Sum('comments__score') }).orderBy('-points');
    let docs: Awaited<typeof qs> = [];
    const sent = await sentDuring(async () => {
      docs = await qs;
    });
    assert.deepEqual(sent, [
      {
        name: 'aggregate',
        pipeline: [{ $match: {} }, { $addFields: { points: { $sum: '$comments.score' } } }, { $sort: { points: -1 } }],
      },
    ]);
    assert.deepEqual(
      docs.map((d) => [d.headline, d.points]),
      [
        ['Hey Jude', 7],
        ['Abbey Road (Remastered)', 5],
        ['Paint It Black', 0],
      ],
    );
    assert.ok(docs[0] instanceof mongoose.Model);
    assert.equal(docs[0]!.blog?.name, 'Beatles Blog');
  });

  test('values, valuesList, lean, only, first and iteration carry annotations', async () => {
    const qs = Entry.objects.annotate({ points: Sum('comments__score') }).orderBy('points');
    assert.deepEqual(await qs.valuesList('points', { flat: true }), [0, 5, 7]);
    assert.deepEqual(await qs.slice(1, 2).values('headline', 'points'), [
      { headline: 'Abbey Road (Remastered)', points: 5 },
    ]);
    const [lean] = await qs.filter({ rating: 5 }).lean();
    assert.ok(!(lean instanceof mongoose.Model));
    assert.equal((lean as Record<string, unknown>)['points'], 7);
    const [only] = await qs.filter({ rating: 5 }).only('headline').lean();
    assert.deepEqual(Object.keys(only!).sort(), ['_id', 'headline', 'points']);
    assert.equal((await qs.first())?.points, 0);
    assert.equal(
      (await Entry.objects.annotate({ points: Sum('comments__score') }).latest('points')).headline,
      'Hey Jude',
    );
    const seen: [string | undefined, number | null][] = [];
    for await (const doc of qs.iterator({ chunkSize: 1 })) seen.push([doc.headline, doc.points]);
    assert.deepEqual(seen, [
      ['Paint It Black', 0],
      ['Abbey Road (Remastered)', 5],
      ['Hey Jude', 7],
    ]);
  });

  test('annotated documents save without their annotations', async () => {
    const doc = await Sparse.objects.annotate({ points: Sum('comments__score') }).get({ headline: 'Untitled' });
    assert.equal(doc.points, 2);
    assert.equal(doc.isModified(), false);
    doc.views = 5;
    await doc.save();
    const stored = await conn.db!.collection('sparseentries').findOne({ headline: 'Untitled' });
    assert.equal(stored?.['views'], 5);
    assert.ok(!('points' in stored!), `annotation was stored: ${JSON.stringify(stored)}`);
  });

  test('aggregate() folds annotations', async () => {
    const annotated = Entry.objects.annotate({ points: Sum('comments__score') });
    assert.deepEqual(await annotated.aggregate({ total: Sum('points') }), { total: 12 });
    assert.deepEqual(await annotated.filter({ rating__lt: 5 }).aggregate({ total: Sum('points') }), { total: 5 });
  });

  test('F arithmetic, ordered by the annotation', { skip: lacks('arithmeticExpressions') }, async () => {
    const qs = Entry.objects.annotate({ net: F('likes').minus(F('views')) }).orderBy('net');
    const docs = await qs;
    assert.deepEqual(
      docs.map((d) => [d.headline, d.net]),
      [
        ['Abbey Road (Remastered)', -100],
        ['Paint It Black', -40],
        ['Hey Jude', 50],
      ],
    );
    assert.deepEqual(await qs.valuesList('net', { flat: true }), [-100, -40, 50]);
    assert.deepEqual(
      await Entry.objects
        .annotate({ mean: F('views').plus(F('likes')).dividedBy(2) })
        .orderBy('-mean')
        .valuesList('mean', { flat: true }),
      [250, 125, 30],
    );
  });

  test('a bare F copies the field', { skip: lacks('fieldPathValues') }, async () => {
    assert.deepEqual(
      await Entry.objects
        .annotate({ stars: F('rating') })
        .orderBy('-stars')
        .valuesList('headline', 'stars'),
      [
        ['Hey Jude', 5],
        ['Abbey Road (Remastered)', 4],
        ['Paint It Black', 3],
      ],
    );
  });

  test('Count, Max, Min and Avg over arrays', { skip: lacks('arrayExpressions') }, async () => {
    const rows = await Entry.objects
      .annotate({
        n_comments: Count('comments'),
        n_tags: Count('tags'),
        best: Max('comments__score'),
        worst: Min('comments__score'),
        mean: Avg('comments__score'),
        authors: Count('comments__author', { distinct: true }),
      })
      .orderBy('-n_comments', 'headline')
      .values('headline', 'n_comments', 'n_tags', 'best', 'worst', 'mean', 'authors');
    assert.deepEqual(rows, [
      { headline: 'Hey Jude', n_comments: 2, n_tags: 3, best: 5, worst: 2, mean: 3.5, authors: 2 },
      { headline: 'Abbey Road (Remastered)', n_comments: 1, n_tags: 1, best: 5, worst: 5, mean: 5, authors: 1 },
      { headline: 'Paint It Black', n_comments: 0, n_tags: 0, best: null, worst: null, mean: null, authors: 0 },
    ]);
    // A repeated commenter counts once when distinct.
    assert.deepEqual(
      await Sparse.objects
        .filter({ headline: 'Untitled' })
        .annotate({ n: Count('comments'), authors: Count('comments__author', { distinct: true }) })
        .values('n', 'authors'),
      [{ n: 2, authors: 1 }],
    );
  });
});
