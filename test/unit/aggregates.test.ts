// Aggregates and annotations compile to pipelines, with no database: the
// model is made on Mongoose's default connection, which is never opened.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import {
  Avg,
  Count,
  F,
  FieldError,
  Max,
  Min,
  Sum,
  compileAggregation,
  compileAnnotations,
  isAggregate,
  type AggregateNode,
} from '../../index.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = entryModel(mongoose.connection, 'AggregatesUnitEntry');
const scope = { schema: entrySchema(), modelName: 'Entry' };

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Asserts a FieldError whose message matches. */
function fails(block: () => unknown, pattern: RegExp): void {
  assert.throws(block, (e: unknown) => e instanceof FieldError && pattern.test((e as Error).message));
}

describe('aggregate nodes', () => {
  test('factories make frozen nodes; Count takes no field or { distinct }', () => {
    const sum = Sum('views');
    assert.deepEqual(sum, { kind: 'aggregate', fn: 'sum', field: 'views', distinct: false });
    assert.ok(Object.isFrozen(sum));
    assert.deepEqual(Count(), { kind: 'aggregate', fn: 'count', field: undefined, distinct: false });
    assert.deepEqual(Count('blog__name', { distinct: true }), {
      kind: 'aggregate',
      fn: 'count',
      field: 'blog__name',
      distinct: true,
    });
    assert.deepEqual([Avg('rating').fn, Min('views').fn, Max('likes').fn], ['avg', 'min', 'max']);
  });

  test('isAggregate tells nodes from F and plain values', () => {
    assert.equal(isAggregate(Max('views')), true);
    assert.equal(isAggregate(F('views')), false);
    assert.equal(isAggregate({ fn: 'sum' }), false);
    assert.equal(isAggregate(null), false);
  });

  test('a field must be a non-empty string', () => {
    fails(() => Sum(''), /Sum\(\) takes a field name/);
    fails(() => Avg(3 as unknown as string), /Avg\(\) takes a field name/);
  });
});

describe('aggregate() compiles to $match then one $group', () => {
  test('Sum, Avg, Min, Max and Count of the primary key, on the filtered QuerySet', () => {
    assert.deepEqual(
      Entry.objects.filter({ blog__name: 'Beatles Blog' }).toPipeline({
        total: Sum('views'),
        avg: Avg('rating'),
        first: Min('pub_date'),
        top: Max('blog__name'),
        n: Count('id'),
      }),
      [
        { $match: { 'blog.name': 'Beatles Blog' } },
        {
          $group: {
            _id: null,
            total: { $sum: '$views' },
            avg: { $avg: '$rating' },
            first: { $min: '$pub_date' },
            top: { $max: '$blog.name' },
            n: { $sum: 1 },
          },
        },
      ],
    );
  });

  test('Count() and Count(pk) count documents; Count(field) skips nulls', () => {
    assert.deepEqual(compileAggregation(scope, { a: Count(), b: Count('pk'), c: Count('rating') }), [
      {
        $group: {
          _id: null,
          a: { $sum: 1 },
          b: { $sum: 1 },
          c: { $sum: { $cond: [{ $gt: ['$rating', null] }, 1, 0] } },
        },
      },
    ]);
  });

  test('Count distinct collects a set and sizes it without null', () => {
    assert.deepEqual(
      compileAggregation(scope, {
        total: Sum('views'),
        blogs: Count('blog__name', { distinct: true }),
        ids: Count('pk', { distinct: true }),
      }),
      [
        { $group: { _id: null, total: { $sum: '$views' }, blogs: { $addToSet: '$blog.name' }, ids: { $sum: 1 } } },
        { $project: { _id: 0, total: 1, blogs: { $size: { $setDifference: ['$blogs', [null]] } }, ids: 1 } },
      ],
    );
  });

  test('a JSON field path folds as given', () => {
    assert.deepEqual(compileAggregation(scope, { uk: Max('data__chart__uk') }), [
      { $group: { _id: null, uk: { $max: '$data.chart.uk' } } },
    ]);
  });

  test('ordering is dropped, unless a slice makes it choose the rows', () => {
    assert.deepEqual(Entry.objects.orderBy('-views').toPipeline({ n: Count() }), [
      { $match: {} },
      { $group: { _id: null, n: { $sum: 1 } } },
    ]);
    assert.deepEqual(
      Entry.objects
        .orderBy('-views')
        .slice(1, 3)
        .toPipeline({ total: Sum('views') }),
      [
        { $match: {} },
        { $sort: { views: -1 } },
        { $skip: 1 },
        { $limit: 2 },
        { $group: { _id: null, total: { $sum: '$views' } } },
      ],
    );
  });

  test('none() and an empty slice answer without the server: null, and 0 for counts', async () => {
    // The default connection is never opened: a round trip would not return.
    const spec = { total: Sum('views'), avg: Avg('rating'), n: Count(), d: Count('rating', { distinct: true }) };
    assert.deepEqual(await Entry.objects.none().aggregate(spec), { total: null, avg: null, n: 0, d: 0 });
    assert.deepEqual(await Entry.objects.all().slice(0, 0).aggregate(spec), { total: null, avg: null, n: 0, d: 0 });
    assert.deepEqual(await Entry.objects.aggregate({}), {});
  });

  test('bad names, fields and values are FieldErrors, before anything is sent', async () => {
    fails(() => compileAggregation(scope, { $total: Sum('views') }), /name "\$total" starts with "\$"/);
    fails(() => compileAggregation(scope, { 'a.b': Sum('views') }), /name "a\.b" contains "\."/);
    fails(() => compileAggregation(scope, { _id: Sum('views') }), /name "_id" is the group key/);
    fails(() => compileAggregation(scope, { '': Sum('views') }), /name "" is empty/);
    fails(
      () => compileAggregation(scope, { s: Sum('views__gt') }),
      /Sum\("views__gt"\) must name a field, not a lookup \(gt\)/,
    );
    fails(() => compileAggregation(scope, { s: Sum('veiws') }), /keyword "veiws".*Did you mean "views"/);
    fails(() => compileAggregation(scope, { s: Avg(undefined as unknown as string) }), /Avg\(\) needs a field/);
    fails(
      () => compileAggregation(scope, { s: F('views') as unknown as AggregateNode }),
      /takes Sum, Avg, Min, Max or Count; "s" is F\("views"\)/,
    );
    await assert.rejects(Entry.objects.none().aggregate({ $n: Count() }), FieldError);
  });
});

describe('annotate() compiles to $addFields in an aggregation pipeline', () => {
  test('F expressions and aggregates over arrays, then sort, skip, limit', () => {
    const qs = Entry.objects
      .filter({ rating__gte: 4 })
      .annotate({
        net: F('likes').minus(F('views')),
        n_comments: Count('comments'),
        authors: Count('comments__author', { distinct: true }),
        best: Max('comments__score'),
        worst: Min('comments__score'),
        mean: Avg('comments__score'),
        points: Sum('comments__score'),
      })
      .orderBy('-n_comments', 'headline')
      .slice(1, 3);
    assert.deepEqual(qs.toPipeline(), [
      { $match: { rating: { $gte: 4 } } },
      {
        $addFields: {
          net: { $subtract: ['$likes', '$views'] },
          n_comments: { $size: { $ifNull: ['$comments', []] } },
          authors: { $size: { $setUnion: [{ $ifNull: ['$comments.author', []] }] } },
          best: { $max: '$comments.score' },
          worst: { $min: '$comments.score' },
          mean: { $avg: '$comments.score' },
          points: { $sum: '$comments.score' },
        },
      },
      { $sort: { n_comments: -1, headline: 1 } },
      { $skip: 1 },
      { $limit: 2 },
    ]);
    assert.deepEqual(qs.toMongo().sort, { n_comments: -1, headline: 1 });
  });

  test('only() keeps the annotations; values() keeps what it names', () => {
    const annotated = Entry.objects.annotate({ n: Count('tags') });
    assert.deepEqual(annotated.only('headline').toPipeline().at(-1), { $project: { headline: 1, n: 1 } });
    assert.deepEqual(annotated.defer('comments').toPipeline().at(-1), { $project: { comments: 0 } });
    assert.deepEqual(annotated.values('headline', 'n').toPipeline().at(-1), { $project: { headline: 1, n: 1 } });
    assert.deepEqual(annotated.values('headline').toPipeline().at(-1), { $project: { headline: 1 } });
  });

  test('annotations compose across calls, and aggregate() can fold them', () => {
    const qs = Entry.objects.annotate({ points: Sum('comments__score') }).annotate({ net: F('likes').plus(1) });
    assert.deepEqual(qs.toPipeline({ total: Sum('points'), most: Max('points'), n: Count('net') }), [
      { $match: {} },
      { $addFields: { points: { $sum: '$comments.score' }, net: { $add: ['$likes', 1] } } },
      {
        $group: {
          _id: null,
          total: { $sum: '$points' },
          most: { $max: '$points' },
          n: { $sum: { $cond: [{ $gt: ['$net', null] }, 1, 0] } },
        },
      },
    ]);
  });

  test('compileAnnotations gives the $addFields body', () => {
    assert.deepEqual(compileAnnotations(scope, { n: Count('tags'), v: F('views') }), {
      n: { $size: { $ifNull: ['$tags', []] } },
      v: '$views',
    });
  });

  test('an unannotated QuerySet gives the pipeline of its find', () => {
    assert.deepEqual(Entry.objects.filter({ rating: 5 }).orderBy('views').only('headline').toPipeline(), [
      { $match: { rating: 5 } },
      { $sort: { views: 1 } },
      { $project: { headline: 1 } },
    ]);
  });

  test('aggregates must name fields; names must be new', () => {
    const a = Entry.objects.all();
    // @ts-expect-error a lookup is not a field: a compile error too
    fails(() => a.annotate({ n: Max('comments__score__gt') }), /must name a field, not a lookup/);
    fails(() => a.annotate({ n: F('rating__gt') }), /must name a field, not a lookup/);
    fails(() => a.annotate({ n: F('nope') }), /Cannot resolve keyword "nope"/);
    fails(() => a.annotate({ n: 3 as unknown as AggregateNode }), /"n" is the number 3\./);
    fails(() => a.annotate({ rating: Count('tags') }), /annotation "rating" conflicts with a field or method of/);
    fails(() => a.annotate({ pk: Count('tags') }), /annotation "pk" conflicts/);
    fails(() => a.annotate({ save: Count('tags') }), /annotation "save" conflicts/);
    fails(() => a.annotate({ _doc: Count('tags') }), /name "_doc" starts with "_"/);
    fails(() => a.annotate({ $n: Count('tags') }), /name "\$n" starts with "\$"/);
    fails(() => a.annotate({ 'a.b': Count('tags') }), /name "a\.b" contains "\."/);
    fails(() => a.annotate({ a__b: Count('tags') }), /name "a__b" contains "__"/);
    fails(() => a.annotate({ n: Count('tags') }).annotate({ n: Count('comments') }), /"n" is already defined/);
  });

  test('orderBy and values name annotations, without lookups', () => {
    const a = Entry.objects.annotate({ n: Count('tags') });
    // @ts-expect-error no annotation "n" on Entry.objects: a compile error too
    fails(() => Entry.objects.orderBy('n'), /Cannot resolve keyword "n"/);
    // @ts-expect-error "nn" is no field or annotation: a compile error too
    fails(() => a.orderBy('-nn'), /Cannot resolve keyword "nn"/);
    // @ts-expect-error annotations have no lookups: a compile error too
    fails(() => a.values('n__gt'), /Cannot resolve keyword "n"/);
  });
});

test('types: counts are numbers, other aggregates number | null; annotations join the result', () => {
  const aggregateViews = () => Entry.objects.aggregate({ total: Sum('views'), n: Count() });
  type Aggregated = Awaited<ReturnType<typeof aggregateViews>>;
  assert.equal(typeof aggregateViews, 'function');
  const aggregated: Equal<Aggregated, { total: number | null; n: number }> = true;
  const qs = Entry.objects.annotate({ n: Count('tags'), best: Max('comments__score'), v: F('views') });
  type Row = Awaited<typeof qs>[number];
  assert.deepEqual(Object.keys(qs.toPipeline()[1]?.['$addFields'] as object), ['n', 'best', 'v']);
  const annotated: Equal<
    Pick<Row, 'n' | 'best' | 'v'>,
    { readonly n: number; readonly best: number | null; readonly v: unknown }
  > = true;
  assert.ok(aggregated && annotated);
});

describe("aggregates' options compile (default, distinct) and a date part", () => {
  test('nodes carry their options; a default only when given, and in labels', () => {
    assert.deepEqual(Sum('views', { distinct: true, default: 0 }), {
      kind: 'aggregate',
      fn: 'sum',
      field: 'views',
      distinct: true,
      default: 0,
    });
    assert.equal(Object.hasOwn(Avg('rating'), 'default'), false);
    fails(() => compileAggregation(scope, { s: Sum('veiws', { default: 0 }) }), /Sum\("veiws"\)|"veiws"/);
    fails(
      () => compileAggregation(scope, { s: Max('views__gt', { default: new Date(0) }) }),
      /^Max\("views__gt", \{ default: new Date\("1970-01-01T00:00:00\.000Z"\) \}\) must name a field/,
    );
  });

  test('distinct Sum and Avg collect a set, then fold it without null; over arrays, the union', () => {
    assert.deepEqual(
      compileAggregation(scope, { s: Sum('views', { distinct: true }), a: Avg('comments__score', { distinct: true }) }),
      [
        { $group: { _id: null, s: { $addToSet: '$views' }, a: { $addToSet: { $ifNull: ['$comments.score', []] } } } },
        {
          $project: {
            _id: 0,
            s: { $sum: { $setDifference: ['$s', [null]] } },
            a: {
              $avg: {
                $setDifference: [
                  { $reduce: { input: '$a', initialValue: [], in: { $setUnion: ['$$value', '$$this'] } } },
                  [null],
                ],
              },
            },
          },
        },
      ],
    );
  });

  test('aggregate() takes its default when the row is read; annotate() sends it as $ifNull of a $literal', () => {
    assert.deepEqual(
      Entry.objects
        .all()
        .toPipeline({ s: Max('views', { default: 0 }) })
        .at(-1),
      {
        $group: { _id: null, s: { $max: '$views' } },
      },
    );
    assert.deepEqual(compileAnnotations(scope, { best: Max('comments__score', { default: '$views' }) }), {
      best: { $ifNull: [{ $max: '$comments.score' }, { $literal: '$views' }] },
    });
    assert.deepEqual(
      Entry.objects
        .values('blog__name')
        .annotate({ top: Max('views', { default: 0 }) })
        .toPipeline()
        .slice(1),
      [
        { $group: { _id: { k0: '$blog.name' }, top: { $max: '$views' } } },
        { $project: { _id: 1, top: { $ifNull: ['$top', { $literal: 0 }] } } },
      ],
    );
  });

  test('a date part of a Date field folds that part of the value', () => {
    assert.deepEqual(compileAggregation(scope, { m: Min('pub_date__month'), q: Max('pub_date__quarter') }), [
      {
        $group: {
          _id: null,
          m: { $min: { $month: '$pub_date' } },
          q: { $max: { $ceil: { $divide: [{ $month: '$pub_date' }, 3] } } },
        },
      },
    ]);
    assert.deepEqual(compileAnnotations(scope, { y: Max('pub_date__year') }), {
      y: { $ifNull: [{ $year: '$pub_date' }, null] },
    });
    fails(
      () => compileAggregation(scope, { m: Min('pub_date__month__gt' as 'views') }),
      /after a Date field, one date part/,
    );
  });
});
