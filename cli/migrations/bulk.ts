// The batched paths' writes, sent at most 99 statements per command.
// FerretDB v1.24 on SQLite never answers an update command of 100 statements
// or more: its handler keeps each statement's query open until the command
// ends (`defer closer.Close()` inside the loop of updateDocument,
// internal/handler/msg_update.go) and its SQLite pool holds 100 connections
// (backends/sqlite/metadata/pool/opendb.go), so the 100th statement waits
// for a connection forever, and the server's pool stays spent. 99 answers.
import type { mongo } from 'mongoose';

/** Statements per bulkWrite command: under FerretDB v1.24's limit of 100. */
export const STATEMENTS_PER_WRITE = 99;

/**
 * Runs `writes` as unordered bulkWrites of at most {@link STATEMENTS_PER_WRITE}
 * statements each and returns the documents modified.
 *
 * @example
 * ```ts
 * await bulkUpdate(db.collection('blogs'), [{ updateOne: { filter: { _id: 1 }, update: { $set: { rank: 5 } } } }]); // 1
 * ```
 */
export async function bulkUpdate(
  collection: mongo.Collection,
  writes: readonly mongo.AnyBulkWriteOperation[],
): Promise<number> {
  let modified = 0;
  for (let i = 0; i < writes.length; i += STATEMENTS_PER_WRITE) {
    const chunk = writes.slice(i, i + STATEMENTS_PER_WRITE);
    modified += (await collection.bulkWrite(chunk, { ordered: false })).modifiedCount;
  }
  return modified;
}

/** Where {@link rewriteInBatches} reports how far it has got. */
export interface BatchProgress {
  readonly batchSize: number;
  readonly onProgress?:
    ((progress: { readonly label: string; readonly done: number; readonly total: number }) => void) | undefined;
}

/**
 * Reads the documents of `filter` (with `projection`), asks `rewrite` for
 * each one's write (undefined: none), sends the writes in batches of
 * `batchSize` through {@link bulkUpdate}, reporting progress after each, and
 * returns the documents modified: the batched path of AlterField and of the
 * operations inside embedded documents.
 *
 * @example
 * ```ts
 * await rewriteInBatches(ctx, db.collection('blogs'), { rank: { $type: 'string' } }, { rank: 1 }, 'Alter rank', (doc) => ({
 *   updateOne: { filter: { _id: doc['_id'], rank: doc['rank'] }, update: { $set: { rank: Number(doc['rank']) } } },
 * }));
 * ```
 */
export async function rewriteInBatches(
  ctx: BatchProgress,
  collection: mongo.Collection,
  filter: mongo.Filter<mongo.Document>,
  projection: mongo.Document,
  label: string,
  rewrite: (doc: mongo.WithId<mongo.Document>) => mongo.AnyBulkWriteOperation | undefined,
): Promise<number> {
  const total = await collection.countDocuments(filter);
  let done = 0;
  let modified = 0;
  let batch: mongo.AnyBulkWriteOperation[] = [];
  const flush = async (): Promise<void> => {
    modified += await bulkUpdate(collection, batch);
    batch = [];
    ctx.onProgress?.({ label, done, total });
  };
  ctx.onProgress?.({ label, done, total });
  for await (const doc of collection.find(filter, { projection })) {
    done++;
    const write = rewrite(doc);
    if (write) batch.push(write);
    if (batch.length >= ctx.batchSize) await flush();
  }
  await flush();
  return modified;
}
