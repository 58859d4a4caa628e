// What an F computes, checked before anything is sent, as Django infers an
// expression's output field: text + date is a FieldError here ("Cannot infer
// type of '+' expression involving these types"), not a server error after
// part of an update ran. Numbers combine with numbers; a Date takes plus and
// minus of milliseconds, and a Date minus a Date is milliseconds; only a
// Boolean negates. A field whose type is not known (Mixed, an annotation of
// unknown type) or a null operand is not checked: the server decides.
import { FieldError } from '../core/errors.js';
import { FExpression, type FConstant, type FOperator } from './f.js';

/** What a value is, for F's arithmetic. */
export type ValueKind = 'number' | 'date' | 'boolean' | 'text' | 'other' | 'unknown';

const NUMERIC = new Set(['Number', 'Int32', 'Double', 'Decimal128', 'BigInt', 'Long']);

/**
 * The kind of a field's values, from its Mongoose instance name.
 *
 * @example
 * ```ts
 * kindOfInstance('Int32'); // 'number'
 * kindOfInstance('Mixed'); // 'unknown'
 * ```
 */
export function kindOfInstance(instance: string | undefined): ValueKind {
  if (instance === undefined || instance === 'Mixed') return 'unknown';
  if (NUMERIC.has(instance)) return 'number';
  if (instance === 'Date') return 'date';
  if (instance === 'Boolean') return 'boolean';
  return instance === 'String' ? 'text' : 'other';
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
  const names: Partial<Record<ValueKind, string>> = {
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

/** The kind a step gives, or undefined when the two kinds do not combine under it. */
function combine(operator: FOperator, left: ValueKind, right: ValueKind): ValueKind | undefined {
  if (left === 'unknown' || right === 'unknown') return 'unknown';
  if (left === 'number' && right === 'number') return 'number';
  if (operator === 'plus' && (left === 'date') !== (right === 'date') && [left, right].includes('number'))
    return 'date';
  if (operator === 'minus' && left === 'date' && right === 'number') return 'date';
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
  return { kind: 'number', text: `the number ${value}` };
}

/**
 * What an F computes, each step checked ({@link stepKind}); `instanceOf`
 * gives a field's Mongoose instance name (undefined when unknown).
 *
 * @example
 * ```ts
 * const instanceOf = (field: string) => entrySchema.path(field)?.instance;
 * inferKind(F('pub_date').plus(3_600_000), instanceOf); // 'date'
 * inferKind(F('headline').plus(F('pub_date')), instanceOf); // throws FieldError naming headline and pub_date
 * ```
 */
export function inferKind(f: FExpression, instanceOf: (field: string) => string | undefined): ValueKind {
  const instance = instanceOf(f.field);
  let side: Side = { kind: kindOfInstance(instance), text: `${f.field} (a ${instance ?? 'Mixed'} field)` };
  for (const [operator, operand, constantFirst] of f.ops) {
    const other: Side =
      operand instanceof FExpression
        ? { kind: inferKind(operand, instanceOf), text: `F(${JSON.stringify(operand.field)})…` }
        : constantSide(operand);
    const [left, right] = constantFirst ? [other, side] : [side, other];
    const kind = stepKind(operator, left, right);
    side = { kind, text: `F(${JSON.stringify(f.field)})…${operator}(…) (a ${kind} value)` };
  }
  return side.kind;
}
