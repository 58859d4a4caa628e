// The vocabulary of a schema's shape (core/schema-shape.ts): what it says of
// each field and of each level. Types only, so the shape and its builder both
// import them from here.
import type { Schema, SchemaType } from 'mongoose';
import type { Cast } from './schema-cast.js';
import type { NumberType, TypeFamily } from './type-families.js';

/** What a field holds, as far as its schema says. */
export type FieldKind = 'scalar' | 'scalarArray' | 'embedded' | 'embeddedArray' | 'nested' | 'mixed' | 'map';

/** One field of a (sub)document. */
export interface FieldShape {
  /** The key inside its parent object: the name stored. */
  readonly key: string;
  /**
   * Other names code may use for it: Mongoose's `alias` option (MongoEngine's
   * `db_field` the other way round), `name` for `{ n: { type: String, alias: 'name' } }`.
   */
  readonly aliases: readonly string[];
  /** The dotted path from the shape's root document, without array indices (`comments.author`). */
  readonly path: string;
  readonly kind: FieldKind;
  /** The Mongoose schema type; undefined for a nested object. */
  readonly schemaType: SchemaType | undefined;
  /** Mongoose's instance name (`String`, `Array`, `Embedded`, …); undefined for a nested object. */
  readonly instance: string | undefined;
  /** The element type of an array, the value type of a map. */
  readonly element: SchemaType | undefined;
  /** The family of `instance`, for lookups. */
  readonly family: TypeFamily | undefined;
  /**
   * The numbers the field holds (`int32` for Int32, `int64` for BigInt,
   * `double` for Number and Double, `decimal`); undefined for other types.
   * Two integers divide as integers in F() arithmetic, as in SQL.
   */
  readonly numberType: NumberType | undefined;
  /** Whether Mongoose fills the field when it is missing (arrays and `_id` always). */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  /** The model a reference names (`ref`), on the field or on its elements. */
  readonly ref: unknown;
  /**
   * The field of the referenced model a reference stores (Django's
   * `to_field`), from the `toField` option beside `ref`; undefined: its `_id`.
   */
  readonly toField: string | undefined;
  /** A JSONField (`JSONField()` marks its Mixed with `json: true`). */
  readonly json: boolean;
  /** A FileField or ImageField path. */
  readonly file: boolean;
  /** Casts a filter value: to the type, or to the element type of an array. */
  readonly cast: Cast;
  /** The embedded document's shape (kinds embedded and embeddedArray), or the nested object's level. */
  readonly child: ShapeLevel | undefined;
}

/** The fields of one object: a document, an embedded document or a nested object. */
export interface ShapeLevel {
  /** The schema the fields are read from (a nested object's is its document's). */
  readonly schema: Schema;
  /** Where this level sits in `schema`: '' or a nested object's `meta.`. */
  readonly prefix: string;
  /** Every declared field, in declaration order. */
  readonly fields: readonly FieldShape[];
  /** The fields a stored document must have: all but the known keys. */
  readonly expected: readonly FieldShape[];
  /** Every key an object at this level may hold: its fields and the known keys. */
  readonly known: ReadonlySet<string>;
  /** The field of that key, or undefined. */
  field(key: string): FieldShape | undefined;
  /** The field of that key or alias, or undefined: what code may name (filters, ordering, updates). */
  named(name: string): FieldShape | undefined;
}

/** The shape of a (sub)document schema. */
export interface SchemaShape extends ShapeLevel {
  /** `_id`, the version key and the discriminator key: bookkeeping a document need not have. */
  readonly knownKeys: readonly string[];
  readonly versionKey: string | undefined;
  readonly discriminatorKey: string | undefined;
  /** What a discriminator schema's documents store under the discriminator key. */
  readonly discriminatorValue: unknown;
  /** The path `pk` stands for: `_id`, or what {@link setPrimaryKey} declared. */
  readonly primaryKey: string;
  /** The autoIncrement field, when there is one. */
  readonly autoField: string | undefined;
}

/** What plugins declare about a schema. */
export interface Declared {
  readonly primaryKey?: string;
  readonly autoField?: string;
}
