// Small questions about untrusted values, asked the same way everywhere: a
// request body, a settings object or a server error may be anything.

import { didYouMean } from './closest.js';

/**
 * An object as JSON.parse, qs and URLSearchParams build it: no class, no
 * array. Only these are walked as data.
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 });              // true
 * isPlainObject(Object.create(null));   // true
 * isPlainObject([1]);                   // false
 * isPlainObject(new Date());            // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Any object that is not an array, class instances included: what a
 * configuration object may be when it is read by its keys only.
 *
 * @example
 * ```ts
 * isRecord({ NAME: 'blog' }); // true
 * isRecord(['blog']);         // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 37)}...` : text);

/** JSON for a message, shortened; a value JSON cannot show (a cycle, a bigint inside) is shown by `fallback`. */
function json(value: unknown, fallback: string): string {
  try {
    return clip(JSON.stringify(value) ?? fallback);
  } catch {
    return fallback;
  }
}

/**
 * A value as an error message quotes it: its kind and, shortened, the value
 * (`the string "x"`, `the number 5`, `the array [7]`, `the Long 9007…`, `an
 * instance of Map`). With `{ contents: false }` an array or object is named by
 * its kind alone, for values that may hold credentials (settings).
 *
 * @example
 * ```ts
 * describe('five');                                 // 'the string "five"'
 * describe([7]);                                    // 'the array [7]'
 * describe(new Map());                              // 'an instance of Map'
 * describe({ password: 'x' }, { contents: false }); // 'an object'
 * ```
 */
export function describe(value: unknown, options: { readonly contents?: boolean } = {}): string {
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'string') return `the string ${json(value, '…')}`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const contents = options.contents ?? true;
  if (Array.isArray(value)) return contents ? `the array ${json(value, '[…]')}` : 'an array';
  if (isPlainObject(value)) return contents ? `the object ${json(value, '{…}')}` : 'an object';
  // BSON values (ObjectId, Long, Decimal128, Int32, Double) name their type, whichever copy of bson made them.
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  if (typeof bsonType === 'string') return `the ${bsonType} ${String(value)}`;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'an invalid Date' : `the Date ${value.toISOString()}`;
  return `an instance of ${(value as { constructor?: { name?: string } }).constructor?.name || 'a class'}`;
}

/**
 * True for a duplicate-key error from the server (code 11000). Read from the
 * code, not the class, so an error from another copy of the driver counts too.
 *
 * @example
 * ```ts
 * isDuplicateKey({ code: 11000 }); // true
 * ```
 */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Calls `fail` for the first own key of `options` not in `accepted`, with a
 * hint: `aliases[key]` when the key is a known other spelling, else the
 * nearest accepted key, as `' Did you mean "X"?'` (or `''`). `fail` throws,
 * so each caller keeps its own error class and wording.
 *
 * @example
 * ```ts
 * checkOptionKeys({ strcit: true }, ['strict'], (key, hint) => {
 *   throw new ImproperlyConfigured(`Unknown option ${JSON.stringify(key)}; accepted options are: strict.${hint}`);
 * });
 * // ImproperlyConfigured: Unknown option "strcit"; accepted options are: strict. Did you mean "strict"?
 * ```
 */
export function checkOptionKeys(
  options: object,
  accepted: readonly string[],
  fail: (key: string, hint: string) => never,
  aliases: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(options)) {
    if (accepted.includes(key)) continue;
    const alias = Object.hasOwn(aliases, key) ? aliases[key] : undefined;
    fail(key, alias === undefined ? didYouMean(key, accepted) : ` Did you mean "${alias}"?`);
  }
}
