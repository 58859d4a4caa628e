// F's negation, bitwise operations, constant-first Value and date arithmetic,
// compiled with no server, and the type checks that refuse a step before
// anything is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, Value } from '../../manager/q.js';
import { compileFilter, fieldExpression } from '../../manager/filter.js';
import { compileUpdate } from '../../manager/update.js';
import { compileAnnotations } from '../../manager/annotations-compile.js';
import { inferKind, integerSteps, kindOfField, stepKind } from '../../manager/f-types.js';
import { shapeOf } from '../../core/schema-shape.js';
import { FieldError } from '../../core/errors.js';

const schema = new mongoose.Schema({
  name: String,
  active: Boolean,
  n: Number,
  m: Number,
  start: Date,
  end: Date,
  data: mongoose.Schema.Types.Mixed,
  tags: [Number],
});
const scope = { schema, modelName: 'Thing' };
const instanceOf = (field: string) => shapeOf(schema).field(field);
const notOf = (x: unknown) => ({ $cond: [{ $eq: [{ $ifNull: [x, null] }, null] }, null, { $not: [x] }] });

test('not(): null stays null; twice gives the F back', () => {
  assert.deepEqual(fieldExpression(scope, F('active').not()), notOf('$active'));
  assert.deepEqual(F('active').not().not(), F('active'));
  assert.deepEqual(fieldExpression(scope, F('active').not().not()), '$active');
});

test('a Boolean F as a whole filter holds where it is true', () => {
  assert.deepEqual(compileFilter(scope, F('active').not()), { $expr: { $eq: [notOf('$active'), true] } });
  assert.deepEqual(compileFilter(scope, F('active')), { $expr: { $eq: ['$active', true] } });
  assert.deepEqual(compileFilter(scope, { active: F('active').not() }), {
    $expr: { $eq: ['$active', notOf('$active')] },
  });
});

test('a non-Boolean F as a filter, or negated, is a FieldError naming it', () => {
  assert.throws(() => compileFilter(scope, F('n')), /Cannot filter against a non-conditional expression: F\("n"\)/);
  assert.throws(() => compileFilter(scope, F('n').plus(1)), FieldError);
  assert.throws(() => fieldExpression(scope, F('name').not()), /Cannot negate non-conditional expressions.*name/);
});

test('bitand, bitor and bitxor are $bitAnd, $bitOr and $bitXor', () => {
  assert.deepEqual(fieldExpression(scope, F('n').bitand(56).bitor(F('m')).bitxor(null)), {
    $bitXor: [{ $bitOr: [{ $bitAnd: ['$n', 56] }, '$m'] }, null],
  });
});

test('shifts multiply by a power of two, the right shift floors (arithmetic, as Python)', () => {
  assert.deepEqual(fieldExpression(scope, F('n').bitleftshift(2)), { $toLong: { $multiply: ['$n', 4] } });
  assert.deepEqual(fieldExpression(scope, F('n').bitrightshift(2)), {
    $toLong: { $floor: { $divide: ['$n', 4] } },
  });
  assert.deepEqual(fieldExpression(scope, F('n').bitleftshift(F('m'))), {
    $toLong: { $multiply: ['$n', { $pow: [2, '$m'] }] },
  });
  // What the server computes, done here: floor(-42 / 4) is -11, as -42 >> 2.
  assert.equal(Math.floor(-42 / 2 ** 2), -42 >> 2);
});

test('Value puts the constant first', () => {
  assert.deepEqual(fieldExpression(scope, Value(640).dividedBy(F('n'))), { $divide: [640, '$n'] });
  assert.deepEqual(fieldExpression(scope, Value(69).mod(F('n').plus(1))), { $mod: [69, { $add: ['$n', 1] }] });
  assert.deepEqual(fieldExpression(scope, Value(2).pow(F('n')).minus(1)), { $subtract: [{ $pow: [2, '$n'] }, 1] });
  assert.deepEqual(fieldExpression(scope, Value(1).bitleftshift(F('n'))), {
    $toLong: { $multiply: [1, { $pow: [2, '$n'] }] },
  });
});

test('a Date operand is date arithmetic', () => {
  const d = new Date(Date.UTC(2010, 5, 25));
  assert.deepEqual(fieldExpression(scope, F('n').plus(d)), { $add: ['$n', d] });
  assert.deepEqual(fieldExpression(scope, Value(d).minus(F('start'))), { $subtract: [d, '$start'] });
});

test('update: same-field arithmetic on a number is $inc; on a Date, Value first, mod or bitwise a pipeline', () => {
  assert.deepEqual(compileUpdate(scope, { n: F('n').plus(2) }), { $inc: { n: 2 } });
  assert.deepEqual(compileUpdate(scope, { start: F('start').plus(1000) }), [
    { $set: { start: { $add: ['$start', 1000] } } },
  ]);
  assert.deepEqual(compileUpdate(scope, { n: Value(640).dividedBy(F('n')) }), [
    { $set: { n: { $divide: [640, '$n'] } } },
  ]);
  assert.deepEqual(compileUpdate(scope, { active: F('active').not() }), [{ $set: { active: notOf('$active') } }]);
  assert.deepEqual(compileUpdate(scope, { n: F('n').bitxor(48) }), [{ $set: { n: { $bitXor: ['$n', 48] } } }]);
});

test('an update whose F does not type-check is refused, even same-field arithmetic', () => {
  assert.throws(() => compileUpdate(scope, { name: F('name').plus(1) }), /plus on name \(a String field\)/);
  assert.throws(() => compileUpdate(scope, { active: F('name').not() }), /Cannot negate non-conditional/);
});

test('annotations: Value, not and the bitwise operations; text + date is refused naming both', () => {
  assert.deepEqual(compileAnnotations(scope, { share: Value(100).dividedBy(F('n')), off: F('active').not() }), {
    share: { $divide: [100, '$n'] },
    off: notOf('$active'),
  });
  // An F of an earlier annotation, inlined, keeps the constant first.
  assert.deepEqual(compileAnnotations(scope, { a: F('n'), b: Value(1).minus(F('a')) }), {
    a: '$n',
    b: { $subtract: [1, '$n'] },
  });
  assert.throws(
    () => compileAnnotations(scope, { nonsense: F('name').plus(F('start')) }),
    (err: unknown) => err instanceof FieldError && /name/.test(err.message) && /start/.test(err.message),
  );
});

test('kinds: numbers with numbers, Dates with milliseconds, a Date minus a Date is a number', () => {
  assert.equal(inferKind(F('start').plus(1000).minus(F('n')), instanceOf), 'date');
  assert.equal(inferKind(F('end').minus(F('start')).dividedBy(1000), instanceOf), 'number');
  assert.equal(inferKind(Value(5).plus(F('start')), instanceOf), 'date');
  assert.equal(inferKind(F('active').not(), instanceOf), 'boolean');
  // Mixed and null are not checked: the server decides.
  assert.equal(inferKind(F('data').plus(F('start')), instanceOf), 'unknown');
  assert.equal(inferKind(F('name').plus(null), instanceOf), 'unknown');
  for (const f of [
    F('start').plus(F('end')),
    Value(5).minus(F('start')),
    F('start').times(2),
    F('start').bitand(1),
    F('name').plus(1),
    F('active').plus(1),
    F('tags').plus(1),
  ]) {
    assert.throws(() => inferKind(f, instanceOf), FieldError, `${JSON.stringify(f)} should not type-check`);
  }
  assert.equal(kindOfField({ instance: 'Decimal128', numberType: 'decimal' }), 'number');
  assert.equal(stepKind('minus', { kind: 'date', text: 'a' }, { kind: 'date', text: 'b' }), 'number');
});

test('operands that are not numbers, bigints within 64 bits, Dates, F or null are refused where the F is built', () => {
  const bad: unknown[] = ['$secret', { $where: '1' }, [1], NaN, Infinity, new Date('nope'), 2n ** 63n, true];
  for (const operand of bad) {
    assert.throws(() => F('n').plus(operand as number), FieldError, String(operand));
    assert.throws(() => Value(operand as number), FieldError, String(operand));
  }
  assert.throws(() => F('n').bitand(1.5), /whole numbers/);
  assert.throws(() => F('n').bitleftshift(new Date() as never), FieldError);
  assert.throws(() => Value(1.5).bitor(F('n')), /whole numbers/);
  assert.throws(() => Value(null as never), FieldError);
  // A bigint is a BSON long, as a BigInt field holds.
  assert.deepEqual(F('n').plus(-(2n ** 63n)).ops, [['plus', -(2n ** 63n)]]);
  assert.equal(Value(1n).value, 1n);
});

test('kinds: Int32 and BigInt fields and whole constants are integers; two of them divide as integers', () => {
  const ints = new mongoose.Schema({
    i: mongoose.Schema.Types.Int32,
    j: mongoose.Schema.Types.Int32,
    big: mongoose.Schema.Types.BigInt,
    x: Number,
  });
  const fieldOf = (field: string) => shapeOf(ints).field(field);
  assert.equal(shapeOf(ints).field('big')?.numberType, 'int64');
  assert.equal(shapeOf(ints).field('x')?.numberType, 'double');
  assert.equal(inferKind(F('i').plus(F('j')), fieldOf), 'int');
  assert.equal(inferKind(F('i').times(F('big')), fieldOf), 'long');
  assert.equal(inferKind(F('i').plus(F('x')), fieldOf), 'number');
  assert.equal(inferKind(F('i').plus(0.5), fieldOf), 'number');
  assert.equal(inferKind(F('i').pow(2), fieldOf), 'number', "SQL's POWER is a double");
  assert.deepEqual(integerSteps(Value(640).dividedBy(F('i')).plus(F('x')).dividedBy(2), fieldOf), [
    'int',
    undefined,
    undefined,
  ]);
  assert.deepEqual(integerSteps(F('big').dividedBy(2 ** 40), fieldOf), ['long']);
  const intScope = { schema: ints, modelName: 'Ints' };
  const q = (left: unknown, right: unknown) => ({ $trunc: [{ $divide: [left, right] }] });
  assert.deepEqual(fieldExpression(intScope, F('i').dividedBy(F('j'))), { $toInt: q('$i', '$j') });
  assert.deepEqual(fieldExpression(intScope, Value(7).dividedBy(F('big'))), { $toLong: q(7, '$big') });
  assert.deepEqual(fieldExpression(intScope, F('i').dividedBy(F('x'))), { $divide: ['$i', '$x'] });
  // A same-field division of an integer is no $mul by the inverse.
  assert.deepEqual(compileUpdate(intScope, { i: F('i').dividedBy(2) }), [{ $set: { i: { $toInt: q('$i', 2) } } }]);
  assert.deepEqual(compileUpdate(intScope, { x: F('x').dividedBy(2) }), { $mul: { x: 0.5 } });
  // With a pipeline needed, a same-field F goes in it rather than refusing the mix.
  assert.deepEqual(compileUpdate(intScope, { i: F('i').dividedBy(2), x: F('x').dividedBy(2) }), [
    { $set: { i: { $toInt: q('$i', 2) }, x: { $divide: ['$x', 2] } } },
  ]);
});
