// MongoDB's aggregation expressions, evaluated in JavaScript over one
// document: what a pipeline update computes, for servers that refuse
// pipeline updates (update-fallback.ts). Pure. Covers the operators
// djongoose emits for F(): field paths, $literal, arithmetic on numbers and
// dates, rounding, comparisons, booleans, conversions, bitwise operators and
// $concat, with MongoDB's rules: null or a missing operand gives null, the
// result type follows the operands' (pipeline-numbers.ts).
import { NotSupportedError } from '../core/errors.js';
import { compareValues, isNullish, truthy, typeName } from './pipeline-compare.js';
import { DecimalOperand, ExpressionError, fromNum, toNum } from './pipeline-numbers.js';
import { NUMERIC_OPERATORS, type Evaluate, type Operator } from './pipeline-operators.js';

/** A document as the driver reads it (with `promoteValues: false`). */
export type Doc = Record<string, unknown>;

const DATE_SHAPE = (value: unknown): value is Date => value instanceof Date;

function comparison(test: (c: number) => boolean): Operator {
  return (args, evaluate) => {
    const [a, b] = twoOf(args, 'comparison').map(evaluate);
    return test(compareValues(a, b));
  };
}

function twoOf(args: readonly unknown[], operator: string): [unknown, unknown] {
  if (args.length !== 2) throw new ExpressionError(`${operator} takes exactly 2 arguments, ${args.length} were given`);
  return [args[0], args[1]];
}

function parsedInteger(text: string, target: 'int' | 'long'): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new ExpressionError(`Failed to parse number '${text}' in $convert to ${target}`);
  return BigInt(text);
}

function converter(target: 'int' | 'long' | 'double'): Operator {
  return (args, evaluate) => {
    const value = evaluate(args[0]);
    if (isNullish(value)) return null;
    let whole: bigint | undefined;
    let fraction: number | undefined;
    const n = toNum(value);
    if (n) {
      if (n.kind === 'double' && target !== 'double') {
        if (!Number.isFinite(n.value)) throw new ExpressionError(`Attempt to convert ${n.value} to ${target}`);
        whole = BigInt(Math.trunc(n.value));
      } else if (n.kind === 'double') fraction = n.value;
      else whole = BigInt(n.value);
    } else if (typeof value === 'boolean') whole = value ? 1n : 0n;
    else if (typeof value === 'string') {
      if (target === 'double') {
        if (value.trim() !== value || value === '' || Number.isNaN(Number(value)))
          throw new ExpressionError(`Failed to parse number '${value}' in $convert to double`);
        fraction = Number(value);
      } else whole = parsedInteger(value, target);
    } else if (DATE_SHAPE(value) && target !== 'int') whole = BigInt(value.getTime());
    else throw new ExpressionError(`Unsupported conversion from ${typeName(value)} to ${target} in $convert`);
    if (target === 'double') return fromNum({ kind: 'double', value: fraction ?? Number(whole) });
    const limit = target === 'int' ? 2n ** 31n : 2n ** 63n;
    const v = whole ?? 0n;
    if (v < -limit || v >= limit)
      throw new ExpressionError(`Conversion would overflow target type in $convert to ${target}`);
    return fromNum(target === 'int' ? { kind: 'int', value: Number(v) } : { kind: 'long', value: v });
  };
}

function hexOf(value: unknown): string | undefined {
  const id = value as { _bsontype?: unknown; toHexString?: () => string };
  return id._bsontype === 'ObjectId' && typeof id.toHexString === 'function' ? id.toHexString() : undefined;
}

const toStringOperator: Operator = (args, evaluate) => {
  const value = evaluate(args[0]);
  if (isNullish(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (DATE_SHAPE(value)) return value.toISOString();
  const n = toNum(value);
  if (n) return String(n.value);
  const hex = typeof value === 'object' ? hexOf(value) : undefined;
  if (hex !== undefined) return hex;
  throw new ExpressionError(`Unsupported conversion from ${typeName(value)} to string in $convert`);
};

const concat: Operator = (args, evaluate) => {
  const values = args.map(evaluate);
  if (values.some(isNullish)) return null;
  const bad = values.find((v) => typeof v !== 'string');
  if (bad !== undefined) throw new ExpressionError(`$concat only supports strings, not ${typeName(bad)}`);
  return values.join('');
};

const cond: Operator = (args, evaluate) => {
  const [test, then, otherwise] = args;
  return truthy(evaluate(test)) ? evaluate(then) : evaluate(otherwise);
};

const ifNull: Operator = (args, evaluate) => {
  if (args.length < 2) throw new ExpressionError('$ifNull needs at least two arguments');
  for (const arg of args.slice(0, -1)) {
    const value = evaluate(arg);
    if (!isNullish(value)) return value;
  }
  return evaluate(args[args.length - 1]);
};

/** The operators the evaluator runs, by name. */
export const OPERATORS: Readonly<Record<string, Operator>> = {
  ...NUMERIC_OPERATORS,
  $eq: comparison((c) => c === 0),
  $ne: comparison((c) => c !== 0),
  $gt: comparison((c) => c > 0),
  $gte: comparison((c) => c >= 0),
  $lt: comparison((c) => c < 0),
  $lte: comparison((c) => c <= 0),
  $not: (args, evaluate) => !truthy(evaluate(args[0])),
  $and: (args, evaluate) => args.every((a) => truthy(evaluate(a))),
  $or: (args, evaluate) => args.some((a) => truthy(evaluate(a))),
  $cond: cond,
  $ifNull: ifNull,
  $toInt: converter('int'),
  $toLong: converter('long'),
  $toDouble: converter('double'),
  $toString: toStringOperator,
  $concat: concat,
};

function isDocument(value: unknown): value is Doc {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !Buffer.isBuffer(value) &&
    (value as { _bsontype?: unknown })._bsontype === undefined
  );
}

/** `$a.b` over a value: through documents, and through arrays element by element, as MongoDB does. */
function fieldAt(value: unknown, parts: readonly string[]): unknown {
  if (parts.length === 0) return value;
  if (Array.isArray(value)) {
    const values: unknown[] = [];
    for (const item of value) {
      if (!isDocument(item) && !Array.isArray(item)) continue;
      const v = fieldAt(item, parts);
      if (v !== undefined) values.push(v);
    }
    return values;
  }
  if (!isDocument(value)) return undefined;
  const [first, ...rest] = parts as [string, ...string[]];
  return Object.hasOwn(value, first) ? fieldAt(value[first], rest) : undefined;
}

/** The operator of an `{ $op: … }` object, or undefined for a document of expressions. */
function operatorOf(expression: Doc): string | undefined {
  const keys = Object.keys(expression);
  const first = keys[0];
  return keys.length === 1 && first?.startsWith('$') ? first : undefined;
}

function argsOf(operator: string, operand: unknown): readonly unknown[] {
  if (operator === '$cond' && isDocument(operand)) return [operand['if'], operand['then'], operand['else']];
  return Array.isArray(operand) ? operand : [operand];
}

/**
 * The field paths an expression reads (`'views'`, `'blog.name'`), for the
 * projection and the compare-and-set filter.
 *
 * @example
 * ```ts
 * fieldsRead({ $add: ['$views', { $literal: '$x' }, '$blog.likes'] }); // ['views', 'blog.likes']
 * ```
 */
export function fieldsRead(expression: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof expression === 'string' && expression.startsWith('$') && !expression.startsWith('$$')) {
    into.add(expression.slice(1));
  } else if (Array.isArray(expression)) {
    for (const e of expression) fieldsRead(e, into);
  } else if (isDocument(expression) && !Object.hasOwn(expression, '$literal')) {
    for (const e of Object.values(expression)) fieldsRead(e, into);
  }
  return into;
}

/**
 * Refuses, before anything is read or written, an expression the evaluator
 * cannot compute: an operator it does not know, or a `$$variable`.
 *
 * @example
 * ```ts
 * checkExpression({ $add: ['$views', 1] });           // fine
 * checkExpression({ $dateToString: { date: '$d' } }); // NotSupportedError naming $dateToString
 * ```
 */
export function checkExpression(expression: unknown): void {
  if (typeof expression === 'string' && expression.startsWith('$$')) {
    throw new NotSupportedError(
      `The pipeline update reads the variable ${expression}, which djongoose's own evaluation of pipeline ` +
        'updates does not have; it computes field paths ("$field") and operators only. Nothing was written.',
    );
  }
  if (Array.isArray(expression)) {
    for (const e of expression) checkExpression(e);
    return;
  }
  if (!isDocument(expression)) return;
  const operator = operatorOf(expression);
  if (operator === '$literal') return;
  if (operator !== undefined && !Object.hasOwn(OPERATORS, operator)) {
    throw new NotSupportedError(
      `The pipeline update uses ${operator}, which djongoose's own evaluation of pipeline updates (for a server ` +
        `without them) does not compute; it computes ${Object.keys(OPERATORS).join(', ')} and $literal. ` +
        'Nothing was written.',
    );
  }
  for (const e of Object.values(expression)) checkExpression(e);
}

function refuseDecimal(args: readonly unknown[], operator: string, cause: unknown): never {
  const fields = [...fieldsRead(args)];
  throw new NotSupportedError(
    `${operator} on a Decimal128 value${fields.length > 0 ? ` (of ${fields.join(', ')})` : ''}: djongoose's own ` +
      'evaluation of pipeline updates, for a server without them, computes int, long and double numbers only, ' +
      'as JavaScript has no exact decimal arithmetic. Use a server that runs pipeline updates (MongoDB 4.2 and later).',
    { cause },
  );
}

/**
 * The value of an aggregation expression over one document, as MongoDB
 * computes it; undefined for a missing field. Throws {@link ExpressionError}
 * where MongoDB would refuse (wrong type, division by zero) and
 * {@link NotSupportedError} for a Decimal128 operand.
 *
 * @example
 * ```ts
 * evaluate({ $add: ['$views', '$likes'] }, { views: 10, likes: new Int32(4) }); // 14
 * evaluate({ $add: ['$views', '$nope'] }, { views: 10 });                      // null
 * ```
 */
export function evaluate(expression: unknown, doc: Doc): unknown {
  const self: Evaluate = (e) => evaluate(e, doc);
  if (typeof expression === 'string' && expression.startsWith('$')) {
    return fieldAt(doc, expression.slice(1).split('.'));
  }
  if (Array.isArray(expression)) return expression.map(self);
  if (!isDocument(expression)) return expression;
  const operator = operatorOf(expression);
  if (operator === undefined) {
    const out: Doc = {};
    for (const [key, e] of Object.entries(expression)) {
      const value = self(e);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (operator === '$literal') return expression[operator];
  const apply = OPERATORS[operator];
  if (!apply) return checkExpression(expression);
  const args = argsOf(operator, expression[operator]);
  try {
    return apply(args, self);
  } catch (err) {
    if (err instanceof DecimalOperand) return refuseDecimal(args, operator, err);
    throw err;
  }
}

export { ExpressionError };
