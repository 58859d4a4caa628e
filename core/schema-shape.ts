// The one reading of a Mongoose schema. Resolution, casting, aggregates, the
// enforceSchema plan, `check`'s drift report, djongo's type codes and the
// field path finders are views over this shape; none of them walks the
// schema itself. Built on first use, kept in one WeakMap, and rebuilt when a
// plugin adds paths later (autoIncrement's `id`, a discriminator's `__t`,
// the version key at model compile) or declares the primary key.
import type { Schema } from 'mongoose';
import { buildShape, mapValueOf } from './schema-shape-build.js';
import type { Declared, FieldKind, FieldShape, SchemaShape, ShapeLevel } from './schema-shape-types.js';
import { familyOf, numberTypeOf, type NumberType, type TypeFamily } from './type-families.js';

// Re-exported by name, not `export … from`: the JSDoc example check follows
// `export … from` into modules whose examples need names the package does not export.
export type { Declared, FieldKind, FieldShape, SchemaShape, ShapeLevel };
export { familyOf, numberTypeOf, type NumberType, type TypeFamily };

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
  // A Map's value at a key, read from the schema the Map is a path of.
  let map: { field: FieldShape; schema: Schema } | undefined;
  for (const key of path.split('.')) {
    const field: FieldShape | undefined = map ? mapValue(map.schema, map.field, key) : at?.field(key);
    if (!field) break;
    found.push(field);
    const schema = map?.schema ?? at?.schema;
    map = field.kind === 'map' && schema ? { field, schema } : undefined;
    at = field.child;
  }
  return found;
}

/**
 * The field a Map field holds at one key (`collaborators.helpful` of a
 * `{ type: Map, of: [collaboratorSchema] }`): the Map's value type, named by
 * the key; `schema` is the schema the Map is a path of.
 *
 * @example
 * ```ts
 * mapValue(siteSchema, shapeOf(siteSchema).field('collaborators')!, 'helpful')?.kind; // 'embeddedArray'
 * ```
 */
export function mapValue(schema: Schema, map: FieldShape, key: string): FieldShape | undefined {
  return mapValueOf(schema, map, key, declaredOf);
}
