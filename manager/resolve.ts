// Key resolution, Django's solve_lookup_type: `blog__name__startswith` splits
// on `__` and walks the schema (embedded documents, arrays of them, nested
// objects, Mixed/JSON fields). What is left after the field is the lookup
// chain; none means `exact`. A view over the schema's shape (core/schema-shape.ts);
// results are cached per shape, since the same keys come back on every request.
import type { Schema, SchemaType } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { BoundedCache } from '../core/bounded-cache.js';
import { didYouMean } from '../core/closest.js';
import {
  mapValue,
  nestedLevel,
  shapeOf,
  type FieldShape,
  type SchemaShape,
  type ShapeLevel,
} from '../core/schema-shape.js';
import { isLookupName, lookupNamesFor, lookupRegistryVersion } from './lookups.js';
import { crossesReference } from './relations-errors.js';
import { unsafeKey } from './storable.js';

// The primary key is declared once, in the shape module; these names stay for callers.
export { primaryKeyOf, setPrimaryKey } from '../core/schema-shape.js';

/** A key resolved against a schema. */
export interface ResolvedKey {
  /** Dotted MongoDB path: `blog.name`. */
  readonly path: string;
  /** `Entry.blog.name`, for messages. */
  readonly label: string;
  /** The field's schema type; undefined inside Mixed/JSON values. */
  readonly schemaType: SchemaType | undefined;
  /** The embedded schema when the field is a subdocument or an array of them. */
  readonly embedded: Schema | undefined;
  /** The field's shape (for a key inside a JSON value, the JSON field's); undefined for a nested object. */
  readonly field: FieldShape | undefined;
  /** Lookup names after the field, possibly empty. */
  readonly lookups: readonly string[];
}

// A resolution depends on the lookup registry (under a JSON field, `x__ne_ci`
// is a path until `ne_ci` is registered), so the whole cache goes when the
// registry changes: registrations happen at start-up, not per request.
let cache = new WeakMap<SchemaShape, Map<string, BoundedCache<string, ResolvedKey>>>();
let cacheVersion = lookupRegistryVersion();

// Keys under a Mixed/JSON field are the user's to choose: bounded, and a long
// key (no model's field path is that long) is resolved each time, not kept.
const MAX_CACHED_KEY = 256;
const keyCacheLimits = {
  maxEntries: 2000,
  maxBytes: 2 * 1024 * 1024,
  // The key, and the path and label built from it, at 2 bytes a character.
  sizeOf: (key: string, resolved: ResolvedKey) => 2 * (key.length + resolved.path.length + resolved.label.length) + 200,
};

/** The field names at one level of a schema, for "Choices are: …". */
export function fieldChoices(schema: Schema, prefix: string, isRoot: boolean): string[] {
  const shape = shapeOf(schema);
  const level = nestedLevel(shape, prefix);
  return level ? choicesAt(level, isRoot && prefix === '' ? shape : undefined) : [];
}

/**
 * An array position in a key (`tags__0`, `comments__1__author`): digits only,
 * and only right after an array field, where MongoDB's `tags.0` means the element.
 */
function isPosition(part: string | undefined): boolean {
  return part !== undefined && /^(?:0|[1-9]\d{0,8})$/.test(part);
}

/**
 * Whether `part` names what a reference stores of its target, as Django's
 * `ceo__pk` names the foreign key's own column: the `toField` where the
 * reference declares one, else the target's key (`pk`, `id`, `_id`, which
 * Mongoose's populate matches the stored value against).
 */
function storedKeyName(field: FieldShape, part: string | undefined): boolean {
  if (part === undefined) return false;
  return field.toField !== undefined ? part === field.toField : part === 'pk' || part === 'id' || part === '_id';
}

/** Whether the part at `at` names a Map's key: there is one, and the rest is not a lookup chain on the Map. */
function isMapKey(parts: readonly string[], at: number, map: SchemaType | undefined): boolean {
  const rest = parts.slice(at);
  if (rest.length === 0) return false;
  return !(isLookupName(rest[0] as string, map) && rest.slice(1).every((p) => isLookupName(p)));
}

/** A Map key, or a FieldError when MongoDB would not read it as one key. */
function mapKey(modelName: string, mapPath: readonly string[], key: string): string {
  const unsafe = unsafeKey(key);
  if (unsafe === undefined) return key;
  throw new FieldError(
    `Invalid key ${JSON.stringify(key)} of the Map field ${modelName}.${mapPath.join('.')}: it ${unsafe}. ` +
      'A Map key is a name without "$" at its start, ".", or NUL.',
  );
}

/** The field names of a level, and their aliases; with the root shape, `pk` too. */
function choicesAt(level: ShapeLevel, root: SchemaShape | undefined): string[] {
  const names = level.fields.flatMap((f) => [f.key, ...f.aliases]).filter((name) => !name.includes('$'));
  if (root) names.push('pk');
  return names.filter((name) => name !== '__v' && name !== root?.versionKey).sort();
}

function resolveUncached(shape: SchemaShape, modelName: string, key: string): ResolvedKey {
  const parts = key.split('__');
  if (parts.some((p) => p === '')) {
    throw new FieldError(`Invalid filter key ${JSON.stringify(key)} on ${modelName}: empty part between "__".`);
  }
  // BSON writes keys as C strings, which end at a NUL: a path through a JSON field could not be sent.
  if (key.includes('\0')) {
    throw new FieldError(`Invalid filter key ${JSON.stringify(key)} on ${modelName}: a key holds no NUL character.`);
  }
  let level: ShapeLevel = shape;
  const pathParts: string[] = [];
  let field: FieldShape | undefined;
  let embedded: Schema | undefined;
  let freeform = false;
  // The element type after an array position (`tags__0`), which lookups then apply to.
  let element: SchemaType | undefined;
  let i = 0;

  for (; i < parts.length; i++) {
    let name = parts[i] ?? '';
    if (freeform) {
      // Inside a JSON value any key is a path, unless the rest is a lookup chain.
      if (pathParts.length > 0 && parts.slice(i).every((p) => isLookupName(p))) break;
      pathParts.push(name);
      continue;
    }
    if (i === 0 && name === 'pk') name = shape.primaryKey;
    if (i === 0 && name === 'id' && !shape.named('id')) name = '_id';
    // A Mongoose alias resolves to the name stored (core/schema-shape.ts).
    let found = level.named(name);
    // A Map's keys are the user's: `collaborators__helpful__user` goes on into
    // the value at "helpful"; `scores__gt` is a lookup on the Map itself.
    while (found?.kind === 'map' && isMapKey(parts, i + 1, found.schemaType)) {
      pathParts.push(found.key);
      found = mapValue(level.schema, found, mapKey(modelName, pathParts, parts[++i] as string));
    }
    if (found) {
      pathParts.push(found.key);
      if (found.kind === 'nested') {
        level = found.child as ShapeLevel;
        field = undefined;
        continue;
      }
      field = found;
      if (found.kind === 'embedded' || found.kind === 'embeddedArray') {
        level = found.child as ShapeLevel;
        embedded = level.schema;
        if (found.kind === 'embeddedArray' && isPosition(parts[i + 1])) pathParts.push(parts[++i] as string);
        continue;
      }
      embedded = undefined;
      if (found.kind === 'mixed') freeform = true;
      else {
        i++;
        if (found.kind === 'scalarArray' && isPosition(parts[i])) {
          // `tags__0`: one element, so the lookups after it are the element type's.
          pathParts.push(parts[i++] as string);
          element = found.element;
          if (element?.instance === 'Mixed') freeform = true;
          else break;
          continue;
        }
        // `author__pk`: the referenced document's key, which the reference holds itself (no crossing).
        if (found.ref !== undefined && storedKeyName(found, parts[i])) i++;
        break;
      }
      continue;
    }
    if (pathParts.length > 0 && embedded && isLookupName(name)) break;
    const choices = choicesAt(level, level === shape ? shape : undefined);
    const where = pathParts.length > 0 ? `${modelName}.${pathParts.join('.')}` : modelName;
    throw new FieldError(
      `Cannot resolve keyword ${JSON.stringify(parts[i])} into field of ${where}. Choices are: ${choices.join(', ')}.` +
        didYouMean(name, choices),
    );
  }

  const lookups = parts.slice(i);
  const schemaType = element ?? field?.schemaType;
  // The first lookup is checked here; what may follow it is the lookup's own
  // business (compileLookups). On an embedded document the lookup applies to
  // the inner fields of the value (djongo's form), so it is checked there.
  const first = lookups[0];
  if (first !== undefined && !freeform && !embedded && !isLookupName(first, schemaType)) {
    // `author__name`: not a lookup but a field of the referenced model.
    if (field?.ref !== undefined)
      throw crossesReference(modelName, pathParts.join('.'), field.ref, lookups, field.kind === 'scalarArray');
    const valid = lookupNamesFor(schemaType);
    throw new FieldError(
      `Unsupported lookup ${JSON.stringify(first)} for ${schemaType?.instance ?? 'nested'} field ` +
        `${modelName}.${pathParts.join('.')}. Valid lookups: ${valid.join(', ')}.` +
        didYouMean(first, valid),
    );
  }
  return Object.freeze({
    path: pathParts.join('.'),
    label: `${modelName}.${pathParts.join('.')}`,
    schemaType,
    embedded,
    field,
    lookups: Object.freeze(lookups),
  });
}

/**
 * Resolves a filter key against a schema, or throws {@link FieldError} naming
 * the valid fields or lookups at the point it failed.
 *
 * @example
 * ```ts
 * resolveKey(entrySchema, 'Entry', 'blog__name__startswith');
 * // { path: 'blog.name', lookups: ['startswith'], … }
 * ```
 */
export function resolveKey(schema: Schema, modelName: string, key: string): ResolvedKey {
  // Schema → model name → key: no string is built per call on this hot path.
  const version = lookupRegistryVersion();
  if (version !== cacheVersion) {
    cache = new WeakMap();
    cacheVersion = version;
  }
  // Keyed by the shape: a schema that gains paths or a primary key gets a new one.
  const shape = shapeOf(schema);
  let perSchema = cache.get(shape);
  if (!perSchema) cache.set(shape, (perSchema = new Map()));
  let perModel = perSchema.get(modelName);
  if (!perModel) perSchema.set(modelName, (perModel = new BoundedCache(keyCacheLimits)));
  let resolved = perModel.get(key);
  if (!resolved) {
    resolved = resolveUncached(shape, modelName, key);
    if (key.length <= MAX_CACHED_KEY) perModel.set(key, resolved);
  }
  return resolved;
}
