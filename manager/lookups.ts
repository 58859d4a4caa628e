// Lookups are small objects in a registry keyed by schema type, as Django's
// RegisterLookupMixin: a name and a way to turn (path, value) into a filter.
// Every compiled condition puts the user's value in operand position of an
// operator ($eq, $in, $gt, $regex built from an escaped string, …), so a
// value can never become an operator itself.
import type { SchemaType } from 'mongoose';
import { processWide } from '../core/brand.js';
import { FieldError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { familyOf } from '../core/schema-shape.js';

/** A MongoDB filter fragment. */
export type MongoFilter = Record<string, unknown>;

/** What a lookup compiles against. */
export interface LookupTarget {
  /** Dotted MongoDB path. */
  readonly path: string;
  /** `Entry.blog.name`, for messages. */
  readonly label: string;
  readonly schemaType: SchemaType | undefined;
  /** Casts a value to the field's type (for arrays: to the element type). */
  cast(value: unknown): unknown;
  /**
   * Compiles keyword filters relative to this field's embedded schema, for
   * lookups such as `match` that nest a filter; undefined for other fields.
   */
  readonly within: ((filters: unknown) => MongoFilter) | undefined;
}

/** A lookup: `startswith`, `gt`, or one a user registers. */
export interface Lookup {
  readonly name: string;
  /**
   * Lookups that may follow this one (`len__gt`, `year__gte`). When set, the
   * following name (or `exact`) is passed as `next`.
   */
  readonly chain?: readonly string[];
  compile(target: LookupTarget, value: unknown, next: string): MongoFilter;
}

/**
 * The lookups you register, declared for the typed filter: extend it through
 * module augmentation, once, beside the `registerLookup` call. Each entry
 * names a lookup and gives the value it takes, on any field (`ne_ci: string`),
 * or `{ field; value }`: the (TypeScript) type of the fields that take it and
 * its value's type. Filters on a typed model then accept `headline__ne_ci`.
 *
 * @example
 * ```ts
 * declare module 'djongoose' {
 *   interface CustomLookups {
 *     ne_ci: { field: string; value: string }; // on string fields
 *     odd: { field: number; value: boolean }; // on numbers
 *   }
 * }
 * Entry.objects.filter({ headline__ne_ci: 'hey jude', rating__odd: true });
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by users' module augmentation
export interface CustomLookups {}

/**
 * Families of field types that share lookups, as Django registers a lookup on
 * a field class and its subclasses inherit it: `mod` is registered on
 * `Numeric`, so Number, Int32, Double, Decimal128 and BigInt fields all take it.
 */
export type LookupFamily = 'Numeric';

/**
 * Field types lookups are registered for: Mongoose's SchemaType `instance`
 * names, a {@link LookupFamily}, or `*` for all.
 */
export type LookupFieldType =
  | '*'
  | LookupFamily
  | 'String'
  | 'Number'
  | 'Date'
  | 'ObjectId'
  | 'Boolean'
  | 'Array'
  | 'Embedded'
  | 'Mixed'
  | 'Decimal128'
  | 'UUID'
  | 'BigInt'
  | 'Double'
  | 'Int32'
  | 'Buffer'
  | 'Map';

// One registry per process: an app that loads both builds (ESM and CJS) sees
// the lookups either registers. `.v1`: the layout of this object and of Lookup.
const shared = processWide('djongoose.lookups.v1', () => ({
  registry: new Map<string, Map<string, Lookup>>(),
  version: 0,
}));
const registry = shared.registry;

/** Changes whenever a lookup is registered: what was planned or resolved before may now mean another lookup. */
export function lookupRegistryVersion(): number {
  return shared.version;
}

/**
 * Registers a lookup for a field type or a family of them, as Django's
 * `register_lookup`. A field finds a lookup on its own type first, then on its
 * family, then on `*`. A later registration of the same name for the same
 * type replaces the earlier one.
 *
 * @example
 * ```ts
 * // Declared once for the typed filter (see CustomLookups):
 * declare module 'djongoose' {
 *   interface CustomLookups {
 *     ne_ci: { field: string; value: string };
 *     odd: { field: number; value: boolean };
 *   }
 * }
 * registerLookup('String', {
 *   name: 'ne_ci',
 *   compile: (t, v) => ({ [t.path]: { $not: new RegExp(`^${escapeRegex(String(v))}$`, 'i') } }),
 * });
 * Entry.objects.filter({ headline__ne_ci: 'hey jude' });
 * // On a family: Number, Int32, Double, Decimal128 and BigInt fields all take `odd`.
 * registerLookup('Numeric', { name: 'odd', compile: (t, v) => ({ [t.path]: { $mod: [2, v ? 1 : 0] } }) });
 * ```
 */
export function registerLookup(fieldType: LookupFieldType, lookup: Lookup): void {
  shared.version++;
  let forType = registry.get(fieldType);
  if (!forType) registry.set(fieldType, (forType = new Map()));
  forType.set(lookup.name, Object.freeze({ ...lookup }));
}

// Per instance name, where its lookups are searched: the instance, its family, `*`.
// Keyed by SchemaType classes' names, which code defines: a handful.
const chains = new Map<string, readonly string[]>();

function typeChain(schemaType: SchemaType | undefined): readonly string[] {
  // Inside JSON values and nested objects the type is unknown: all apply.
  // The String's first after `*`: Date and ObjectId fields have text lookups of
  // their own (text-form-lookups.ts), which a JSON value's text must not take.
  if (!schemaType || schemaType.instance === 'Mixed') {
    const types = [...registry.keys()];
    return types.includes('String') ? ['*', 'String', ...types.filter((t) => t !== '*' && t !== 'String')] : types;
  }
  const instance = schemaType.instance;
  let chain = chains.get(instance);
  if (!chain) {
    const family = familyOf(instance);
    chains.set(instance, (chain = Object.freeze(family ? [instance, family, '*'] : [instance, '*'])));
  }
  return chain;
}

/** The lookup of that name for this field type, or undefined. */
export function findLookup(name: string, schemaType: SchemaType | undefined): Lookup | undefined {
  for (const type of typeChain(schemaType)) {
    const lookup = registry.get(type)?.get(name);
    if (lookup) return lookup;
  }
  return undefined;
}

/** Is `name` a lookup (for this field type, or for any type when none is given)? */
export function isLookupName(name: string, schemaType?: SchemaType): boolean {
  return findLookup(name, schemaType) !== undefined;
}

/**
 * Lookup names valid for a field type, sorted (all types' when none is given).
 *
 * @example
 * ```ts
 * lookupNamesFor(entrySchema.path('headline')); // ['contains', 'endswith', 'exact', 'gt', …]
 * ```
 */
export function lookupNamesFor(schemaType: SchemaType | undefined): string[] {
  const names = new Set<string>();
  for (const type of typeChain(schemaType)) for (const name of registry.get(type)?.keys() ?? []) names.add(name);
  return [...names].sort();
}

/**
 * Compiles a lookup chain (`['len', 'gt']`) on a target. Throws
 * {@link FieldError} for a chain the lookups do not allow.
 */
export function compileLookups(target: LookupTarget, lookups: readonly string[], value: unknown): MongoFilter {
  const { lookup, next } = planLookups(target, lookups);
  return lookup.compile(target, value, next);
}

/** A checked lookup chain: the lookup to run and the name it is given as `next`. */
export interface LookupPlan {
  readonly lookup: Lookup;
  readonly next: string;
}

/**
 * Checks a lookup chain against the field, without a value: the part of
 * {@link compileLookups} that depends on the key alone, so it can be kept.
 */
export function planLookups(target: LookupTarget, lookups: readonly string[]): LookupPlan {
  const [name = 'exact', next, ...extra] = lookups;
  const lookup = findLookup(name, target.schemaType);
  if (!lookup) {
    const valid = lookupNamesFor(target.schemaType);
    throw new FieldError(
      `Unsupported lookup ${JSON.stringify(name)} for ${target.label}. Valid lookups: ${valid.join(', ')}.` +
        didYouMean(name, valid),
    );
  }
  if (next !== undefined && !lookup.chain?.includes(next)) {
    const valid = lookup.chain ?? [];
    throw new FieldError(
      `Lookup ${JSON.stringify(name)} on ${target.label} cannot be followed by ${JSON.stringify(next)}; ` +
        (valid.length > 0 ? `it takes ${valid.join(', ')}.` : 'it takes no further lookup.') +
        didYouMean(next, valid),
    );
  }
  if (extra.length > 0) {
    throw new FieldError(
      `Too many lookups in ${target.label}__${lookups.join('__')}: a lookup chain is at most two long.`,
    );
  }
  return { lookup, next: next ?? 'exact' };
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/;
const REGEX_SPECIALS = /[\\^$.*+?()[\]{}|/-]/g;

/**
 * Escapes every regular-expression metacharacter in a literal string.
 *
 * @example
 * ```ts
 * new RegExp(`^${escapeRegex('a.b (c)')}`); // /^a\.b \(c\)/
 * ```
 */
export function escapeRegex(text: string): string {
  return REGEX_SPECIAL.test(text) ? text.replace(REGEX_SPECIALS, '\\$&') : text;
}
