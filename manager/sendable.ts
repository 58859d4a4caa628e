// What BSON and the server cannot carry, refused before anything is sent, so
// a request's value gives a ValidationError rather than the driver's raw
// BSONError (a NUL in a key or a regular expression: BSON writes both as
// C strings) or RangeError (a command past the 16 MiB a BSON document may
// weigh: the serializer's buffer overflows).
import mongoose from 'mongoose';
import { ValidationError } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';

/** MongoDB's largest BSON document, 16 MiB. */
export const MAX_BSON_SIZE = 16 * 1024 * 1024;
/** MongoDB's deepest nesting of documents and arrays. */
export const MAX_BSON_DEPTH = 100;

interface Walk {
  readonly label: string;
  bytes: number;
}

function refuse(walk: Walk, what: string): never {
  throw new ValidationError(`${walk.label}: ${what}`, walk.label);
}

function noNul(walk: Walk, text: string, what: string): void {
  if (text.includes('\0')) refuse(walk, `${what} holds a NUL character (\\0), which BSON cannot carry there.`);
}

// An upper bound of the encoded size (3 bytes per UTF-16 unit covers UTF-8),
// so that the exact, costlier count runs only near the limit.
function visit(walk: Walk, value: unknown, depth: number): void {
  if (typeof value === 'string') {
    walk.bytes += value.length * 3 + 5;
    return;
  }
  if (typeof value !== 'object' || value === null) {
    walk.bytes += 9;
    return;
  }
  if (depth > MAX_BSON_DEPTH) {
    refuse(walk, `the filter nests deeper than ${MAX_BSON_DEPTH} levels, MongoDB's limit; give a flatter value.`);
  }
  if (value instanceof RegExp) {
    noNul(walk, value.source, 'a pattern');
    walk.bytes += value.source.length * 3 + 8;
  } else if (ArrayBuffer.isView(value)) {
    walk.bytes += value.byteLength + 5;
  } else if (Array.isArray(value)) {
    walk.bytes += 5;
    for (const item of value as unknown[]) {
      walk.bytes += 8;
      visit(walk, item, depth + 1);
    }
  } else {
    // Dates, ObjectIds, Decimal128s…: fixed, small encodings.
    if (!isPlainObject(value)) {
      walk.bytes += 24;
      return;
    }
    walk.bytes += 5;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      noNul(walk, key, `the key ${JSON.stringify(key)}`);
      walk.bytes += key.length * 3 + 1;
      visit(walk, (value as Record<string, unknown>)[key], depth + 1);
    }
  }
}

// Walking every compiled filter would cost as much as compiling it, and a
// filter of scalars and short lists cannot break these limits: compileFilter
// notes each value as it goes, and walks the result only when one held an
// object, or the strings came near the limit, or a Raw filter is in it.
// Compiling is synchronous, so module state serves one filter at a time.
let suspect = false;
let chars = 0;
// 3 bytes per UTF-16 unit at most: below this, strings cannot reach 16 MiB.
const WALK_ABOVE_CHARS = 1024 * 1024;

function isContainer(value: object): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

/** Starts noting the values of one filter. */
export function startNoting(): void {
  suspect = false;
  chars = 0;
}

/** Notes a Raw filter: code wrote it, but it may carry anything. */
export function noteRaw(): void {
  suspect = true;
}

/** Notes a value that the filter will carry. */
export function noteValue(v: unknown): void {
  if (suspect) return;
  if (typeof v === 'string') chars += v.length;
  else if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      if (typeof item === 'string') chars += item.length;
      else if (typeof item === 'object' && item !== null && isContainer(item)) suspect = true;
    }
  } else if (typeof v === 'object' && v !== null && isContainer(v)) suspect = true;
  if (chars > WALK_ABOVE_CHARS) suspect = true;
}

/** {@link checkSendable} on the filter when a noted value calls for it. */
export function checkNoted(label: string, filter: Readonly<Record<string, unknown>>): void {
  if (suspect) checkSendable(label, filter);
}

/**
 * Refuses, with {@link ValidationError}, a compiled filter that BSON cannot
 * carry: a NUL in a key or a pattern, nesting past 100 levels, or more than
 * 16 MiB.
 *
 * @example
 * ```ts
 * checkSendable('Entry', { headline: 'x'.repeat(17 * 1024 * 1024) }); // throws ValidationError
 * ```
 */
export function checkSendable(label: string, filter: Readonly<Record<string, unknown>>): void {
  const walk: Walk = { label, bytes: 0 };
  visit(walk, filter, 0);
  if (walk.bytes > MAX_BSON_SIZE && mongoose.mongo.BSON.calculateObjectSize(filter) > MAX_BSON_SIZE) {
    refuse(walk, `the filter is larger than 16 MiB, MongoDB's limit for a document; give smaller values.`);
  }
}
