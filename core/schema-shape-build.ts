// How core/schema-shape.ts reads a schema: the paths Mongoose lists become a
// tree (nested objects are dotted paths there), and each path a frozen field.
import type { Schema, SchemaType } from 'mongoose';
import { castOf } from './schema-cast.js';
import { arrayElementOf, defaultOf, discriminatorValueOf, embeddedSchemaOf } from './mongoose-internals.js';
import type { Declared, FieldKind, FieldShape, SchemaShape, ShapeLevel } from './schema-shape-types.js';
import { familyOf, numberTypeOf } from './type-families.js';

/** The declarations of a schema, as core/schema-shape.ts keeps them. */
type DeclaredOf = (schema: Schema) => Declared;

interface Node {
  type: SchemaType | undefined;
  readonly children: Map<string, Node>;
}

function stringOption(schema: Schema, name: 'versionKey' | 'discriminatorKey'): string | undefined {
  const value: unknown = schema.get(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a schema into its shape; `at` is where the schema sits in the root
 * document (`comments` for an embedded schema), for the fields' paths.
 *
 * @example
 * ```ts
 * buildShape(entrySchema, '', declaredOf).field('blog')?.kind; // 'embedded'
 * ```
 */
export function buildShape(schema: Schema, at: string, declaredOf: DeclaredOf): SchemaShape {
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
  const level = buildLevel(schema, root, '', at, knownKeys, declaredOf);
  const facts = declaredOf(schema);
  return Object.freeze({
    ...level,
    field: level.field,
    named: level.named,
    knownKeys,
    versionKey,
    discriminatorKey,
    discriminatorValue: discriminatorValueOf(schema),
    primaryKey: facts?.primaryKey ?? '_id',
    autoField: facts?.autoField,
  });
}

function buildLevel(
  schema: Schema,
  node: Node,
  prefix: string,
  at: string,
  knownKeys: readonly string[],
  declaredOf: DeclaredOf,
): ShapeLevel {
  const byKey = new Map<string, FieldShape>();
  for (const [key, child] of node.children) {
    const path = at === '' ? key : `${at}.${key}`;
    byKey.set(
      key,
      child.type
        ? fieldOf(schema, key, path, child.type, declaredOf)
        : nestedField(schema, key, path, prefix, child, declaredOf),
    );
  }
  const fields = Object.freeze([...byKey.values()]);
  // Stored names first: Mongoose refuses an alias that is a path, but a nested object's is not one.
  const byName = new Map<string, FieldShape>();
  for (const field of fields) for (const alias of field.aliases) if (!byKey.has(alias)) byName.set(alias, field);
  return Object.freeze({
    schema,
    prefix,
    fields,
    expected: Object.freeze(fields.filter((f) => !knownKeys.includes(f.key))),
    known: new Set([...knownKeys, ...byKey.keys()]) as ReadonlySet<string>,
    field: (key: string) => byKey.get(key),
    named: (name: string) => byKey.get(name) ?? byName.get(name),
  });
}

function nestedField(
  schema: Schema,
  key: string,
  path: string,
  prefix: string,
  node: Node,
  declaredOf: DeclaredOf,
): FieldShape {
  return Object.freeze({
    key,
    aliases: Object.freeze([]),
    path,
    kind: 'nested',
    schemaType: undefined,
    instance: undefined,
    element: undefined,
    family: undefined,
    numberType: undefined,
    hasDefault: false,
    defaultValue: undefined,
    ref: undefined,
    toField: undefined,
    json: false,
    file: false,
    cast: castOf(undefined),
    child: buildLevel(schema, node, `${prefix}${key}.`, path, [], declaredOf),
  });
}

function kindOf(type: SchemaType, embedded: boolean | undefined): FieldKind {
  if (embedded !== undefined) return embedded ? 'embeddedArray' : 'embedded';
  if (type.instance === 'Array') return 'scalarArray';
  if (type.instance === 'Mixed') return 'mixed';
  if (type.instance === 'Map') return 'map';
  return 'scalar';
}

/**
 * The `alias` option's names (one or a list; Mongoose refuses other values).
 * An alias with a dot names a path elsewhere in the document: not a name at
 * this level.
 */
function aliasesOf(alias: unknown): readonly string[] {
  const names = Array.isArray(alias) ? (alias as unknown[]) : [alias];
  return Object.freeze(names.filter((a): a is string => typeof a === 'string' && a !== '' && !a.includes('.')));
}

/** A reference's `toField` option: a field name, or nothing (its `_id`). */
function toFieldOf(options: unknown): string | undefined {
  const toField = (options as { toField?: unknown } | undefined)?.toField;
  return typeof toField === 'string' && toField !== '' && toField !== '_id' ? toField : undefined;
}

function fieldOf(schema: Schema, key: string, path: string, type: SchemaType, declaredOf: DeclaredOf): FieldShape {
  const embedded = embeddedSchemaOf(type);
  const kind = kindOf(type, embedded?.array);
  // A map's value type is public as the `<map>.$*` path.
  const element = kind === 'map' ? (schema.path(`${type.path}.$*`) as SchemaType | undefined) : arrayElementOf(type);
  const options = (type.options ?? {}) as { ref?: unknown; json?: unknown; alias?: unknown };
  const { has, value } = defaultOf(type);
  const field: Omit<FieldShape, 'child'> = {
    key,
    aliases: aliasesOf(options.alias),
    path,
    kind,
    schemaType: type,
    instance: type.instance,
    element,
    family: familyOf(type.instance),
    numberType: numberTypeOf(type.instance),
    hasDefault: has,
    defaultValue: value,
    ref: options.ref ?? (element?.options as { ref?: unknown } | undefined)?.ref,
    toField: toFieldOf(options.ref === undefined ? element?.options : options),
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
      get: () => (child ??= buildShape(embedded.schema, path, declaredOf)),
    }),
  );
}

/**
 * The field a Map holds at one of its keys: its value type (`<map>.$*`) read
 * as a field named by the key, at `<map path>.<key>`. A Map's keys are the
 * user's, so this is built when asked, never listed among the level's fields.
 *
 * @example
 * ```ts
 * mapValueOf(siteSchema, shapeOf(siteSchema).field('collaborators')!, 'helpful', declaredOf)?.kind; // 'embeddedArray'
 * ```
 */
export function mapValueOf(
  schema: Schema,
  map: FieldShape,
  key: string,
  declaredOf: DeclaredOf,
): FieldShape | undefined {
  if (map.kind !== 'map' || map.element === undefined) return undefined;
  return fieldOf(schema, key, `${map.path}.${key}`, map.element, declaredOf);
}
