// What an aggregate takes besides its field: `distinct` (Count, Sum, Avg)
// and `default` (Sum, Avg, Min, Max), Django's options, checked where the
// aggregate is written so that a bad one fails there.
import type { Types } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { checkOptionKeys, describe, isPlainObject } from '../core/values.js';

/** The functions an aggregate can apply. */
export type AggregateFunction = 'sum' | 'avg' | 'min' | 'max' | 'count';

/**
 * A value an aggregate may give instead of null (`Sum('views', { default: 0 })`):
 * a plain value, never an expression or an object.
 *
 * @example
 * ```ts
 * const zero: AggregateDefault = 0;
 * ```
 */
export type AggregateDefault = number | bigint | string | boolean | Date | Types.Decimal128;

/**
 * The options of Sum and Avg: distinct values only, and a default for null.
 *
 * @example
 * ```ts
 * Sum('rating', { distinct: true, default: 0 });
 * ```
 */
export interface SumOptions<D extends AggregateDefault | undefined = AggregateDefault | undefined> {
  readonly distinct?: boolean;
  readonly default?: D;
}

/**
 * The options of Min and Max: a default for null. They take no `distinct`,
 * which cannot change a smallest or largest value (Django refuses it too).
 *
 * @example
 * ```ts
 * Max('pub_date', { default: new Date(0) });
 * ```
 */
export interface MinMaxOptions<D extends AggregateDefault | undefined = AggregateDefault | undefined> {
  readonly default?: D;
}

/** Each function as messages write it. */
export const NAMES: Record<AggregateFunction, string> = {
  sum: 'Sum',
  avg: 'Avg',
  min: 'Min',
  max: 'Max',
  count: 'Count',
};

const OPTIONS: Record<AggregateFunction, readonly string[]> = {
  sum: ['distinct', 'default'],
  avg: ['distinct', 'default'],
  min: ['default'],
  max: ['default'],
  count: ['distinct'],
};

function isDefaultValue(value: unknown): value is AggregateDefault {
  return (
    ['number', 'bigint', 'string', 'boolean'].includes(typeof value) ||
    (value instanceof Date && !Number.isNaN(value.getTime())) ||
    (typeof value === 'object' && value !== null && (value as { _bsontype?: unknown })._bsontype === 'Decimal128')
  );
}

/**
 * The options given to an aggregate, checked: an unknown key, a `distinct`
 * that is no boolean and a `default` that is no plain value are FieldErrors
 * (Django's TypeError "Count does not allow default.").
 *
 * @example
 * ```ts
 * checkedOptions('sum', { default: 0 }); // { distinct: false, default: 0 }
 * checkedOptions('count', { default: 0 }); // FieldError: Count does not allow default: it is 0 over no rows already. …
 * ```
 */
export function checkedOptions(
  fn: AggregateFunction,
  options: unknown,
): { distinct: boolean; default?: AggregateDefault } {
  if (options === undefined) return { distinct: false };
  const name = NAMES[fn];
  const accepted = OPTIONS[fn];
  if (!isPlainObject(options)) {
    throw new FieldError(`${name}() takes options as an object, e.g. { ${accepted[0]}: … }; got ${describe(options)}.`);
  }
  checkOptionKeys(options, accepted, (key, hint) => {
    const why =
      key === 'default' ? ': it is 0 over no rows already' : key === 'distinct' ? ': it cannot change the result' : '';
    throw new FieldError(
      `${name} does not allow ${key}${why}.${hint} ${name}() takes ${accepted.map((k) => `{ ${k} }`).join(' and ')}.`,
    );
  });
  const { distinct, default: dflt } = options as { distinct?: unknown; default?: unknown };
  if (distinct !== undefined && typeof distinct !== 'boolean') {
    throw new FieldError(`${name}()'s distinct takes true or false, not ${describe(distinct)}.`);
  }
  if (dflt !== undefined && !isDefaultValue(dflt)) {
    throw new FieldError(
      `${name}()'s default takes a number, bigint, string, boolean, Date or Decimal128, not ${describe(dflt)}.`,
    );
  }
  return dflt === undefined ? { distinct: distinct === true } : { distinct: distinct === true, default: dflt };
}

/**
 * A default as code writes it, for messages: `0`, `"none"`, `new Date("…")`.
 *
 * @example
 * ```ts
 * written(new Date(0)); // 'new Date("1970-01-01T00:00:00.000Z")'
 * ```
 */
export function written(value: AggregateDefault): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  return String(value);
}
