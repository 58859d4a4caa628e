// The one move `adopt` and `sync-counters` share: find the largest id stored
// and raise a `__schema__` seq to it, never lowering one. Planned for every
// collection first, so a collection with ids (or a seq) the counter cannot
// count from stops the run with nothing written.
import type { mongo } from 'mongoose';
import { maxId, raiseSeq, readCounterSeq, type SchemaEntry } from '../core/schema-collection.js';

/** One `__schema__` counter, as a command found it and left it. */
export interface CounterChange {
  /** The model it belongs to, when a model was given for it. */
  readonly model?: string;
  readonly collection: string;
  /** The auto-increment field, e.g. `id`. */
  readonly field: string;
  /** The largest id stored (0 for an empty collection). */
  readonly maxId: number;
  /** The entry's seq before, or null when there was no entry. */
  readonly before: number | null;
  /** The seq after: `max(before, maxId)`. */
  readonly after: number;
  /** Whether the entry is (or, on a dry run, would be) written. */
  readonly changed: boolean;
}

/** A collection whose counter is planned: where it lives and what to write with it. */
export interface CounterTarget {
  readonly model?: string;
  readonly collection: string;
  readonly field: string;
  /** djongo's field type codes for a new entry; omitted to leave an entry's fields alone. */
  readonly fields?: SchemaEntry['fields'];
}

/**
 * Reads the largest id of each target and works out the seq each counter
 * needs. Writes nothing; raises MigrationError for ids that are not safe
 * integers, or a seq that is not one.
 *
 * @example
 * ```ts
 * const [change] = await planCounters(db, [{ collection: 'entries', field: 'id' }]);
 * change; // { collection: 'entries', field: 'id', maxId: 7, before: null, after: 7, changed: true }
 * ```
 */
export async function planCounters(db: mongo.Db, targets: readonly CounterTarget[]): Promise<CounterChange[]> {
  const changes: CounterChange[] = [];
  // One at a time: a million-document collection is enough load for a server.
  for (const target of targets) {
    const largest = await maxId(db, target.collection, target.field);
    // Read again, checked: the entry as listed may hold a seq of any BSON type.
    const before = await readCounterSeq(db, target.collection, target.field);
    changes.push({
      ...(target.model === undefined ? {} : { model: target.model }),
      collection: target.collection,
      field: target.field,
      maxId: largest,
      before,
      after: Math.max(before ?? 0, largest),
      changed: before === null || before < largest,
    });
  }
  return changes;
}

/**
 * Writes the planned counters that change, through raiseSeq, which never
 * lowers a seq even when another writer got there first.
 *
 * @example
 * ```ts
 * await applyCounters(db, targets, await planCounters(db, targets));
 * ```
 */
export async function applyCounters(
  db: mongo.Db,
  targets: readonly CounterTarget[],
  changes: readonly CounterChange[],
): Promise<void> {
  for (const [i, change] of changes.entries()) {
    if (!change.changed) continue;
    await raiseSeq(db, change.collection, change.field, change.after, targets[i]?.fields);
  }
}
