// values(...).annotate() groups (Django's GROUP BY), aggregates without a
// name take Django's default alias, aggregate() over an array folds every
// element (MongoEngine's sum/average), and per-document Sum and Count of a
// scalar field give its value (#12 §2.12, §2.13). From SEED: views
// 100/300/50 in blogs Beatles, Beatles, Stones; comment scores [5, 2], [5], [].
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Avg, Count, F, FieldError, Max, Min, NotSupportedError, Sum } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);

describe(`values(...).annotate() groups by the values on ${server.name}`, () => {
  test('one row per distinct value, with the aggregate of its documents', async () => {
    const qs = Entry.objects
      .values('blog__name')
      .annotate({ n: Count('id') })
      .orderBy('blog__name');
    assert.deepEqual(qs.toPipeline(), [
      { $match: {} },
      { $group: { _id: { k0: '$blog.name' }, n: { $sum: 1 } } },
      { $sort: { '_id.k0': 1 } },
    ]);
    assert.deepEqual(await qs, [
      { blog__name: 'Beatles Blog', n: 2 },
      { blog__name: 'Stones Weekly', n: 1 },
    ]);
    assert.deepEqual(
      await Entry.objects
        .valuesList('blog__name')
        .annotate({ total: Sum('views') })
        .orderBy('-total'),
      [
        ['Beatles Blog', 400],
        ['Stones Weekly', 50],
      ],
    );
    assert.equal(await qs.count(), 2);
  });

  test('a filter before groups the matches; one on the aggregate keeps the groups (HAVING)', async () => {
    const before = Entry.objects
      .filter({ views__gte: 100 })
      .values('blog__name')
      .annotate({ n: Count('id') });
    assert.deepEqual(await before.orderBy('blog__name'), [{ blog__name: 'Beatles Blog', n: 2 }]);
    const having = Entry.objects
      .values('blog__name')
      .annotate({ n: Count('id') })
      .filter({ n__lt: 2 });
    assert.deepEqual(await having, [{ blog__name: 'Stones Weekly', n: 1 }]);
    assert.equal(await having.count(), 1);
  });

  test(
    'several aggregates per group',
    { skip: lacks('multipleAccumulators') || lacks('groupAccumulators') },
    async () => {
      const rows = await Entry.objects
        .values('blog__name')
        .annotate({ n: Count('id'), mean: Avg('views'), best: Max('rating') })
        .orderBy('blog__name');
      assert.deepEqual(rows, [
        { blog__name: 'Beatles Blog', n: 2, mean: 200, best: 5 },
        { blog__name: 'Stones Weekly', n: 1, mean: 50, best: 3 },
      ]);
    },
  );

  test('an F() after values() in a group, and writing through groups, are refused', async () => {
    assert.throws(
      () =>
        Entry.objects
          .values('blog__name')
          .annotate({ n: Count('id') })
          .annotate({ x: F('views') }),
      NotSupportedError,
    );
    await assert.rejects(
      Entry.objects
        .values('blog__name')
        .annotate({ n: Count('id') })
        .update({ views: 0 }),
      NotSupportedError,
    );
    // F() alone after values() adds a column per document, as in Django.
    const rows = await Entry.objects
      .values('headline')
      .annotate({ v: F('views') })
      .orderBy('headline');
    assert.deepEqual(
      rows.map((r) => Object.keys(r)),
      [
        ['headline', 'v'],
        ['headline', 'v'],
        ['headline', 'v'],
      ],
    );
  });
});

describe(`Django's default alias on ${server.name}`, () => {
  test('aggregate(Sum(field)) is keyed <field>__sum', async () => {
    assert.deepEqual(await Entry.objects.aggregate(Sum('views')), { views__sum: 450 });
  });

  const several = lacks('multipleAccumulators') || lacks('groupAccumulators') || lacks('conditionalExpressions');
  test('several, and with names', { skip: several }, async () => {
    assert.deepEqual(await Entry.objects.aggregate(Avg('rating'), Max('views')), {
      rating__avg: 4,
      views__max: 300,
    });
    assert.deepEqual(
      await Entry.objects.filter({ rating__gte: 4 }).aggregate(Count('rating'), { n: Count() } as never),
      {
        rating__count: 2,
        n: 2,
      },
    );
  });

  test('Count() has no default alias; a name given twice is refused', async () => {
    await assert.rejects(Entry.objects.aggregate(Count()), /Count\(\) has no default name/);
    await assert.rejects(
      Entry.objects.aggregate(...([Sum('views'), { views__sum: Sum('likes') }] as never[])),
      (err: unknown) => err instanceof FieldError && /"views__sum" is given twice/.test((err as Error).message),
    );
  });
});

describe(`aggregate() over an array field on ${server.name}`, () => {
  test('Sum adds every element of every document, as MongoEngine sum()', async () => {
    assert.deepEqual(await Entry.objects.aggregate({ total: Sum('comments__score') }), { total: 12 });
    assert.deepEqual(await Entry.objects.filter({ rating: 3 }).aggregate({ total: Sum('comments__score') }), {
      total: 0,
    });
  });

  test(
    'Avg over all elements, Min, Max and Count of elements',
    { skip: lacks('groupAccumulators') || lacks('multipleAccumulators') || lacks('arrayExpressions') },
    async () => {
      // Elements 5, 2, 5: the mean of the elements (4), not of the documents' means (4.25).
      assert.deepEqual(
        await Entry.objects.aggregate({
          avg: Avg('comments__score'),
          low: Min('comments__score'),
          high: Max('comments__score'),
          n: Count('comments'),
          tags: Count('tags', { distinct: true }),
        }),
        { avg: 4, low: 2, high: 5, n: 3, tags: 3 },
      );
      assert.deepEqual(await Entry.objects.filter({ rating: 3 }).aggregate({ avg: Avg('comments__score') }), {
        avg: null,
      });
    },
  );
});

// The value itself is `$ifNull: [path, null]` (a missing field is null, not
// absent), a conditional expression: FerretDB v1.24 answers "The operator
// $ifNull is not implemented yet", as it does for $cond.
describe(`annotate() with an aggregate over a scalar field on ${server.name}`, () => {
  test(
    'Sum, Avg, Min and Max give the value itself, per document',
    { skip: lacks('conditionalExpressions') },
    async () => {
      const rows = await Entry.objects
        .annotate({ s: Sum('views'), m: Max('rating') })
        .orderBy('s')
        .valuesList('s', 'm');
      assert.deepEqual(rows, [
        [50, 3],
        [100, 5],
        [300, 4],
      ]);
    },
  );

  test('Count is 1, or 0 where the value is null', { skip: lacks('conditionalExpressions') }, async () => {
    const Sparse = await ready(entryModel(conn, 'SparseEntry'));
    await Sparse.insertMany([{ headline: 'a', rating: 4 }, { headline: 'b' }]);
    const rows = await Sparse.objects
      .annotate(Count('rating'), Count('id'))
      .orderBy('headline')
      .values('headline', 'rating__count' as never, 'id__count' as never);
    assert.deepEqual(rows, [
      { headline: 'a', rating__count: 1, id__count: 1 },
      { headline: 'b', rating__count: 0, id__count: 1 },
    ]);
  });
});
