// The arithmetic, rounding and bitwise operators of the pipeline evaluator
// (pipeline-eval.ts), with MongoDB's rules: a null or missing operand gives
// null; numbers keep their BSON type (pipeline-numbers.ts); a date plus or
// minus milliseconds is a date, and a date minus a date is milliseconds.
import { isNullish, typeName } from './pipeline-compare.js';
import {
  ExpressionError,
  absolute,
  arithmetic,
  bitwise,
  fromNum,
  integralOf,
  modulo,
  power,
  roundTo,
  toNum,
  type Num,
} from './pipeline-numbers.js';

/** Evaluates one operand. */
export type Evaluate = (expression: unknown) => unknown;

/** An operator: its raw operands (evaluated by the operator, so that $cond and $and can skip some). */
export type Operator = (args: readonly unknown[], evaluate: Evaluate) => unknown;

const NULL = Symbol('null');

/** The operands' values, or NULL when one is null or missing. */
function operands(args: readonly unknown[], evaluate: Evaluate): unknown[] | typeof NULL {
  const values = args.map(evaluate);
  return values.some(isNullish) ? NULL : values;
}

function numberOf(value: unknown, operator: string, accepted = 'numeric types'): Num {
  const n = toNum(value);
  if (!n) throw new ExpressionError(`${operator} only supports ${accepted}, not ${typeName(value)}`);
  return n;
}

function exactly(values: unknown[], count: number, operator: string): void {
  if (values.length !== count) {
    throw new ExpressionError(`${operator} takes exactly ${count} arguments, ${values.length} were given`);
  }
}

// Milliseconds added to a date: a double is rounded half away from zero.
function millis(n: Num): number {
  const v = Number(n.value);
  return n.kind === 'double' ? Math.sign(v) * Math.round(Math.abs(v)) : v;
}

const add: Operator = (args, evaluate) => {
  const values = operands(args, evaluate);
  if (values === NULL) return null;
  let date: Date | undefined;
  let total: Num = { kind: 'int', value: 0 };
  for (const value of values) {
    if (value instanceof Date) {
      if (date) throw new ExpressionError('only one date allowed in an $add expression');
      date = value;
    } else {
      total = arithmetic('add', total, numberOf(value, '$add', 'numeric or date types'));
    }
  }
  return date ? new Date(date.getTime() + millis(total)) : fromNum(total);
};

const subtract: Operator = (args, evaluate) => {
  const values = operands(args, evaluate);
  if (values === NULL) return null;
  exactly(values, 2, '$subtract');
  const [a, b] = values as [unknown, unknown];
  if (a instanceof Date && b instanceof Date)
    return fromNum({ kind: 'long', value: BigInt(a.getTime() - b.getTime()) });
  if (a instanceof Date) return new Date(a.getTime() - millis(numberOf(b, '$subtract', 'numeric or date types')));
  if (b instanceof Date) throw new ExpressionError(`can't $subtract date from ${typeName(a)}`);
  return fromNum(arithmetic('subtract', numberOf(a, '$subtract'), numberOf(b, '$subtract')));
};

const multiply: Operator = (args, evaluate) => {
  const values = operands(args, evaluate);
  if (values === NULL) return null;
  let product: Num = { kind: 'int', value: 1 };
  for (const value of values) product = arithmetic('multiply', product, numberOf(value, '$multiply'));
  return fromNum(product);
};

function binary(name: string, op: (a: Num, b: Num) => Num): Operator {
  return (args, evaluate) => {
    const values = operands(args, evaluate);
    if (values === NULL) return null;
    exactly(values, 2, name);
    return fromNum(op(numberOf(values[0], name), numberOf(values[1], name)));
  };
}

const divide = binary('$divide', (a, b) => {
  if (Number(b.value) === 0) throw new ExpressionError("can't $divide by zero");
  return { kind: 'double', value: Number(a.value) / Number(b.value) };
});

function unary(name: string, op: (n: Num) => Num): Operator {
  return (args, evaluate) => {
    const values = operands(args, evaluate);
    if (values === NULL) return null;
    exactly(values, 1, name);
    return fromNum(op(numberOf(values[0], name)));
  };
}

const whole = (f: (x: number) => number) => (n: Num) =>
  n.kind === 'double' ? ({ kind: 'double', value: f(n.value) } as const) : n;

function rounding(name: '$round' | '$trunc'): Operator {
  return (args, evaluate) => {
    const values = operands(args, evaluate);
    if (values === NULL) return null;
    if (values.length < 1 || values.length > 2) {
      throw new ExpressionError(`${name} takes 1 or 2 arguments, ${values.length} were given`);
    }
    const place = values.length === 2 ? numberOf(values[1], name) : ({ kind: 'int', value: 0 } as const);
    const p = Number(place.value);
    if (!Number.isInteger(p) || p < -20 || p > 100) {
      throw new ExpressionError(`${name}'s place must be an integer from -20 to 100, not ${p}`);
    }
    return fromNum(roundTo(numberOf(values[0], name), p, name === '$round' ? 'round' : 'trunc'));
  };
}

function bitOperator(name: string, combine: (a: bigint, b: bigint) => bigint, start: bigint): Operator {
  return (args, evaluate) => {
    const values = operands(args, evaluate);
    if (values === NULL) return null;
    const nums = values.map((v) => numberOf(v, name, 'int and long'));
    const result = nums.reduce((acc, n) => combine(acc, integralOf(n, name)), start);
    return fromNum(
      bitwise(
        result,
        nums.every((n) => n.kind === 'int'),
      ),
    );
  };
}

const bitNot: Operator = (args, evaluate) => {
  const values = operands(args, evaluate);
  if (values === NULL) return null;
  exactly(values, 1, '$bitNot');
  const n = numberOf(values[0], '$bitNot', 'int and long');
  return fromNum(bitwise(~integralOf(n, '$bitNot'), n.kind === 'int'));
};

/** $add … $bitNot, by name. */
export const NUMERIC_OPERATORS: Readonly<Record<string, Operator>> = {
  $add: add,
  $subtract: subtract,
  $multiply: multiply,
  $divide: divide,
  $mod: binary('$mod', modulo),
  $pow: binary('$pow', power),
  $abs: unary('$abs', absolute),
  $floor: unary('$floor', whole(Math.floor)),
  $ceil: unary('$ceil', whole(Math.ceil)),
  $trunc: rounding('$trunc'),
  $round: rounding('$round'),
  $bitAnd: bitOperator('$bitAnd', (a, b) => a & b, -1n),
  $bitOr: bitOperator('$bitOr', (a, b) => a | b, 0n),
  $bitXor: bitOperator('$bitXor', (a, b) => a ^ b, 0n),
  $bitNot: bitNot,
};
