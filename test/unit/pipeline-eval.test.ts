// The pipeline evaluator (manager/pipeline-*.ts) against MongoDB's documented
// semantics: null or missing operands give null, result types follow the
// operands (int, long, double), dates take milliseconds, $round rounds half
// to even, comparisons order across types, and what it does not compute is
// refused before anything runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { NotSupportedError } from '../../index.js';
import { checkExpression, evaluate, fieldsRead } from '../../manager/pipeline-eval.js';
import { ExpressionError, toNum } from '../../manager/pipeline-numbers.js';
import { applyPlan, planPipeline } from '../../manager/pipeline-stages.js';
import { compareValues } from '../../manager/pipeline-compare.js';

const { Int32, Double, Long, Decimal128, ObjectId } = mongoose.mongo;

/** The BSON type and value of a result, for comparisons. */
function typed(value: unknown): [string, number | bigint] | unknown {
  const n = toNum(value);
  return n ? [n.kind, n.value] : value;
}

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const nullish = fc.constantFrom(null, '$missing');
const NUMERIC = ['$add', '$subtract', '$multiply', '$divide', '$mod', '$pow', '$bitAnd', '$bitOr', '$bitXor'];

describe('pipeline evaluator: null and missing', () => {
  test('a numeric operator gives null when an operand is null or missing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NUMERIC), int32, nullish, fc.boolean(), (op, n, absent, first) => {
        const args = first ? [absent, n] : [n, absent];
        assert.equal(evaluate({ [op]: args }, { a: 1 }), null);
      }),
    );
    for (const op of ['$abs', '$floor', '$ceil', '$trunc', '$round', '$bitNot', '$toInt', '$toString', '$concat']) {
      assert.equal(evaluate({ [op]: ['$missing'] }, {}), null, op);
    }
  });

  test('$ifNull takes the first operand that is neither null nor missing', () => {
    assert.equal(evaluate({ $ifNull: ['$a', '$b', 3] }, { a: null, b: 'x' }), 'x');
    assert.equal(evaluate({ $ifNull: ['$a', 3] }, {}), 3);
  });

  test('a missing field sorts before null: $eq of missing and null is false', () => {
    assert.equal(evaluate({ $eq: ['$missing', null] }, {}), false);
    assert.equal(evaluate({ $lt: ['$missing', null] }, {}), true);
    assert.equal(evaluate({ $eq: ['$a', null] }, { a: null }), true);
  });
});

describe('pipeline evaluator: numbers keep MongoDB result types', () => {
  test('int + int is an int, or a long past int32; the value is exact', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        const sum = BigInt(a) + BigInt(b);
        const fits = sum >= -(2n ** 31n) && sum < 2n ** 31n;
        assert.deepEqual(typed(evaluate({ $add: ['$a', '$b'] }, { a: new Int32(a), b: new Int32(b) })), [
          fits ? 'int' : 'long',
          fits ? Number(sum) : sum,
        ]);
      }),
    );
  });

  test('long arithmetic is exact (BigInt); a double makes a double', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), int32, (a, b) => {
        const doc = { a: Long.fromBigInt(a), b: new Int32(b) };
        assert.deepEqual(typed(evaluate({ $subtract: ['$a', '$b'] }, doc)), ['long', a - BigInt(b)]);
        assert.deepEqual(typed(evaluate({ $multiply: ['$b', new Double(1)] }, doc)), ['double', b]);
      }),
    );
  });

  test('$divide gives a double, and refuses a zero divisor', () => {
    fc.assert(
      fc.property(
        int32,
        int32.filter((b) => b !== 0),
        (a, b) => {
          assert.deepEqual(typed(evaluate({ $divide: [a, b] }, {})), ['double', a / b]);
        },
      ),
    );
    assert.throws(() => evaluate({ $divide: [1, 0] }, {}), ExpressionError);
  });

  // F()'s division of two integers (f-compile.ts): SQL's, truncated toward zero.
  test('integer division ($toInt/$toLong of $trunc of $divide) truncates toward zero, typed int or long', () => {
    const quotient = (to: '$toInt' | '$toLong', a: unknown, b: unknown) =>
      evaluate({ [to]: { $trunc: [{ $divide: [a, b] }] } }, {});
    fc.assert(
      fc.property(
        int32.filter((a) => a !== -(2 ** 31)),
        int32.filter((b) => b !== 0),
        (a, b) => {
          assert.deepEqual(typed(quotient('$toInt', a, b)), ['int', Math.trunc(a / b) + 0]);
        },
      ),
    );
    // Exact for a long dividend within ±2^53 (the double the division goes through).
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
        int32.filter((b) => b !== 0),
        (a, b) => {
          assert.deepEqual(typed(quotient('$toLong', Long.fromBigInt(a), b)), ['long', a / BigInt(b)]);
        },
      ),
    );
    assert.deepEqual(
      [
        [-7, 2],
        [7, -2],
        [-7, -2],
        [7, 2],
      ].map(([a, b]) => quotient('$toInt', a, b)),
      [-3, -3, 3, 3],
    );
    // A quotient just short of an integer stays short of it: MongoDB's $trunc
    // goes through a Decimal128 of 34 digits, where 15 would round it up first.
    assert.deepEqual(typed(quotient('$toLong', Long.fromBigInt(2n ** 50n - 5n), -(2 ** 30))), ['long', -1048575n]);
    assert.deepEqual(typed(evaluate({ $trunc: [1048575.9999999953] }, {})), ['double', 1048575]);
    assert.deepEqual(typed(evaluate({ $round: [2.675, 2] }, {})), ['double', 2.67]);
    assert.equal(quotient('$toInt', null, 2), null);
    assert.equal(quotient('$toLong', 7, '$missing'), null);
    assert.throws(() => quotient('$toInt', 7, 0), /can't \$divide by zero/);
    // The int32 minimum over -1 does not fit an int: MongoDB's $toInt refuses it too.
    assert.throws(() => quotient('$toInt', -(2 ** 31), -1), /overflow/);
  });

  test("$mod has the dividend's sign; $pow of ints stays integral", () => {
    fc.assert(
      fc.property(
        int32,
        int32.filter((b) => b !== 0),
        (a, b) => {
          // An int has no -0: JavaScript's -1 % -1 is -0, MongoDB's int result is 0.
          assert.deepEqual(typed(evaluate({ $mod: [a, b] }, {})), ['int', (a % b) + 0]);
        },
      ),
    );
    assert.deepEqual(typed(evaluate({ $mod: [-1, -1] }, {})), ['int', 0]);
    assert.deepEqual(typed(evaluate({ $pow: [2, 10] }, {})), ['int', 1024]);
    assert.deepEqual(typed(evaluate({ $pow: [2, 40] }, {})), ['long', 2n ** 40n]);
    assert.deepEqual(typed(evaluate({ $pow: [2, -1] }, {})), ['double', 0.5]);
    assert.throws(() => evaluate({ $pow: [0, -1] }, {}), ExpressionError);
  });

  test('$round rounds half to even, $trunc toward zero, at a place', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const even = n % 2 === 0 ? n : n + 1;
        assert.deepEqual(typed(evaluate({ $round: [n + 0.5] }, {})), ['double', even]);
        assert.deepEqual(typed(evaluate({ $trunc: [n + 0.5] }, {})), ['double', n + 0.5 < 0 ? n + 1 : n]);
      }),
    );
    assert.deepEqual(typed(evaluate({ $round: [1.2345, 2] }, {})), ['double', 1.23]);
    assert.deepEqual(typed(evaluate({ $round: [new Int32(1250), -2] }, {})), ['int', 1200]);
    assert.deepEqual(typed(evaluate({ $trunc: [new Int32(-1299), -2] }, {})), ['int', -1200]);
  });

  test('$abs of the int32 minimum widens to a long; $floor and $ceil keep integers', () => {
    assert.deepEqual(typed(evaluate({ $abs: new Int32(-(2 ** 31)) }, {})), ['long', 2n ** 31n]);
    assert.deepEqual(typed(evaluate({ $floor: -1.5 }, {})), ['double', -2]);
    assert.deepEqual(typed(evaluate({ $ceil: new Int32(3) }, {})), ['int', 3]);
  });

  test('bitwise operators match two-complement BigInt arithmetic', () => {
    fc.assert(
      fc.property(int32, int32, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (a, b, c) => {
        assert.deepEqual(typed(evaluate({ $bitAnd: [a, b] }, {})), ['int', a & b]);
        assert.deepEqual(typed(evaluate({ $bitXor: [a, Long.fromBigInt(c)] }, {})), [
          'long',
          BigInt.asIntN(64, BigInt(a) ^ c),
        ]);
        assert.deepEqual(typed(evaluate({ $bitNot: a }, {})), ['int', ~a]);
      }),
    );
    assert.throws(() => evaluate({ $bitOr: [1.5, 1] }, {}), ExpressionError);
  });
});

describe('pipeline evaluator: dates, text, conversions, booleans', () => {
  test('a date plus or minus milliseconds is a date; a date minus a date is milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), (t, ms) => {
        assert.deepEqual(evaluate({ $add: [new Date(t), ms] }, {}), new Date(t + ms));
        assert.deepEqual(evaluate({ $subtract: [new Date(t), ms] }, {}), new Date(t - ms));
        assert.deepEqual(typed(evaluate({ $subtract: [new Date(t + ms), new Date(t)] }, {})), ['long', BigInt(ms)]);
      }),
    );
    assert.throws(() => evaluate({ $add: [new Date(0), new Date(1)] }, {}), ExpressionError);
    assert.throws(() => evaluate({ $subtract: [1, new Date(1)] }, {}), ExpressionError);
  });

  test('$concat and $toString', () => {
    const id = new ObjectId();
    assert.equal(evaluate({ $concat: ['$a', '-', { $toString: '$n' }] }, { a: 'x', n: new Int32(7) }), 'x-7');
    assert.equal(evaluate({ $toString: '$id' }, { id }), id.toHexString());
    assert.equal(evaluate({ $toString: new Date(0) }, {}), '1970-01-01T00:00:00.000Z');
    assert.throws(() => evaluate({ $concat: ['a', 1] }, {}), ExpressionError);
  });

  test('$toInt, $toLong and $toDouble', () => {
    assert.deepEqual(typed(evaluate({ $toInt: '42' }, {})), ['int', 42]);
    assert.deepEqual(typed(evaluate({ $toInt: 4.9 }, {})), ['int', 4]);
    assert.deepEqual(typed(evaluate({ $toLong: new Date(5) }, {})), ['long', 5n]);
    assert.deepEqual(typed(evaluate({ $toDouble: true }, {})), ['double', 1]);
    assert.throws(() => evaluate({ $toInt: '4.5' }, {}), ExpressionError);
    assert.throws(() => evaluate({ $toInt: 2 ** 31 }, {}), ExpressionError);
  });

  test('$cond, $and, $or and $not use MongoDB truthiness (0, null and missing are false)', () => {
    assert.equal(evaluate({ $cond: [{ $gt: ['$a', 1] }, 'big', 'small'] }, { a: new Int32(5) }), 'big');
    assert.equal(evaluate({ $cond: { if: '$zero', then: 1, else: 2 } }, { zero: new Double(0) }), 2);
    assert.equal(evaluate({ $and: [1, ''] }, {}), true);
    assert.equal(evaluate({ $or: [0, '$missing', null] }, {}), false);
    assert.equal(evaluate({ $not: ['$missing'] }, {}), true);
  });

  test('numbers compare by value whatever their BSON type; strings after numbers', () => {
    fc.assert(
      fc.property(int32, (n) => {
        assert.equal(compareValues(new Int32(n), new Double(n)), 0);
        assert.equal(compareValues(Long.fromNumber(n), n + 0.5), -1);
        assert.equal(compareValues('', n), 1);
      }),
    );
  });
});

describe('pipeline evaluator: field paths, refusals, stages', () => {
  test('field paths read through documents and arrays; $literal keeps "$" text', () => {
    const doc = { blog: { name: 'b' }, comments: [{ score: 1 }, { other: 1 }, { score: 2 }] };
    assert.equal(evaluate('$blog.name', doc), 'b');
    assert.deepEqual(evaluate('$comments.score', doc), [1, 2]);
    assert.equal(evaluate({ $literal: '$blog' }, doc), '$blog');
    assert.deepEqual([...fieldsRead({ $add: ['$a', { $literal: '$b' }, '$c.d'] })], ['a', 'c.d']);
  });

  test('an unknown operator or a $$variable is refused before evaluation, naming it', () => {
    assert.throws(() => checkExpression({ $add: [{ $dateToString: { date: '$d' } }, 1] }), /\$dateToString/);
    assert.throws(() => checkExpression('$$NOW'), NotSupportedError);
    assert.throws(() => planPipeline([{ $project: { a: 1 } }]), NotSupportedError);
  });

  test('a Decimal128 operand is refused (no exact decimal arithmetic in JS), naming the field', () => {
    assert.throws(
      () => evaluate({ $add: ['$price', 1] }, { price: Decimal128.fromString('1.5') }),
      (err: unknown) =>
        err instanceof NotSupportedError && /\$add on a Decimal128 value \(of price\)/.test(err.message),
    );
  });

  test('a stage sees the document as it came in; a missing result unsets the field', () => {
    const plan = planPipeline([
      { $set: { a: '$b', b: '$a', gone: '$missing', 'blog.n': { $add: ['$a', 1] } } },
      { $unset: ['c'] },
    ]);
    assert.deepEqual(plan.reads, ['b', 'a', 'missing']);
    assert.deepEqual(applyPlan(plan, { _id: 1, a: 1, b: 2 }), {
      $set: { a: 2, b: 1, 'blog.n': 2 },
      $unset: { c: '', gone: '' },
    });
  });
});
