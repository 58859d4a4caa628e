// What a request's query string may be by the time it reaches us: Express's
// `req.query` from the simple parser (strings, and arrays for repeated names)
// or the extended one (qs: nested objects from `a[b]=c`), or URLSearchParams.
// Only one string per name gets through; the rest is reported, never read.
import { ImproperlyConfigured } from '../core/errors.js';
import { describe } from '../core/values.js';

/**
 * A request's query: `req.query` from Express (either parser), a plain
 * object, URLSearchParams, or the query string itself (`'a=1&b=2'`).
 */
export type QueryInput = URLSearchParams | Readonly<Record<string, unknown>> | string | null | undefined;

/** The query as name → text, and the names whose value was not one string, with why. */
export interface ReadQuery {
  readonly values: ReadonlyMap<string, string>;
  readonly refused: ReadonlyMap<string, string>;
}

function shapeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return undefined;
  if (Array.isArray(value))
    return 'was given more than once (or with []); give it once, with a comma-separated list where it takes one';
  if (typeof value === 'object' && value !== null)
    return 'was given with [brackets] as an object; give it as name=value';
  return `is a ${value === null ? 'null' : typeof value}, not text`;
}

/**
 * Reads a query into name → text. Repeated names, arrays and objects (what
 * `?a=1&a=2` and `?a[$ne]=x` parse into) are refused by name.
 *
 * @example
 * ```ts
 * readQuery(new URLSearchParams('rating__in=3,5')).values; // Map { 'rating__in' => '3,5' }
 * readQuery({ headline: { $ne: 'x' } }).refused;           // Map { 'headline' => 'was given with [brackets] …' }
 * ```
 */
export function readQuery(query: QueryInput): ReadQuery {
  const values = new Map<string, string>();
  const refused = new Map<string, string>();
  if (query === null || query === undefined) return { values, refused };
  if (typeof query === 'string' || query instanceof URLSearchParams) {
    for (const [name, value] of typeof query === 'string' ? new URLSearchParams(query) : query) {
      if (values.has(name)) {
        values.delete(name);
        refused.set(name, shapeOf([]) ?? '');
      } else if (!refused.has(name)) values.set(name, value);
    }
    return { values, refused };
  }
  if (typeof query !== 'object') {
    throw new ImproperlyConfigured(
      `A query is req.query, a plain object, URLSearchParams or a query string, not ${describe(query)}.`,
    );
  }
  // Own keys only: qs with allowPrototypes (Express 5's extended parser) may
  // set names such as `toString` or `hasOwnProperty` on the object itself.
  for (const name of Object.keys(query)) {
    const value = (query as Record<string, unknown>)[name];
    const problem = shapeOf(value);
    if (problem === undefined) values.set(name, value as string);
    else refused.set(name, problem);
  }
  return { values, refused };
}
