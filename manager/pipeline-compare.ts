// How MongoDB's aggregation compares and tests values, for the pipeline
// evaluator: one order across types (missing < null < numbers < strings <
// documents < arrays < binary < ObjectId < booleans < dates < timestamps <
// regexes), numbers compared by value whatever their BSON type, and the
// truthiness $cond, $and, $or and $not use.
import { isDecimal, toNum, type Num } from './pipeline-numbers.js';

// Where each kind of value sorts; minKey first, maxKey last.
const RANK: Readonly<Record<string, number>> = {
  MinKey: 0,
  missing: 1,
  null: 2,
  number: 3,
  string: 4,
  object: 5,
  array: 6,
  Binary: 7,
  ObjectId: 8,
  boolean: 9,
  date: 10,
  Timestamp: 11,
  regex: 12,
  MaxKey: 13,
};

function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  const tag = (value as { _bsontype?: unknown })._bsontype;
  if (typeof tag === 'string') {
    if (tag === 'Int32' || tag === 'Double' || tag === 'Long' || tag === 'Decimal128') return 'number';
    if (tag === 'BSONSymbol') return 'string';
    if (tag === 'BSONRegExp') return 'regex';
    return tag in RANK ? tag : 'object';
  }
  return 'object';
}

function compareNumbers(a: Num, b: Num): number {
  if (a.kind !== 'double' && b.kind !== 'double') {
    const x = BigInt(a.value);
    const y = BigInt(b.value);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a.value);
  const y = Number(b.value);
  // MongoDB sorts NaN below every other number and equal to itself.
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function bytesOf(value: unknown): Buffer {
  const v = value as { buffer?: Uint8Array; toHexString?: () => string };
  if (typeof v.toHexString === 'function') return Buffer.from(v.toHexString(), 'hex');
  return Buffer.from(v.buffer ?? new Uint8Array());
}

function compareDocuments(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const [x, y] = [ka[i] as string, kb[i] as string];
    const byType = (RANK[kindOf(a[x])] ?? 5) - (RANK[kindOf(b[y])] ?? 5);
    if (byType !== 0) return sign(byType);
    const byName = Buffer.compare(Buffer.from(x), Buffer.from(y));
    if (byName !== 0) return byName;
    const byValue = compareValues(a[x], b[y]);
    if (byValue !== 0) return byValue;
  }
  return sign(ka.length - kb.length);
}

/**
 * MongoDB's order of two values in an aggregation expression: -1, 0 or 1.
 * A missing field sorts before null, so `$eq: ['$missing', null]` is false.
 *
 * @example
 * ```ts
 * compareValues(new Int32(2), 2.0); // 0
 * compareValues(undefined, null);   // -1
 * compareValues('b', 10);           // 1 (strings sort after numbers)
 * ```
 */
export function compareValues(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return sign((RANK[ka] ?? 5) - (RANK[kb] ?? 5));
  switch (ka) {
    case 'number':
      return compareNumbers(toNum(a) as Num, toNum(b) as Num);
    case 'string':
      // Binary order of UTF-8, as the server compares without a collation.
      return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
    case 'boolean':
      return sign(Number(a) - Number(b));
    case 'date':
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 'array': {
      const [x, y] = [a as unknown[], b as unknown[]];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return sign(x.length - y.length);
    }
    case 'object':
      return compareDocuments(a as Record<string, unknown>, b as Record<string, unknown>);
    case 'ObjectId':
    case 'Binary':
      return Buffer.compare(bytesOf(a), bytesOf(b));
    case 'regex':
      return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
    default:
      return 0;
  }
}

/**
 * Truthiness in $cond, $and, $or and $not: false, null, a missing field and
 * any zero are false; everything else (an empty string, an empty array) is true.
 *
 * @example
 * ```ts
 * truthy(new Int32(0)); // false
 * truthy('');           // true
 * ```
 */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  const n = kindOf(value) === 'number' ? toNum(value) : undefined;
  return n === undefined || Number(n.value) !== 0;
}

/** True for null and a missing field: the operands that make arithmetic give null. */
export function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined || (value as { _bsontype?: unknown })?._bsontype === 'Undefined';
}

/** The BSON type name MongoDB's messages use, for an operand of the wrong type. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (isDecimal(value)) return 'decimal';
  const n = kindOf(value) === 'number' ? toNum(value) : undefined;
  if (n) return n.kind;
  return kindOf(value).toLowerCase();
}
