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
