// One F step as a MongoDB aggregation expression, for $expr, $addFields and
// pipeline updates. Only standard operators: the shifts, which MongoDB lacks,
// are a multiplication by a power of two, then the floor for a right shift
// (arithmetic, as Python's: -42 >> 2 is -11), made a 64-bit integer.
import type { FOperator } from './f.js';

/** 2ⁿ: computed here for a constant, by the server for an expression. */
function powerOfTwo(n: unknown): unknown {
  return typeof n === 'number' ? 2 ** n : n === null ? null : { $pow: [2, n] };
}

/**
 * The expression for `left operator right` (`not` reads `left` only). A null
 * on either side gives null, as SQL's NULL does.
 *
 * @example
 * ```ts
 * stepExpression('dividedBy', 640, '$integer'); // { $divide: [640, '$integer'] }
 * stepExpression('bitrightshift', '$n', 2); // { $toLong: { $floor: { $divide: ['$n', 4] } } }
 * stepExpression('not', '$active', null); // null stays null, else { $not: ['$active'] }
 * ```
 */
export function stepExpression(operator: FOperator, left: unknown, right: unknown): unknown {
  switch (operator) {
    case 'plus':
      return { $add: [left, right] };
    case 'minus':
      return { $subtract: [left, right] };
    case 'times':
      return { $multiply: [left, right] };
    case 'dividedBy':
      return { $divide: [left, right] };
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
