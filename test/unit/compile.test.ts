// The filter compiler, key → MongoDB filter, with no database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, compileUpdate, F, FieldError, Q, Raw, ValidationError } from '../../index.js';
import { entrySchema } from '../helpers/models.js';

const scope = { schema: entrySchema(), modelName: 'Entry' };
const c = (f: Parameters<typeof compileFilter>[1]) => compileFilter(scope, f);

describe('lookups compile to MongoDB filters', () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ['exact', { headline: 'Hey Jude' }, { headline: 'Hey Jude' }],
    ['exact null', { headline: null }, { headline: { $eq: null } }],
    ['iexact', { headline__iexact: 'hey jude' }, { headline: new RegExp('^hey jude\\z', 'i') }],
    ['contains escapes', { headline__contains: 'a.b(c)' }, { headline: new RegExp('a\\.b\\(c\\)') }],
    ['icontains', { headline__icontains: 'jude' }, { headline: new RegExp('jude', 'i') }],
    ['startswith', { headline__startswith: 'Hey' }, { headline: new RegExp('^Hey') }],
    ['istartswith', { headline__istartswith: 'hey' }, { headline: new RegExp('^hey', 'i') }],
    ['endswith', { headline__endswith: 'Jude' }, { headline: new RegExp('Jude\\z') }],
    ['iendswith', { headline__iendswith: 'jude' }, { headline: new RegExp('jude\\z', 'i') }],
    ['in casts', { rating__in: ['4', 5] }, { rating: { $in: [4, 5] } }],
    [
      'gt/gte/lt/lte',
      { rating__gt: 1, views__gte: 2, likes__lt: 3 },
      { rating: { $gt: 1 }, views: { $gte: 2 }, likes: { $lt: 3 } },
    ],
    ['range', { rating__range: [3, 5] }, { rating: { $gte: 3, $lte: 5 } }],
    ['isnull', { headline__isnull: true }, { headline: { $eq: null } }],
    ['regex', { headline__regex: '^H.y' }, { headline: { $regex: '^H.y' } }],
    ['iregex', { headline__iregex: '^h' }, { headline: { $regex: '^h', $options: 'i' } }],
    ['ne', { rating__ne: 3 }, { rating: { $ne: 3 } }],
    ['nin', { rating__nin: [3] }, { rating: { $nin: [3] } }],
    ['mod', { rating__mod: [2, 1] }, { rating: { $mod: [2, 1] } }],
    ['all', { tags__all: ['rock', 'uk'] }, { tags: { $all: ['rock', 'uk'] } }],
    ['size', { tags__size: 1 }, { tags: { $size: 1 } }],
    ['exists', { pub_date__exists: false }, { pub_date: { $exists: false } }],
    ['type', { rating__type: 'number' }, { rating: { $type: 'number' } }],
    ['wholeword', { headline__wholeword: 'It' }, { headline: new RegExp('\\bIt\\b') }],
    ['iwholeword', { headline__iwholeword: 'it' }, { headline: new RegExp('\\bit\\b', 'i') }],
    ['array contains', { tags__contains: ['rock', 'uk'] }, { tags: { $all: ['rock', 'uk'] } }],
    ['overlap', { tags__overlap: ['uk', 'us'] }, { tags: { $in: ['uk', 'us'] } }],
    ['contained_by', { tags__contained_by: ['rock'] }, { tags: { $not: { $elemMatch: { $nin: ['rock'] } } } }],
    ['len gt', { tags__len__gt: 2 }, { 'tags.2': { $exists: true } }],
    ['len exact', { tags__len: 1 }, { tags: { $size: 1 } }],
    [
      'match',
      { comments__match: Q({ author: 'bob', score__gte: 5 }) },
      { comments: { $elemMatch: { author: 'bob', score: { $gte: 5 } } } },
    ],
    [
      'match on field values',
      { comments__match: { author: 'bob', score: 5 } },
      { comments: { $elemMatch: { author: 'bob', score: 5 } } },
    ],
    ['through arrays of documents', { comments__author: 'ann' }, { 'comments.author': 'ann' }],
    ['year', { pub_date__year: 2020 }, { pub_date: { $gte: new Date('2020-01-01Z'), $lt: new Date('2021-01-01Z') } }],
    ['year gte', { pub_date__year__gte: 2019 }, { pub_date: { $gte: new Date('2019-01-01Z') } }],
    [
      'date',
      { pub_date__date: '2020-05-01' },
      { pub_date: { $gte: new Date('2020-05-01Z'), $lt: new Date('2020-05-02Z') } },
    ],
    ['month', { pub_date__month: 5 }, { $expr: { $eq: [{ $month: '$pub_date' }, 5] } }],
    ['week_day gte', { pub_date__week_day__gte: 2 }, { $expr: { $gte: [{ $dayOfWeek: '$pub_date' }, 2] } }],
    [
      'quarter',
      { pub_date__quarter: 2 },
      { $expr: { $eq: [{ $ceil: { $divide: [{ $month: '$pub_date' }, 3] } }, 2] } },
    ],
    ['second', { pub_date__second__lt: 30 }, { $expr: { $lt: [{ $second: '$pub_date' }, 30] } }],
    [
      'time',
      { pub_date__time: '01:02:03' },
      {
        $expr: {
          $eq: [
            {
              $add: [
                { $multiply: [{ $hour: '$pub_date' }, 3600] },
                { $multiply: [{ $minute: '$pub_date' }, 60] },
                { $second: '$pub_date' },
              ],
            },
            3723,
          ],
        },
      },
    ],
    ['JSON path', { data__chart__uk__lte: 3 }, { 'data.chart.uk': { $lte: 3 } }],
    ['pk', { pk__in: [] }, { _id: { $in: [] } }],
  ];
  for (const [name, filter, expected] of cases) {
    test(name, () => assert.deepEqual(c(filter), expected));
  }
});

describe('embedded documents', () => {
  test("Django's and djongo's forms give the same query", () => {
    assert.deepEqual(c({ blog__name__startswith: 'Beatles' }), c({ blog__startswith: { name: 'Beatles' } }));
    assert.deepEqual(c({ blog__name__startswith: 'Beatles' }), { 'blog.name': new RegExp('^Beatles') });
  });
  test('an object matches field by field', () => {
    assert.deepEqual(c({ blog: { name: 'B', tagline: 'T' } }), { 'blog.name': 'B', 'blog.tagline': 'T' });
  });
});

describe('Q and F', () => {
  test('OR, AND and NOT nest as in Django', () => {
    assert.deepEqual(c(Q({ rating: 5 }).or({ rating: 3 }).or({ headline: 'x' })), {
      $or: [{ rating: 5 }, { rating: 3 }, { headline: 'x' }],
    });
    assert.deepEqual(c(Q.not({ rating: 5, headline: 'x' })), { $nor: [{ rating: 5, headline: 'x' }] });
    assert.deepEqual(c(Q({ rating__gt: 1 }).and({ rating__lt: 5 })), {
      $and: [{ rating: { $gt: 1 } }, { rating: { $lt: 5 } }],
    });
  });
  test('F compares fields and does arithmetic', () => {
    assert.deepEqual(c({ likes__gt: F('views').times(2) }), {
      $expr: { $gt: ['$likes', { $multiply: ['$views', 2] }] },
    });
  });
  test('F in updates becomes $inc/$mul, or a pipeline', () => {
    assert.deepEqual(compileUpdate(scope, { views: F('views').plus(1) }), { $inc: { views: 1 } });
    assert.deepEqual(compileUpdate(scope, { likes: F('views').plus(1) }), [
      { $set: { likes: { $add: ['$views', 1] } } },
    ]);
  });
});

describe('update keys', () => {
  test('all fifteen MongoEngine keys', () => {
    assert.deepEqual(
      compileUpdate(scope, {
        headline: 'a',
        set__blog__name: 'b',
        unset__pub_date: true,
        inc__views: 2,
        dec__likes: 1,
        mul__rating: 2,
        pop__tags: 1,
      }),
      {
        $set: { headline: 'a', 'blog.name': 'b' },
        $unset: { pub_date: '' },
        $inc: { views: 2, likes: -1 },
        $mul: { rating: 2 },
        $pop: { tags: 1 },
      },
    );
    // One field once per update: the server refuses two changes to one path.
    assert.deepEqual(compileUpdate(scope, { min__rating: 1, max__views: 9 }), {
      $min: { rating: 1 },
      $max: { views: 9 },
    });
    assert.deepEqual(
      compileUpdate(scope, {
        push__tags: 'a',
        add_to_set__comments: [{ author: 'x' }],
        set_on_insert__rating: 1,
        rename__data: 'extra',
      }),
      {
        $push: { tags: { $each: ['a'] } },
        $addToSet: { comments: { $each: [{ author: 'x' }] } },
        $setOnInsert: { rating: 1 },
        $rename: { data: 'extra' },
      },
    );
    assert.deepEqual(compileUpdate(scope, { push_all__tags: ['a', 'b'] }), { $push: { tags: { $each: ['a', 'b'] } } });
    assert.deepEqual(compileUpdate(scope, { pull__tags: 'a' }), { $pullAll: { tags: ['a'] } });
    assert.deepEqual(compileUpdate(scope, { pull_all__tags: ['a'] }), { $pullAll: { tags: ['a'] } });
  });
});

describe('errors name the model, the choices and the closest match', () => {
  const fails = (f: Record<string, unknown>, type: typeof FieldError | typeof ValidationError, pattern: RegExp) =>
    assert.throws(
      () => c(f),
      (e: unknown) => e instanceof type && pattern.test((e as Error).message),
    );
  test('unknown field', () =>
    fails(
      { headlin: 'x' },
      FieldError,
      /keyword "headlin" into field of Entry\. Choices are: .*headline.*Did you mean "headline"/,
    ));
  test('unknown embedded field', () =>
    fails({ blog__nme: 'x' }, FieldError, /field of Entry\.blog\. Choices are: name, tagline\. Did you mean "name"/));
  test('unknown lookup', () =>
    fails(
      { headline__startwith: 'x' },
      FieldError,
      /Unsupported lookup "startwith" .*Entry\.headline.*Did you mean "startswith"/,
    ));
  test('bad chain', () => fails({ tags__len__foo: 1 }, FieldError, /"len" on Entry\.tags cannot be followed by "foo"/));
  test('invalid ObjectId', () =>
    fails({ pk: 'nope' }, ValidationError, /Entry\._id: cannot cast the string "nope" to ObjectId/));
  test('wrong type', () =>
    fails({ rating: 'five' }, ValidationError, /Entry\.rating: cannot cast the string "five" to Number/));
  test('month out of range', () => fails({ pub_date__month: 13 }, FieldError, /month from 1 to 12/));
  test('time malformed', () => fails({ pub_date__time: '25:00' }, FieldError, /'HH:MM' or 'HH:MM:SS'/));
  test('in needs a list', () => fails({ rating__in: 5 }, FieldError, /needs a list/));
});

test('a Raw part with an own "__proto__" key stays a part of its own, never a prototype', () => {
  const raw = JSON.parse('{"__proto__": {"rating": 5}}') as Record<string, unknown>;
  const filter = c(Raw(raw).and({ headline: 'Hey Jude' }));
  assert.equal(Object.getPrototypeOf(filter), Object.prototype);
  assert.deepEqual(filter, { $and: [raw, { headline: 'Hey Jude' }] });
  assert.ok(Object.hasOwn((filter['$and'] as Record<string, unknown>[])[0]!, '__proto__'));
});
