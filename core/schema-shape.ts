// The one reading of a Mongoose schema. Resolution, casting, aggregates, the
// enforceSchema plan, `check`'s drift report, djongo's type codes and the
// field path finders are views over this shape; none of them walks the
// schema itself. Built on first use, kept in one WeakMap, and rebuilt when a
// plugin adds paths later (autoIncrement's `id`, a discriminator's `__t`,
// the version key at model compile) or declares the primary key.
import type { Schema, SchemaType } from 'mongoose';
import { castOf, type Cast } from './schema-cast.js';
import { arrayElementOf, defaultOf, discriminatorValueOf, embeddedSchemaOf } from './mongoose-internals.js';

/** What a field holds, as far as its schema says. */
export type FieldKind = 'scalar' | 'scalarArray' | 'embedded' | 'embeddedArray' | 'nested' | 'mixed' | 'map';

/** A family of Mongoose types that share lookups (`registerLookup('Numeric', …)`). */
export type TypeFamily = 'Numeric';

// The one table of families: a SchemaType `instance` not listed has none.
const FAMILY_OF: Readonly<Record<string, TypeFamily>> = Object.freeze({
  Number: 'Numeric',
  Int32: 'Numeric',
  Double: 'Numeric',
  Decimal128: 'Numeric',
  BigInt: 'Numeric',
});

/**
 * The type family of a Mongoose instance name, or undefined.
 *
 * @example
 * ```ts
 * familyOf('Int32'); // 'Numeric'
 * familyOf('String'); // undefined
 * ```
 */
export function familyOf(instance: string | undefined): TypeFamily | undefined {
  return instance !== undefined && Object.hasOwn(FAMILY_OF, instance) ? FAMILY_OF[instance] : undefined;
}

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

interface Declared {
  primaryKey?: string;
  autoField?: string;
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
  const shape = buildShape(schema, '');
  shapes.set(schema, { paths, shape });
  return shape;
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

interface Node {
  type: SchemaType | undefined;
  readonly children: Map<string, Node>;
}

function stringOption(schema: Schema, name: 'versionKey' | 'discriminatorKey'): string | undefined {
  const value: unknown = schema.get(name);
  return typeof value === 'string' ? value : undefined;
}

function buildShape(schema: Schema, at: string): SchemaShape {
  // Dotted paths of nested objects (`meta.source`) become a tree, so that
  // `meta` is a field of its own with a level of its own.
  const root: Node = { type: undefined, children: new Map() };
  for (const [pathname, type] of Object.entries(schema.paths)) {
    // A map's value type (`m.$*`) is the map field's element, not a field.
    if (pathname.endsWith('.$*')) continue;
    let node = root;
    for (const part of pathname.split('.')) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { type: undefined, children: new Map() }));
      node = next;
    }
    node.type = type;
  }
  const versionKey = stringOption(schema, 'versionKey');
  const discriminatorKey = stringOption(schema, 'discriminatorKey');
  const knownKeys = Object.freeze([...new Set(['_id', versionKey, discriminatorKey].filter((k) => k !== undefined))]);
  const level = buildLevel(schema, root, '', at, knownKeys);
  const facts = declared.get(schema);
  return Object.freeze({
    ...level,
    field: level.field,
    knownKeys,
    versionKey,
    discriminatorKey,
    discriminatorValue: discriminatorValueOf(schema),
    primaryKey: facts?.primaryKey ?? '_id',
    autoField: facts?.autoField,
  });
}

function buildLevel(schema: Schema, node: Node, prefix: string, at: string, knownKeys: readonly string[]): ShapeLevel {
  const byKey = new Map<string, FieldShape>();
  for (const [key, child] of node.children) {
    const path = at === '' ? key : `${at}.${key}`;
    byKey.set(key, child.type ? fieldOf(schema, key, path, child.type) : nestedField(schema, key, path, prefix, child));
  }
  const fields = Object.freeze([...byKey.values()]);
  return Object.freeze({
    schema,
    prefix,
    fields,
    expected: Object.freeze(fields.filter((f) => !knownKeys.includes(f.key))),
    known: new Set([...knownKeys, ...byKey.keys()]) as ReadonlySet<string>,
    field: (key: string) => byKey.get(key),
  });
}

function nestedField(schema: Schema, key: string, path: string, prefix: string, node: Node): FieldShape {
  return Object.freeze({
    key,
    path,
    kind: 'nested',
    schemaType: undefined,
    instance: undefined,
    element: undefined,
    family: undefined,
    hasDefault: false,
    defaultValue: undefined,
    ref: undefined,
    json: false,
    file: false,
    cast: castOf(undefined),
    child: buildLevel(schema, node, `${prefix}${key}.`, path, []),
  });
}

function kindOf(type: SchemaType, embedded: boolean | undefined): FieldKind {
  if (embedded !== undefined) return embedded ? 'embeddedArray' : 'embedded';
  if (type.instance === 'Array') return 'scalarArray';
  if (type.instance === 'Mixed') return 'mixed';
  if (type.instance === 'Map') return 'map';
  return 'scalar';
}

function fieldOf(schema: Schema, key: string, path: string, type: SchemaType): FieldShape {
  const embedded = embeddedSchemaOf(type);
  const kind = kindOf(type, embedded?.array);
  // A map's value type is public as the `<map>.$*` path.
  const element = kind === 'map' ? (schema.path(`${type.path}.$*`) as SchemaType | undefined) : arrayElementOf(type);
  const options = (type.options ?? {}) as { ref?: unknown; json?: unknown };
  const { has, value } = defaultOf(type);
  const field: Omit<FieldShape, 'child'> = {
    key,
    path,
    kind,
    schemaType: type,
    instance: type.instance,
    element,
    family: familyOf(type.instance),
    hasDefault: has,
    defaultValue: value,
    ref: options.ref ?? (element?.options as { ref?: unknown } | undefined)?.ref,
    json: kind === 'mixed' && options.json === true,
    // FileField's mark: its storage method (core cannot import storage/ to ask instanceof).
    file: typeof (type as SchemaType & { generateFilename?: unknown }).generateFilename === 'function',
    cast: castOf(type),
  };
  if (!embedded) return Object.freeze({ ...field, child: undefined });
  // Built when first read: an embedded schema may hold itself (a tree of comments).
  let child: SchemaShape | undefined;
  return Object.freeze(
    Object.defineProperty({ ...field } as FieldShape, 'child', {
      enumerable: true,
      get: () => (child ??= buildShape(embedded.schema, path)),
    }),
  );
}
