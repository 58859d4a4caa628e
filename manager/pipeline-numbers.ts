// Numbers as MongoDB's aggregation sees them, for the pipeline evaluator
// (pipeline-eval.ts): int32, int64 and double kept apart, since the result
// type follows the operands' (int + int is an int, widening to a long on
// overflow; anything with a double is a double). Documents are read with
// `promoteValues: false`, so stored numbers arrive as the driver's Int32,
// Long and Double; a plain JS number is what a literal in the pipeline is,
// typed as the driver would serialize it. Decimal128 has no exact arithmetic
// in JS and is refused.
import mongoose from 'mongoose';

const { Long, Double } = mongoose.mongo;

/** A number with its BSON type: int and double hold a number, long a bigint. */
export type Num =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'long'; readonly value: bigint }
  | { readonly kind: 'double'; readonly value: number };

/** Thrown when an operator needs the number of a Decimal128, which JS cannot compute exactly. */
export class DecimalOperand extends Error {}

/** A failure MongoDB reports while evaluating (wrong type, division by zero): its message. */
export class ExpressionError extends Error {}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function bsontype(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** True for a Decimal128 of any bson copy. */
export function isDecimal(value: unknown): boolean {
  return bsontype(value) === 'Decimal128';
}

/**
 * The value as a typed number, or undefined when it is not a number.
 *
 * @example
 * ```ts
 * toNum(new Int32(3)); // { kind: 'int', value: 3 }
 * toNum(1.5);          // { kind: 'double', value: 1.5 }
 * ```
 */
export function toNum(value: unknown): Num | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX
      ? { kind: 'int', value }
      : { kind: 'double', value };
  }
  if (typeof value === 'bigint') return { kind: 'long', value };
  switch (bsontype(value)) {
    case 'Int32':
      return { kind: 'int', value: (value as { value: number }).value };
    case 'Double':
      return { kind: 'double', value: (value as { value: number }).value };
    case 'Long':
      return { kind: 'long', value: (value as { toBigInt(): bigint }).toBigInt() };
    case 'Decimal128':
      throw new DecimalOperand();
    default:
      return undefined;
  }
}

/**
 * The typed number as the value to store: an Int32 is a plain number (the
 * driver writes an integer as int32), a double a Double (so that 10.0 stays
 * a double), a long a Long.
 *
 * @example
 * ```ts
 * fromNum({ kind: 'double', value: 10 }); // new Double(10)
 * ```
 */
export function fromNum(n: Num): unknown {
  if (n.kind === 'int') return n.value;
  if (n.kind === 'long') return Long.fromBigInt(n.value);
  return new Double(n.value);
}

/** The typed number's value as a JS number (a long may lose precision, as MongoDB's double conversion does). */
export function asDouble(n: Num): number {
  return Number(n.value);
}

/** An integral result: int when both operands were ints and it fits, else long, else double. */
export function integral(result: bigint, bothInt: boolean): Num {
  if (bothInt && result >= BigInt(INT_MIN) && result <= BigInt(INT_MAX)) return { kind: 'int', value: Number(result) };
  if (result >= LONG_MIN && result <= LONG_MAX) return { kind: 'long', value: result };
  return { kind: 'double', value: Number(result) };
}

type Arithmetic = 'add' | 'subtract' | 'multiply';

const BIG: Record<Arithmetic, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
};
const FLOAT: Record<Arithmetic, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
};

/**
 * `a op b` with MongoDB's result type: ints stay ints (a long past int32, a
 * double past int64), a long with an int is a long, anything with a double
 * is a double.
 *
 * @example
 * ```ts
 * arithmetic('add', { kind: 'int', value: 2 ** 31 - 1 }, { kind: 'int', value: 1 }); // { kind: 'long', value: 2147483648n }
 * ```
 */
export function arithmetic(op: Arithmetic, a: Num, b: Num): Num {
  if (a.kind === 'double' || b.kind === 'double') {
    return { kind: 'double', value: FLOAT[op](asDouble(a), asDouble(b)) };
  }
  return integral(BIG[op](BigInt(a.value), BigInt(b.value)), a.kind === 'int' && b.kind === 'int');
}

/** `$mod`: the remainder with the dividend's sign, typed as arithmetic is. */
export function modulo(a: Num, b: Num): Num {
  if (Number(b.value) === 0) throw new ExpressionError("can't $mod by zero");
  if (a.kind === 'double' || b.kind === 'double') return { kind: 'double', value: asDouble(a) % asDouble(b) };
  return integral(BigInt(a.value) % BigInt(b.value), a.kind === 'int' && b.kind === 'int');
}

/** `$pow`: an integral power of integers stays integral (int, long), a negative exponent or a double gives a double. */
export function power(base: Num, exponent: Num): Num {
  const b = asDouble(base);
  const e = asDouble(exponent);
  if (b === 0 && e < 0) throw new ExpressionError('$pow cannot take a base of 0 and a negative exponent');
  if (base.kind === 'double' || exponent.kind === 'double') return { kind: 'double', value: b ** e };
  const bothInt = base.kind === 'int' && exponent.kind === 'int';
  const bigBase = BigInt(base.value);
  const bigExp = BigInt(exponent.value);
  // 1 and -1 to any power, and 0 to a positive one, stay integral; other
  // negative exponents give fractions.
  if (bigBase === 1n) return integral(1n, bothInt);
  if (bigBase === -1n) return integral(bigExp % 2n === 0n ? 1n : -1n, bothInt);
  if (bigExp < 0n) return { kind: 'double', value: b ** e };
  // Past 2^63 the result is a double anyway: no need for a huge bigint.
  if (bigExp > 64n) return { kind: 'double', value: b ** e };
  return integral(bigBase ** bigExp, bothInt);
}

/** `$abs`: the int minimum widens to a long, the long minimum to a double. */
export function absolute(n: Num): Num {
  if (n.kind === 'double') return { kind: 'double', value: Math.abs(n.value) };
  const v = BigInt(n.value);
  return integral(v < 0n ? -v : v, n.kind === 'int');
}

/** A decimal value as digits × 10^exponent, exactly. */
interface Decimal {
  readonly digits: bigint;
  readonly exponent: number;
}

// MongoDB rounds a double through a Decimal128 of 34 significant digits
// (evaluateRoundOrTrunc in its expression.cpp: Decimal128::kRoundTo34Digits).
function decimalOf(n: Num): Decimal {
  if (n.kind !== 'double') return { digits: BigInt(n.value), exponent: 0 };
  const [mantissa = '0', exp = '0'] = n.value.toPrecision(34).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  return { digits: BigInt(whole + fraction), exponent: Number(exp) - fraction.length };
}

/**
 * `$round` (half to even, as MongoDB) or `$trunc` of a number to `place`
 * decimal places (negative: tens, hundreds, …); the type is kept.
 *
 * @example
 * ```ts
 * roundTo({ kind: 'double', value: 2.5 }, 0, 'round'); // { kind: 'double', value: 2 }
 * roundTo({ kind: 'int', value: 1234 }, -2, 'trunc');  // { kind: 'int', value: 1200 }
 * ```
 */
export function roundTo(n: Num, place: number, mode: 'round' | 'trunc'): Num {
  if (n.kind === 'double' && !Number.isFinite(n.value)) return n;
  const { digits, exponent } = decimalOf(n);
  if (-exponent <= place) return n;
  const divisor = 10n ** BigInt(-exponent - place);
  let quotient = digits / divisor;
  const remainder = digits % divisor;
  if (mode === 'round') {
    const twice = 2n * (remainder < 0n ? -remainder : remainder);
    const away = twice > divisor || (twice === divisor && quotient % 2n !== 0n);
    if (away) quotient += digits < 0n ? -1n : 1n;
  }
  if (n.kind === 'double') return { kind: 'double', value: Number(`${quotient}e${-place}`) };
  return integral(quotient * 10n ** BigInt(-place), n.kind === 'int');
}

/** Integral kinds only, for the bitwise operators. */
export function integralOf(n: Num, operator: string): bigint {
  if (n.kind === 'double') throw new ExpressionError(`${operator} only supports int and long, not double`);
  return BigInt(n.value);
}

/** A bitwise result: an int when every operand was an int, else a long (two's complement, 64 bits). */
export function bitwise(result: bigint, allInt: boolean): Num {
  if (allInt) return { kind: 'int', value: Number(BigInt.asIntN(32, result)) };
  return { kind: 'long', value: BigInt.asIntN(64, result) };
}
