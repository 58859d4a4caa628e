// Adopting a database djongo (or anything else) already filled: `__schema__`
// entries for the auto-increment models, in place, with seq at the largest id
// stored. The document count is not the answer: after deletions it is lower
// than the largest id, and the next id would collide.
import type { Connection } from 'mongoose';
import { djongoFieldTypes } from '../core/schema-collection.js';
import { applyCounters, planCounters, type CounterChange, type CounterTarget } from './counters.js';
import { autoIncrementField, collectionNames, databaseOf, modelList, type CommandModels } from './models.js';

/** Options for {@link adopt}. */
export interface AdoptOptions {
  /** Report what would be written and write nothing. */
  readonly dryRun?: boolean;
}

/** A model that {@link adopt} or {@link syncCounters} left alone, and why. */
export interface SkippedModel {
  readonly model: string;
  readonly reason: string;
}

/** What {@link adopt} wrote (or, on a dry run, would write). */
export interface AdoptReport {
  readonly dryRun: boolean;
  /** One per auto-increment model whose collection exists. */
  readonly counters: readonly CounterChange[];
  readonly skipped: readonly SkippedModel[];
}

/**
 * Writes djongo's `__schema__` entries for an existing database, in place:
 * for each model that uses auto-increment, `seq` = the largest id stored.
 * An existing entry with a lower seq is raised; a higher one is never
 * lowered. Models without auto-increment, and models whose collection does
 * not exist yet (`migrate` makes those), are skipped with the reason.
 *
 * All ids are read before anything is written: a collection whose ids are
 * not safe integers (within ±Number.MAX_SAFE_INTEGER), or whose seq is not
 * one, raises {@link MigrationError} with nothing changed.
 *
 * @example
 * ```ts
 * import { adopt } from 'djongoose/cli';
 * const report = await adopt(conn, { Entry }, { dryRun: true });
 * report.counters; // [{ model: 'Entry', collection: 'entries', field: 'id', maxId: 42, before: null, after: 42, changed: true }]
 * ```
 */
export async function adopt(conn: Connection, models: CommandModels, options: AdoptOptions = {}): Promise<AdoptReport> {
  const db = databaseOf(conn);
  const existing = await collectionNames(db);
  const targets: CounterTarget[] = [];
  const skipped: SkippedModel[] = [];
  for (const model of modelList(models)) {
    const field = autoIncrementField(model);
    const collection = model.collection.collectionName;
    if (field === undefined) {
      skipped.push({ model: model.modelName, reason: 'does not use auto-increment (its primary key is _id)' });
    } else if (!existing.has(collection)) {
      skipped.push({ model: model.modelName, reason: `collection ${collection} does not exist; migrate creates it` });
    } else {
      targets.push({ model: model.modelName, collection, field, fields: djongoFieldTypes(model.schema) });
    }
  }
  const counters = await planCounters(db, targets);
  if (!options.dryRun) await applyCounters(db, targets, counters);
  return { dryRun: options.dryRun ?? false, counters, skipped };
}
