// The parts of a date that Django's transforms extract (`pub_date__month`),
// as aggregation expressions: the filters compare them (builtin-lookups.ts)
// and the aggregates fold them (`Min('pub_date__month')`). In UTC, as the
// server computes them.

const unary =
  (op: string) =>
  (value: unknown): unknown => ({ [op]: value });

/**
 * Each date part's expression over a value (a `$path` or an expression).
 *
 * @example
 * ```ts
 * DATE_PARTS['month']?.('$pub_date'); // { $month: '$pub_date' }
 * ```
 */
export const DATE_PARTS: Readonly<Record<string, (value: unknown) => unknown>> = Object.freeze({
  year: unary('$year'),
  iso_year: unary('$isoWeekYear'),
  month: unary('$month'),
  day: unary('$dayOfMonth'),
  week: unary('$isoWeek'),
  week_day: unary('$dayOfWeek'),
  iso_week_day: unary('$isoDayOfWeek'),
  quarter: (value: unknown) => ({ $ceil: { $divide: [{ $month: value }, 3] } }),
  hour: unary('$hour'),
  minute: unary('$minute'),
  second: unary('$second'),
});

/**
 * Whether a name is a date part an aggregate can fold (`month`, not `gte`).
 *
 * @example
 * ```ts
 * isDatePart('month'); // true
 * isDatePart('gte'); // false
 * ```
 */
export function isDatePart(name: string): boolean {
  return Object.hasOwn(DATE_PARTS, name);
}
