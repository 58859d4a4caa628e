// Indexes as migrations keep them: the keys (order and direction) and the
// options a schema can declare that MongoDB honours and a migration file can
// write. Anything else is refused when makemigrations reads the schema, so
// a migration never says less than the model does.
import { mongo } from 'mongoose';
import { ImproperlyConfigured, NotSupportedError } from '../../core/errors.js';
import { storable, type StoredValue } from './stored.js';

/** One index of a model, as the schema declares it. */
export interface IndexState {
  readonly name: string;
  readonly keys: Readonly<Record<string, 1 | -1 | string>>;
  readonly unique: boolean;
  readonly sparse: boolean;
  /** Only the documents matching it are indexed (and, for a unique index, kept unique). */
  readonly partialFilterExpression?: StoredValue;
  /** A TTL index: documents expire this many seconds after the indexed date. */
  readonly expireAfterSeconds?: number;
  /** How strings compare in the index (`{ locale: 'en', strength: 2 }`). */
  readonly collation?: StoredValue;
  /** A text index's field weights. */
  readonly weights?: StoredValue;
  /** A text index's language. */
  readonly default_language?: string;
}

/** The index options migrations keep, as Mongoose's `schema.index(keys, options)` takes them. */
export const INDEX_OPTIONS = Object.freeze([
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'collation',
  'weights',
  'default_language',
] as const);

// `background` is a no-op since MongoDB 4.2 (every build holds the lock only at
// its ends); Mongoose and older schemas still pass it.
const IGNORED = new Set(['background']);
// Key kinds the server builds from the keys alone (no option needed); FerretDB v1.24 builds only 1 and -1.
const DIRECTIONS: readonly unknown[] = [1, -1, 'text', '2dsphere', '2d', 'hashed'];

function refuse(model: string, keys: Readonly<Record<string, unknown>>, what: string): never {
  throw new ImproperlyConfigured(
    `${model}: the index ${JSON.stringify(keys)} ${what}. Migrations keep keys of direction 1, -1, 'text', '2dsphere', '2d' or 'hashed', ` +
      `and the options ${INDEX_OPTIONS.join(', ')}. Nothing was written.`,
  );
}

function document(model: string, keys: Readonly<Record<string, unknown>>, option: string, value: unknown) {
  const stored = typeof value === 'object' && value !== null && !Array.isArray(value) ? storable(value) : undefined;
  if (stored === undefined)
    refuse(model, keys, `has ${option} ${String(value)}, which a migration file cannot hold (plain JSON and dates)`);
  return stored;
}

/** The name the server gives an index without an explicit one: `a_1_b_-1`. */
export function indexName(keys: Readonly<Record<string, unknown>>, options: Readonly<Record<string, unknown>>): string {
  if (typeof options['name'] === 'string') return options['name'];
  return Object.entries(keys)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

/**
 * One declared index of `model` as migrations keep it; ImproperlyConfigured
 * for a key kind or an option they do not keep (hidden, wildcardProjection, …).
 *
 * @example
 * ```ts
 * indexState('Session', { seen: 1 }, { expireAfterSeconds: 3600 });
 * // { name: 'seen_1', keys: { seen: 1 }, unique: false, sparse: false, expireAfterSeconds: 3600 }
 * ```
 */
export function indexState(
  model: string,
  keys: Readonly<Record<string, unknown>>,
  options: Readonly<Record<string, unknown>>,
): IndexState {
  for (const [field, direction] of Object.entries(keys))
    if (!DIRECTIONS.includes(direction)) refuse(model, keys, `has ${field}: ${JSON.stringify(direction)}`);
  const unknown = Object.keys(options).filter(
    (option) => !IGNORED.has(option) && !(INDEX_OPTIONS as readonly string[]).includes(option),
  );
  if (unknown.length > 0) refuse(model, keys, `has the option ${unknown.join(', ')}, which migrations do not keep`);
  const extra: Record<string, StoredValue> = {};
  const { partialFilterExpression, expireAfterSeconds, collation, weights, default_language: language } = options;
  if (partialFilterExpression !== undefined)
    extra['partialFilterExpression'] = document(model, keys, 'partialFilterExpression', partialFilterExpression);
  if (expireAfterSeconds !== undefined) {
    if (!Number.isSafeInteger(expireAfterSeconds) || (expireAfterSeconds as number) < 0)
      refuse(model, keys, `has expireAfterSeconds ${String(expireAfterSeconds)}, not a whole number of seconds ≥ 0`);
    extra['expireAfterSeconds'] = expireAfterSeconds as number;
  }
  if (collation !== undefined) extra['collation'] = document(model, keys, 'collation', collation);
  if (weights !== undefined) extra['weights'] = document(model, keys, 'weights', weights);
  if (language !== undefined) {
    if (typeof language !== 'string') refuse(model, keys, `has default_language ${String(language)}, not a string`);
    extra['default_language'] = language;
  }
  return Object.freeze({
    name: indexName(keys, options),
    keys: { ...(keys as Record<string, 1 | -1 | string>) },
    unique: options['unique'] === true,
    sparse: options['sparse'] === true,
    ...extra,
  });
}

const OPTION_KEYS = ['sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'weights'] as const;

/**
 * Whether two states of one index differ in nothing but `unique` (which
 * AlterUnique changes): else the index is dropped and built again.
 *
 * @example
 * ```ts
 * sameIndex({ ...ttl, expireAfterSeconds: 60 }, ttl); // false: RemoveIndex, then AddIndex
 * ```
 */
export function sameIndex(a: IndexState, b: IndexState): boolean {
  const rest = (index: IndexState) =>
    JSON.stringify([index.keys, ...OPTION_KEYS.map((key) => index[key]), index.default_language]);
  return rest(a) === rest(b);
}

/**
 * The driver's createIndex options for an index state.
 *
 * @example
 * ```ts
 * createIndexOptions(ttl); // { name: 'seen_1', unique: false, sparse: false, expireAfterSeconds: 3600 }
 * ```
 */
export function createIndexOptions(index: IndexState): mongo.CreateIndexesOptions {
  return {
    name: index.name,
    unique: index.unique,
    sparse: index.sparse,
    ...(index.partialFilterExpression === undefined
      ? {}
      : { partialFilterExpression: index.partialFilterExpression as mongo.Document }),
    ...(index.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: index.expireAfterSeconds }),
    ...(index.collation === undefined ? {} : { collation: index.collation as unknown as mongo.CollationOptions }),
    ...(index.weights === undefined ? {} : { weights: index.weights as mongo.Document }),
    ...(index.default_language === undefined ? {} : { default_language: index.default_language }),
  };
}

/**
 * The options of an index state beyond name, keys, unique and sparse, for a
 * line of `--plan`.
 *
 * @example
 * ```ts
 * describeIndexOptions(ttl); // ' (expireAfterSeconds 3600)'
 * ```
 */
export function describeIndexOptions(index: IndexState): string {
  const parts: string[] = [];
  for (const key of ['partialFilterExpression', 'expireAfterSeconds', 'collation', 'weights'] as const)
    if (index[key] !== undefined) parts.push(`${key} ${JSON.stringify(index[key])}`);
  if (index.default_language !== undefined) parts.push(`default_language ${index.default_language}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * The server's refusal to build an index (an option or key kind it lacks:
 * FerretDB v1.24 has no partial, TTL, collation or text index) as
 * NotSupportedError naming the index; any other error as it is.
 *
 * @example
 * ```ts
 * throw indexRefused('Blog', ttl, serverError);
 * // NotSupportedError: Blog: the server refused to build the index seen_1 {"seen":1} (expireAfterSeconds 3600): …
 * ```
 */
export function indexRefused(model: string, index: IndexState, err: unknown): unknown {
  if (!(err instanceof mongo.MongoServerError)) return err;
  return new NotSupportedError(
    `${model}: the server refused to build the index ${index.name} ${JSON.stringify(index.keys)}` +
      `${describeIndexOptions(index)}: ${err.message}. The operations before it stay applied, and migrate resumes ` +
      'here; drop what the server lacks from the schema and run makemigrations, or migrate on a server that has it.',
  );
}
