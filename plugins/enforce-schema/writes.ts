// Strict writes read first. A query write (update, replace, delete, and the
// findOneAnd… forms) whose filter matches a document that disagrees with the
// model must raise MigrationError before anything changes, so the documents
// it would change are read, as a strict read reads them, before it is sent.
//
// Why a read and not a filter or a validator: a conformity predicate in the
// write's own filter can say "has every field" ($exists) but not "has no
// other field" without $expr/$objectToArray or $jsonSchema, which FerretDB
// v1.24 lacks (its $elemMatch also misses array items lacking a field), and
// it cannot say "this one disagreed" when nothing matched;
// neither emulator keeps a collection validator (collMod, create's
// `validator`). A read works on every server and reports the document.
import type { Model, Query } from 'mongoose';
import { planOf } from './plan.js';
import { driftingPaths, padReplacement } from './updates.js';
import { driftingUpdateError } from './errors.js';
import { autoFieldFor, padUpsert } from './upserts.js';
import { isRecord } from '../../core/values.js';

type AnyQuery = Query<unknown, unknown>;

/** Query writes that change at most one document, and those that change every match. */
export const SINGLE_WRITES = [
  'updateOne',
  'replaceOne',
  'deleteOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
] as const;
export const MULTI_WRITES = ['updateMany', 'deleteMany'] as const;
/** Query writes that apply update operators, and those that replace the document. */
export const UPDATES = ['updateOne', 'updateMany', 'findOneAndUpdate'] as const;
export const REPLACEMENTS = ['replaceOne', 'findOneAndReplace'] as const;

interface ReadOptions {
  sort?: unknown;
  collation?: unknown;
  session?: unknown;
}

/**
 * Reads, strictly, the documents a query write would change, and raises the
 * MigrationError of the first one that disagrees with the model; nothing has
 * been sent to change anything then. A write of one document (`single`)
 * reads the one the server would take (same filter, sort and collation),
 * and is then pinned to its `_id`, so that the document checked is the
 * document written; not an upsert, which must still insert when the
 * document is gone.
 *
 * @example
 * ```ts
 * schema.pre('findOneAndUpdate', async function () {
 *   await checkBeforeWrite(this, this.model, true); // MigrationError: Entry 1: the document lacks rating…
 * });
 * ```
 */
export async function checkBeforeWrite(query: AnyQuery, model: Model<never>, single: boolean): Promise<void> {
  const options = query.getOptions() as ReadOptions & { upsert?: unknown };
  const first = await readStrictly(model, query.getFilter(), options, single);
  if (single && first?._id !== undefined && options.upsert !== true) query.and([{ _id: first._id }]);
}

// bulkWrite operations that change stored documents, and whether each
// changes at most one.
const BULK_WRITES = { updateOne: true, replaceOne: true, deleteOne: true, updateMany: false, deleteMany: false };

/**
 * The same checks for Model.bulkWrite, before any operation is sent: no
 * update may remove a model field (see {@link driftingPaths}), each
 * replacement gets null in the fields it leaves out (in place, as Mongoose
 * casts bulkWrite operations in place), and every update, replace and
 * delete reads what it would change. The operations are not pinned.
 *
 * @example
 * ```ts
 * schema.pre('bulkWrite', async function (ops, options) {
 *   await checkBulkWrite(this, ops, options); // MigrationError before anything is sent
 * });
 * ```
 */
export async function checkBulkWrite(model: Model<never>, ops: unknown, options: unknown): Promise<void> {
  if (!Array.isArray(ops)) return;
  const plan = planOf(model.schema as object);
  // As Mongoose casts bulkWrite updates: the call's strict, else the schema's.
  const strict = (isRecord(options) ? options['strict'] : undefined) ?? model.schema.get('strict');
  const reads: [filter: Record<string, unknown>, body: Record<string, unknown>, single: boolean][] = [];
  for (const op of ops) {
    if (!isRecord(op)) continue;
    for (const [name, single] of Object.entries(BULK_WRITES)) {
      const body = op[name];
      if (!isRecord(body) || !isRecord(body['filter'])) continue;
      const drifting = driftingPaths(body['update'], plan, strict === false);
      if (drifting) throw driftingUpdateError(model.modelName, drifting);
      if (body['upsert'] === true && body['update'] !== undefined) {
        body['update'] = padUpsert(body['update'], body['filter'], plan, autoFieldFor(model as never));
      }
      if (name === 'replaceOne' && isRecord(body['replacement'])) {
        body['replacement'] = padReplacement(body['replacement'], plan);
      }
      reads.push([body['filter'], body, single]);
    }
  }
  const session = isRecord(options) ? options['session'] : undefined;
  for (const [filter, body, single] of reads) {
    await readStrictly(model, filter, { sort: body['sort'], collation: body['collation'], session }, single);
  }
}

// The plugin's own read hooks judge each document (the query option makes
// the read strict whatever the model's mode); lean, so nothing is hydrated.
async function readStrictly(
  model: Model<never>,
  filter: unknown,
  options: ReadOptions,
  single: boolean,
): Promise<{ _id?: unknown } | undefined> {
  const read = model
    .find(filter as never)
    .lean()
    .setOptions({ enforceSchema: true });
  if (options.collation) read.collation(options.collation as never);
  if (options.session) read.session(options.session as never);
  if (single) {
    if (options.sort) read.sort(options.sort as never);
    read.limit(1);
  }
  let first: { _id?: unknown } | undefined;
  for await (const doc of read.cursor()) first ??= doc as { _id?: unknown };
  return first;
}
