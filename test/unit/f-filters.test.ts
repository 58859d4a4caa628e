// F beside plain values, compiled with no server: the plain values stay data
// in their own operator, never an expression where "$b" would read a field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F } from '../../manager/q.js';
import { compileFilter, fieldExpression } from '../../manager/filter.js';
import { FieldError } from '../../core/errors.js';

const scope = { schema: new mongoose.Schema({ a: String, b: String, n: Number, m: Number }), modelName: 'Pair' };

test('a "$b" beside an F in an in list is a value, not a field path', () => {
  assert.deepEqual(compileFilter(scope, { a__in: ['$b', F('b')] }), {
    $or: [{ a: { $in: ['$b'] } }, { $expr: { $eq: ['$a', '$b'] } }],
  });
});

test('range: a plain bound is an ordinary condition, an F bound an $expr', () => {
  assert.deepEqual(compileFilter(scope, { n__range: ['1', F('m')] }), {
    n: { $gte: 1 },
    $expr: { $lte: ['$n', '$m'] },
  });
});

test('an in list of F only is an OR of $expr', () => {
  assert.deepEqual(compileFilter(scope, { n__in: [F('m'), F('m').plus(1)] }), {
    $or: [{ $expr: { $eq: ['$n', '$m'] } }, { $expr: { $eq: ['$n', { $add: ['$m', 1] }] } }],
  });
});

test('mod and pow compile to $mod and $pow', () => {
  assert.deepEqual(fieldExpression(scope, F('n').mod(3).pow(F('m'))), { $pow: [{ $mod: ['$n', 3] }, '$m'] });
});

test('startswith: F compiles to $indexOfCP at 0, guarded against null', () => {
  const filter = compileFilter(scope, { a__startswith: F('b') });
  assert.deepEqual(filter, {
    $expr: {
      $and: [
        { $gte: ['$a', ''] },
        { $gte: ['$b', ''] },
        { $eq: [{ $indexOfCP: [{ $ifNull: ['$a', ''] }, { $ifNull: ['$b', ''] }] }, 0] },
      ],
    },
  });
});

test('an F that names a lookup, or after a lookup that takes no F, is a FieldError', () => {
  assert.throws(() => compileFilter(scope, { a__contains: F('b__contains') }), FieldError);
  assert.throws(() => compileFilter(scope, { n__isnull: F('m') }), FieldError);
});
