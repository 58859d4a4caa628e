// What the commands need to know about a model and its database: the
// collection, the auto-increment field, the collections that already exist.
import type { Collection, Connection, IndexesDiff, Schema, mongo } from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';
import { primaryKeyOf } from '../manager/resolve.js';
import { autoFieldOf } from '../core/schema-collection.js';
import { PRIMARY_KEY_INDEX } from '../plugins/auto-increment/index.js';

/**
 * A Mongoose model as the commands take it: only the members they use. An
 * interface of its own rather than a Pick of `Model<unknown>`, whose schema's
 * hooks are typed by the document and so refuse every typed model
 * (`Managed<Entry>`, `Model<Entry>`) that is not `Model<unknown>` itself.
 *
 * @example
 * ```ts
 * const models: CommandModel[] = [conn.model('Entry', entrySchema), Entry];
 * ```
 */
export interface CommandModel {
  readonly modelName: string;
  readonly schema: Schema;
  readonly collection: Pick<Collection, 'collectionName'>;
  diffIndexes(options?: Record<string, unknown>): Promise<IndexesDiff>;
  createCollection(): Promise<unknown>;
}

/** Models as a list, or as an object of them keyed by any name (a module's exports). */
export type CommandModels = readonly CommandModel[] | Readonly<Record<string, CommandModel>>;

/**
 * The models as a list, each once, in the order given.
 *
 * @example
 * ```ts
 * modelList({ Entry, Blog }); // [Entry, Blog]
 * ```
 */
export function modelList(models: CommandModels): CommandModel[] {
  const list = Array.isArray(models) ? models : Object.values(models);
  return [...new Set<CommandModel>(list as CommandModel[])];
}

/**
 * The field the autoIncrement plugin numbers for this model (`id`), or
 * undefined when the model keeps Mongoose's ObjectId `_id`.
 *
 * @example
 * ```ts
 * entrySchema.plugin(autoIncrement);
 * autoIncrementField(conn.model('Entry', entrySchema)); // 'id'
 * ```
 */
export function autoIncrementField(model: CommandModel): string | undefined {
  const field = autoFieldOf(model.schema) ?? primaryKeyOf(model.schema);
  if (field !== '_id') return field;
  // The side tables above belong to one copy of djongoose. Models compiled
  // against another copy (CommonJS models, an ESM CLI: the dual-package
  // hazard) are recognised by the unique index the plugin declares.
  for (const [keys, options] of model.schema.indexes()) {
    const names = Object.keys(keys);
    if (options.name === PRIMARY_KEY_INDEX && names.length === 1) return names[0];
  }
  return undefined;
}

/**
 * The connection's driver Db, which the commands use directly.
 *
 * @example
 * ```ts
 * const db = databaseOf(conn);
 * ```
 */
export function databaseOf(conn: Connection): mongo.Db {
  const db = conn.db;
  if (!db) {
    throw new ImproperlyConfigured(
      'The connection is not open: pass a connected Connection, e.g. the one `await connect(settings)` returns.',
    );
  }
  return db;
}

/**
 * The names of the database's collections. Lists them all and filters here,
 * since mongo-java-server ignores a filter on listCollections.
 *
 * @example
 * ```ts
 * await collectionNames(db); // Set { 'entries', '__schema__' }
 * ```
 */
export async function collectionNames(db: mongo.Db): Promise<Set<string>> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  return new Set(infos.map((info) => info.name).filter((name) => !name.startsWith('system.')));
}
