// The property tests' oracle: which stored documents a value could match if
// it were taken literally, as data, computed in JS from a snapshot of the
// collection, independently of the compiler. It errs wide (a superset of the
// literal match: loose casts, any array element), so that "matched ⊆ literal"
// fails only when a value acted as an operator, a lookup or a raw filter.
import type { Capability } from '../harness/capabilities.js';

export type Doc = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The values MongoDB compares at a path: through arrays, and a final array as a whole and by element. */
function candidates(value: unknown, parts: readonly string[]): unknown[] {
  const [head, ...rest] = parts;
  if (head === undefined) return Array.isArray(value) ? [value, ...(value as unknown[])] : [value];
  if (Array.isArray(value)) return value.length === 0 ? [undefined] : value.flatMap((e) => candidates(e, parts));
  if (isPlainObject(value)) return candidates(Object.hasOwn(value, head) ? value[head] : undefined, rest);
  return [undefined];
}

/** Could stored `s` equal `v` once `v` is cast to its type (`'5'` to 5, `''` to null, …)? */
export function looseEquals(s: unknown, v: unknown): boolean {
  if ((v === null || v === '') && (s === null || s === undefined)) return true;
  if (v === null || s === null || s === undefined) return false;
  if (Array.isArray(v)) return Array.isArray(s) && s.length === v.length && s.every((x, i) => looseEquals(x, v[i]));
  if (isObject(v)) {
    if (!isPlainObject(s)) return false;
    const keys = Object.keys(v);
    return keys.length === Object.keys(s).length && keys.every((k) => Object.hasOwn(s, k) && looseEquals(s[k], v[k]));
  }
  if (typeof s === 'number') return Number(v) === s;
  if (typeof s === 'string') return String(v) === s;
  return String(s) === String(v); // ObjectIds, booleans
}

type Oracle = (doc: Doc, value: unknown) => boolean;

const equal =
  (...path: string[]): Oracle =>
  (doc, value) =>
    candidates(doc, path).some((s) => looseEquals(s, value));

const nonEmpty = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && Object.keys(v).length > 0;

/** An embedded value: field by field when it is a non-empty object of those fields; else compared whole. */
const byField =
  (base: string, fields: readonly string[], each: (field: string) => Oracle): Oracle =>
  (doc, value) =>
    nonEmpty(value)
      ? Object.entries(value).every(([k, x]) => fields.includes(k) && each(k)(doc, x))
      : equal(base)(doc, value);

const startsWith =
  (base: string, field: string): Oracle =>
  (doc, x) =>
    (typeof x === 'string' || typeof x === 'number') &&
    candidates(doc, [base, field]).some((s) => typeof s === 'string' && s.startsWith(String(x)));

/** A code-side key that a hostile value is given to, and what that value may literally match. */
export interface Position {
  readonly key: string;
  readonly oracle: Oracle;
  /** getOrCreate may build a document from it (JSON fields are left to the create-side checks). */
  readonly creatable: boolean;
  readonly needs?: Capability;
}

const BLOG = ['name', 'tagline'];
const COMMENT = ['author', 'score'];

export const POSITIONS: readonly Position[] = [
  { key: 'headline', oracle: equal('headline'), creatable: true },
  { key: 'rating', oracle: equal('rating'), creatable: true },
  { key: 'tags', oracle: equal('tags'), creatable: true },
  { key: 'data', oracle: equal('data'), creatable: false },
  { key: 'data__label', oracle: equal('data', 'label'), creatable: false },
  { key: 'blog', oracle: byField('blog', BLOG, (f) => equal('blog', f)), creatable: true },
  { key: 'blog__name', oracle: equal('blog', 'name'), creatable: true },
  // djongo's form: the outer key's lookup on each inner field.
  {
    key: 'blog__startswith',
    oracle: (doc, v) =>
      nonEmpty(v) && Object.entries(v).every(([k, x]) => BLOG.includes(k) && startsWith('blog', k)(doc, x)),
    creatable: true,
  },
  { key: 'comments', oracle: byField('comments', COMMENT, (f) => equal('comments', f)), creatable: true },
  { key: 'comments__author', oracle: equal('comments', 'author'), creatable: true },
  {
    key: 'comments__match',
    oracle: (doc, v) =>
      nonEmpty(v) &&
      Array.isArray(doc['comments']) &&
      (doc['comments'] as unknown[]).some((e) =>
        Object.entries(v).every(([k, x]) => COMMENT.includes(k) && isPlainObject(e) && looseEquals(e[k], x)),
      ),
    creatable: true,
    needs: 'elemMatchDocuments',
  },
];

const byKey = new Map(POSITIONS.map((p) => [p.key, p]));

/** A whole request object as a filter: each key a position (anything else can match nothing), all must hold. */
export function requestOracle(doc: Doc, request: Record<string, unknown>): boolean {
  return Object.entries(request).every(([k, v]) => byKey.get(k)?.oracle(doc, v) ?? false);
}
