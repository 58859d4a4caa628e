// The `type` lookup's operand: a BSON type that MongoDB's $type knows, checked
// here so that a value from a request never reaches the server as a type code
// it refuses with a raw error.
import mongoose from 'mongoose';
import { FieldError } from '../core/errors.js';

// The driver's own table of BSON type names and codes (double: 1, … maxKey: 127),
// and $type's alias for any numeric type.
const NAMES: ReadonlySet<string> = new Set([...Object.keys(mongoose.mongo.BSON.BSONType), 'number']);
const CODES: ReadonlySet<number> = new Set(Object.values(mongoose.mongo.BSON.BSONType));

/**
 * A `$type` operand: a type name (`'string'`, `'number'`, …) or code (2, 16,
 * …) MongoDB knows, else {@link FieldError} listing them.
 *
 * @example
 * ```ts
 * bsonType('Entry.rating', 'number'); // 'number'
 * bsonType('Entry.rating', 999);      // throws FieldError
 * ```
 */
export function bsonType(label: string, value: unknown): string | number {
  if (typeof value === 'string' && NAMES.has(value)) return value;
  if (typeof value === 'number' && CODES.has(value)) return value;
  const codes = [...CODES].sort((a, b) => a - b).join(', ');
  throw new FieldError(
    `${label}__type takes a BSON type name (${[...NAMES].join(', ')}) or code (${codes}), ` +
      `not ${JSON.stringify(value) ?? typeof value}.`,
  );
}
