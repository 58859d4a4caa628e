// Text lookups on Date and ObjectId fields, with no database: the range a
// prefix of the text stands for, and what the filters compile to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { compileFilter, ValidationError } from '../../index.js';
import { dateTextRange } from '../../manager/text-form-lookups.js';

const at = (text: string) => new Date(text);
const range = (prefix: string) => dateTextRange(prefix)?.map((d) => d.toISOString());

describe('dateTextRange: the instants whose text (YYYY-MM-DD HH:MM:SS) starts with a prefix', () => {
  test('whole and partial parts', () => {
    assert.deepEqual(range('2005'), ['2005-01-01T00:00:00.000Z', '2006-01-01T00:00:00.000Z']);
    assert.deepEqual(range('2005-1'), ['2005-10-01T00:00:00.000Z', '2006-01-01T00:00:00.000Z']);
    assert.deepEqual(range('2005-0'), ['2005-01-01T00:00:00.000Z', '2005-10-01T00:00:00.000Z']);
    assert.deepEqual(range('2005-07-2'), ['2005-07-20T00:00:00.000Z', '2005-07-30T00:00:00.000Z']);
    assert.deepEqual(range('2004-02-2'), ['2004-02-20T00:00:00.000Z', '2004-03-01T00:00:00.000Z']);
    assert.deepEqual(range('2005-07-28 1'), ['2005-07-28T10:00:00.000Z', '2005-07-28T20:00:00.000Z']);
    assert.deepEqual(range('2005-07-28 00:00:00'), ['2005-07-28T00:00:00.000Z', '2005-07-28T00:00:01.000Z']);
    assert.deepEqual(range('0'), ['0000-01-01T00:00:00.000Z', '1000-01-01T00:00:00.000Z']);
    assert.deepEqual(range(''), ['0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z']);
  });

  test('a prefix no text starts with is no range', () => {
    for (const prefix of [
      '2005-2',
      '2005-13',
      '2005-02-30',
      '2005-07-28T',
      '2005/07',
      'x',
      '2005-07-28 24',
      '2005-07-28 00:00:00.0',
    ]) {
      assert.equal(dateTextRange(prefix), undefined, prefix);
    }
  });
});

describe('text lookups compile on Date and ObjectId fields', () => {
  const schema = new mongoose.Schema({ at: Date, ref: mongoose.Schema.Types.ObjectId });
  const c = (f: Record<string, unknown>) => compileFilter({ schema, modelName: 'T' }, f as never);
  const id = new mongoose.Types.ObjectId('5f1d7f0e9b1e8a3c4d2b0a1f');

  test('startswith and iexact are ranges of values', () => {
    assert.deepEqual(c({ at__startswith: '2005' }), {
      at: { $gte: at('2005-01-01T00:00:00Z'), $lt: at('2006-01-01T00:00:00Z') },
    });
    assert.deepEqual(c({ at__iexact: '2005' }), { at: { $in: [] } });
    assert.deepEqual(c({ ref__iexact: '5F1D7F0E9B1E8A3C4D2B0A1F' }), { ref: { $eq: id } });
    assert.deepEqual(c({ ref__startswith: '5f1d' }), {
      ref: {
        $gte: new mongoose.Types.ObjectId('5f1d00000000000000000000'),
        $lte: new mongoose.Types.ObjectId('5f1dffffffffffffffffffff'),
      },
    });
    // The text is lowercase: an uppercase prefix matches only when the case is ignored.
    assert.deepEqual(c({ ref__startswith: '5F' }), { ref: { $in: [] } });
    assert.deepEqual(Object.keys((c({ ref__istartswith: '5F' }) as { ref: object }).ref), ['$gte', '$lte']);
  });

  test('the others read the text with $regexMatch, the value a literal', () => {
    assert.deepEqual(c({ at__contains: '-07-' }), {
      $expr: {
        $regexMatch: {
          input: { $dateToString: { format: '%Y-%m-%d %H:%M:%S', date: '$at' } },
          regex: { $literal: '\\-07\\-' },
          options: '',
        },
      },
    });
    assert.deepEqual(c({ ref__iendswith: '$A1F' }), {
      $expr: { $regexMatch: { input: { $toString: '$ref' }, regex: { $literal: '\\$A1F\\z' }, options: 'i' } },
    });
  });

  test('a value that is no text (a request’s object) is refused, never an operator', () => {
    for (const key of ['at__startswith', 'ref__iexact', 'ref__contains']) {
      assert.throws(() => c({ [key]: { $ne: null } }), ValidationError, key);
      assert.throws(() => c({ [key]: ['a'] }), ValidationError, key);
    }
  });
});
