// What MongoDB can store as it was given. A key that starts with `$` is an
// operator to the server (refused by FerretDB, stored by others, read back as
// an operator by later updates); a dot splits a key into a path; a NUL cannot
// be encoded in a BSON key at all. A document over 16 MiB is refused by the
// driver with a RangeError from deep inside its serializer. Writes check
// these first, so that data is refused with a typed error and nothing is sent.
import mongoose from 'mongoose';
import { ValidationError } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';

/** MongoDB's largest document, in bytes (BSON's maxBsonObjectSize). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Why a key cannot be stored as written, or undefined when it can. */
export function unsafeKey(key: string): string | undefined {
  if (key.startsWith('$')) return 'starts with "$", which MongoDB reads as an operator';
  if (key.includes('.')) return 'contains ".", which MongoDB reads as a path';
  if (key.includes('\u0000')) return 'contains a NUL character, which BSON cannot encode in a key';
  // JSON.parse makes it an own key; Mongoose's copies drop it, and plain JavaScript reads it as the prototype.
  if (key === '__proto__') return 'is "__proto__", which would not be stored as given';
  return undefined;
}

/**
 * Throws {@link ValidationError} when a value (a JSON/Mixed value, or a whole
 * document) holds a key MongoDB would not store literally, at any depth.
 * Instances of classes (ObjectId, Date, Buffer, …) are left to Mongoose.
 * Returns an upper bound of the value's BSON size in bytes (Infinity when a
 * class instance makes it unknown), so that a caller can skip the exact
 * size check of a document that cannot be near the limit.
 *
 * @example
 * ```ts
 * assertStorableKeys({ label: 'Apple' }, 'Entry.data'); // fine: returns a bound such as 44
 * assertStorableKeys({ $ne: null }, 'Entry.data');
 * // ValidationError: Entry.data: the key "$ne" starts with "$", which MongoDB reads as an operator; …
 * ```
 */
export function assertStorableKeys(value: unknown, label: string): number {
  // Per value: its type byte, a key of up to 3 bytes per UTF-16 unit (added
  // by the caller) and its NUL, and the value itself.
  if (typeof value === 'string') return 3 * value.length + 16;
  if (value === null || value === undefined || typeof value !== 'object') return 16;
  let bound = 16;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) bound += assertStorableKeys(item, label) + String(i).length + 2;
    return bound;
  }
  if (!isPlainObject(value)) return Infinity;
  for (const key of Object.keys(value)) {
    const why = unsafeKey(key);
    if (why) {
      throw new ValidationError(
        `${label}: the key ${JSON.stringify(key)} ${why}; keys inside stored values must be plain names ` +
          '(no leading "$", no ".", no NUL, not "__proto__").',
        label,
      );
    }
    bound += assertStorableKeys(value[key], `${label}.${key}`) + 3 * key.length + 2;
  }
  return bound;
}

/**
 * Throws {@link ValidationError} when a document or update is larger than
 * MongoDB stores, before the driver fails to serialize it.
 *
 * @example
 * ```ts
 * assertWithinSizeLimit({ data: 'x'.repeat(17 * 1024 * 1024) }, 'Entry');
 * // ValidationError: Entry: the document would take 17825818 bytes; MongoDB stores at most 16777216 (16 MiB).
 * ```
 */
export function assertWithinSizeLimit(document: object, label: string, what = 'document'): void {
  const bytes = mongoose.mongo.BSON.calculateObjectSize(document as mongoose.mongo.Document);
  if (bytes <= MAX_DOCUMENT_BYTES) return;
  throw new ValidationError(
    `${label}: the ${what} would take ${bytes} bytes; MongoDB stores at most ${MAX_DOCUMENT_BYTES} (16 MiB). ` +
      'Store large content in a FileField (GridFS).',
    label,
  );
}

/**
 * Throws {@link ValidationError} when a document about to be inserted or
 * saved holds a key MongoDB would not store literally (inside a JSON/Mixed
 * value, or an extra field of a non-strict schema) or is over 16 MiB.
 *
 * @example
 * ```ts
 * assertStorableDocument(new Entry({ data: { $bad: 1 } }), 'Entry');
 * // ValidationError: Entry.data: the key "$bad" starts with "$", which MongoDB reads as an operator; …
 * ```
 */
export function assertStorableDocument(doc: { toBSON(): unknown }, modelName: string): void {
  const bson = doc.toBSON() as Record<string, unknown>;
  assertStorableKeys(bson, modelName);
  assertWithinSizeLimit(bson, modelName);
}
