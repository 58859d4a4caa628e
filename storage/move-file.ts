// One GridFS file moved between buckets without ever being lost: its chunks
// are copied as they are (same _id, same files_id), then its files document,
// and only then is the source removed, chunks first. The files document is
// the commit point: a run stopped anywhere leaves either the source whole,
// or the copy whole with (part of) the source still there, and the next run
// finishes the move from what it finds.
import type mongoose from 'mongoose';
import { isDuplicateKey } from '../core/values.js';
import type { FilesDocument } from './bucket.js';

type Db = mongoose.mongo.Db;

/** What became of one file. */
export type MoveOutcome =
  { readonly kind: 'moved' } | { readonly kind: 'resumed' } | { readonly kind: 'conflict'; readonly reason: string };

/** Chunks copied per insert: 16 of the default 255 KiB, about 4 MiB held at once. */
const CHUNK_BATCH = 16;

async function copyChunks(db: Db, from: string, to: string, doc: FilesDocument): Promise<number> {
  const target = db.collection(`${to}.chunks`);
  let copied = 0;
  let batch: mongoose.mongo.Document[] = [];
  for await (const chunk of db.collection(`${from}.chunks`).find({ files_id: doc._id }).sort({ n: 1 })) {
    batch.push(chunk);
    if (batch.length === CHUNK_BATCH) {
      await target.insertMany(batch, { ordered: true });
      copied += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await target.insertMany(batch, { ordered: true });
  return copied + batch.length;
}

async function removeSource(db: Db, from: string, doc: FilesDocument): Promise<void> {
  await db.collection(`${from}.chunks`).deleteMany({ files_id: doc._id });
  await db.collection(`${from}.files`).deleteOne({ _id: doc._id });
}

/**
 * Checks whether `doc` can move to `filename` in bucket
 * `to`, without writing: `'moved'` when it could, `'resumed'` when an earlier
 * run already copied it, a conflict when another file holds the name.
 *
 * @example
 * ```ts
 * await planMove(db, doc, 'myfiles.docs', 'report.txt'); // { kind: 'moved' }
 * ```
 */
export async function planMove(db: Db, doc: FilesDocument, to: string, filename: string): Promise<MoveOutcome> {
  const files = db.collection<FilesDocument>(`${to}.files`);
  if (await files.findOne({ _id: doc._id }, { projection: { _id: 1 } })) return { kind: 'resumed' };
  const holder = await files.findOne({ filename }, { projection: { _id: 1 } });
  if (holder) {
    return {
      kind: 'conflict',
      reason: `another file (_id ${String(holder._id)}) already has the name ${JSON.stringify(filename)} in the bucket ${JSON.stringify(to)}`,
    };
  }
  return { kind: 'moved' };
}

/**
 * Moves `doc` from bucket `from` to `filename` in bucket `to` (whose unique
 * name index the caller has ensured). A name another file holds is a
 * conflict: nothing moves and the source stays.
 *
 * @example
 * ```ts
 * await moveFile(db, 'myfiles', doc, 'myfiles.docs', 'report.txt'); // { kind: 'moved' }
 * ```
 */
export async function moveFile(
  db: Db,
  from: string,
  doc: FilesDocument,
  to: string,
  filename: string,
): Promise<MoveOutcome> {
  const plan = await planMove(db, doc, to, filename);
  if (plan.kind === 'conflict') return plan;
  if (plan.kind === 'moved') {
    const chunks = db.collection(`${to}.chunks`);
    // Chunks of a copy an earlier run did not finish (it never wrote the files document).
    await chunks.deleteMany({ files_id: doc._id });
    const copied = await copyChunks(db, from, to, doc);
    const expected = doc.length === 0 ? 0 : Math.ceil(doc.length / doc.chunkSize);
    if (copied !== expected) {
      await chunks.deleteMany({ files_id: doc._id });
      return {
        kind: 'conflict',
        reason: `the source has ${copied} chunks where its length (${doc.length} bytes of ${doc.chunkSize}) needs ${expected}; left as it is`,
      };
    }
    try {
      await db.collection<FilesDocument>(`${to}.files`).insertOne({ ...doc, filename });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await chunks.deleteMany({ files_id: doc._id });
      return {
        kind: 'conflict',
        reason: `the name ${JSON.stringify(filename)} was taken in ${JSON.stringify(to)} meanwhile`,
      };
    }
  }
  await removeSource(db, from, doc);
  return plan;
}
