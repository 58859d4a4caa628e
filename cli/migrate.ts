// djongo's makemigrations + migrate in one idempotent step: the collections,
// the schema's indexes, and a `__schema__` entry per collection, as djongo's
// CREATE TABLE writes one per table: the column types (`fields`) always, and
// the counter (`auto`) for auto-increment models.
// Everything is planned (and every id checked) before anything is written, so
// a collection with ids the counter cannot count from stops the run with
// nothing changed.
import type { Connection, IndexDefinition, IndexOptions, mongo } from 'mongoose';
import {
  djongoFieldTypes,
  maxId,
  raiseSeq,
  readCounterSeq,
  readSchemaEntry,
  writeSchemaFields,
} from '../core/schema-collection.js';
import {
  autoIncrementField,
  collectionNames,
  databaseOf,
  modelList,
  type CommandModel,
  type CommandModels,
} from './models.js';

/** One change `migrate` makes (or, with `dryRun`, would make). */
export type MigrateAction =
  | { readonly kind: 'createCollection'; readonly model: string; readonly collection: string }
  | {
      readonly kind: 'createIndex';
      readonly model: string;
      readonly collection: string;
      /** The index name the server gives it, e.g. `headline_1`. */
      readonly name: string;
      readonly keys: Readonly<Record<string, unknown>>;
      readonly options: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'schemaEntry';
      readonly model: string;
      readonly collection: string;
      /** The auto-increment field, e.g. `id`. */
      readonly field: string;
      /** The entry's seq before, or null when there was no entry. */
      readonly before: number | null;
      /** The seq written: the largest id stored, or the old seq when higher. */
      readonly after: number;
    }
  | {
      /** The entry of a model without a counter: its column types only, as djongo writes for every table. */
      readonly kind: 'schemaFields';
      readonly model: string;
      readonly collection: string;
      readonly fields: Readonly<Record<string, { readonly type_code: string }>>;
    };

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Plan only: report what would change and write nothing. */
  readonly dryRun?: boolean;
}

/** What {@link migrate} did: its actions, in order; none means the database was up to date. */
export interface MigrateReport {
  readonly dryRun: boolean;
  readonly actions: readonly MigrateAction[];
  /** Models that needed nothing. */
  readonly upToDate: readonly string[];
}

/** The name the server gives an index without an explicit one: `a_1_b_-1`. */
function indexName(keys: Readonly<Record<string, unknown>>, options: Readonly<Record<string, unknown>>): string {
  if (typeof options['name'] === 'string') return options['name'];
  return Object.entries(keys)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

async function planIndexes(model: CommandModel, exists: boolean): Promise<MigrateAction[]> {
  let pairs: [IndexDefinition, IndexOptions][];
  if (exists) {
    // toCreate only: migrate adds what is missing and never drops an index.
    const diff = await model.diffIndexes({ indexOptionsToCreate: true });
    pairs = diff.toCreate as [IndexDefinition, IndexOptions][];
  } else {
    pairs = model.schema.indexes();
  }
  return pairs.map(([keys, options]) => ({
    kind: 'createIndex',
    model: model.modelName,
    collection: model.collection.collectionName,
    name: indexName(keys, options as Record<string, unknown>),
    keys,
    options: { ...options },
  }));
}

async function planSchemaEntry(db: mongo.Db, model: CommandModel): Promise<MigrateAction[]> {
  const field = autoIncrementField(model);
  const collection = model.collection.collectionName;
  if (field === undefined) {
    // djongo's CREATE TABLE sends no update for a table of no columns but _id.
    const fields = djongoFieldTypes(model.schema);
    if (Object.keys(fields).length === 0 || (await readSchemaEntry(db, collection))?.fields !== undefined) return [];
    return [{ kind: 'schemaFields', model: model.modelName, collection, fields }];
  }
  const [entry, largest, before] = await Promise.all([
    readSchemaEntry(db, collection),
    maxId(db, collection, field),
    readCounterSeq(db, collection, field),
  ]);
  // raiseSeq writes `fields` only where an entry has none: djongo's own stay as they are.
  if (before !== null && before >= largest && entry?.fields !== undefined) return [];
  return [
    { kind: 'schemaEntry', model: model.modelName, collection, field, before, after: Math.max(before ?? 0, largest) },
  ];
}

async function apply(db: mongo.Db, byName: Map<string, CommandModel>, action: MigrateAction): Promise<void> {
  const model = byName.get(action.model);
  if (!model) return;
  switch (action.kind) {
    case 'createCollection':
      await model.createCollection();
      return;
    case 'createIndex':
      await db.collection(action.collection).createIndex(action.keys as mongo.IndexSpecification, action.options);
      return;
    case 'schemaEntry':
      await raiseSeq(db, action.collection, action.field, action.after, djongoFieldTypes(model.schema));
      return;
    case 'schemaFields':
      await writeSchemaFields(db, action.collection, action.fields);
      return;
  }
}

/**
 * Brings the database up to the models, as djongo's `makemigrations` and
 * `migrate` do: creates each model's collection when it is missing, creates
 * the schema's indexes that are missing (never dropping one), and writes a
 * `__schema__` entry for each model, as djongo does for each table: its
 * column types (`fields`, kept when the entry has them), and for an
 * auto-increment model the counter, with `seq` at least the largest id
 * stored. Idempotent: a second run reports no actions.
 *
 * Every model is planned before anything is written; a collection whose ids
 * are not safe integers (within ±Number.MAX_SAFE_INTEGER), or whose seq is
 * not one, raises {@link MigrationError} with nothing changed.
 *
 * @example
 * ```ts
 * import { connect } from 'djongoose';
 * import { migrate } from 'djongoose/cli';
 * const conn = await connect(DATABASES.default);
 * const report = await migrate(conn, [conn.model('Entry', entrySchema)]);
 * report.actions; // [{ kind: 'createCollection', model: 'Entry', collection: 'entries' }, …]
 * (await migrate(conn, [conn.model('Entry')])).actions; // []
 * ```
 */
export async function migrate(
  conn: Connection,
  models: CommandModels,
  options: MigrateOptions = {},
): Promise<MigrateReport> {
  const db = databaseOf(conn);
  const list = modelList(models);
  const existing = await collectionNames(db);
  const planned = new Set<string>();
  const actions: MigrateAction[] = [];
  const upToDate: string[] = [];

  for (const model of list) {
    const collection = model.collection.collectionName;
    const mine: MigrateAction[] = [];
    const exists = existing.has(collection) || planned.has(collection);
    if (!exists) {
      planned.add(collection);
      mine.push({ kind: 'createCollection', model: model.modelName, collection });
    }
    mine.push(...(await planIndexes(model, existing.has(collection))));
    mine.push(...(await planSchemaEntry(db, model)));
    if (mine.length === 0) upToDate.push(model.modelName);
    actions.push(...mine);
  }

  if (!options.dryRun) {
    const byName = new Map(list.map((model) => [model.modelName, model]));
    for (const action of actions) await apply(db, byName, action);
  }
  return { dryRun: options.dryRun ?? false, actions, upToDate };
}
