// Django's dates() and datetimes(): the distinct values of a date field,
// truncated to a year, month, ISO week (from Monday), day, hour, minute or
// second, in UTC, ordered. The truncation is done here, over the server's
// distinct() of the field: FerretDB v1 has no date operators and
// mongo-java-server no $dateTrunc. What is read is one value per distinct
// timestamp among the matches, not one per document. Nulls are left out, as
// Django's dates() filters them out.
import mongoose, { type Model } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { compileQuery } from './queryset-compile.js';
import { fieldPath } from './parse-names.js';
import { scopeOf, type DatesSpec, type Props } from './queryset-props.js';

const DATE_KINDS = ['year', 'month', 'week', 'day'] as const;
const DATETIME_KINDS = [...DATE_KINDS, 'hour', 'minute', 'second'] as const;

/** What dates() truncates to. */
export type DateKind = (typeof DATE_KINDS)[number];
/** What datetimes() truncates to. */
export type DateTimeKind = (typeof DATETIME_KINDS)[number];

const quoted = (names: readonly string[]) => names.map((k) => `'${k}'`).join(', ');

/**
 * dates()'s or datetimes()'s arguments, checked: a Date field, a kind the
 * method takes, and 'ASC' or 'DESC'.
 *
 * @example
 * ```ts
 * parseDates(Entry, 'pub_date', 'month', 'DESC', false); // { path: 'pub_date', kind: 'month', descending: true }
 * ```
 */
export function parseDates<TRaw>(
  model: Model<TRaw>,
  field: string,
  kind: string,
  order: string,
  withTime: boolean,
): DatesSpec {
  const path = fieldPath(scopeOf(model), field);
  if (!(model.schema.path(path) instanceof mongoose.Schema.Types.Date)) {
    throw new FieldError(
      `'${field}' isn't a DateField, TimeField, or DateTimeField. ${withTime ? 'datetimes' : 'dates'}() takes a Date field.`,
    );
  }
  const kinds: readonly string[] = withTime ? DATETIME_KINDS : DATE_KINDS;
  if (!kinds.includes(kind)) throw new FieldError(`'kind' must be one of ${quoted(kinds)}; got ${String(kind)}.`);
  if (order !== 'ASC' && order !== 'DESC')
    throw new FieldError(`'order' must be either 'ASC' or 'DESC'; got ${String(order)}.`);
  return Object.freeze({ path, kind: kind as DateTimeKind, descending: order === 'DESC' });
}

/**
 * A moment truncated to the start of its year, month, ISO week, day, hour,
 * minute or second, in UTC.
 *
 * @example
 * ```ts
 * truncateDate(new Date('2007-12-19T22:25:00Z'), 'month'); // 2007-12-01T00:00:00Z
 * ```
 */
export function truncateDate(date: Date, kind: DateTimeKind): Date {
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
  switch (kind) {
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'week':
      // getUTCDay() is 0 on Sunday; ISO weeks start on Monday.
      return new Date(Date.UTC(y, m, d - ((date.getUTCDay() + 6) % 7)));
    case 'day':
      return new Date(Date.UTC(y, m, d));
    case 'hour':
      return new Date(Date.UTC(y, m, d, date.getUTCHours()));
    case 'minute':
      return new Date(Date.UTC(y, m, d, date.getUTCHours(), date.getUTCMinutes()));
    case 'second':
      return new Date(Math.floor(date.getTime() / 1000) * 1000);
  }
}

/**
 * The truncated dates of the matches, distinct and ordered, within the slice.
 *
 * @example
 * ```ts
 * await fetchDates(Entry, props, { path: 'pub_date', kind: 'year', descending: false }); // [1968-01-01, 2019-01-01]
 * ```
 */
export async function fetchDates<TRaw>(model: Model<TRaw>, props: Props, spec: DatesSpec): Promise<Date[]> {
  if (props.empty || props.limit === 0) return [];
  const filter = compileQuery(model, props).filter as mongoose.QueryFilter<TRaw>;
  const stored: unknown[] = await model.distinct(spec.path, filter).exec();
  const times = new Set<number>();
  for (const value of stored) if (value instanceof Date) times.add(truncateDate(value, spec.kind).getTime());
  const sorted = [...times].sort((a, b) => (spec.descending ? b - a : a - b));
  const start = props.skip ?? 0;
  return sorted.slice(start, props.limit === undefined ? undefined : start + props.limit).map((t) => new Date(t));
}
