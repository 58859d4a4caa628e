// Aggregates' options and targets, against a real server: `default` (Django
// 4.0's default=, a Coalesce), `distinct` on Sum and Avg, a date part of a
// Date field (Django's transform, `Min('pub_date__month')`), and aggregate()
// over values(...).distinct(), which folds the distinct rows. From SEED and
// three more entries: ratings 5, 4, 3, 5, null and missing; pub_date months
// 8, 9, 5 and 1 (2019-01-15), none on the last two.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Avg, Count, F, FieldError, Max, Min, Sum } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
await Entry.insertMany([
  ...SEED,
  { headline: 'Again', rating: 5, views: 100, blog: { name: 'Beatles Blog' }, pub_date: new Date('2019-01-15') },
  { headline: 'Unrated', rating: null as unknown as number },
  { headline: 'Blank' },
]);
const none = Entry.objects.filter({ rating__gt: 5 });

describe(`aggregates' default on ${server.name}`, () => {
  test('aggregate(): the default over no rows, the value where there is one', async () => {
    assert.deepEqual(await none.aggregate({ total: Sum('views', { default: 0 }) }), { total: 0 });
    assert.deepEqual(await Entry.objects.aggregate({ total: Sum('views', { default: 0 }) }), { total: 550 });
  });

  test(
    'Avg, Min and Max give their default where the server gives null',
    { skip: lacks('groupAccumulators') },
    async () => {
      const epoch = new Date(0);
      for (const [agg, expected] of [
        [Avg('rating', { default: 21 }), 21],
        [Min('pub_date', { default: epoch }), epoch],
        [Max('headline', { default: 'none' }), 'none'],
      ] as const) {
        assert.deepEqual(await none.aggregate({ v: agg }), { v: expected });
      }
      // Rows that hold only nulls: the server's null, then the default.
      assert.deepEqual(await Entry.objects.filter({ rating: null }).aggregate({ v: Max('rating', { default: -1 }) }), {
        v: -1,
      });
    },
  );

  // $ifNull in $addFields (per document) and in the $project after a group:
  // FerretDB v1.24 answers "The operator $ifNull is not implemented yet".
  test(
    'annotate(): per document and per group, the default where the value is null',
    { skip: lacks('conditionalExpressions') || lacks('groupAccumulators') },
    async () => {
      const rows = await Entry.objects
        .annotate({ r: Max('rating', { default: 0 }) })
        .orderBy('headline')
        .valuesList('headline', 'r');
      assert.deepEqual(rows, [
        ['Abbey Road (Remastered)', 4],
        ['Again', 5],
        ['Blank', 0],
        ['Hey Jude', 5],
        ['Paint It Black', 3],
        ['Unrated', 0],
      ]);
      const groups = await Entry.objects
        .values('blog__name')
        .annotate({ best: Max('rating', { default: 0 }) })
        .filter({ best__lt: 4 })
        .orderBy('blog__name');
      assert.deepEqual(groups, [
        { blog__name: null, best: 0 },
        { blog__name: 'Stones Weekly', best: 3 },
      ]);
    },
  );

  test('Count refuses a default (it is 0 already), Min and Max a distinct; a default is a plain value', () => {
    const refused = (block: () => unknown, pattern: RegExp) =>
      assert.throws(block, (err: unknown) => err instanceof FieldError && pattern.test((err as Error).message));
    refused(() => Count('rating', { default: 0 } as { distinct?: boolean }), /^Count does not allow default/);
    refused(() => Min('rating', { distinct: true } as { default?: number }), /^Min does not allow distinct/);
    refused(() => Sum('rating', { default: { $gt: 0 } } as never), /default takes a number, .*not the object/);
    refused(
      () => Avg('rating', { defualt: 0 } as never),
      /^Avg does not allow defualt\. Did you mean "default"\? Avg\(\) takes \{ distinct \} and \{ default \}\.$/,
    );
    refused(() => Sum('rating', 0 as never), /Sum\(\) takes options as an object/);
  });
});

describe(`distinct on Sum and Avg on ${server.name}`, () => {
  test('each distinct value once; nulls are no value', { skip: lacks('groupAccumulators') }, async () => {
    assert.deepEqual(await Entry.objects.aggregate({ s: Sum('rating', { distinct: true }) }), { s: 12 });
    assert.deepEqual(await Entry.objects.aggregate({ a: Avg('rating', { distinct: true }) }), { a: 4 });
    assert.deepEqual(await Entry.objects.aggregate({ a: Avg('rating') }), { a: 4.25 });
  });

  test('per group, as values(...).annotate() folds it', { skip: lacks('groupAccumulators') }, async () => {
    const rows = await Entry.objects
      .filter({ blog__name: 'Beatles Blog' })
      .values('blog__name')
      .annotate({ s: Sum('views', { distinct: true }) });
    assert.deepEqual(rows, [{ blog__name: 'Beatles Blog', s: 400 }]);
  });
});

describe(`a date part inside an aggregate on ${server.name}`, () => {
  const skip = lacks('dateOperators') || lacks('groupAccumulators');
  test('Min and Max of pub_date__month and __year; documents without a date are left out', { skip }, async () => {
    assert.deepEqual(await Entry.objects.aggregate({ m: Min('pub_date__month') }), { m: 1 });
    assert.deepEqual(await Entry.objects.aggregate(Max('pub_date__year')), { pub_date__year__max: 2020 });
  });

  test('per document, as an annotation to filter on', { skip: skip || lacks('conditionalExpressions') }, async () => {
    const recent = Entry.objects.annotate({ y: Min('pub_date__year') }).filter({ y__gte: 2019 });
    assert.deepEqual(await recent.orderBy('headline').valuesList('headline', 'y'), [
      ['Abbey Road (Remastered)', 2019],
      ['Again', 2019],
      ['Paint It Black', 2020],
    ]);
  });

  test('a date part of a field that is no Date, or a lookup, is a FieldError', async () => {
    await assert.rejects(
      Entry.objects.aggregate({ m: Min('views__month' as 'views') }),
      (err: unknown) =>
        err instanceof FieldError && /Unsupported lookup "month" for Number field/.test((err as Error).message),
    );
    await assert.rejects(
      Entry.objects.aggregate({ m: Min('pub_date__gte' as 'views') }),
      (err: unknown) => err instanceof FieldError && /not a lookup \(gte\)/.test((err as Error).message),
    );
  });
});

describe(`aggregate() after values(...).distinct() on ${server.name}`, () => {
  const ratings = Entry.objects.values('rating').distinct();
  test('folds the distinct rows, not the documents', async () => {
    assert.deepEqual(ratings.toPipeline({ s: Sum('rating') }), [
      { $match: {} },
      { $group: { _id: { k0: '$rating' } } },
      { $group: { _id: null, s: { $sum: '$_id.k0' } } },
    ]);
    assert.deepEqual(await ratings.aggregate({ s: Sum('rating') }), { s: 12 });
  });

  // The row key reads a missing rating as null ($ifNull): a conditional expression.
  test(
    'Count() counts rows, a missing value and a null as one; a slice folds its rows',
    { skip: lacks('conditionalExpressions') },
    async () => {
      assert.deepEqual(await ratings.aggregate({ n: Count() }), { n: 4 });
      assert.deepEqual(
        await ratings
          .orderBy('-rating')
          .slice(0, 2)
          .aggregate({ s: Sum('rating') }),
        { s: 9 },
      );
    },
  );

  test('a field values() did not select is a FieldError', async () => {
    await assert.rejects(
      ratings.aggregate({ v: Sum('views') }),
      (err: unknown) =>
        err instanceof FieldError && /only the fields values\(\) selected \(rating\)/.test((err as Error).message),
    );
  });
});

describe(`an aggregate of an F() expression on ${server.name}`, () => {
  test(
    "Sum(F('views').plus(F('likes'))) folds the expression per document, as Django's Sum(F('views') + F('likes'))",
    { skip: lacks('arithmeticExpressions') },
    async () => {
      const docs = await Entry.find().lean();
      const expected = docs.reduce((total, d) => total + (d.views ?? 0) + (d.likes ?? 0), 0);
      assert.deepEqual(await Entry.objects.aggregate({ reach: Sum(F('views').plus(F('likes'))) }), { reach: expected });
      // After annotate(), the expression may name the annotation.
      const twice = await Entry.objects
        .annotate({ double: F('views').times(2) })
        .aggregate({ reach: Sum(F('double').minus(F('views'))) });
      assert.deepEqual(twice, { reach: docs.reduce((total, d) => total + (d.views ?? 0), 0) });
      // In annotate(), per document: its own value.
      const rows = await Entry.objects
        .filter({ headline: 'Hey Jude' })
        .annotate({ reach: Sum(F('views').plus(F('likes'))) })
        .valuesList('reach', { flat: true });
      const jude = docs.find((d) => d.headline === 'Hey Jude');
      assert.deepEqual(rows, [(jude?.views ?? 0) + (jude?.likes ?? 0)]);
    },
  );

  test('Count of an expression, and an expression without a name, are FieldErrors', async () => {
    assert.throws(() => Count(F('views') as never), FieldError);
    await assert.rejects(
      async () => Entry.objects.aggregate(Sum(F('views').plus(1)) as never),
      (err: unknown) => err instanceof FieldError && /needs a name/.test((err as Error).message),
    );
  });
});
