// F and Value: field references and the arithmetic on them, Django's
// expressions. An F is a field then a list of steps, each an operator and an
// operand, applied in order (a left-deep tree). Value(c) puts a constant on
// the left of one step, Django's `640 / F('n')`. Both are frozen; each method
// makes a new F. Operands are checked as they are given: a string or an
// object (a request's value) never becomes a field path or an operator.
import { brand } from '../core/brand.js';
import { FieldError } from '../core/errors.js';
import { describe } from '../core/values.js';

/**
 * What F supports, with the MongoDB expression each compiles to (f-compile.ts):
 * Django's +, -, *, /, %, **, bitand, bitor, bitxor, bitleftshift,
 * bitrightshift and ~. The shifts have no MongoDB operator: they are
 * multiplications by a power of two.
 */
export const F_OPERATORS = {
  plus: '$add',
  minus: '$subtract',
  times: '$multiply',
  dividedBy: '$divide',
  mod: '$mod',
  pow: '$pow',
  bitand: '$bitAnd',
  bitor: '$bitOr',
  bitxor: '$bitXor',
  bitleftshift: '$multiply',
  bitrightshift: '$divide',
  not: '$not',
} as const;
export type FOperator = keyof typeof F_OPERATORS;

/** The bitwise operators, whose constant operands are whole numbers. */
export const BITWISE_OPERATORS: readonly FOperator[] = ['bitand', 'bitor', 'bitxor', 'bitleftshift', 'bitrightshift'];

/**
 * A constant an F step takes: a number, a bigint (a 64-bit integer, sent as a
 * BSON long), a Date (date arithmetic), or null (SQL's NULL: the result is null).
 */
export type FConstant = number | bigint | Date | null;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A bigint a BSON long holds. */
function isLong(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= LONG_MIN && value <= LONG_MAX;
}

/** What an F step takes: a constant or another F. */
export type FOperand = FConstant | FExpression;

/**
 * One step: the operator, its operand, and whether the operand goes first
 * (`Value(640).dividedBy(F('n'))` is F('n') then `['dividedBy', 640, true]`).
 * `not` takes no operand (null).
 */
export type FStep = readonly [operator: FOperator, operand: FOperand, constantFirst?: boolean];

function checkOperand(field: string, operator: FOperator, operand: unknown): void {
  const call = `F(${JSON.stringify(field)}).${operator}(…)`;
  if (operand === null || operand instanceof FExpression) return;
  if (operand instanceof Date) {
    if (Number.isNaN(operand.getTime())) throw new FieldError(`${call} got an invalid Date.`);
    if (!BITWISE_OPERATORS.includes(operator)) return;
  }
  if (isLong(operand)) return;
  if (typeof operand === 'number' && Number.isFinite(operand)) {
    if (!BITWISE_OPERATORS.includes(operator) || Number.isSafeInteger(operand)) return;
    throw new FieldError(`${call}: the bitwise operations take whole numbers (or F, or null); got ${operand}.`);
  }
  throw new FieldError(
    `${call} takes a finite number, a bigint within 64 bits, a Date, F(...) or null` +
      `${BITWISE_OPERATORS.includes(operator) ? ' (a whole number for the bitwise operations)' : ''}; ` +
      `got ${describe(operand)}.`,
  );
}

/**
 * A reference to a field of the same document, or arithmetic on one. Made by
 * {@link F} (and {@link Value} for a constant first).
 *
 * @example
 * ```ts
 * const views: FExpression = F('views').plus(1);
 * await Entry.objects.filter({ likes__gt: F('views') }).update({ views });
 * ```
 */
export class FExpression {
  static {
    brand(this, 'FExpression');
  }

  readonly kind = 'f' as const;

  constructor(
    /** The field, in filter-key form (`blog__name`). */
    readonly field: string,
    /** Steps applied in order, each with a constant or another F. */
    readonly ops: readonly FStep[] = [],
  ) {
    for (const [operator, operand] of ops) {
      if (!Object.hasOwn(F_OPERATORS, operator)) {
        throw new FieldError(`F(${JSON.stringify(field)}): no operator ${JSON.stringify(operator)}.`);
      }
      if (operator !== 'not') checkOperand(field, operator, operand);
    }
    Object.freeze(ops);
    Object.freeze(this);
  }

  /**
   * This F with one more step; the named methods call it, Value's with the constant first.
   *
   * @example
   * ```ts
   * F('n').step('dividedBy', 640, true); // Value(640).dividedBy(F('n'))
   * ```
   */
  step(operator: FOperator, operand: FOperand, constantFirst = false): FExpression {
    return new FExpression(this.field, [...this.ops, constantFirst ? [operator, operand, true] : [operator, operand]]);
  }

  /** `F('views').plus(1)`; on a Date field, milliseconds (`F('start').plus(3_600_000)`). */
  plus(operand: FOperand): FExpression {
    return this.step('plus', operand);
  }
  /** `F('views').minus(1)`; a Date minus a Date is the milliseconds between them. */
  minus(operand: FOperand): FExpression {
    return this.step('minus', operand);
  }
  /** `F('price').times(2)` */
  times(operand: FOperand): FExpression {
    return this.step('times', operand);
  }
  /** `F('price').dividedBy(2)` */
  dividedBy(operand: FOperand): FExpression {
    return this.step('dividedBy', operand);
  }
  /**
   * The remainder, Django's `F('n') % 3`: MongoDB's `$mod`, whose sign is the
   * dividend's, as in JavaScript (and unlike Python's %).
   *
   * @example
   * ```ts
   * Entry.objects.filter({ rating: F('views').mod(3) });
   * ```
   */
  mod(operand: FOperand): FExpression {
    return this.step('mod', operand);
  }
  /**
   * The power, Django's `F('n') ** 2`: MongoDB's `$pow`.
   *
   * @example
   * ```ts
   * Entry.objects.filter({ likes__gte: F('rating').pow(2) });
   * ```
   */
  pow(operand: FOperand): FExpression {
    return this.step('pow', operand);
  }
  /**
   * Bitwise and, Django's `F('flags').bitand(4)`: MongoDB's `$bitAnd` (6.3+).
   *
   * @example
   * ```ts
   * Entry.objects.filter({ rating: F('views').bitand(7) });
   * ```
   */
  bitand(operand: number | FExpression | null): FExpression {
    return this.step('bitand', operand);
  }
  /** Bitwise or, Django's `F('flags').bitor(4)`: MongoDB's `$bitOr` (6.3+). */
  bitor(operand: number | FExpression | null): FExpression {
    return this.step('bitor', operand);
  }
  /** Bitwise exclusive or, Django's `F('flags').bitxor(4)`: MongoDB's `$bitXor` (6.3+). */
  bitxor(operand: number | FExpression | null): FExpression {
    return this.step('bitxor', operand);
  }
  /**
   * Left shift, Django's `F('n').bitleftshift(2)`: n × 2², as a 64-bit integer.
   *
   * @example
   * ```ts
   * Entry.objects.update({ views: F('views').bitleftshift(1) }); // views × 2
   * ```
   */
  bitleftshift(operand: number | FExpression | null): FExpression {
    return this.step('bitleftshift', operand);
  }
  /** Arithmetic right shift, Django's `F('n').bitrightshift(2)`: the floor of n / 2², so -42 → -11 as in Python. */
  bitrightshift(operand: number | FExpression | null): FExpression {
    return this.step('bitrightshift', operand);
  }
  /**
   * The negation of a Boolean field, Django's `~F('active')`: null stays
   * null, as SQL's NOT NULL. On any other field, {@link FieldError}
   * ("Cannot negate non-conditional expressions") when the F meets the model.
   * Negating twice gives the F back.
   *
   * @example
   * ```ts
   * await Entry.objects.update({ published: F('published').not() });
   * Entry.objects.filter(F('published').not()); // the unpublished entries
   * ```
   */
  not(): FExpression {
    const last = this.ops.at(-1);
    if (last?.[0] === 'not') return new FExpression(this.field, this.ops.slice(0, -1));
    return this.step('not', null);
  }
}

/**
 * Refers to another field of the same document: compare fields in filters,
 * or compute updates from the stored value.
 *
 * @example
 * ```ts
 * Entry.objects.filter({ likes__gt: F('views') });
 * Entry.objects.filter({ headline: 'Hey Jude' }).update({ views: F('views').plus(1) });
 * ```
 */
export function F(field: string): FExpression {
  return new FExpression(field);
}

/**
 * A constant on the left of F arithmetic: Django's `Value(640) / F('n')`.
 * Made by {@link Value}; its methods take an F and give an F.
 *
 * @example
 * ```ts
 * const share: FExpression = Value(100).dividedBy(F('views'));
 * ```
 */
export class ValueExpression {
  static {
    brand(this, 'ValueExpression');
  }

  readonly kind = 'value' as const;

  constructor(readonly value: number | bigint | Date) {
    const ok =
      value instanceof Date
        ? !Number.isNaN(value.getTime())
        : isLong(value) || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw new FieldError(
        `Value(…) takes a finite number, a bigint within 64 bits or a valid Date; got ${describe(value)}.`,
      );
    }
    Object.freeze(this);
  }

  /** `Value(15).plus(F('n'))`: 15 + n */
  plus(f: FExpression): FExpression {
    return f.step('plus', this.value, true);
  }
  /** `Value(15).minus(F('n'))`: 15 - n */
  minus(f: FExpression): FExpression {
    return f.step('minus', this.value, true);
  }
  /** `Value(15).times(F('n'))`: 15 × n */
  times(f: FExpression): FExpression {
    return f.step('times', this.value, true);
  }
  /** `Value(640).dividedBy(F('n'))`: 640 / n */
  dividedBy(f: FExpression): FExpression {
    return f.step('dividedBy', this.value, true);
  }
  /** `Value(69).mod(F('n'))`: the remainder of 69 / n */
  mod(f: FExpression): FExpression {
    return f.step('mod', this.value, true);
  }
  /** `Value(2).pow(F('n'))`: 2ⁿ */
  pow(f: FExpression): FExpression {
    return f.step('pow', this.value, true);
  }
  /** `Value(6).bitand(F('n'))` */
  bitand(f: FExpression): FExpression {
    return f.step('bitand', this.value, true);
  }
  /** `Value(6).bitor(F('n'))` */
  bitor(f: FExpression): FExpression {
    return f.step('bitor', this.value, true);
  }
  /** `Value(6).bitxor(F('n'))` */
  bitxor(f: FExpression): FExpression {
    return f.step('bitxor', this.value, true);
  }
  /** `Value(1).bitleftshift(F('n'))`: 2ⁿ */
  bitleftshift(f: FExpression): FExpression {
    return f.step('bitleftshift', this.value, true);
  }
  /** `Value(1024).bitrightshift(F('n'))`: the floor of 1024 / 2ⁿ */
  bitrightshift(f: FExpression): FExpression {
    return f.step('bitrightshift', this.value, true);
  }
}

/**
 * A constant to put first in F arithmetic, Django's `Value`: `640 / F('n')`
 * is `Value(640).dividedBy(F('n'))`. Takes a finite number, a bigint (a
 * 64-bit integer, as a BigInt field holds) or a Date, else {@link FieldError}.
 *
 * @example
 * ```ts
 * import { F, Value } from 'djongoose';
 * await Entry.objects.update({ likes: Value(2).pow(F('rating')) });
 * Entry.objects.filter({ pub_date__lt: Value(new Date('2024-01-01')).minus(F('views')) });
 * Entry.objects.annotate({ share: Value(2n ** 40n).dividedBy(F('views')) }); // integer division by an Int32 field
 * ```
 */
export function Value(value: number | bigint | Date): ValueExpression {
  return new ValueExpression(value);
}
