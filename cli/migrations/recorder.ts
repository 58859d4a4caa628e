// What was applied, in `django_migrations`, with the layout Django's
// MigrationRecorder and djongo use: { id, app, name, applied }, `id` from
// djongo's `__schema__` counter. A database shared with djongo keeps one
// history: djongo's rows are read and kept. Beside it, djongoose's own
// bookkeeping: the steps done of a migration under way, so a killed run
// resumes after the last finished step.
import { mongo } from 'mongoose';
import { reserveIds } from '../../core/schema-collection.js';
import { PRIMARY_KEY_INDEX } from '../../plugins/auto-increment/index.js';

/** Django's table of applied migrations. */
export const MIGRATIONS_COLLECTION = 'django_migrations';
/** djongoose's lock and progress documents. */
export const LOCK_COLLECTION = 'djongoose_migrations_lock';

/** One row of `django_migrations`. */
export interface AppliedMigration {
  readonly app: string;
  readonly name: string;
  readonly applied: Date | null;
}

// djongo's column types for the table, as its CREATE TABLE writes them.
const FIELDS = {
  id: { type_code: 'int' },
  app: { type_code: 'string' },
  name: { type_code: 'string' },
  applied: { type_code: 'date' },
} as const;

/**
 * Every row of `django_migrations`, by id: djongo's and djongoose's.
 *
 * @example
 * ```ts
 * await appliedMigrations(db); // [{ app: 'blog', name: '0001_initial', applied: 2020-01-01T00:00:00.000Z }, …]
 * ```
 */
export async function appliedMigrations(db: mongo.Db): Promise<AppliedMigration[]> {
  const rows = await db.collection(MIGRATIONS_COLLECTION).find({}).sort({ id: 1, _id: 1 }).toArray();
  return rows.map((row) => ({
    app: String(row['app']),
    name: String(row['name']),
    applied: row['applied'] instanceof Date ? row['applied'] : null,
  }));
}

/**
 * Records `app.name` as applied (once: a second call finds the row).
 *
 * @example
 * ```ts
 * await recordApplied(db, 'djongoose', '0002_blog_description');
 * ```
 */
export async function recordApplied(db: mongo.Db, app: string, name: string): Promise<void> {
  const table = db.collection(MIGRATIONS_COLLECTION);
  if (await table.findOne({ app, name })) return;
  await table.createIndex({ id: 1 }, { unique: true, name: PRIMARY_KEY_INDEX });
  const id = await reserveIds(db, MIGRATIONS_COLLECTION, 'id', 1, { fields: FIELDS });
  // `_id` first, as pymongo writes djongo's rows: the driver would append it
  // last, and mongo-java-server keeps the order it is sent.
  await table.insertOne({ _id: new mongo.ObjectId(), id, app, name, applied: new Date() });
}

/**
 * Removes the record of `app.name`, after it was reversed.
 *
 * @example
 * ```ts
 * await recordUnapplied(db, 'djongoose', '0002_blog_description');
 * ```
 */
export async function recordUnapplied(db: mongo.Db, app: string, name: string): Promise<void> {
  await db.collection(MIGRATIONS_COLLECTION).deleteMany({ app, name });
}

const progressId = (app: string, name: string, direction: string): string => `progress:${app}:${name}:${direction}`;

/**
 * How many steps of a migration a run finished before it stopped (0: none).
 *
 * @example
 * ```ts
 * await stepsDone(db, 'djongoose', '0002_blog_description', 'forwards'); // 1
 * ```
 */
export async function stepsDone(db: mongo.Db, app: string, name: string, direction: string): Promise<number> {
  const doc = await db
    .collection<{ _id: string; steps?: number }>(LOCK_COLLECTION)
    .findOne({ _id: progressId(app, name, direction) });
  return typeof doc?.steps === 'number' ? doc.steps : 0;
}

/**
 * Notes that `steps` steps of a migration are done; null clears the note.
 *
 * @example
 * ```ts
 * await noteSteps(db, 'djongoose', '0002_blog_description', 'forwards', 1);
 * ```
 */
export async function noteSteps(
  db: mongo.Db,
  app: string,
  name: string,
  direction: string,
  steps: number | null,
): Promise<void> {
  const notes = db.collection<{ _id: string; steps?: number }>(LOCK_COLLECTION);
  const _id = progressId(app, name, direction);
  if (steps === null) await notes.deleteOne({ _id });
  else await notes.updateOne({ _id }, { $set: { steps } }, { upsert: true });
}
