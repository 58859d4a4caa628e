// Positions in update keys, MongoEngine's: after a list field, a number names
// one element (`set__comments__1__text` writes `comments.1.text`) and `S`
// names the element the filter matched (`inc__comments__S__score` writes
// `comments.$.score`, MongoDB's positional operator). A number at the end of
// a push__ key is where the values go (`push__tags__0` pushes at the front).
// Only a part right after a list is a position: a number inside a JSON value
// stays a key, as MongoDB reads it.
import { FieldError } from '../core/errors.js';
import { resolveKey, type ResolvedKey } from './resolve.js';
import type { CompileScope } from './filter.js';

/** A non-negative array index as MongoDB writes one in a path: no sign, no leading zero. */
const INDEX = /^(0|[1-9]\d{0,8})$/;

/** The part that names the element the filter matched: MongoEngine's `S`, MongoDB's `$`. */
export const MATCHED = 'S';

/** An update key's field part with its positions taken out. */
export interface PositionedKey {
  /** The field key without positions, for resolveKey: `comments__text`. */
  readonly fieldKey: string;
  /** The positions, by the index of the (resolved) path part they follow: `{ 0: '1' }`, or `'$'` for S. */
  readonly positions: ReadonlyMap<number, string>;
}

/** Whether the parts, joined, name a list field (and nothing else throws). */
function namesList(scope: CompileScope, parts: readonly string[]): boolean {
  let resolved: ResolvedKey;
  try {
    resolved = resolveKey(scope.schema, scope.modelName, parts.join('__'));
  } catch {
    return false;
  }
  const kind = resolved.field?.kind;
  return resolved.lookups.length === 0 && (kind === 'scalarArray' || kind === 'embeddedArray');
}

/**
 * Takes the positions out of an update key's field part.
 *
 * @example
 * ```ts
 * splitPositions(scope, 'comments__1__text'); // { fieldKey: 'comments__text', positions: Map { 0 => '1' } }
 * splitPositions(scope, 'comments__S__score'); // { fieldKey: 'comments__score', positions: Map { 0 => '$' } }
 * splitPositions(scope, 'data__list__0'); // { fieldKey: 'data__list__0', positions: Map {} }: a JSON key
 * ```
 */
export function splitPositions(scope: CompileScope, fieldKey: string): PositionedKey {
  const parts = fieldKey.split('__');
  const kept: string[] = [];
  const positions = new Map<number, string>();
  for (const [i, part] of parts.entries()) {
    const isPosition = i > 0 && (INDEX.test(part) || part === MATCHED);
    if (isPosition && !positions.has(kept.length - 1) && namesList(scope, kept)) {
      positions.set(kept.length - 1, part === MATCHED ? '$' : part);
    } else {
      kept.push(part);
    }
  }
  return { fieldKey: kept.join('__'), positions };
}

/**
 * The dotted path with the positions put back: `comments.1.text`, `comments.$.score`.
 *
 * @example
 * ```ts
 * positionedPath('comments.text', new Map([[0, '1']])); // 'comments.1.text'
 * ```
 */
export function positionedPath(path: string, positions: ReadonlyMap<number, string>): string {
  if (positions.size === 0) return path;
  return path
    .split('.')
    .flatMap((part, i) => {
      const position = positions.get(i);
      return position === undefined ? [part] : [part, position];
    })
    .join('.');
}

/**
 * The position a push__ key ends with, as `$position` takes it, and the
 * positions before it; a `S` there is refused, as MongoDB's `$position` takes
 * a number.
 *
 * @example
 * ```ts
 * pushPosition('Entry.tags', 'tags', new Map([[0, '0']])); // [0, Map {}]
 * ```
 */
export function pushPosition(
  label: string,
  path: string,
  positions: ReadonlyMap<number, string>,
): [position: number | undefined, rest: ReadonlyMap<number, string>] {
  const last = path.split('.').length - 1;
  const position = positions.get(last);
  if (position === undefined) return [undefined, positions];
  if (position === '$') {
    throw new FieldError(
      `push__ on ${label}: a push goes at a numbered position (push__…__0 for the front), not at S, the matched element.`,
    );
  }
  const rest = new Map(positions);
  rest.delete(last);
  return [Number(position), rest];
}

/** The list paths an update's `$` positions stand in, e.g. `comments` for `comments.$.score`. */
function matchedLists(update: Readonly<Record<string, unknown>>): string[] {
  const lists = new Set<string>();
  for (const paths of Object.values(update)) {
    for (const path of Object.keys(paths as Record<string, unknown>)) {
      const at = path.indexOf('.$');
      if (at > 0 && (path.length === at + 2 || path[at + 2] === '.')) lists.add(path.slice(0, at));
    }
  }
  return [...lists];
}

/** The top-level filter keys, and those of a top-level `$and`, where MongoDB finds a positional match. */
function matchingKeys(filter: Readonly<Record<string, unknown>>): string[] {
  const and = Array.isArray(filter['$and']) ? (filter['$and'] as Record<string, unknown>[]) : [];
  return [...Object.keys(filter), ...and.flatMap((part) => matchingKeys(part))];
}

/**
 * Refuses an update whose `S` (MongoDB's `$`) names a list the filter does
 * not match on: the server would refuse it for each document, after none or
 * some were changed, with "The positional operator did not find the match
 * needed from the query".
 *
 * @example
 * ```ts
 * checkMatchedPositions('Entry', { $inc: { 'comments.$.score': 1 } }, { 'comments.author': 'ann' }); // fine
 * checkMatchedPositions('Entry', { $inc: { 'comments.$.score': 1 } }, {}); // FieldError
 * ```
 */
export function checkMatchedPositions(
  modelName: string,
  update: Readonly<Record<string, unknown>>,
  filter: Readonly<Record<string, unknown>>,
): void {
  const keys = matchingKeys(filter);
  for (const list of matchedLists(update)) {
    if (keys.some((k) => k === list || k.startsWith(`${list}.`))) continue;
    throw new FieldError(
      `${modelName}: ${MATCHED} in an update key names the element of ${modelName}.${list} that the filter matched, ` +
        `but the filter has no condition on ${list}; filter on it first, e.g. ` +
        `filter({ ${list.replaceAll('.', '__')}__<field>: … }).update({ inc__${list.replaceAll('.', '__')}__S__<field>: 1 }).`,
    );
  }
}
