// MongoEngine's field validation for written values: a value that is not of
// the field's type is a ValidationError, before anything is sent, where
// Mongoose would cast it silently (`update({ headline: 1 })` storing "1").
// A string keeps being cast by Mongoose, as a form or query string gives
// every value as text ('5' for a Number, '2020-01-01' for a Date); a number
// or a boolean in a text field, or a boolean in a number, is a mistake.
import { ValidationError } from '../core/errors.js';
import { familyOf } from '../core/type-families.js';
import { describe, isPlainObject } from '../core/values.js';

/** What a scalar field takes, as a test and as words for the message. */
interface Accepts {
  readonly test: (value: unknown) => boolean;
  readonly words: string;
}

// Documents, BSON values (ObjectId, Decimal128, Long…) and other class
// instances come from code; Mongoose casts them or says why not.
const isInstance = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isPlainObject(value);

const TEXT: Accepts = { test: (v) => typeof v === 'string', words: 'a string' };
const NUMBER: Accepts = {
  test: (v) =>
    typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || (isInstance(v) && !(v instanceof Date)),
  words: 'a number, a bigint, a numeric string or a BSON number',
};

const BY_TYPE: Readonly<Record<string, Accepts>> = {
  String: TEXT,
  Boolean: { test: (v) => typeof v === 'boolean' || typeof v === 'string', words: 'true, false or their text' },
  Date: {
    test: (v) => v instanceof Date || typeof v === 'string' || typeof v === 'number',
    words: 'a Date, a date string or a timestamp in milliseconds',
  },
  ObjectId: { test: (v) => typeof v === 'string' || isInstance(v), words: 'an ObjectId or its 24-hex-digit text' },
  UUID: { test: (v) => typeof v === 'string' || isInstance(v), words: 'a UUID or its text' },
};

/**
 * Throws {@link ValidationError} unless `value` is of the scalar field's type
 * or a string Mongoose casts to it. Null and undefined clear the field, and
 * types not listed (Buffer, custom types) are left to Mongoose's cast.
 *
 * @example
 * ```ts
 * checkScalarType('Number', '5', 'Entry.rating'); // fine: Mongoose casts it to 5
 * checkScalarType('String', 1, 'Entry.headline');
 * // ValidationError: Entry.headline takes a String (a string), not the number 1.
 * ```
 */
export function checkScalarType(type: string, value: unknown, label: string): void {
  if (value === null || value === undefined) return;
  const accepts = familyOf(type) === 'Numeric' ? NUMBER : BY_TYPE[type];
  if (!accepts || accepts.test(value)) return;
  throw new ValidationError(`${label} takes a ${type} (${accepts.words}), not ${describe(value)}.`, label);
}
