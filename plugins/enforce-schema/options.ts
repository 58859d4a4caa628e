// The enforceSchema plugin's options, and the query-level option that
// overrides them for one read or write: their types, and the checks that turn
// a wrong value into ImproperlyConfigured before any query runs.
import { ImproperlyConfigured } from '../../core/errors.js';
import { checkOptionKeys } from '../../core/values.js';

/** Options of the {@link enforceSchema} plugin. */
export interface EnforceSchemaOptions {
  /**
   * `true` for strict, `false` for lax, whatever the connection's
   * ENFORCE_SCHEMA says. Left out, the connection decides.
   */
  strict?: boolean;
}

/**
 * The query and aggregate option that overrides the mode for one read or
 * write: `true` strict, `false` lax.
 *
 * @example
 * ```ts
 * await Entry.find().setOptions({ [ENFORCE_SCHEMA_OPTION]: false }); // lax for this query
 * ```
 */
export const ENFORCE_SCHEMA_OPTION = 'enforceSchema';

/** The query-level option, for `setOptions()` and `Aggregate.option()`. */
export interface EnforceSchemaQueryOptions {
  /** `true` strict, `false` lax, for this query only. */
  enforceSchema?: boolean;
}

const ACCEPTED = ['strict'] as const;

/**
 * The plugin's `strict` option, or undefined when the connection decides.
 * Throws ImproperlyConfigured for anything but an options object with a
 * boolean (or absent) `strict`, suggesting the nearest option for a typo.
 *
 * @example
 * ```ts
 * checkOptions({ strict: true }); // true
 * checkOptions(undefined); // undefined: the connection's ENFORCE_SCHEMA decides
 * checkOptions({ stict: true }); // throws ImproperlyConfigured: … Did you mean "strict"?
 * ```
 */
export function checkOptions(options: unknown): boolean | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ImproperlyConfigured(
      `enforceSchema takes an options object { strict?: boolean }, not ${Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  checkOptionKeys(options, ACCEPTED, (key, hint) => {
    throw new ImproperlyConfigured(
      `Unknown enforceSchema option ${JSON.stringify(key)}; accepted options are: strict.${hint}`,
    );
  });
  const strict = (options as EnforceSchemaOptions).strict;
  if (strict !== undefined && typeof strict !== 'boolean') {
    throw new ImproperlyConfigured(
      `enforceSchema option strict must be true (strict), false (lax) or left out (the connection's ENFORCE_SCHEMA), not ${JSON.stringify(strict)}.`,
    );
  }
  return strict;
}

/**
 * A query's or aggregate's {@link ENFORCE_SCHEMA_OPTION} value, checked:
 * undefined when it was not given. `where` names the kind of option in the
 * ImproperlyConfigured raised for a value that is not a boolean.
 *
 * @example
 * ```ts
 * queryOverride(query.getOptions().enforceSchema, 'query'); // true, false or undefined
 * queryOverride('yes', 'aggregate'); // throws ImproperlyConfigured
 * ```
 */
export function queryOverride(value: unknown, where: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ImproperlyConfigured(
    `The ${where} option ${ENFORCE_SCHEMA_OPTION} must be true (strict) or false (lax), not ${JSON.stringify(value)}.`,
  );
}
