// Django's text lookups on a Date or an ObjectId field: Django runs them over
// the field's text (supports_date_lookup_using_string; `pk__iexact='1'`), and
// so do we. The text of a date is Django's, `2005-07-28 00:00:00` (UTC,
// whole seconds); of an ObjectId, its 24 lowercase hex digits. Both texts
// have a fixed width and sort as the values do, so the texts that start with
// a prefix are one range of values: startswith, istartswith and iexact are
// sent as that range (any server, an index applies). The others (contains,
// endswith, regex, …) read the text with $regexMatch inside $expr. A value is
// only ever text: it makes the range or the literal pattern, never an operator.
import mongoose from 'mongoose';
import { registerLookup, type Lookup, type LookupTarget, type MongoFilter } from './lookups.js';
import { patternText } from './builtin-lookups.js';
import { textFormLookups } from './numeric-lookups.js';

/** No document's text matches: an empty `$in`. */
const nothing = (t: LookupTarget): MongoFilter => ({ [t.path]: { $in: [] } });

// ---------------------------------------------------------------- ObjectId

const HEX_DIGITS = 24;

/** The ObjectIds whose hex text starts with `prefix` (the whole text when `whole`). */
function objectIdPrefix(t: LookupTarget, prefix: string, whole: boolean): MongoFilter {
  if (!/^[0-9a-f]*$/.test(prefix) || prefix.length > HEX_DIGITS || (whole && prefix.length !== HEX_DIGITS)) {
    return nothing(t);
  }
  const low = new mongoose.Types.ObjectId(prefix.padEnd(HEX_DIGITS, '0'));
  if (whole) return { [t.path]: { $eq: low } };
  return { [t.path]: { $gte: low, $lte: new mongoose.Types.ObjectId(prefix.padEnd(HEX_DIGITS, 'f')) } };
}

const objectIdLookups: Lookup[] = [
  ...textFormLookups((path) => ({ $toString: path })),
  // The text is lowercase: an uppercase digit never starts it, unless the case is ignored.
  { name: 'startswith', compile: (t, v) => objectIdPrefix(t, patternText(t, 'startswith', v), false) },
  {
    name: 'istartswith',
    compile: (t, v) => objectIdPrefix(t, patternText(t, 'istartswith', v).toLowerCase(), false),
  },
  { name: 'iexact', compile: (t, v) => objectIdPrefix(t, patternText(t, 'iexact', v).toLowerCase(), true) },
];

// ---------------------------------------------------------------- Date

/** Django's text of a datetime, `YYYY-MM-DD HH:MM:SS`, as $dateToString writes it (UTC). */
export const DATE_TEXT_FORMAT = '%Y-%m-%d %H:%M:%S';

/** The parts of that text: where each starts, its width, its smallest and largest value. */
const PARTS = [
  { at: 0, width: 4, min: 0, max: 9999 },
  { at: 5, width: 2, min: 1, max: 12 },
  { at: 8, width: 2, min: 1, max: 31 },
  { at: 11, width: 2, min: 0, max: 23 },
  { at: 14, width: 2, min: 0, max: 59 },
  { at: 17, width: 2, min: 0, max: 59 },
] as const;
const TEXT_WIDTH = 19;
const SEPARATORS: Readonly<Record<number, string>> = { 4: '-', 7: '-', 10: ' ', 13: ':', 16: ':' };

/** A UTC instant from [year, month, day, hour, minute, second]; overflow carries (month 13 is next January). */
function utc(values: readonly number[]): Date {
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = values;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

const daysIn = (year: number, month: number): number => utc([year, month + 1, 0]).getUTCDate();

/**
 * The instants [start, end) whose text starts with `prefix`, or undefined
 * when none does: the parts the prefix gives whole are fixed, the one it
 * gives in part spans the values its digits can start, the rest are free.
 */
export function dateTextRange(prefix: string): readonly [Date, Date] | undefined {
  if (prefix.length > TEXT_WIDTH) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    const char = prefix.charAt(i);
    if (SEPARATORS[i] !== undefined ? char !== SEPARATORS[i] : !/[0-9]/.test(char)) return undefined;
  }
  const fixed: number[] = [];
  for (const [index, part] of PARTS.entries()) {
    const digits = prefix.slice(part.at, part.at + part.width);
    const max = index === 2 ? daysIn(fixed[0] ?? 0, fixed[1] ?? 1) : part.max;
    if (digits.length === part.width) {
      const value = Number(digits);
      if (value < part.min || value > max) return undefined;
      fixed.push(value);
      continue;
    }
    const free = part.width - digits.length;
    const low = Math.max(part.min, Number(digits + '0'.repeat(free)));
    const high = Math.min(max, Number(digits + '9'.repeat(free)));
    if (low > high) return undefined;
    return [utc([...fixed, low]), utc([...fixed, high + 1])];
  }
  const start = utc(fixed);
  return [start, new Date(start.getTime() + 1000)];
}

function dateText(t: LookupTarget, prefix: string, whole: boolean): MongoFilter {
  const range = whole && prefix.length !== TEXT_WIDTH ? undefined : dateTextRange(prefix);
  return range ? { [t.path]: { $gte: range[0], $lt: range[1] } } : nothing(t);
}

const dateTextLookups: Lookup[] = [
  ...textFormLookups((path) => ({ $dateToString: { format: DATE_TEXT_FORMAT, date: path } })),
  // Digits and separators only: the case is moot.
  { name: 'startswith', compile: (t, v) => dateText(t, patternText(t, 'startswith', v), false) },
  { name: 'istartswith', compile: (t, v) => dateText(t, patternText(t, 'istartswith', v), false) },
  { name: 'iexact', compile: (t, v) => dateText(t, patternText(t, 'iexact', v), true) },
];

for (const lookup of objectIdLookups) registerLookup('ObjectId', lookup);
for (const lookup of dateTextLookups) registerLookup('Date', lookup);
