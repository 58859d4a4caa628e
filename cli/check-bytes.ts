// `check`'s fast path: whether a stored document, still as the BSON bytes the
// server sent, fits its schema exactly, answered without deserializing it.
// Almost every document of a healthy collection fits, and turning its bytes
// into objects only to find nothing costs more than the scan itself. The
// answer is conservative: true only when cli/drift.ts would find nothing in
// the document the driver would have built. Anything else (drift, a BSON
// type this module does not follow, bytes the driver would refuse) is false,
// and `check` deserializes that document and inspects it as before, so the
// report cannot change.
//
// Compiled once per shape level (core/schema-shape.ts) into tables of the
// keys' UTF-8 bytes and what each accepts, the reading of cli/drift.ts's
// SCALARS table in BSON element types. It assumes the driver's default
// deserialization (promoted values and longs, no BigInt, RegExp objects).
import { isUtf8 } from 'node:buffer';
import type { SchemaType } from 'mongoose';
import { embeddedSchemaOf } from '../core/mongoose-internals.js';
import type { FieldShape, ShapeLevel } from '../core/schema-shape.js';

// BSON element types (bsonspec.org).
const DOUBLE = 0x01;
const STRING = 0x02;
const OBJECT = 0x03;
const ARRAY = 0x04;
const BINARY = 0x05;
const OBJECT_ID = 0x07;
const BOOLEAN = 0x08;
const DATE = 0x09;
const NULL = 0x0a;
const INT32 = 0x10;
const TIMESTAMP = 0x11;
const INT64 = 0x12;
const DECIMAL = 0x13;

/** What a value must be: a set of element types, or a (sub)document's level. */
type Accept =
  | { readonly kind: 'any' }
  | { readonly kind: 'types'; readonly types: ReadonlySet<number>; readonly integralDouble: boolean }
  | { readonly kind: 'document'; readonly level: () => LevelCheck }
  | { readonly kind: 'array'; readonly item: Accept }
  | { readonly kind: 'map' }
  | { readonly kind: 'never' };

interface KeyCheck {
  readonly key: Uint8Array;
  readonly accept: Accept;
  /** Its index among the level's expected fields, or -1 for a key that may be absent. */
  readonly expected: number;
}

interface LevelCheck {
  readonly keys: readonly KeyCheck[];
  readonly expectedCount: number;
}

const ANY: Accept = { kind: 'any' };
const NEVER: Accept = { kind: 'never' };
const types = (list: number[], integralDouble = false): Accept => ({
  kind: 'types',
  types: new Set(list),
  integralDouble,
});

// cli/drift.ts's SCALARS, as element types under default promotion: int32
// and doubles read as numbers; an int64 as a number only within 2^53, so it
// is left to the slow path where the table's answer depends on its size.
const SCALAR_TYPES: Readonly<Record<string, Accept>> = {
  String: types([STRING]),
  Number: types([DOUBLE, INT32, INT64]),
  Double: types([DOUBLE, INT32]),
  Int32: types([INT32], true),
  BigInt: types([INT32, INT64], true),
  Decimal128: types([DECIMAL]),
  Boolean: types([BOOLEAN]),
  Date: types([DATE]),
  ObjectId: types([OBJECT_ID]),
  Buffer: types([BINARY]),
  UUID: types([BINARY]),
  Map: { kind: 'map' },
};

const levels = new WeakMap<ShapeLevel, LevelCheck>();
const encoder = new TextEncoder();

function levelCheck(level: ShapeLevel): LevelCheck {
  let check = levels.get(level);
  if (!check) levels.set(level, (check = compileLevel(level)));
  return check;
}

function compileLevel(level: ShapeLevel): LevelCheck {
  const keys: KeyCheck[] = level.fields.map((field) => ({
    key: encoder.encode(field.key),
    accept: acceptField(field),
    expected: level.expected.indexOf(field),
  }));
  for (const known of level.known) {
    if (!level.field(known)) keys.push({ key: encoder.encode(known), accept: ANY, expected: -1 });
  }
  return { keys, expectedCount: level.expected.length };
}

function acceptField(field: FieldShape): Accept {
  const child = field.child;
  if (field.kind === 'nested') return child ? { kind: 'document', level: () => levelCheck(child) } : NEVER;
  if (!field.schemaType) return ANY;
  if (field.kind === 'embeddedArray' || field.kind === 'scalarArray') {
    const item: Accept = child ? { kind: 'document', level: () => levelCheck(child) } : acceptScalar(field.element);
    return { kind: 'array', item };
  }
  if (child) return { kind: 'document', level: () => levelCheck(child) };
  return acceptScalar(field.schemaType);
}

function acceptScalar(type: SchemaType | undefined): Accept {
  if (!type) return ANY;
  // Arrays of arrays and arrays of documents without a shape: the slow path judges them.
  if (type.instance === 'Array' || embeddedSchemaOf(type)) return NEVER;
  return SCALAR_TYPES[type.instance] ?? ANY;
}

// Indexes past the end read undefined, which `|` and `<<` take as 0: every
// length read is then checked against the end anyway.
const byte = (bytes: Uint8Array, at: number): number => bytes[at] as number;
const int32At = (bytes: Uint8Array, at: number): number =>
  byte(bytes, at) | (byte(bytes, at + 1) << 8) | (byte(bytes, at + 2) << 16) | (byte(bytes, at + 3) << 24);

/** The end of the cstring starting at `at` (its NUL byte), or -1. */
function cstringEnd(bytes: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end; i++) if (bytes[i] === 0) return i;
  return -1;
}

/** Whether a BSON string's bytes are what the driver accepts (UTF-8, NUL-terminated). */
function validString(bytes: Uint8Array, at: number, end: number): boolean {
  const size = int32At(bytes, at);
  if (size <= 0 || at + 4 + size > end || bytes[at + 3 + size] !== 0) return false;
  for (let i = at + 4; i < at + 3 + size; i++) {
    if (byte(bytes, i) >= 0x80) return isUtf8(bytes.subarray(at + 4, at + 3 + size));
  }
  return true;
}

const FIXED_SIZES: Readonly<Record<number, number>> = {
  [DOUBLE]: 8,
  [OBJECT_ID]: 12,
  [DATE]: 8,
  [NULL]: 0,
  [INT32]: 4,
  [TIMESTAMP]: 8,
  [INT64]: 8,
  [DECIMAL]: 16,
};

/**
 * Where the value of type `type` at `at` ends, or -1 when the slow path must
 * read it: a type this module does not follow, or bytes the driver refuses.
 * Documents and arrays are walked, so that their strings are checked too.
 */
function skip(bytes: Uint8Array, type: number, at: number, end: number): number {
  const fixed = FIXED_SIZES[type];
  if (fixed !== undefined) return at + fixed <= end ? at + fixed : -1;
  switch (type) {
    case STRING:
      return validString(bytes, at, end) ? at + 4 + int32At(bytes, at) : -1;
    case BOOLEAN:
      return bytes[at] === 0 || bytes[at] === 1 ? at + 1 : -1;
    case BINARY: {
      // Subtype 2 carries a second length the driver checks: left to it.
      const size = int32At(bytes, at);
      return size >= 0 && bytes[at + 4] !== 2 && at + 5 + size <= end ? at + 5 + size : -1;
    }
    case OBJECT:
    case ARRAY:
      return eachValue(bytes, at, end, ANY, false);
    default:
      return -1;
  }
}

/** The index of the NUL that ends the document at `at`, or -1 when its length is wrong. */
function lastOf(bytes: Uint8Array, at: number, end: number): number {
  const size = int32At(bytes, at);
  const last = at + size - 1;
  return size < 5 || last >= end || bytes[last] !== 0 ? -1 : last;
}

/**
 * Where the document or array at `at` ends, each value fitting `accept`, or
 * -1. Its keys are not looked at, but for a leading `$` when `noDollar`.
 */
function eachValue(bytes: Uint8Array, at: number, end: number, accept: Accept, noDollar: boolean): number {
  const last = lastOf(bytes, at, end);
  let i = at + 4;
  while (i < last) {
    if (noDollar && bytes[i + 1] === 0x24) return -1;
    const keyEnd = cstringEnd(bytes, i + 1, last);
    if (keyEnd < 0) return -1;
    i = fitsValue(bytes, accept, byte(bytes, i), keyEnd + 1, last);
    if (i < 0) return -1;
  }
  return last >= 0 && i === last ? last + 1 : -1;
}

function keyAt(level: LevelCheck, bytes: Uint8Array, start: number, end: number): KeyCheck | undefined {
  const length = end - start;
  next: for (const check of level.keys) {
    const key = check.key;
    if (key.length !== length) continue;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== key[k]) continue next;
    return check;
  }
  return undefined;
}

function fitsValue(bytes: Uint8Array, accept: Accept, type: number, at: number, end: number): number {
  if (type === NULL) return at;
  switch (accept.kind) {
    case 'any':
      return skip(bytes, type, at, end);
    case 'types':
      if (accept.types.has(type)) return skip(bytes, type, at, end);
      if (accept.integralDouble && type === DOUBLE && at + 8 <= end) {
        const value = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getFloat64(0, true);
        return Number.isInteger(value) ? at + 8 : -1;
      }
      return -1;
    case 'document':
      return type === OBJECT ? fitsLevel(bytes, accept.level(), at, end) : -1;
    case 'array':
      return type === ARRAY ? eachValue(bytes, at, end, accept.item, false) : -1;
    case 'map':
      // A `$` key could make the driver build a DBRef, which is no object.
      return type === OBJECT ? eachValue(bytes, at, end, ANY, true) : -1;
    case 'never':
      return -1;
  }
}

function fitsLevel(bytes: Uint8Array, level: LevelCheck, at: number, end: number): number {
  const last = lastOf(bytes, at, end);
  // Which expected fields were seen: bits of a number, or bytes past 31 fields.
  let bits = 0;
  const many = level.expectedCount > 31 ? new Uint8Array(level.expectedCount) : undefined;
  let present = 0;
  let i = at + 4;
  while (i < last) {
    const keyEnd = cstringEnd(bytes, i + 1, last);
    const key = keyEnd < 0 ? undefined : keyAt(level, bytes, i + 1, keyEnd);
    if (!key) return -1; // a key the schema does not know
    const n = key.expected;
    if (n >= 0 && (many ? many[n] === 0 : (bits & (1 << n)) === 0)) {
      if (many) many[n] = 1;
      else bits |= 1 << n;
      present++;
    }
    i = fitsValue(bytes, key.accept, byte(bytes, i), keyEnd + 1, last);
    if (i < 0) return -1;
  }
  return last >= 0 && i === last && present === level.expectedCount ? last + 1 : -1;
}

/**
 * Whether a stored document's BSON bytes fit a schema level exactly, as
 * cli/drift.ts would judge the document the driver deserializes from them:
 * every expected field present, no unknown key, every value of its declared
 * type. False means "read it the slow way", not "it drifts".
 *
 * @example
 * ```ts
 * const bytes = mongoose.mongo.BSON.serialize({ _id: new ObjectId(), headline: 'x', rating: 5 });
 * bytesFit(shapeOf(entrySchema), bytes); // true
 * ```
 */
export function bytesFit(level: ShapeLevel, bytes: Uint8Array): boolean {
  return fitsLevel(bytes, levelCheck(level), 0, bytes.length) === bytes.length;
}
