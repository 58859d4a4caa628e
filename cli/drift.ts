// What one stored document has that its schema does not expect, and the
// other way round. Pure: `check` feeds it documents from a cursor. A value's
// type is judged as stored (BSON as the driver hands it back), not as Mongoose
// would cast it: a "5" in a Number field is drift even though it casts.
// A view of the schema's shape (core/schema-shape.ts): its known keys are
// the ones ENFORCE_SCHEMA's strict reads accept, so the two agree.
import type { Schema, SchemaType } from 'mongoose';
import { arrayElementOf, embeddedSchemaOf } from '../core/mongoose-internals.js';
import { shapeOf, type FieldShape, type ShapeLevel } from '../core/schema-shape.js';

/** One value whose stored type is not the one its schema path declares. */
export interface WrongType {
  /** Dotted path; array elements share their array's path. */
  readonly path: string;
  /** The declared type, e.g. `string`, `array of number`. */
  readonly expected: string;
  /** The stored value's type, e.g. `number`, `objectId`. */
  readonly found: string;
}

/** The drift of one document against its schema; all empty when it fits. */
export interface DocumentDrift {
  /** Schema fields absent from the document (at every level that is present). */
  readonly missing: readonly string[];
  /** Stored fields the schema does not declare. */
  readonly unknown: readonly string[];
  readonly wrongType: readonly WrongType[];
}

/**
 * The type name of a stored value, as `check` reports it: `string`, `number`,
 * `boolean`, `date`, `null`, `array`, `object`, or a BSON type (`objectId`,
 * `binData`, `decimal`, `long`, …).
 *
 * @example
 * ```ts
 * storedType(new mongoose.Types.ObjectId()); // 'objectId'
 * storedType('5'); // 'string'
 * ```
 */
export function storedType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (typeof value === 'object') {
    const bsontype = (value as { _bsontype?: unknown })._bsontype;
    if (typeof bsontype === 'string') return BSON_NAMES[bsontype] ?? bsontype.toLowerCase();
    if (value instanceof Uint8Array) return 'binData';
    return 'object';
  }
  return typeof value;
}

const BSON_NAMES: Readonly<Record<string, string>> = {
  ObjectId: 'objectId',
  ObjectID: 'objectId',
  Binary: 'binData',
  Decimal128: 'decimal',
  Long: 'long',
  Int32: 'int',
  Double: 'double',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  Code: 'javascript',
};

const isInteger = (v: unknown): boolean => Number.isInteger(v) || ['long', 'int'].includes(storedType(v));
const isBinary = (v: unknown): boolean => storedType(v) === 'binData';

// A data table rather than an if-chain: the declared instance, its name in
// reports, and which stored values fit it. Instances not listed accept anything.
const SCALARS: Readonly<Record<string, { readonly name: string; readonly fits: (v: unknown) => boolean }>> = {
  String: { name: 'string', fits: (v) => typeof v === 'string' },
  Number: { name: 'number', fits: (v) => ['number', 'int', 'long', 'double'].includes(storedType(v)) },
  Double: { name: 'double', fits: (v) => ['number', 'double'].includes(storedType(v)) },
  Int32: { name: 'int', fits: (v) => isInteger(v) && storedType(v) !== 'long' },
  BigInt: { name: 'long', fits: isInteger },
  Decimal128: { name: 'decimal', fits: (v) => storedType(v) === 'decimal' },
  Boolean: { name: 'boolean', fits: (v) => typeof v === 'boolean' },
  Date: { name: 'date', fits: (v) => v instanceof Date },
  ObjectId: { name: 'objectId', fits: (v) => storedType(v) === 'objectId' },
  Buffer: { name: 'binData', fits: isBinary },
  UUID: { name: 'uuid', fits: isBinary },
  Map: { name: 'object', fits: (v) => storedType(v) === 'object' },
};

const isDocument = (v: unknown): v is Record<string, unknown> => storedType(v) === 'object';

interface Collector {
  readonly missing: string[];
  readonly unknown: string[];
  readonly wrongType: WrongType[];
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

function inspectLevel(level: ShapeLevel, doc: Record<string, unknown>, reportAs: string, out: Collector): void {
  // The known keys (`_id`, the version and discriminator keys) are bookkeeping
  // a document need not have: the same plan ENFORCE_SCHEMA reads with.
  for (const field of level.expected) {
    if (!(field.key in doc)) out.missing.push(join(reportAs, field.key));
  }
  for (const [key, value] of Object.entries(doc)) {
    const field = level.field(key);
    if (field?.kind === 'nested') {
      if (isDocument(value)) inspectLevel(field.child as ShapeLevel, value, join(reportAs, key), out);
      else if (value !== null)
        out.wrongType.push({ path: join(reportAs, key), expected: 'object', found: storedType(value) });
    } else if (field) inspectValue(field, value, join(reportAs, key), out);
    else if (!level.known.has(key)) out.unknown.push(join(reportAs, key));
  }
}

/** The declared type, as `check` reports it: `string`, `array of number`, `object`. */
function describeExpected(type: SchemaType | undefined): string {
  if (!type) return 'any';
  if (type.instance === 'Array') {
    const element = arrayElementOf(type);
    return embeddedSchemaOf(type) ? 'array of object' : `array of ${describeExpected(element)}`;
  }
  if (embeddedSchemaOf(type)) return 'object';
  return SCALARS[type.instance]?.name ?? type.instance.toLowerCase();
}

/** Whether a value fits a non-document type (scalars and arrays of them). */
function fits(type: SchemaType | undefined, value: unknown): boolean {
  if (!type || value === null || value === undefined) return true;
  if (type.instance === 'Array') return Array.isArray(value) && value.every((item) => fits(arrayElementOf(type), item));
  if (embeddedSchemaOf(type)) return isDocument(value);
  return SCALARS[type.instance]?.fits(value) ?? true;
}

function inspectValue(field: FieldShape, value: unknown, path: string, out: Collector): void {
  const type = field.schemaType;
  if (!type || value === null || value === undefined) return;
  const wrong = (found: string): void => void out.wrongType.push({ path, expected: describeExpected(type), found });
  const child = field.child as ShapeLevel | undefined;

  if (field.kind === 'embeddedArray' || field.kind === 'scalarArray') {
    if (!Array.isArray(value)) return wrong(storedType(value));
    for (const item of value) {
      if (child && isDocument(item)) inspectLevel(child, item, path, out);
      else if (child ? item !== null : !fits(field.element, item)) return wrong(`array containing ${storedType(item)}`);
    }
    return;
  }
  if (child) {
    if (!isDocument(value)) return wrong(storedType(value));
    return inspectLevel(child, value, path, out);
  }
  if (!fits(type, value)) wrong(storedType(value));
}

/**
 * Compares one stored document with its model's schema: fields it lacks,
 * fields the schema does not declare, and values of the wrong stored type.
 * Embedded documents and arrays of them are compared too, with dotted paths.
 *
 * @example
 * ```ts
 * const schema = new Schema({ headline: String, rating: Number });
 * inspectDocument(schema, { _id: 1, rating: '5', extra: true });
 * // { missing: ['headline'], unknown: ['extra'], wrongType: [{ path: 'rating', expected: 'number', found: 'string' }] }
 * ```
 */
export function inspectDocument(schema: Schema, doc: Readonly<Record<string, unknown>>): DocumentDrift {
  const out: Collector = { missing: [], unknown: [], wrongType: [] };
  inspectLevel(shapeOf(schema), doc, '', out);
  return out;
}
