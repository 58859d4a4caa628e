// What a sample of stored documents holds, path by path: `inspectdb` folds
// each sampled document into one tree of observations, then forgets it, so
// memory follows the number of distinct paths, not of documents. The tree is
// bounded too: past MAX_KEYS keys at one level or MAX_DEPTH levels, a level
// stops growing and is marked `overflow` (read as JSON, not as a schema).
// Documents must be read with `promoteValues: false`, so int, double and
// long stay apart (`storedType` names them).
import { storedType } from '../drift.js';

/** Keys one level keeps before it is marked as overflowing. */
export const MAX_KEYS = 500;
/** Levels of embedded documents and arrays followed. */
export const MAX_DEPTH = 16;

/** The values seen at one path. */
export interface Observed {
  /** How many values (nulls included) were seen. */
  count: number;
  /** Stored type name (`string`, `int`, `double`, `object`, `array`, `null`, …) → how many values had it. */
  readonly types: Map<string, number>;
  /** The keys of the embedded documents seen here. */
  object: ObservedLevel | undefined;
  /** The elements of the arrays seen here. */
  elements: Observed | undefined;
}

/** The keys seen in the documents (or embedded documents) of one level. */
export interface ObservedLevel {
  /** How many documents of this level were seen. */
  documents: number;
  readonly fields: Map<string, Observed>;
  /** True when the level had more than MAX_KEYS keys or sat deeper than MAX_DEPTH. */
  overflow: boolean;
}

/**
 * An empty level, to fold documents into.
 *
 * @example
 * ```ts
 * const level = newLevel();
 * observeDocument(level, { headline: 'Hey Jude' });
 * ```
 */
export function newLevel(): ObservedLevel {
  return { documents: 0, fields: new Map(), overflow: false };
}

function newObserved(): Observed {
  return { count: 0, types: new Map(), object: undefined, elements: undefined };
}

function observeValue(at: Observed, value: unknown, depth: number): void {
  const type = storedType(value);
  at.count++;
  at.types.set(type, (at.types.get(type) ?? 0) + 1);
  if (type === 'object') {
    at.object ??= newLevel();
    observeLevel(at.object, value as Record<string, unknown>, depth + 1);
  } else if (type === 'array') {
    at.elements ??= newObserved();
    if (depth >= MAX_DEPTH) return;
    for (const item of value as unknown[]) observeValue(at.elements, item, depth + 1);
  }
}

function observeLevel(level: ObservedLevel, doc: Record<string, unknown>, depth: number): void {
  level.documents++;
  if (depth > MAX_DEPTH) {
    level.overflow = true;
    return;
  }
  for (const [key, value] of Object.entries(doc)) {
    let at = level.fields.get(key);
    if (!at) {
      if (level.fields.size >= MAX_KEYS) {
        level.overflow = true;
        continue;
      }
      level.fields.set(key, (at = newObserved()));
    }
    observeValue(at, value, depth);
  }
}

/**
 * Folds one stored document (read with `promoteValues: false`) into `level`.
 *
 * @example
 * ```ts
 * const level = newLevel();
 * observeDocument(level, { n: new Int32(1) });
 * observeDocument(level, { n: 'one' });
 * level.fields.get('n')?.types; // Map { 'int' => 1, 'string' => 1 }
 * ```
 */
export function observeDocument(level: ObservedLevel, doc: Readonly<Record<string, unknown>>): void {
  observeLevel(level, doc as Record<string, unknown>, 0);
}
