// AlterField's value conversion, computed in djongoose: the same answers
// for every server, so the scan that counts the values that cannot convert
// and the write agree. Where the server runs pipeline updates, alter-field.ts
// sends `$convert` for the stored values whose server conversion gives these
// answers (serverConversion's filter picks them), and converts the rest here.
import { mongo } from 'mongoose';

/** A converted value, or `failed` when the value has no form in the target type. */
export type Converted = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

const FAILED: Converted = Object.freeze({ ok: false });
const ok = (value: unknown): Converted => ({ ok: true, value });

// A decimal numeral, as Django's FloatField takes one: no hex, binary, octal,
// `Infinity` or `NaN`, which JavaScript's Number() would take and MongoDB's
// $convert would not.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(value: unknown): Converted {
  if (typeof value === 'number') return ok(value);
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? FAILED : ok(value.getTime());
  if (typeof value === 'string') {
    const text = value.trim();
    const n = DECIMAL.test(text) ? Number(text) : NaN;
    return Number.isFinite(n) ? ok(n) : FAILED;
  }
  if (value instanceof mongo.Int32 || value instanceof mongo.Double) return ok(value.valueOf());
  if (value instanceof mongo.Long) return ok(value.toNumber());
  return FAILED;
}

function toText(value: unknown): Converted {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? FAILED : ok(value.toISOString());
  if (value instanceof mongo.ObjectId) return ok(value.toHexString());
  // A 64-bit integer past 2^53, which the driver hands over as a Long: its digits, not a rounded double's.
  if (value instanceof mongo.Long) return ok(value.toString());
  return FAILED;
}

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

function toBoolean(value: unknown): Converted {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'number') return ok(value !== 0);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    return TRUE.has(text) ? ok(true) : FALSE.has(text) ? ok(false) : FAILED;
  }
  return FAILED;
}

// An invalid Date (NaN time) has no form in any type: it is counted, never written on.
function toDate(value: unknown): Converted {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? FAILED : ok(value);
  if (typeof value === 'number' || typeof value === 'string') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? FAILED : ok(date);
  }
  return FAILED;
}

function toObjectId(value: unknown): Converted {
  if (value instanceof mongo.ObjectId) return ok(value);
  return typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value) ? ok(new mongo.ObjectId(value)) : FAILED;
}

interface Target {
  readonly convert: (value: unknown) => Converted;
  /** The BSON types a stored value of this type already has: nothing to convert. */
  readonly stored: readonly string[];
}

const NUMBER: Target = { convert: toNumber, stored: ['double', 'int', 'long'] };
const TARGETS: Readonly<Record<string, Target>> = {
  String: { convert: toText, stored: ['string'] },
  Number: NUMBER,
  Double: NUMBER,
  Boolean: { convert: toBoolean, stored: ['bool'] },
  Date: { convert: toDate, stored: ['date'] },
  ObjectId: { convert: toObjectId, stored: ['objectId'] },
};

/** The Mongoose types AlterField converts stored values to. */
export const CONVERTIBLE_TYPES = Object.freeze(Object.keys(TARGETS));

/**
 * `value` in the Mongoose type `type` (String, Number, Double, Boolean, Date,
 * ObjectId), or `{ ok: false }`. Null stays null. A string converts to a
 * number only when it is a decimal numeral (spaces around it allowed).
 *
 * @example
 * ```ts
 * convertValue('42', 'Number'); // { ok: true, value: 42 }
 * convertValue('n/a', 'Number'); // { ok: false }
 * convertValue('0x1A', 'Number'); // { ok: false }
 * ```
 */
export function convertValue(value: unknown, type: string): Converted {
  if (value === null || value === undefined) return ok(null);
  const target = TARGETS[type];
  return target ? target.convert(value) : FAILED;
}

/**
 * The documents whose `field` still needs converting to `type`: set, not
 * null, and not already stored as that type (an array counts, to be
 * refused: no array converts). What AlterField scans, writes and, after,
 * counts as left unconverted.
 *
 * @example
 * ```ts
 * toConvert('rank', 'Number');
 * // { $or: [{ rank: { $type: 'array' } }, { rank: { $exists: true, $ne: null, $not: { $type: ['double', 'int', 'long'] } } }] }
 * ```
 */
export function toConvert(field: string, type: string): mongo.Filter<mongo.Document> {
  const stored = TARGETS[type]?.stored ?? [];
  const scalar =
    stored.length > 0 ? { $exists: true, $ne: null, $not: { $type: [...stored] } } : { $exists: true, $ne: null };
  return { $or: [{ [field]: { $type: 'array' } }, { [field]: scalar }] };
}

/** A conversion the server runs: the documents it takes and the pipeline update. */
export interface ServerConversion {
  readonly filter: mongo.Filter<mongo.Document>;
  readonly pipeline: mongo.Document[];
}

// Per target, the stored values whose `$convert` answer is convertValue's,
// as test/e2e/migrations-convert.test.ts checks value by value: decimal
// numerals without spaces, booleans and dates to a number; 32- and 64-bit
// integers and ObjectIds to a string. Not taken (converted in djongoose):
// ' 42 ' (MongoDB refuses the spaces), doubles to a string (the server
// writes 1e21 and 0.1 its own way), booleans and dates to a string
// (mongo-java-server refuses them), and every conversion to a boolean (the
// server makes every string true), a date or an ObjectId.
const SERVER_TAKES: Readonly<
  Record<string, { readonly to: string; readonly takes: (field: string) => mongo.Document }>
> = {
  Number: { to: 'double', takes: numeric },
  Double: { to: 'double', takes: numeric },
  String: { to: 'string', takes: (field) => ({ [field]: { $type: ['int', 'long', 'objectId'] } }) },
};

// A decimal numeral whose value is a normal double: at most 20 digits either
// side of the point and a two-digit exponent, so no overflow (mongo-java-server
// makes '1e999' Infinity, which convertValue refuses) and no underflow to 0.
/** The numerals the server's `$convert` is given (a normal double each). */
export const SERVER_DECIMAL = /^[+-]?(\d{1,20}(\.\d{0,20})?|\.\d{1,20})([eE][+-]?\d{1,2})?$/;

function numeric(field: string): mongo.Document {
  return {
    $or: [
      // $and, not one object: mongo-java-server matches { $type, $regex } against numbers too.
      { $and: [{ [field]: { $type: 'string' } }, { [field]: { $regex: SERVER_DECIMAL.source } }] },
      { [field]: { $type: ['bool', 'date'] } },
    ],
  };
}

/**
 * The pipeline update that converts `field` to `type` on the server, with
 * the filter of the stored values it may take; undefined where only
 * djongoose's conversion gives convertValue's answers. Arrays are never
 * taken; a value that fails anyway is kept as it was (`onError`).
 *
 * @example
 * ```ts
 * serverConversion('rating', 'Number')?.pipeline;
 * // [{ $addFields: { rating: { $convert: { input: '$rating', to: 'double', onError: '$rating', onNull: null } } } }]
 * ```
 */
export function serverConversion(field: string, type: string): ServerConversion | undefined {
  const server = SERVER_TAKES[type];
  if (!server) return undefined;
  return {
    filter: { $and: [server.takes(field), { [field]: { $not: { $type: 'array' } } }] },
    pipeline: [
      // $addFields, $set's older name: an update pipeline takes both, and mongo-java-server's aggregate only this one.
      {
        $addFields: {
          [field]: { $convert: { input: `$${field}`, to: server.to, onError: `$${field}`, onNull: null } },
        },
      },
    ],
  };
}
