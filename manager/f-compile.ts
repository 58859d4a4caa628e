// One F step as a MongoDB aggregation expression, for $expr, $addFields and
// pipeline updates. Only standard operators: the shifts, which MongoDB lacks,
// are a multiplication by a power of two, then the floor for a right shift
// (arithmetic, as Python's: -42 >> 2 is -11), made a 64-bit integer. Two
// integers divide as SQL divides them: the quotient truncated toward zero.
import type { FOperator } from './f.js';
import type { IntegerKind } from './f-types.js';

/** 2ⁿ: computed here for a constant, by the server for an expression. */
function powerOfTwo(n: unknown): unknown {
  return typeof n === 'number' ? 2 ** n : n === null ? null : { $pow: [2, n] };
}

/**
 * `left / right` of two integers, as SQL's: the quotient truncated toward
 * zero (`-7 / 2` is -3), an int when both are ints, else a long. Computed
 * through a double, so exact while the dividend is within ±2^53.
 */
function integerQuotient(left: unknown, right: unknown, integer: IntegerKind): unknown {
  const quotient = { $trunc: [{ $divide: [left, right] }] };
  return integer === 'int' ? { $toInt: quotient } : { $toLong: quotient };
}

/**
 * The expression for `left operator right` (`not` reads `left` only). A null
 * on either side gives null, as SQL's NULL does. `integer`, when both
 * operands are integers (f-types.ts's integerSteps), makes `dividedBy` an
 * integer division.
 *
 * @example
 * ```ts
 * stepExpression('dividedBy', 42.7, '$float'); // { $divide: [42.7, '$float'] }
 * stepExpression('dividedBy', 640, '$integer', 'long'); // { $toLong: { $trunc: [{ $divide: [640, '$integer'] }] } }
 * stepExpression('bitrightshift', '$n', 2); // { $toLong: { $floor: { $divide: ['$n', 4] } } }
 * stepExpression('not', '$active', null); // null stays null, else { $not: ['$active'] }
 * ```
 */
export function stepExpression(operator: FOperator, left: unknown, right: unknown, integer?: IntegerKind): unknown {
  switch (operator) {
    case 'plus':
      return { $add: [left, right] };
    case 'minus':
      return { $subtract: [left, right] };
    case 'times':
      return { $multiply: [left, right] };
    case 'dividedBy':
      return integer === undefined ? { $divide: [left, right] } : integerQuotient(left, right, integer);
    case 'mod':
      return { $mod: [left, right] };
    case 'pow':
      return { $pow: [left, right] };
    case 'bitand':
      return { $bitAnd: [left, right] };
    case 'bitor':
      return { $bitOr: [left, right] };
    case 'bitxor':
      return { $bitXor: [left, right] };
    case 'bitleftshift':
      return { $toLong: { $multiply: [left, powerOfTwo(right)] } };
    case 'bitrightshift':
      return { $toLong: { $floor: { $divide: [left, powerOfTwo(right)] } } };
    case 'not':
      // $not of null (or a missing field) is true; SQL's NOT NULL is NULL.
      return { $cond: [{ $eq: [{ $ifNull: [left, null] }, null] }, null, { $not: [left] }] };
  }
}
