// AlterField's value conversion, computed in djongoose: the same answers
// for every server, so the scan that counts the values that cannot convert
// and the write agree. Where the server runs pipeline updates, apply.ts
// sends `$convert` for the types whose server conversion gives these answers.
import { mongo } from 'mongoose';

/** A converted value, or `failed` when the value has no form in the target type. */
export type Converted = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

const FAILED: Converted = Object.freeze({ ok: false });
const ok = (value: unknown): Converted => ({ ok: true, value });

function toNumber(value: unknown): Converted {
  if (typeof value === 'number') return ok(value);
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (value instanceof Date) return ok(value.getTime());
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? ok(n) : FAILED;
  }
  if (value instanceof mongo.Int32 || value instanceof mongo.Double) return ok(value.valueOf());
  if (value instanceof mongo.Long) return ok(value.toNumber());
  return FAILED;
}

function toText(value: unknown): Converted {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
  if (value instanceof Date) return ok(value.toISOString());
  if (value instanceof mongo.ObjectId) return ok(value.toHexString());
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

function toDate(value: unknown): Converted {
  if (value instanceof Date) return ok(value);
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

const CONVERTERS: Readonly<Record<string, (value: unknown) => Converted>> = {
  String: toText,
  Number: toNumber,
  Double: toNumber,
  Boolean: toBoolean,
  Date: toDate,
  ObjectId: toObjectId,
};

/** The Mongoose types AlterField converts stored values to. */
export const CONVERTIBLE_TYPES = Object.freeze(Object.keys(CONVERTERS));

/**
 * `value` in the Mongoose type `type` (String, Number, Double, Boolean, Date,
 * ObjectId), or `{ ok: false }`. Null stays null.
 *
 * @example
 * ```ts
 * convertValue('42', 'Number'); // { ok: true, value: 42 }
 * convertValue('n/a', 'Number'); // { ok: false }
 * ```
 */
export function convertValue(value: unknown, type: string): Converted {
  if (value === null || value === undefined) return ok(null);
  const convert = CONVERTERS[type];
  return convert ? convert(value) : FAILED;
}

// The `$convert` targets whose server answers match convertValue's, for the
// pairs where both agree (a string to a boolean differs: the server makes
// every string true).
const SERVER_TARGETS: Readonly<Record<string, string>> = { String: 'string', Number: 'double', Double: 'double' };

/**
 * The pipeline update that converts `field` on the server, or undefined
 * where only djongoose's conversion gives convertValue's answers.
 *
 * @example
 * ```ts
 * serverConversion('rating', 'String', 'Number');
 * // [{ $set: { rating: { $convert: { input: '$rating', to: 'double', onError: '$rating', onNull: null } } } }]
 * ```
 */
export function serverConversion(field: string, from: string, to: string): mongo.Document[] | undefined {
  const target = SERVER_TARGETS[to];
  if (!target || !['String', 'Number', 'Double', 'Boolean'].includes(from) || (from === 'Boolean' && to !== 'String'))
    return undefined;
  return [{ $set: { [field]: { $convert: { input: `$${field}`, to: target, onError: `$${field}`, onNull: null } } } }];
}
