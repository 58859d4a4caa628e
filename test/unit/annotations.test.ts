// Annotations referenced later, compiled with no database: filter keys on
// annotations, F() of annotations, grouping, default aliases and aggregates
// over arrays (#12 §2.12, §2.13).
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
  compileUpdate,
  defaultAlias,
} from '../../index.js';
import { compileAnnotations, inlineAnnotations, inlineUpdate } from '../../manager/annotations-compile.js';
import { annotationOf, annotationResolver } from '../../manager/annotations-scope.js';
import { groupStages, ungroup } from '../../manager/annotations-group.js';
import { specOf } from '../../manager/aggregates.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = entryModel(mongoose.connection, 'AnnotationsUnitEntry');
const scope = { schema: entrySchema(), modelName: 'Entry' };

describe('filter keys on annotations', () => {
  test('the longest annotation name a key starts with', () => {
    const spec = { n: Count('tags'), n__count: Count('comments') };
    assert.equal(annotationOf(spec, 'n'), 'n');
    assert.equal(annotationOf(spec, 'n__gte'), 'n');
    assert.equal(annotationOf(spec, 'n__count__lt'), 'n__count');
    assert.equal(annotationOf(spec, 'nn'), undefined);
    assert.equal(annotationOf(spec, 'rating'), undefined);
  });

  test("resolved as the annotation's type: a count casts as a number, Max of a date as a date", () => {
    const resolve = annotationResolver(scope, { n: Count('tags'), last: Max('pub_date'), v: F('headline') });
    const n = resolve('n__gte');
    assert.equal(n?.path, 'n');
    assert.deepEqual(n?.lookups, ['gte']);
    assert.equal(n?.schemaType?.instance, 'Number');
    assert.equal(resolve('last')?.schemaType?.instance, 'Date');
    assert.equal(resolve('v__startswith')?.schemaType?.instance, 'String');
    assert.equal(resolve('headline'), undefined);
    assert.throws(() => resolve('n__nope'), FieldError);
  });

  test('filter() splits its conditions: fields before the annotations, annotations after', () => {
    const qs = Entry.objects.annotate({ n: Count('tags') }).filter({ n__gte: 2, rating: 5 });
    assert.deepEqual(qs.toPipeline(), [
      { $match: { rating: 5 } },
      { $addFields: { n: { $size: { $ifNull: ['$tags', []] } } } },
      { $match: { n: { $gte: 2 } } },
    ]);
    // exclude() negates its conditions together, so they stay together.
    const ex = Entry.objects.annotate({ n: Count('tags') }).exclude({ n__gte: 2, rating: 5 });
    assert.deepEqual(ex.toPipeline().slice(-1), [{ $match: { $nor: [{ n: { $gte: 2 }, rating: 5 }] } }]);
  });
});

describe('F() of an annotation', () => {
  test('in annotate(): inlined, at any depth', () => {
    assert.deepEqual(compileAnnotations(scope, { n: Count('tags'), more: F('views').plus(F('n').times(2)) }), {
      n: { $size: { $ifNull: ['$tags', []] } },
      more: { $add: ['$views', { $multiply: [{ $size: { $ifNull: ['$tags', []] } }, 2] }] },
    });
    // Folding an annotation per document: its value.
    assert.deepEqual(compileAnnotations(scope, { v: F('views').plus(1), s: Sum('v') }), {
      v: { $add: ['$views', 1] },
      s: { $ifNull: [{ $add: ['$views', 1] }, null] },
    });
  });

  test('in update(): the F() it stands for, composed', () => {
    const spec = { alias: F('views').times(2), nested: F('alias').plus(1) };
    assert.deepEqual(
      inlineAnnotations(spec, F('nested').minus(F('alias'))),
      F('views').times(2).plus(1).minus(F('views').times(2)),
    );
    assert.deepEqual(inlineUpdate(spec, { likes: F('alias'), headline: 'x' }), {
      likes: F('views').times(2),
      headline: 'x',
    });
    assert.throws(() => inlineAnnotations({ n: Count('tags') }, F('n')), FieldError);
  });

  // Django's AdvancedTests.test_update_annotated_queryset and FTimeDeltaTests.test_negative_timedelta_update.
  test('in update(): the pipeline sent reads stored fields only', () => {
    assert.deepEqual(compileUpdate(scope, inlineUpdate({ alias: F('headline') }, { tags: F('alias') })), [
      { $set: { tags: '$headline' } },
    ]);
    const chain = {
      sub_seconds: F('pub_date').plus(-30_000),
      sub_minutes: F('sub_seconds').plus(-1_800_000),
      new_date: F('sub_minutes').plus(-7_200_000),
    };
    assert.deepEqual(compileUpdate(scope, inlineUpdate(chain, { pub_date: F('new_date') })), [
      { $set: { pub_date: { $add: [{ $add: [{ $add: ['$pub_date', -30_000] }, -1_800_000] }, -7_200_000] } } },
    ]);
  });
});

describe('aggregates over a scalar field in annotate()', () => {
  test('the value itself; Count is 1 or 0 for null; Count() and Count(pk) are 1', () => {
    assert.deepEqual(
      compileAnnotations(scope, {
        s: Sum('views'),
        a: Avg('views'),
        lo: Min('rating'),
        c: Count('rating'),
        all: Count(),
        pk: Count('pk'),
      }),
      {
        s: { $ifNull: ['$views', null] },
        a: { $ifNull: ['$views', null] },
        lo: { $ifNull: ['$rating', null] },
        c: { $cond: [{ $gt: ['$rating', null] }, 1, 0] },
        all: { $literal: 1 },
        pk: { $literal: 1 },
      },
    );
  });
});

describe('aggregate() over arrays', () => {
  test('each array folded, then the documents; a mean over elements, a distinct count over their union', () => {
    assert.deepEqual(
      compileAggregation(scope, { t: Sum('comments__score'), lo: Min('comments__score'), n: Count('tags') }),
      [
        {
          $group: {
            _id: null,
            t: { $sum: { $sum: '$comments.score' } },
            lo: { $min: { $min: '$comments.score' } },
            n: { $sum: { $size: { $ifNull: ['$tags', []] } } },
          },
        },
      ],
    );
    const [group, project] = compileAggregation(scope, {
      avg: Avg('comments__score'),
      d: Count('tags', { distinct: true }),
    });
    assert.deepEqual(group, {
      $group: {
        _id: null,
        avg: { $sum: { $sum: '$comments.score' } },
        avg__elements: { $sum: { $size: { $ifNull: ['$comments.score', []] } } },
        d: { $addToSet: { $ifNull: ['$tags', []] } },
      },
    });
    assert.deepEqual(project, {
      $project: {
        _id: 0,
        avg: { $cond: [{ $eq: ['$avg__elements', 0] }, null, { $divide: ['$avg', '$avg__elements'] }] },
        d: {
          $size: {
            $setDifference: [
              { $reduce: { input: '$d', initialValue: [], in: { $setUnion: ['$$value', '$$this'] } } },
              [null],
            ],
          },
        },
      },
    });
    // A helper's name never takes an output name.
    const [named] = compileAggregation(scope, { avg: Avg('comments__score'), avg__elements: Count() });
    assert.ok(Object.hasOwn((named as { $group: object }).$group, '_avg__elements'));
  });
});

describe("Django's default alias", () => {
  test('<field>__<function>; Count() has none; a name twice is refused', () => {
    assert.equal(defaultAlias(Avg('blog__name')), 'blog__name__avg');
    assert.equal(defaultAlias(Count('tags', { distinct: true })), 'tags__count');
    assert.throws(() => defaultAlias(Count()), /Count\(\) has no default name/);
    assert.deepEqual(Object.keys(specOf([Sum('views'), { n: Count() }, Max('rating')])), [
      'views__sum',
      'n',
      'rating__max',
    ]);
    assert.throws(() => specOf([Sum('views'), Sum('views')]), /"views__sum" is given twice/);
    assert.deepEqual(Entry.objects.all().toPipeline(specOf([Sum('views')])), [
      { $match: {} },
      { $group: { _id: null, views__sum: { $sum: '$views' } } },
    ]);
  });
});

describe('values(...).annotate() grouping', () => {
  test('the group key holds the values; rows come back in the values shape', () => {
    const grouping = { paths: ['blog.name', 'rating'], aggregates: { n: Count('id') } };
    assert.deepEqual(groupStages(scope, new Set(), grouping), [
      { $group: { _id: { k0: '$blog.name', k1: '$rating' }, n: { $sum: 1 } } },
    ]);
    assert.deepEqual(ungroup(grouping, { _id: { k0: 'Beatles Blog', k1: 5 }, n: 2 }), {
      n: 2,
      blog: { name: 'Beatles Blog' },
      rating: 5,
    });
    assert.deepEqual(ungroup(grouping, { _id: { k0: null }, n: 1 }), { n: 1, blog: { name: null }, rating: null });
  });

  test('values() then annotate() rows gain the annotation; F() alone does not group', () => {
    const grouped = Entry.objects
      .values('rating')
      .annotate({ n: Count('id') })
      .filter({ n__gt: 1 })
      .orderBy('-rating');
    assert.deepEqual(grouped.toPipeline(), [
      { $match: {} },
      { $group: { _id: { k0: '$rating' }, n: { $sum: 1 } } },
      { $match: { n: { $gt: 1 } } },
      { $sort: { '_id.k0': -1 } },
    ]);
    const column = Entry.objects.values('headline').annotate({ v: F('views') });
    assert.deepEqual(column.toPipeline(), [
      { $match: {} },
      { $addFields: { v: '$views' } },
      { $project: { headline: 1, v: 1 } },
    ]);
  });
});
