// After a bulk import, a restore or writes that bypassed the counters, each
// `__schema__` seq is raised to the largest id stored, so the next reserved
// id is free. Works from the entries themselves, so it needs no models; given
// models, it keeps to theirs.
import type { Connection, mongo } from 'mongoose';
import { SCHEMA_COLLECTION, type SchemaEntry } from '../core/schema-collection.js';
import type { SkippedModel } from './adopt.js';
import { applyCounters, planCounters, type CounterChange, type CounterTarget } from './counters.js';
import { autoIncrementField, databaseOf, modelList, type CommandModels } from './models.js';

/** Options for {@link syncCounters}. */
export interface SyncCountersOptions {
  /** Report what would be raised and write nothing. */
  readonly dryRun?: boolean;
}

/** What {@link syncCounters} raised (or, on a dry run, would raise). */
export interface SyncCountersReport {
  readonly dryRun: boolean;
  readonly counters: readonly CounterChange[];
  readonly skipped: readonly SkippedModel[];
}

function isCounterEntry(doc: unknown): doc is SchemaEntry & { auto: NonNullable<SchemaEntry['auto']> } {
  const entry = doc as Partial<SchemaEntry> | null;
  return (
    typeof entry?.name === 'string' &&
    Array.isArray(entry.auto?.field_names) &&
    typeof entry.auto.field_names[0] === 'string'
  );
}

async function counterEntries(db: mongo.Db): Promise<Map<string, SchemaEntry>> {
  const entries = new Map<string, SchemaEntry>();
  // Filtered here rather than on the server: the table is small, and the
  // emulators' handling of $exists on nested paths differs.
  for await (const doc of db.collection(SCHEMA_COLLECTION).find({})) {
    if (isCounterEntry(doc)) entries.set(doc.name, doc);
  }
  return entries;
}

/**
 * Raises every `__schema__` counter to the largest id stored in its
 * collection; a seq already at or above it is left alone. Without models it
 * covers every entry with an `auto` counter; with models, only theirs, and a
 * model without an entry is skipped (`adopt` or `migrate` writes it).
 *
 * All ids are read before anything is written: a collection whose ids are
 * not safe integers (within ±Number.MAX_SAFE_INTEGER), or whose seq is not
 * one, raises {@link MigrationError} with nothing changed.
 *
 * @example
 * ```ts
 * import { syncCounters } from 'djongoose/cli';
 * await Entry.collection.insertOne({ id: 500, headline: 'imported' });
 * const report = await syncCounters(conn);
 * report.counters; // [{ collection: 'entries', field: 'id', maxId: 500, before: 12, after: 500, changed: true }]
 * ```
 */
export async function syncCounters(
  conn: Connection,
  models?: CommandModels,
  options: SyncCountersOptions = {},
): Promise<SyncCountersReport> {
  const db = databaseOf(conn);
  const entries = await counterEntries(db);
  const targets: CounterTarget[] = [];
  const skipped: SkippedModel[] = [];
  if (models === undefined) {
    for (const entry of entries.values()) {
      const field = entry.auto?.field_names[0];
      if (field !== undefined) targets.push({ collection: entry.name, field });
    }
  } else {
    for (const model of modelList(models)) {
      const collection = model.collection.collectionName;
      const entry = entries.get(collection);
      const field = autoIncrementField(model);
      if (field === undefined) {
        skipped.push({ model: model.modelName, reason: 'does not use auto-increment (its primary key is _id)' });
      } else if (!entry) {
        skipped.push({
          model: model.modelName,
          reason: `no ${SCHEMA_COLLECTION} entry for ${collection}; adopt writes it`,
        });
      } else {
        targets.push({ model: model.modelName, collection, field });
      }
    }
  }
  const counters = await planCounters(db, targets);
  if (!options.dryRun) await applyCounters(db, targets, counters);
  return { dryRun: options.dryRun ?? false, counters, skipped };
}
