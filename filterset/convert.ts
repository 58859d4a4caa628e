// Query-string text to filter values, by the field's type, as django-filter's
// form fields clean their input: '4' becomes 4 for a Number field, '3,5' a
// list for `in`, 'true' a boolean for `isnull`. Only strings come in, and
// only strings, numbers, booleans, bigints, Dates, ObjectIds and lists of
// them go out, so nothing a client sends can become an operator.
import mongoose from 'mongoose';

/** What a conversion gives: the value, or why the text was refused. */
export type Converted =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** Turns one query-string value into a filter value. */
export interface Converter {
  /** What the parameter accepts, for error messages: `a number`. */
  readonly accepts: string;
  /** Two values it accepts, for examples: `['3', '4.5']`. */
  readonly examples: readonly [string, string];
  convert(text: string): Converted;
}

const ok = (value: unknown): Converted => ({ ok: true, value });
const refuse = (reason: string): Converted => ({ ok: false, reason });
const quote = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

function scalar(accepts: string, examples: [string, string], parse: (text: string) => unknown): Converter {
  return {
    accepts,
    examples,
    convert(text) {
      const value = parse(text);
      return value === undefined ? refuse(`${quote(text)} is not ${accepts}`) : ok(value);
    },
  };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

function toNumber(text: string): number | undefined {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function toInteger(text: string, min = -Infinity, max = Infinity): number | undefined {
  const n = INTEGER.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

// A Map, not an object literal: `BOOLEANS['__proto__']` would be Object.prototype.
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
]);

// YYYY-MM-DD, optionally with THH:MM[:SS[.fff]] and Z or ±HH:MM. Without a
// zone the time is UTC, whatever the server's own zone is.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function toDate(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  utc.setUTCFullYear(y); // Date.UTC reads years 0–99 as 1900–1999
  // Date.UTC rolls 2026-02-31 over into March: refuse what does not round-trip.
  const same =
    utc.getUTCFullYear() === y &&
    utc.getUTCMonth() === mo - 1 &&
    utc.getUTCDate() === d &&
    utc.getUTCHours() === h &&
    utc.getUTCMinutes() === mi &&
    utc.getUTCSeconds() === s;
  if (!same) return undefined;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2)) > 59) return undefined;
    return new Date(utc.getTime() - sign * offset * 60_000);
  }
  return utc;
}

const HEX_OBJECT_ID = /^[0-9a-f]{24}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Text as it is: String fields, and values inside JSON/Mixed fields. */
export const TEXT: Converter = { accepts: 'text', examples: ['rock', 'jazz'], convert: ok };

/** 'true' or 'false' (also '1' and '0'), for isnull, exists and Boolean fields. */
export const BOOLEAN = scalar("'true' or 'false'", ['true', 'false'], (t) => BOOLEANS.get(t.toLowerCase()));

/** A whole number, for date parts (`year`), `len` and `size`. */
export const WHOLE_NUMBER = scalar('a whole number', ['2026', '2025'], (t) => toInteger(t));

/** A year, 1 to 9999 as Django's dates, for `year` and `iso_year`. */
export const YEAR = scalar('a year from 1 to 9999', ['2026', '2025'], (t) => toInteger(t, 1, 9999));

/** A count: a whole number of at least 0. */
export const COUNT = scalar('a whole number of at least 0', ['3', '0'], (t) => toInteger(t, 0));

/** A calendar date, 'YYYY-MM-DD', for the `date` lookup. */
export const DAY = scalar("a date 'YYYY-MM-DD'", ['2026-05-01', '2026-05-31'], (t) =>
  /^\d{4}-\d{2}-\d{2}$/.test(t) && toDate(t) ? t : undefined,
);

/** A time of day, 'HH:MM' or 'HH:MM:SS', for the `time` lookup. */
export const TIME = scalar("a time 'HH:MM' or 'HH:MM:SS'", ['09:30', '17:45:00'], (t) =>
  /^([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/.test(t) ? t : undefined,
);

/** Converters for the values of each Mongoose field type, by SchemaType `instance`. */
export const SCALARS: Readonly<Record<string, Converter>> = {
  String: TEXT,
  Number: scalar('a number', ['3', '4.5'], toNumber),
  Double: scalar('a number', ['3', '4.5'], toNumber),
  Int32: scalar('a whole number from -2147483648 to 2147483647', ['3', '7'], (t) =>
    toInteger(t, -(2 ** 31), 2 ** 31 - 1),
  ),
  BigInt: scalar('a whole number', ['3', '9007199254740993'], (t) => (INTEGER.test(t) ? BigInt(t) : undefined)),
  // Mongoose casts the exact decimal text; a JS number would round it.
  Decimal128: scalar('a decimal number', ['12.50', '3'], (t) => (DECIMAL.test(t) ? t : undefined)),
  Boolean: BOOLEAN,
  Date: scalar(
    "an ISO 8601 date or time, UTC unless it ends in an offset (with '+' sent as %2B)",
    ['2026-05-01', '2026-05-01T12:00:00Z'],
    toDate,
  ),
  ObjectId: scalar(
    'an ObjectId, 24 hexadecimal digits',
    ['64b7f0c2a1b2c3d4e5f60718', '64b7f0c2a1b2c3d4e5f60719'],
    (t) => (HEX_OBJECT_ID.test(t) ? new mongoose.Types.ObjectId(t) : undefined),
  ),
  UUID: scalar('a UUID', ['123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456-426614174001'], (t) =>
    UUID.test(t) ? t : undefined,
  ),
};

/**
 * A comma-separated list (`3,5`), each item converted by `item`; `length`
 * when the lookup takes exactly that many (range: 2).
 */
export function listOf(item: Converter, length?: number): Converter {
  const accepts =
    length === undefined
      ? `a comma-separated list, each ${item.accepts}`
      : `${length} comma-separated values, each ${item.accepts}`;
  return {
    accepts,
    examples: [item.examples.join(','), item.examples[0]],
    convert(text) {
      const parts = text.split(',');
      if (length !== undefined && parts.length !== length) {
        return refuse(`${quote(text)} has ${parts.length} value${parts.length === 1 ? '' : 's'}, not ${length}`);
      }
      const values: unknown[] = [];
      for (const [i, part] of parts.entries()) {
        if (part === '') return refuse(`item ${i + 1} of ${quote(text)} is empty`);
        const converted = item.convert(part);
        if (!converted.ok) return converted;
        values.push(converted.value);
      }
      return ok(values);
    },
  };
}
