// What an F computes, checked before anything is sent, as Django infers an
// expression's output field: text + date is a FieldError here ("Cannot infer
// type of '+' expression involving these types"), not a server error after
// part of an update ran. Numbers combine with numbers; a Date takes plus and
// minus of milliseconds, and a Date minus a Date is milliseconds; only a
// Boolean negates. A field whose type is not known (Mixed, an annotation of
// unknown type) or a null operand is not checked: the server decides.
import { FieldError } from '../core/errors.js';
import type { NumberType } from '../core/type-families.js';
import { FExpression, type FConstant, type FOperator } from './f.js';

/**
 * What a value is, for F's arithmetic: `int` and `long` are whole numbers of
 * 32 and 64 bits (Int32 and BigInt fields, integer constants), `number` any
 * other number (a Mongoose Number is a double, Django's FloatField).
 */
export type ValueKind = 'int' | 'long' | 'number' | 'date' | 'boolean' | 'text' | 'other' | 'unknown';

/** The kinds of whole numbers: two of them divide as integers, as in SQL. */
export type IntegerKind = 'int' | 'long';

/** What F's type check reads of a field: a {@link FieldShape} has both. */
export interface TypedField {
  readonly instance: string | undefined;
  readonly numberType: NumberType | undefined;
}

const NUMBER_KIND: Readonly<Record<NumberType, ValueKind>> = {
  int32: 'int',
  int64: 'long',
  double: 'number',
  decimal: 'number',
};

/**
 * The kind of a field's values, from its shape (undefined: not known).
 *
 * @example
 * ```ts
 * kindOfField(shapeOf(schema).field('count')); // 'int' for an Int32 field, 'number' for a Number
 * kindOfField(undefined); // 'unknown'
 * ```
 */
export function kindOfField(field: TypedField | undefined): ValueKind {
  if (field === undefined || field.instance === undefined || field.instance === 'Mixed') return 'unknown';
  if (field.numberType !== undefined) return NUMBER_KIND[field.numberType];
  if (field.instance === 'Date') return 'date';
  if (field.instance === 'Boolean') return 'boolean';
  return field.instance === 'String' ? 'text' : 'other';
}

function isNumeric(kind: ValueKind): boolean {
  return kind === 'int' || kind === 'long' || kind === 'number';
}

function isInteger(kind: ValueKind): kind is IntegerKind {
  return kind === 'int' || kind === 'long';
}

/**
 * The Mongoose instance name of what a kind of value is stored as, for an
 * annotation's one-field schema (annotations-scope.ts).
 *
 * @example
 * ```ts
 * instanceOfKind('date'); // 'Date'
 * ```
 */
export function instanceOfKind(kind: ValueKind): string {
  // An integer annotation is read back as a Number: a filter value on it is cast as any number.
  const names: Partial<Record<ValueKind, string>> = {
    int: 'Number',
    long: 'Number',
    number: 'Number',
    date: 'Date',
    boolean: 'Boolean',
    text: 'String',
  };
  return names[kind] ?? 'Mixed';
}

/** A side of a step, for the check and its message. */
interface Side {
  readonly kind: ValueKind;
  /** How the message names it: `name (a String field)`, `the number 5`. */
  readonly text: string;
}

const ARITHMETIC = 'times, dividedBy, mod and pow take numbers, the bitwise operations whole numbers';
const DATES =
  'plus and minus take numbers, or a Date and a number of milliseconds (a Date minus a Date is milliseconds)';

/**
 * The kind a step gives, or undefined when the two kinds do not combine
 * under it. Two integers give an integer (a long if either is one), as SQL's
 * integer arithmetic, but for pow: SQL's POWER gives a double.
 */
function combine(operator: FOperator, left: ValueKind, right: ValueKind): ValueKind | undefined {
  if (left === 'unknown' || right === 'unknown') return 'unknown';
  if (isInteger(left) && isInteger(right) && operator !== 'pow') return left === 'long' ? left : right;
  if (isNumeric(left) && isNumeric(right)) return 'number';
  if (operator === 'plus' && (left === 'date') !== (right === 'date') && (isNumeric(left) || isNumeric(right)))
    return 'date';
  if (operator === 'minus' && left === 'date' && isNumeric(right)) return 'date';
  if (operator === 'minus' && left === 'date' && right === 'date') return 'number';
  return undefined;
}

/**
 * The kind of a step's result, or {@link FieldError} naming both sides when
 * they do not combine (`not` looks at `left` only).
 *
 * @example
 * ```ts
 * stepKind('plus', { kind: 'date', text: 'start' }, { kind: 'number', text: '5' }); // 'date'
 * stepKind('plus', { kind: 'text', text: 'name' }, { kind: 'date', text: 'assigned' }); // throws FieldError
 * ```
 */
export function stepKind(operator: FOperator, left: Side, right: Side): ValueKind {
  if (operator === 'not') {
    if (left.kind === 'boolean' || left.kind === 'unknown') return left.kind;
    throw new FieldError(
      `Cannot negate non-conditional expressions: not() negates a Boolean field, and ${left.text} is not one.`,
    );
  }
  const kind = combine(operator, left.kind, right.kind);
  if (kind !== undefined) return kind;
  throw new FieldError(
    `Cannot infer the type of ${operator} on ${left.text} and ${right.text}: ${DATES}; ${ARITHMETIC}.`,
  );
}

function constantSide(value: FConstant): Side {
  if (value === null) return { kind: 'unknown', text: 'null' };
  if (value instanceof Date) return { kind: 'date', text: `the Date ${value.toISOString()}` };
  if (typeof value === 'bigint') return { kind: 'long', text: `the bigint ${value}n` };
  return { kind: constantKind(value), text: `the number ${value}` };
}

/**
 * A number constant's kind: a whole number is an integer (JavaScript has no
 * `2.0`), an int when the driver sends it as one (32 bits), else a long up to
 * the safe integers; past them, or with a fraction, a double.
 */
function constantKind(value: number): ValueKind {
  if (!Number.isSafeInteger(value)) return 'number';
  return value >= -(2 ** 31) && value < 2 ** 31 ? 'int' : 'long';
}

/** An F's kind, and per step whether it divides integers (and their kind), as {@link inferKind} walks it. */
interface Walked {
  readonly side: Side;
  readonly integers: readonly (IntegerKind | undefined)[];
}

function walk(f: FExpression, fieldOf: (field: string) => TypedField | undefined): Walked {
  const typed = fieldOf(f.field);
  let side: Side = { kind: kindOfField(typed), text: `${f.field} (a ${typed?.instance ?? 'Mixed'} field)` };
  const integers: (IntegerKind | undefined)[] = [];
  for (const [operator, operand, constantFirst] of f.ops) {
    const other: Side =
      operand instanceof FExpression
        ? { kind: walk(operand, fieldOf).side.kind, text: `F(${JSON.stringify(operand.field)})…` }
        : constantSide(operand);
    const [left, right] = constantFirst ? [other, side] : [side, other];
    const kind = stepKind(operator, left, right);
    integers.push(isInteger(left.kind) && isInteger(right.kind) && isInteger(kind) ? kind : undefined);
    side = { kind, text: `F(${JSON.stringify(f.field)})…${operator}(…) (a ${kind} value)` };
  }
  return { side, integers };
}

/**
 * What an F computes, each step checked ({@link stepKind}); `fieldOf` gives
 * a field's shape (undefined when unknown).
 *
 * @example
 * ```ts
 * const fieldOf = (field: string) => shapeOf(entrySchema).field(field);
 * inferKind(F('pub_date').plus(3_600_000), fieldOf); // 'date'
 * inferKind(F('headline').plus(F('pub_date')), fieldOf); // throws FieldError naming headline and pub_date
 * ```
 */
export function inferKind(f: FExpression, fieldOf: (field: string) => TypedField | undefined): ValueKind {
  return walk(f, fieldOf).side.kind;
}

/**
 * Per step of an F, the integer kind of its result when both of its operands
 * are integers (`int`, or `long` when either is one), else undefined: where
 * `dividedBy` divides as integers, SQL's `640 / 42 = 15`. Checked as
 * {@link inferKind} checks.
 *
 * @example
 * ```ts
 * // integer: an Int32 field, float: a Number
 * integerSteps(Value(640).dividedBy(F('integer')), fieldOf); // ['int']
 * integerSteps(F('integer').dividedBy(F('float')), fieldOf); // [undefined]
 * ```
 */
export function integerSteps(
  f: FExpression,
  fieldOf: (field: string) => TypedField | undefined,
): readonly (IntegerKind | undefined)[] {
  return walk(f, fieldOf).integers;
}
