// The built-in lookups: Django's, MongoEngine's and the array ones. Each is
// one small object; the registry picks them by field type.
import { BoundedCache } from '../core/bounded-cache.js';
import { FieldError, ValidationError } from '../core/errors.js';
import { escapeRegex, registerLookup, type Lookup, type LookupTarget, type MongoFilter } from './lookups.js';
import { bsonType } from './bson-types.js';
import { allowModOn } from './mod-operand.js';
import { DATE_PARTS } from './date-parts.js';

type Operand = Record<string, unknown>;
/**
 * `{ [key]: value }`, built by assignment: a computed key in an object
 * literal takes V8's slow runtime path (measured ~4× slower, and it is on
 * every condition of every query).
 */
function entry(key: string, value: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  object[key] = value;
  return object;
}

const on = (target: LookupTarget, operand: unknown): MongoFilter => entry(target.path, operand);

function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return (
    value === null ||
    type === 'string' ||
    type === 'number' ||
    type === 'boolean' ||
    type === 'bigint' ||
    value instanceof Date
  );
}

/** `{ path: value }` when the value cannot be read as an operator, else `{ path: { $eq: value } }`. */
function equals(target: LookupTarget, value: unknown): MongoFilter {
  return on(target, isPrimitive(value) && value !== null ? value : { $eq: value });
}

/** The first key starting with `$` in a plain object or array, at any depth, as a dotted path. */
function operatorKey(value: unknown, depth = 0): string | undefined {
  if (depth > 100 || value === null || typeof value !== 'object') return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('$')) return key;
    const below = operatorKey(inner, depth + 1);
    if (below !== undefined) return `${key}.${below}`;
  }
  return undefined;
}

/**
 * A list's values, cast. They are data: an object holding a `$` key is
 * refused, as `$all` reads `{ $elemMatch: … }` among its values as an operator.
 */
function list(target: LookupTarget, name: string, value: unknown): unknown[] {
  if (
    typeof value === 'string' ||
    value === null ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new FieldError(`${target.label}__${name} needs a list of values, e.g. [1, 2], not ${JSON.stringify(value)}.`);
  }
  const values = [...(value as Iterable<unknown>)];
  for (const v of values) literal(target, name, v);
  return values.map((v) => target.cast(v));
}

function literal(target: LookupTarget, name: string, value: unknown): unknown {
  const key = operatorKey(value);
  if (key !== undefined) {
    throw new FieldError(
      `${target.label}__${name}: values are data, and ${JSON.stringify(key)} in one reads as an operator. ` +
        "A value holds the field's values (for embedded documents, their field names); write conditions in code, " +
        'with lookups or Raw(...).',
    );
  }
  return value;
}

function bool(target: LookupTarget, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new FieldError(`${target.label}__${name} takes true or false, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function text(target: LookupTarget, name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new ValidationError(
    `${target.label}__${name} takes a string, not ${value === null ? 'null' : typeof value}.`,
    target.label,
  );
}

/** Text for a pattern: BSON writes regular expressions as C strings, which end at a NUL. */
export function patternText(target: LookupTarget, name: string, value: unknown): string {
  const source = text(target, name, value);
  if (source.includes('\0')) {
    throw new ValidationError(
      `${target.label}__${name} takes text without NUL characters (\\0): a pattern cannot carry them.`,
      target.label,
    );
  }
  return source;
}

function comparison(name: string, operator: string): Lookup {
  return { name, compile: (t, v) => on(t, entry(operator, t.cast(v))) };
}

/**
 * A regex lookup from a literal string; `i` variants differ only in the flag.
 * A BSON regular expression (`/^Hey/`), as one writes it by hand: servers
 * compile it once per query, where a `$regex` string may be compiled again.
 * Its source is the escaped text, sent as it is (`\z` is PCRE's, not JS's).
 */
function pattern(name: string, build: (escaped: string) => string, insensitive: boolean): Lookup {
  const flags = insensitive ? 'i' : '';
  return {
    name,
    compile: (t, v) => on(t, literalPattern(build(escapeRegex(patternText(t, name, v))), flags)),
  };
}

// The last few regular expressions built from values, by flags and source:
// the same prefixes come back query after query, and building one costs more
// than the rest of its condition. Bounded by count and bytes, since values are
// the users'; a long source is built each time. A shared RegExp is safe:
// without the g or y flag nothing reads lastIndex, and BSON sends only its
// source and flags.
const MAX_CACHED_SOURCE = 4096;
const regexps = new BoundedCache<string, RegExp>({
  maxEntries: 256,
  maxBytes: 1024 * 1024,
  // The key and the RegExp's own copy of the source, at 2 bytes a character.
  sizeOf: (key) => 4 * key.length + 200,
});

function literalRegExp(source: string, flags: string): RegExp {
  if (source.length > MAX_CACHED_SOURCE) return new RegExp(source, flags);
  const key = flags + '/' + source;
  let found = regexps.get(key);
  if (!found) regexps.set(key, (found = new RegExp(source, flags)));
  return found;
}

// RegExp#source spells U+2028 and U+2029 as `\u2028`, which PCRE and FerretDB
// refuse; as a $regex string they travel as the characters themselves.
const LINE_SEPARATORS = /[\u2028\u2029]/;

function literalPattern(source: string, flags: string): unknown {
  return LINE_SEPARATORS.test(source) ? { $regex: source, $options: flags } : literalRegExp(source, flags);
}

// `\z` is the end of the string in PCRE, Go and Java alike; `$` would also
// match before a final newline.
const anyLookups: Lookup[] = [
  { name: 'exact', compile: (t, v) => equals(t, v === null ? null : t.cast(v)) },
  comparison('ne', '$ne'),
  comparison('gt', '$gt'),
  comparison('gte', '$gte'),
  comparison('lt', '$lt'),
  comparison('lte', '$lte'),
  // Django's In drops None from its list: NULL equals nothing in SQL, while
  // { $in: [null] } would also match a missing field. An empty list matches nothing.
  { name: 'in', compile: (t, v) => on(t, { $in: list(t, 'in', v).filter((x) => x !== null && x !== undefined) }) },
  { name: 'nin', compile: (t, v) => on(t, { $nin: list(t, 'nin', v) }) },
  {
    name: 'range',
    compile(t, v) {
      const bounds = list(t, 'range', v);
      if (bounds.length !== 2) throw new FieldError(`${t.label}__range needs [low, high], two values.`);
      return on(t, { $gte: bounds[0], $lte: bounds[1] });
    },
  },
  { name: 'isnull', compile: (t, v) => on(t, bool(t, 'isnull', v) ? { $eq: null } : { $ne: null }) },
  { name: 'exists', compile: (t, v) => on(t, { $exists: bool(t, 'exists', v) }) },
  {
    name: 'type',
    compile(t, v) {
      return on(t, { $type: bsonType(t.label, v) });
    },
  },
  {
    name: 'regex',
    compile: (t, v) => on(t, { $regex: checkedRegex(t, 'regex', v) }),
  },
  {
    name: 'iregex',
    compile: (t, v) => on(t, { $regex: checkedRegex(t, 'iregex', v), $options: 'i' }),
  },
];

/** A `regex` lookup's pattern, checked to compile: a bad one is a {@link FieldError} here, not the server's. */
export function checkedRegex(t: LookupTarget, name: string, v: unknown): string {
  const source = patternText(t, name, v);
  try {
    new RegExp(source);
  } catch (err) {
    throw new FieldError(
      `${t.label}__${name}: ${JSON.stringify(source)} is not a valid regular expression (${(err as Error).message}).`,
    );
  }
  return source;
}

/** A text lookup: its name, the pattern it makes of the escaped value, and whether it ignores case. */
export type TextPattern = readonly [name: string, build: (escaped: string) => string, insensitive: boolean];

const pair = (name: string, build: (escaped: string) => string): TextPattern[] => [
  [name, build, false],
  [`i${name}`, build, true],
];

/** Django's text lookups (and MongoEngine's wholeword), by the pattern each makes. */
export const TEXT_PATTERNS: readonly TextPattern[] = [
  ['iexact', (e) => `^${e}\\z`, true],
  ...pair('contains', (e) => e),
  ...pair('startswith', (e) => `^${e}`),
  ...pair('endswith', (e) => `${e}\\z`),
  ...pair('wholeword', (e) => `\\b${e}\\b`),
];

const stringLookups: Lookup[] = TEXT_PATTERNS.map(([name, build, insensitive]) => pattern(name, build, insensitive));

// On the whole numeric family: Number, Int32, Double, Decimal128 and BigInt.
const numberLookups: Lookup[] = [
  {
    name: 'mod',
    compile(t, v) {
      const [divisor, remainder, ...rest] = Array.isArray(v) ? (v as unknown[]) : [];
      if (typeof divisor !== 'number' || typeof remainder !== 'number' || rest.length > 0 || divisor === 0) {
        throw new FieldError(`${t.label}__mod needs [divisor, remainder], two numbers with a non-zero divisor.`);
      }
      allowModOn(t.schemaType);
      return on(t, { $mod: [divisor, remainder] });
    },
  },
];

const SIZE_CHAIN = ['exact', 'gt', 'gte', 'lt', 'lte'] as const;

function count(t: LookupTarget, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new FieldError(`${t.label}__${name} takes a whole number of at least 0, not ${JSON.stringify(v)}.`);
  }
  return v;
}

// Lengths through `path.N` existence rather than $expr/$size arithmetic,
// so they work on every server and can use an index on the path.
function lengthFilter(t: LookupTarget, op: string, n: number): MongoFilter {
  const has = (k: number): MongoFilter =>
    k < 0 ? { [t.path]: { $exists: true } } : { [`${t.path}.${k}`]: { $exists: true } };
  const lacks = (k: number): MongoFilter =>
    k < 0 ? { _id: { $exists: false } } : { [`${t.path}.${k}`]: { $exists: false } };
  switch (op) {
    case 'gt':
      return has(n);
    case 'gte':
      return n === 0 ? { [t.path]: { $type: 'array' } } : has(n - 1);
    case 'lt':
      return n === 0 ? lacks(-1) : { $and: [{ [t.path]: { $type: 'array' } }, lacks(n - 1)] };
    case 'lte':
      return { $and: [{ [t.path]: { $type: 'array' } }, lacks(n)] };
    default:
      return on(t, { $size: n });
  }
}

const arrayLookups: Lookup[] = [
  {
    name: 'contains',
    compile: (t, v) => on(t, { $all: Array.isArray(v) ? list(t, 'contains', v) : [t.cast(literal(t, 'contains', v))] }),
  },
  { name: 'all', compile: (t, v) => on(t, { $all: list(t, 'all', v) }) },
  { name: 'overlap', compile: (t, v) => on(t, { $in: list(t, 'overlap', v) }) },
  {
    name: 'contained_by',
    compile: (t, v) => on(t, { $not: { $elemMatch: { $nin: list(t, 'contained_by', v) } } }),
  },
  { name: 'size', compile: (t, v) => on(t, { $size: count(t, 'size', v) }) },
  {
    name: 'match',
    compile(t, v) {
      if (!t.within) throw new FieldError(`${t.label}__match needs an array of embedded documents.`);
      return on(t, { $elemMatch: t.within(v) });
    },
  },
  { name: 'len', chain: SIZE_CHAIN, compile: (t, v, next) => lengthFilter(t, next, count(t, `len__${next}`, v)) },
];

function dayStart(t: LookupTarget, name: string, v: unknown): Date {
  const date = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : v;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new ValidationError(`${t.label}__${name} takes a Date or 'YYYY-MM-DD', not ${JSON.stringify(v)}.`, t.label);
  }
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** A calendar span [start, end) compared with exact/gt/gte/lt/lte: ranges, not date operators, so indexes apply. */
function spanFilter(t: LookupTarget, next: string, start: Date, end: Date): MongoFilter {
  const ops: Record<string, Operand> = {
    exact: { $gte: start, $lt: end },
    gt: { $gte: end },
    gte: { $gte: start },
    lt: { $lt: start },
    lte: { $lt: end },
  };
  return on(t, ops[next]);
}

const dateLookups: Lookup[] = [
  {
    name: 'year',
    chain: SIZE_CHAIN,
    compile(t, v, next) {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new FieldError(`${t.label}__year takes a whole number, e.g. 2020.`);
      return spanFilter(t, next, new Date(Date.UTC(v, 0, 1)), new Date(Date.UTC(v + 1, 0, 1)));
    },
  },
  {
    name: 'date',
    chain: SIZE_CHAIN,
    compile(t, v, next) {
      const start = dayStart(t, 'date', v);
      return spanFilter(t, next, start, new Date(start.getTime() + 86_400_000));
    },
  },
];

// Date parts other than year and date need the date operators inside $expr
// (Django's Extract lookups); they cannot use an index.
const COMPARE: Record<string, string> = { exact: '$eq', gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' };

function datePart(
  name: string,
  expression: (path: string) => unknown,
  valid: (v: number) => boolean,
  hint: string,
): Lookup {
  return {
    name,
    chain: SIZE_CHAIN,
    compile(t, v, next) {
      if (typeof v !== 'number' || !Number.isInteger(v) || !valid(v)) {
        throw new FieldError(`${t.label}__${name} takes ${hint}, not ${JSON.stringify(v)}.`);
      }
      return { $expr: { [COMPARE[next] ?? '$eq']: [expression(`$${t.path}`), v] } };
    },
  };
}

const between = (lo: number, hi: number) => (v: number) => v >= lo && v <= hi;

function parseTime(t: LookupTarget, v: unknown): number {
  const match = typeof v === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v) : null;
  const [h, m, sec] = match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [NaN, NaN, NaN];
  if (!(h < 24 && m < 60 && sec < 60))
    throw new FieldError(`${t.label}__time takes 'HH:MM' or 'HH:MM:SS', not ${JSON.stringify(v)}.`);
  return h * 3600 + m * 60 + sec;
}

const part = (name: string) => DATE_PARTS[name] as (path: string) => unknown;

const datePartLookups: Lookup[] = [
  datePart('iso_year', part('iso_year'), () => true, 'a whole number, e.g. 2020'),
  datePart('month', part('month'), between(1, 12), 'a month from 1 to 12'),
  datePart('day', part('day'), between(1, 31), 'a day from 1 to 31'),
  datePart('week', part('week'), between(1, 53), 'an ISO week from 1 to 53'),
  datePart('week_day', part('week_day'), between(1, 7), 'a day of the week from 1 (Sunday) to 7 (Saturday)'),
  datePart('iso_week_day', part('iso_week_day'), between(1, 7), 'an ISO day of the week from 1 (Monday) to 7 (Sunday)'),
  datePart('quarter', part('quarter'), between(1, 4), 'a quarter from 1 to 4'),
  datePart('hour', part('hour'), between(0, 23), 'an hour from 0 to 23'),
  datePart('minute', part('minute'), between(0, 59), 'a minute from 0 to 59'),
  datePart('second', part('second'), between(0, 59), 'a second from 0 to 59'),
  {
    name: 'time',
    chain: SIZE_CHAIN,
    compile(t, v, next) {
      const seconds = {
        $add: [
          { $multiply: [{ $hour: `$${t.path}` }, 3600] },
          { $multiply: [{ $minute: `$${t.path}` }, 60] },
          { $second: `$${t.path}` },
        ],
      };
      return { $expr: { [COMPARE[next] ?? '$eq']: [seconds, parseTime(t, v)] } };
    },
  },
];

for (const lookup of anyLookups) registerLookup('*', lookup);
for (const lookup of datePartLookups) registerLookup('Date', lookup);
for (const lookup of stringLookups) registerLookup('String', lookup);
for (const lookup of numberLookups) registerLookup('Numeric', lookup);
for (const lookup of arrayLookups) registerLookup('Array', lookup);
for (const lookup of dateLookups) registerLookup('Date', lookup);
