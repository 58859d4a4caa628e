// Key resolution, Django's solve_lookup_type: `blog__name__startswith` splits
// on `__` and walks the schema (embedded documents, arrays of them, nested
// objects, Mixed/JSON fields). What is left after the field is the lookup
// chain; none means `exact`. Results are cached per schema, since the same
// keys come back on every request.
import type { Schema, SchemaType } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { BoundedCache } from '../core/bounded-cache.js';
import { didYouMean } from '../core/closest.js';
import { isLookupName, lookupNamesFor, lookupRegistryVersion } from './lookups.js';

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
  /** Lookup names after the field, possibly empty. */
  readonly lookups: readonly string[];
}

interface SchemaTypeInternals {
  schema?: Schema;
  instance?: string;
}

// A resolution depends on the lookup registry (under a JSON field, `x__ne_ci`
// is a path until `ne_ci` is registered), so the whole cache goes when the
// registry changes: registrations happen at start-up, not per request.
let cache = new WeakMap<Schema, Map<string, BoundedCache<string, ResolvedKey>>>();
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
  const names = new Set<string>();
  const add = (full: string): void => {
    if (!full.startsWith(prefix)) return;
    const rest = full.slice(prefix.length);
    const name = rest.split('.')[0];
    if (name && !name.includes('$')) names.add(name);
  };
  schema.eachPath((p) => add(p));
  for (const nested of Object.keys((schema as unknown as { nested: Record<string, boolean> }).nested)) add(nested);
  if (isRoot && prefix === '') names.add('pk');
  names.delete('__v');
  return [...names].sort();
}

/** The primary key's path: `_id`, or what a plugin registered with {@link setPrimaryKey}. */
const primaryKeys = new WeakMap<Schema, string>();

/**
 * Makes `pk` resolve to another field of the schema (the autoIncrement
 * plugin's `id`).
 *
 * @example
 * ```ts
 * setPrimaryKey(entrySchema, 'id');
 * ```
 */
export function setPrimaryKey(schema: Schema, path: string): void {
  primaryKeys.set(schema, path);
  cache.delete(schema);
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
  return primaryKeys.get(schema) ?? '_id';
}

function resolveUncached(schema: Schema, modelName: string, key: string): ResolvedKey {
  const parts = key.split('__');
  if (parts.some((p) => p === '')) {
    throw new FieldError(`Invalid filter key ${JSON.stringify(key)} on ${modelName}: empty part between "__".`);
  }
  // BSON writes keys as C strings, which end at a NUL: a path through a JSON field could not be sent.
  if (key.includes('\0')) {
    throw new FieldError(`Invalid filter key ${JSON.stringify(key)} on ${modelName}: a key holds no NUL character.`);
  }
  let scope: Schema = schema;
  let prefix = '';
  const pathParts: string[] = [];
  let schemaType: SchemaType | undefined;
  let embedded: Schema | undefined;
  let freeform = false;
  let i = 0;

  for (; i < parts.length; i++) {
    let name = parts[i] ?? '';
    const rest = parts.slice(i);
    if (freeform) {
      // Inside a JSON value any key is a path, unless the rest is a lookup chain.
      if (pathParts.length > 0 && rest.every((p) => isLookupName(p))) break;
      pathParts.push(name);
      continue;
    }
    if (i === 0 && name === 'pk') name = primaryKeyOf(schema);
    if (i === 0 && name === 'id' && !schema.path('id')) name = '_id';
    const full = prefix + name;
    const found = scope.path(full) as (SchemaType & SchemaTypeInternals) | undefined;
    if (found) {
      pathParts.push(name);
      schemaType = found;
      prefix = '';
      if (found.schema) {
        scope = found.schema;
        embedded = found.schema;
        continue;
      }
      embedded = undefined;
      if (found.instance === 'Mixed') freeform = true;
      else {
        i++;
        break;
      }
      continue;
    }
    if (scope.pathType(full) === 'nested') {
      pathParts.push(name);
      prefix = `${full}.`;
      schemaType = undefined;
      continue;
    }
    if (pathParts.length > 0 && embedded && isLookupName(name)) break;
    const choices = fieldChoices(scope, prefix, scope === schema);
    const where = pathParts.length > 0 ? `${modelName}.${pathParts.join('.')}` : modelName;
    throw new FieldError(
      `Cannot resolve keyword ${JSON.stringify(parts[i])} into field of ${where}. Choices are: ${choices.join(', ')}.` +
        didYouMean(name, choices),
    );
  }

  const lookups = parts.slice(i);
  // The first lookup is checked here; what may follow it is the lookup's own
  // business (compileLookups). On an embedded document the lookup applies to
  // the inner fields of the value (djongo's form), so it is checked there.
  const first = lookups[0];
  if (first !== undefined && !freeform && !embedded && !isLookupName(first, schemaType)) {
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
  let perSchema = cache.get(schema);
  if (!perSchema) cache.set(schema, (perSchema = new Map()));
  let perModel = perSchema.get(modelName);
  if (!perModel) perSchema.set(modelName, (perModel = new BoundedCache(keyCacheLimits)));
  let resolved = perModel.get(key);
  if (!resolved) {
    resolved = resolveUncached(schema, modelName, key);
    if (key.length <= MAX_CACHED_KEY) perModel.set(key, resolved);
  }
  return resolved;
}
