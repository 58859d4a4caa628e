// What the update keys of issue 12 §2 compile to, with no database: pull with
// lookups, list positions, the raw door, the type check of values, and the
// options an update is sent with.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileUpdate, F, FieldError, RawUpdate, ValidationError } from '../../index.js';
import { entrySchema } from '../helpers/models.js';
import { checkMatchedPositions, positionedPath, splitPositions } from '../../manager/update-paths.js';
import { checkScalarType } from '../../manager/update-scalars.js';
import { updateOptions } from '../../manager/update-run.js';

const scope = { schema: entrySchema(), modelName: 'Entry' };
const u = (changes: Record<string, unknown>) => compileUpdate(scope, changes);

describe('pull__ with a lookup or a field of the elements is a $pull condition on the list', () => {
  test('lookups on the elements of a list of documents, and on a list of scalars', () => {
    assert.deepEqual(u({ pull__comments__score__lt: 3 }), { $pull: { comments: { score: { $lt: 3 } } } });
    assert.deepEqual(u({ pull__comments__author: 'ann' }), { $pull: { comments: { author: 'ann' } } });
    assert.deepEqual(u({ pull__tags__in: ['a', 'b'] }), { $pull: { tags: { $in: ['a', 'b'] } } });
    assert.deepEqual(u({ pull__tags__nin: ['a'] }), { $pull: { tags: { $nin: ['a'] } } });
    assert.deepEqual(u({ pull__data__list__gte: 2 }), { $pull: { 'data.list': { $gte: 2 } } });
  });

  test('values are cast by the field and stay data', () => {
    assert.deepEqual(u({ pull__comments__score__in: ['1', 2] }), { $pull: { comments: { score: { $in: [1, 2] } } } });
    for (const value of ['{"$ne": null}', '{"$gt": ""}', '[{"$where": "1"}]']) {
      const typed = (e: unknown) => e instanceof ValidationError || e instanceof FieldError;
      assert.throws(() => u({ pull__comments__author__in: JSON.parse(value) as unknown }), typed);
      assert.throws(() => u({ pull__comments__author: JSON.parse(value) as unknown }), typed);
    }
  });

  test('a plain pull__ keeps its $pullAll / $eq forms, and pull_all__ takes no field of the elements', () => {
    assert.deepEqual(u({ pull__tags: 'a' }), { $pullAll: { tags: ['a'] } });
    assert.throws(() => u({ pull_all__comments__author: ['x'] }), FieldError);
    assert.throws(() => u({ pull__headline__in: ['x'] }), /pull__ works on list fields/);
    assert.throws(() => u({ push__tags__in: ['x'] }), /only pull__ takes a lookup/);
  });
});

describe('positions in update keys', () => {
  test('a number or S after a list is a position; elsewhere a number is a key', () => {
    assert.deepEqual(splitPositions(scope, 'comments__1__author'), {
      fieldKey: 'comments__author',
      positions: new Map([[0, '1']]),
    });
    assert.deepEqual(splitPositions(scope, 'comments__S__score').positions, new Map([[0, '$']]));
    assert.deepEqual(splitPositions(scope, 'data__list__0'), { fieldKey: 'data__list__0', positions: new Map() });
    assert.deepEqual(splitPositions(scope, 'tags__01').positions, new Map(), 'no leading zero');
    assert.equal(positionedPath('comments.author', new Map([[0, '$']])), 'comments.$.author');
  });

  test('compiled paths, and $position for a push', () => {
    assert.deepEqual(u({ set__comments__1__author: 'x', inc__comments__0__score: 1 }), {
      $set: { 'comments.1.author': 'x' },
      $inc: { 'comments.0.score': 1 },
    });
    assert.deepEqual(u({ push_all__tags__2: ['x'] }), { $push: { tags: { $each: ['x'], $position: 2 } } });
    assert.deepEqual(u({ inc__comments__S__score: 2 }), { $inc: { 'comments.$.score': 2 } });
    assert.throws(() => u({ set__comments__1__author: F('headline') }), FieldError);
    // A pipeline's $set does not index lists: positions and F() across fields do not mix.
    assert.throws(() => u({ likes: F('views'), set__tags__0: 'x' }), /list positions \(set__tags__0\)/);
  });

  test('S needs a filter condition on its list', () => {
    const update = { $inc: { 'comments.$.score': 1 } };
    checkMatchedPositions('Entry', update, { 'comments.author': 'ann' });
    checkMatchedPositions('Entry', update, { $and: [{ headline: 'x' }, { comments: { $elemMatch: { score: 1 } } }] });
    assert.throws(() => checkMatchedPositions('Entry', update, { headline: 'x' }), /no condition on comments/);
    assert.throws(() => checkMatchedPositions('Entry', update, { commentsx: 1 }), FieldError);
  });
});

describe('the raw update door', () => {
  test('RawUpdate merges; a plain __raw__ value is refused', () => {
    assert.deepEqual(u({ rating: 1, __raw__: RawUpdate({ $set: { views: 2 }, $currentDate: { pub_date: true } }) }), {
      $set: { rating: 1, views: 2 },
      $currentDate: { pub_date: true },
    });
    assert.throws(() => u(JSON.parse('{"__raw__": {"$set": {"views": 1}}}') as Record<string, unknown>), /RawUpdate/);
    assert.throws(() => u({ likes: F('views'), __raw__: RawUpdate({ $set: { views: 2 } }) }), /pipeline/);
  });

  // MongoEngine's update(__raw__=[...]): the same pipeline path as F() across fields.
  test('RawUpdate([...stages]) compiles to a pipeline update, after the keys own $set stage', () => {
    const concat = { $set: { headline: { $concat: ['$headline', ' ', '$headline'] } } };
    const pipeline = u({ __raw__: RawUpdate([concat, { $unset: 'tags' }]) });
    assert.deepEqual(pipeline, [concat, { $unset: 'tags' }]);
    assert.deepEqual(updateOptions('Entry', pipeline, {}, { upsert: true }), {
      strict: 'throw',
      updatePipeline: true,
      upsert: true,
    });
    assert.deepEqual(u({ rating: 1, likes: F('views'), __raw__: RawUpdate([concat]) }), [
      { $set: { rating: { $literal: 1 }, likes: '$views' } },
      concat,
    ]);
    assert.throws(() => u({ inc__views: 1, __raw__: RawUpdate([concat]) }), /cannot be mixed with inc__/);
  });

  test('a pipeline from a request is refused, and RawUpdate takes only update stages', () => {
    for (const body of [
      '{"__raw__": [{"$set": {"views": "$likes"}}]}',
      '{"__raw__": [{"$set": {"views": 1}}], "rating": 2}',
      '{"__raw__": []}',
    ]) {
      assert.throws(
        () => u(JSON.parse(body) as Record<string, unknown>),
        (e: unknown) => e instanceof FieldError && /takes RawUpdate\(\{ \.\.\. \}\), made in code/.test(e.message),
      );
    }
    const bad: unknown[][] = [
      [],
      [{ $out: 'other' }],
      [{ $merge: { into: 'other' } }],
      [{ $lookup: { from: 'users', as: 'u' } }],
      [{ $set: { a: 1 }, $unset: 'b' }],
      ['$set'],
      [null],
    ];
    for (const stages of bad) {
      assert.throws(
        () => RawUpdate(stages as never),
        (e: unknown) => e instanceof FieldError && /one of \$addFields, \$set, \$project, \$unset/.test(e.message),
        JSON.stringify(stages),
      );
    }
  });

  test('RawUpdate keeps a frozen copy of its stages', () => {
    const stages = [{ $set: { views: 1 } }] as const;
    const raw = RawUpdate([...stages]);
    assert.ok(Object.isFrozen(raw) && Object.isFrozen(raw.update));
  });
});

describe('values are checked against the field type', () => {
  const cases: [string, unknown, boolean][] = [
    ['String', 'x', true],
    ['String', 1, false],
    ['String', true, false],
    ['Number', '5', true],
    ['Number', 5n, true],
    ['Number', true, false],
    ['Number', new Date(0), false],
    ['Int32', 'x', true], // a string is Mongoose's to cast, or to refuse with its cast error
    ['Boolean', 'true', true],
    ['Boolean', 1, false],
    ['Date', 0, true],
    ['Date', false, false],
    ['ObjectId', 'a'.repeat(24), true],
    ['ObjectId', 5, false],
    ['Buffer', 5, true], // not listed: Mongoose's cast decides
    ['String', null, true],
  ];
  for (const [type, value, ok] of cases) {
    test(`${type} ${ok ? 'takes' : 'refuses'} ${String(value)}`, () => {
      const run = () => checkScalarType(type, value, 'M.f');
      if (ok) run();
      else
        assert.throws(
          run,
          (e: unknown) => e instanceof ValidationError && e.message.startsWith(`M.f takes a ${type} (`),
        );
    });
  }
});

describe('the options an update is sent with', () => {
  test('updatePipeline only for a pipeline; upsert only when asked', () => {
    assert.deepEqual(updateOptions('Entry', { $set: { a: 1 } }, {}, {}), { strict: 'throw' });
    assert.deepEqual(updateOptions('Entry', [{ $set: { a: '$b' } }], {}, { upsert: true }), {
      strict: 'throw',
      updatePipeline: true,
      upsert: true,
    });
  });
});
