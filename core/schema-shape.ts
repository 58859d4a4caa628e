// The one reading of a Mongoose schema. Resolution, casting, aggregates, the
// enforceSchema plan, `check`'s drift report, djongo's type codes and the
// field path finders are views over this shape; none of them walks the
// schema itself. Built on first use, kept in one WeakMap, and rebuilt when a
// plugin adds paths later (autoIncrement's `id`, a discriminator's `__t`,
// the version key at model compile) or declares the primary key.
import type { Schema, SchemaType } from 'mongoose';
import type { Cast } from './schema-cast.js';
import { buildShape, familyOf, type TypeFamily } from './schema-shape-build.js';

/** What a field holds, as far as its schema says. */
export type FieldKind = 'scalar' | 'scalarArray' | 'embedded' | 'embeddedArray' | 'nested' | 'mixed' | 'map';

// The family table is the builder's; its names are part of the shape's vocabulary.
export { familyOf, type TypeFamily };

/** One field of a (sub)document. */
export interface FieldShape {
  /** The key inside its parent object. */
  readonly key: string;
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
  /** Whether Mongoose fills the field when it is missing (arrays and `_id` always). */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  /** The model a reference names (`ref`), on the field or on its elements. */
  readonly ref: unknown;
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

// The two facts plugins declare about a schema, and the shapes built from it.
const declared = new WeakMap<Schema, Declared>();
const shapes = new WeakMap<Schema, { readonly paths: number; readonly shape: SchemaShape }>();

/**
 * The shape of a schema: built on first use, then the same frozen object
 * until the schema gains paths or a declaration.
 *
 * @example
 * ```ts
 * const shape = shapeOf(new Schema({ headline: String, blog: blogSchema, tags: [String] }));
 * shape.field('blog')?.kind; // 'embedded'
 * shape.field('tags')?.kind; // 'scalarArray'
 * ```
 */
export function shapeOf(schema: Schema): SchemaShape {
  // A path count is how a later schema.add() shows; the schema offers no event.
  const paths = Object.keys(schema.paths).length;
  const cached = shapes.get(schema);
  if (cached && cached.paths === paths) return cached.shape;
  const shape = buildShape(schema, '', declaredOf);
  shapes.set(schema, { paths, shape });
  return shape;
}

/**
 * The primary key and auto field declared for a schema (none: `{}`).
 *
 * @example
 * ```ts
 * declaredOf(entrySchema); // { primaryKey: 'id', autoField: 'id' } once autoIncrement ran
 * ```
 */
export function declaredOf(schema: Schema): Declared {
  return declared.get(schema) ?? {};
}

function declare(schema: Schema, facts: Declared): void {
  declared.set(schema, { ...declared.get(schema), ...facts });
  shapes.delete(schema);
}

/**
 * Makes `pk` resolve to another field of the schema (the autoIncrement
 * plugin's `id`).
 *
 * @example
 * ```ts
 * setPrimaryKey(entrySchema, 'id');
 * primaryKeyOf(entrySchema); // 'id'
 * ```
 */
export function setPrimaryKey(schema: Schema, path: string): void {
  declare(schema, { primaryKey: path });
}

/**
 * The path `pk` stands for in this schema: `_id`, or what {@link setPrimaryKey} registered.
 *
 * @example
 * ```ts
 * primaryKeyOf(entrySchema); // 'id' once entrySchema.plugin(autoIncrement) ran, else '_id'
 * ```
 */
export function primaryKeyOf(schema: Schema): string {
  return declared.get(schema)?.primaryKey ?? '_id';
}

/**
 * Records that `field` is the schema's auto-increment field, so that
 * djongo's type codes give it AutoField's `int`. The autoIncrement plugin calls it.
 *
 * @example
 * ```ts
 * registerAutoField(entrySchema, 'id');
 * autoFieldOf(entrySchema); // 'id'
 * ```
 */
export function registerAutoField(schema: Schema, field: string): void {
  declare(schema, { autoField: field });
}

/**
 * The schema's auto-increment field, or undefined when it has none.
 *
 * @example
 * ```ts
 * entrySchema.plugin(autoIncrement);
 * autoFieldOf(entrySchema); // 'id'
 * ```
 */
export function autoFieldOf(schema: Schema): string | undefined {
  return declared.get(schema)?.autoField;
}

/**
 * The level of a nested object inside `level` (`meta.` or `meta.deep.`), or
 * undefined when the prefix names none.
 *
 * @example
 * ```ts
 * nestedLevel(shapeOf(entrySchema), 'meta.')?.fields.map((f) => f.key); // ['source']
 * ```
 */
export function nestedLevel(level: ShapeLevel, prefix: string): ShapeLevel | undefined {
  let found: ShapeLevel | undefined = level;
  for (const key of prefix.split('.')) {
    if (key === '') continue;
    const field: FieldShape | undefined = found?.field(key);
    found = field?.kind === 'nested' ? field.child : undefined;
  }
  return found;
}

/**
 * The fields a dotted path (`comments.author`, `meta.source`) goes through,
 * from `level` down: fewer than its parts when it enters a JSON value, a
 * scalar or a name the schema lacks.
 *
 * @example
 * ```ts
 * fieldsAlong(shapeOf(entrySchema), 'comments.author').map((f) => f.kind); // ['embeddedArray', 'scalar']
 * ```
 */
export function fieldsAlong(level: ShapeLevel, path: string): FieldShape[] {
  const found: FieldShape[] = [];
  let at: ShapeLevel | undefined = level;
  for (const key of path.split('.')) {
    const field: FieldShape | undefined = at?.field(key);
    if (!field) break;
    found.push(field);
    at = field.child;
  }
  return found;
}
