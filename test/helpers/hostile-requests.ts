// Request-shaped hostile input, as a server receives it: a JSON body
// (JSON.parse, own "__proto__" keys included), an extended query string
// (Express's qs parser: `blog[__raw__][headline][$ne]=x`), or plain
// URLSearchParams (strings only). One generated tree is sent all three ways.
import fc from 'fast-check';
import { parseExtendedQuery } from './hostile.js';

/** A JSON value whose objects are lists of entries, so that any key, "__proto__" too, can be written. */
export type Tree = null | boolean | number | string | Tree[] | { entries: [string, Tree][] };

/** Keys an attacker writes: operators, lookups, the raw door, prototype names. */
export const HOSTILE_KEYS = [
  '$ne',
  '$gt',
  '$in',
  '$nin',
  '$regex',
  '$where',
  '$expr',
  '$or',
  '$not',
  '$elemMatch',
  '$exists',
  '__raw__',
  '__proto__',
  'constructor',
  'toString',
  'name__ne',
  'name__startswith',
  'author__ne',
  'score__gte',
  'label__ne',
] as const;
/** Field names of the test models' embedded documents and JSON values. */
export const FIELD_KEYS = ['name', 'tagline', 'author', 'score', 'label', 'chart', 'uk'] as const;

const scalar: fc.Arbitrary<Tree> = fc.oneof(
  fc.constantFrom('Hey Jude', 'Beatles Blog', 'Stones Weekly', 'rock', 'ann', 'bob', 'Apple', '5', '', '.*', '^H'),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -1, max: 6 }),
  fc.boolean(),
  fc.constant(null),
);

/** A hostile JSON-like tree, at most a few levels deep. */
export const tree: fc.Arbitrary<Tree> = fc.letrec<{ value: Tree; object: Tree; array: Tree }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { arbitrary: scalar, weight: 3 },
    { arbitrary: tie('object'), weight: 2 },
    { arbitrary: tie('array'), weight: 1 },
  ),
  object: fc
    .array(fc.tuple(fc.constantFrom<string>(...HOSTILE_KEYS, ...FIELD_KEYS), tie('value')), { maxLength: 3 })
    .map((entries) => ({ entries })),
  array: fc.array(tie('value'), { maxLength: 3 }),
})).value;

function toJson(t: Tree): string {
  if (t === null || typeof t !== 'object') return JSON.stringify(t);
  if (Array.isArray(t)) return `[${t.map(toJson).join(',')}]`;
  return `{${t.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
}

/** `name=value` pairs for a tree under `name`, as a form or a client library encodes nested data. */
function toPairs(name: string, t: Tree): string[] {
  if (t === null) return [`${encodeURIComponent(name)}=`];
  if (typeof t !== 'object') return [`${encodeURIComponent(name)}=${encodeURIComponent(String(t))}`];
  if (Array.isArray(t)) {
    return t.flatMap((item, i) =>
      toPairs(item !== null && typeof item === 'object' ? `${name}[${i}]` : `${name}[]`, item),
    );
  }
  return t.entries.flatMap(([k, v]) => toPairs(`${name}[${k}]`, v));
}

/** How a request carries data to the server. */
export type Source = 'json' | 'qs' | 'urlsearchparams';
export const SOURCES: readonly Source[] = ['json', 'qs', 'urlsearchparams'];

/**
 * `{ [name]: tree }` as the server reads it from that source: a body parsed by
 * JSON.parse, or a query string by Express's extended parser or by
 * URLSearchParams. The name may be missing (qs drops what it refuses).
 */
export function received(source: Source, name: string, t: Tree): Record<string, unknown> {
  if (source === 'json') return JSON.parse(`{${JSON.stringify(name)}:${toJson(t)}}`) as Record<string, unknown>;
  const query = toPairs(name, t).join('&');
  if (source === 'qs') return parseExtendedQuery(query);
  return Object.fromEntries(new URLSearchParams(query));
}

/** A whole request object: a few keys, each with a tree, sent one way. */
export function receivedRequest(
  source: Source,
  entries: readonly (readonly [string, Tree])[],
): Record<string, unknown> {
  if (source === 'json') {
    return JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`) as Record<
      string,
      unknown
    >;
  }
  const query = entries.flatMap(([k, v]) => toPairs(k, v)).join('&');
  if (source === 'qs') return parseExtendedQuery(query);
  return Object.fromEntries(new URLSearchParams(query));
}
