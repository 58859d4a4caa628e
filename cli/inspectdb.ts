// Django's `inspectdb` for djongo's databases: reads each collection's
// `__schema__` entry and a bounded sample of its documents (a cursor with a
// limit, folded one document at a time), plans its model (inspect/plan.ts)
// and prints a TypeScript models module (inspect/emit.ts). Writes nothing to
// the database.
import type { Connection } from 'mongoose';
import { didYouMean } from '../core/closest.js';
import { ImproperlyConfigured } from '../core/errors.js';
import { readSchemaEntry, SCHEMA_COLLECTION } from '../core/schema-collection.js';
import { emitModule, type SkippedCollection } from './inspect/emit.js';
import { newLevel, observeDocument } from './inspect/observe.js';
import { planModel, type ModelPlan } from './inspect/plan.js';
import { collectionNames, databaseOf } from './models.js';

export type { SkippedCollection } from './inspect/emit.js';

/** Documents sampled per collection unless told otherwise. */
export const DEFAULT_SAMPLE = 100;

/** Progress of {@link inspectdb}, after every collection's sample. */
export interface InspectProgress {
  /** The collection just read. */
  readonly collection: string;
  /** Collections read so far. */
  readonly done: number;
  /** Collections to read. */
  readonly total: number;
}

/** Options for {@link inspectdb}. */
export interface InspectOptions {
  /** Only these collections; default every collection that holds a model. */
  readonly collections?: readonly string[];
  /** Documents read per collection, at most; default 100. */
  readonly sample?: number;
  /** The specifier the module imports djongoose from; default `djongoose`. */
  readonly importFrom?: string;
  /** Called after each collection, for a progress bar. */
  readonly onProgress?: (progress: InspectProgress) => void;
}

/** One model the module declares. */
export interface InspectedModel {
  /** The model's name in the module, e.g. `BlogEntry`. */
  readonly model: string;
  readonly collection: string;
  /** Documents sampled. */
  readonly sampled: number;
  /** The autoIncrement field, when `__schema__` counts one. */
  readonly autoField: string | null;
  /** Whether djongo's `__schema__` gave the column types. */
  readonly typed: boolean;
}

/** What {@link inspectdb} read and wrote. */
export interface InspectReport {
  /** The TypeScript models module. */
  readonly source: string;
  readonly models: readonly InspectedModel[];
  /** Collections that are not models: djongo's and Django's bookkeeping, GridFS buckets. */
  readonly skipped: readonly SkippedCollection[];
}

/** Why a collection holds no model, or undefined when it does. */
function notAModel(name: string): string | undefined {
  if (name === SCHEMA_COLLECTION) return "djongo's counters and column types";
  if (name === 'django_migrations') return "Django's record of applied migrations";
  const bucket = /^(.+)\.(files|chunks)$/.exec(name);
  if (bucket) return `the ${bucket[2]} of the GridFS bucket ${JSON.stringify(bucket[1])}`;
  return undefined;
}

function checkOptions(options: InspectOptions, existing: ReadonlySet<string>): number {
  const sample = options.sample ?? DEFAULT_SAMPLE;
  if (!Number.isSafeInteger(sample) || sample < 1) {
    throw new ImproperlyConfigured(
      `inspectdb's sample must be a whole number of documents, at least 1, not ${String(sample)}.`,
    );
  }
  for (const name of options.collections ?? []) {
    if (!existing.has(name)) {
      throw new ImproperlyConfigured(
        `--collections names ${JSON.stringify(name)}, which is not a collection of the database; ` +
          `its collections are ${
            [...existing]
              .sort()
              .map((c) => JSON.stringify(c))
              .join(', ') || '(none)'
          }.` +
          didYouMean(name, existing),
      );
    }
  }
  return sample;
}

/**
 * Writes a TypeScript models module for a database, as Django's `inspectdb`
 * writes models.py: a Mongoose schema per collection with the `djongo`
 * plugin, `autoIncrement` on the field djongo's `__schema__` counts, column
 * types from `__schema__` where djongo recorded them, else from a sample of
 * at most `sample` documents (embedded documents become abstract models,
 * arrays of them ArrayFields, a field of several types Mixed with a comment
 * naming them), and a `models(conn)` function that registers them. Skips
 * `__schema__`, `django_migrations` and GridFS buckets. Reads only.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { inspectdb } from 'djongoose/cli';
 * const { source, models } = await inspectdb(conn, { sample: 50 });
 * await writeFile('models.ts', source);
 * models[0]; // { model: 'BlogEntry', collection: 'blog_entry', sampled: 3, autoField: 'id', typed: true }
 * ```
 */
export async function inspectdb(conn: Connection, options: InspectOptions = {}): Promise<InspectReport> {
  const db = databaseOf(conn);
  const existing = await collectionNames(db);
  const sample = checkOptions(options, existing);
  const chosen = options.collections ?? [...existing].sort();
  const skipped: SkippedCollection[] = [];
  const wanted: string[] = [];
  for (const collection of [...new Set(chosen)]) {
    const reason = notAModel(collection);
    if (reason) skipped.push(Object.freeze({ collection, reason }));
    else wanted.push(collection);
  }

  const plans: ModelPlan[] = [];
  for (const collection of wanted) {
    const level = newLevel();
    const cursor = db
      .collection(collection)
      .find({}, { limit: sample, batchSize: Math.min(sample, 1000), promoteValues: false });
    for await (const doc of cursor) observeDocument(level, doc);
    plans.push(planModel(collection, await readSchemaEntry(db, collection), level));
    options.onProgress?.({ collection, done: plans.length, total: wanted.length });
  }

  const { source, modelNames } = emitModule({
    database: db.databaseName,
    models: plans,
    skipped,
    sample,
    importFrom: options.importFrom ?? 'djongoose',
  });
  const models = plans.map((plan, i) =>
    Object.freeze({
      model: modelNames[i] as string,
      collection: plan.collection,
      sampled: plan.sampled,
      autoField: plan.autoField ?? null,
      typed: plan.typed,
    }),
  );
  return Object.freeze({ source, models: Object.freeze(models), skipped: Object.freeze(skipped) });
}
