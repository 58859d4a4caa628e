// What update keys compile to when their values come from a request: the
// shapes that keep them data, with no database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { compileUpdate, F, FieldError, ValidationError } from '../../index.js';
import { entrySchema } from '../helpers/models.js';
import { assertStorableKeys, unsafeKey } from '../../manager/storable.js';

const scope = { schema: entrySchema(), modelName: 'Entry' };
const u = (changes: Record<string, unknown>) => compileUpdate(scope, changes);

describe('update values are wrapped so the server reads them as data', () => {
  test('push and add_to_set always go through $each, so $each/$slice in a value are not modifiers', () => {
    assert.deepEqual(u({ push__data__list: { k: '$slice' } }), {
      $push: { 'data.list': { $each: [{ k: '$slice' }] } },
    });
    assert.deepEqual(u({ add_to_set__tags: 'a' }), { $addToSet: { tags: { $each: ['a'] } } });
  });

  test('pull of a plain value is $pullAll, merged with pull_all on the same field', () => {
    assert.deepEqual(u({ pull__tags: 'a', pull_all__tags: ['b', 'c'] }), { $pullAll: { tags: ['a', 'b', 'c'] } });
  });

  test('pull of an embedded document compares each named field with $eq', () => {
    assert.deepEqual(u({ pull__comments: { author: 'ann', score: 1 } }), {
      $pull: { comments: { author: { $eq: 'ann' }, score: { $eq: 1 } } },
    });
  });

  test('in a pipeline update, plain values are $literal: "$views" stays a string', () => {
    assert.deepEqual(u({ headline: '$views', data: { k: '$rating' }, likes: F('views').plus(F('rating')) }), [
      {
        $set: {
          headline: { $literal: '$views' },
          data: { $literal: { k: '$rating' } },
          likes: { $add: ['$views', '$rating'] },
        },
      },
    ]);
  });

  test('numbers: a numeric string from a query string is cast, anything else is refused', () => {
    assert.deepEqual(u({ inc__views: '2', dec__likes: '1.5', mul__rating: 3 }), {
      $inc: { views: 2, likes: -1.5 },
      $mul: { rating: 3 },
    });
    for (const value of ['x', '', ' ', '0x10', [1], { $gt: 1 }, null, true, Infinity, NaN]) {
      assert.throws(() => u({ inc__views: value }), ValidationError, JSON.stringify(value));
    }
    assert.throws(() => u({ inc__data__n: '2' }), ValidationError, 'inside JSON there is no type to cast by');
  });

  test('pop takes 1 or -1, as a number or a query-string', () => {
    assert.deepEqual(u({ pop__tags: '-1' }), { $pop: { tags: -1 } });
    assert.throws(() => u({ pop__tags: { $gt: 0 } }), FieldError);
  });

  test('rename takes plain names', () => {
    assert.deepEqual(u({ rename__likes: 'blog__hearts' }), { $rename: { likes: 'blog.hearts' } });
    for (const value of ['', '$x', 'a__$b', 'a.b', 'a____b', '_id', 'likes', { $ne: 1 }, ['x']]) {
      assert.throws(() => u({ rename__likes: value }), FieldError, JSON.stringify(value));
    }
  });

  test('update() takes an object', () => {
    for (const changes of [null, undefined, 'x', ['a']]) {
      assert.throws(() => compileUpdate(scope, changes as never), FieldError);
    }
  });
});

describe('the size bound that lets bulkCreate skip measuring small documents', () => {
  test('is never below the BSON size of what it checked', () => {
    const storable = fc.jsonValue({ stringUnit: 'grapheme' }).filter((v) => {
      try {
        assertStorableKeys(v, 'v');
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((k) => unsafeKey(k) === undefined),
        storable,
        (key, value) => {
          const bound = assertStorableKeys({ [key]: value }, 'v');
          assert.ok(mongoose.mongo.BSON.calculateObjectSize({ [key]: value }) <= bound);
        },
      ),
      { numRuns: 2000, seed: 20261129 },
    );
  });
});
