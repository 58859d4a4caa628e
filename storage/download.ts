// Reading a file through the driver's download stream with a bounded batch
// size. The driver reads a file's chunks with one cursor and sets no batch
// size: a real MongoDB caps a batch at 16 MiB, but the emulators answer the
// first getMore with the rest of the file, so a 256 MiB download would sit in
// memory. (Windows of separate driver streams would bound it too, but cost
// FerretDB a re-sort of the file's chunks per window.)
import type { Readable } from 'node:stream';
import type mongoose from 'mongoose';
import type { Bucket } from './bucket.js';

/** Chunks per batch: 16 × 255 KiB ≈ 4 MiB in memory at most. */
export const CHUNKS_PER_BATCH = 16;

interface ReadStreamInternals {
  s?: { cursor?: { batchSize?: (size: number) => unknown } };
}

/**
 * The driver's read stream for bytes `start` to `end` (exclusive), its chunk
 * cursor limited to {@link CHUNKS_PER_BATCH} chunks per batch.
 *
 * @example
 * ```ts
 * boundedDownload(bucket, filesDoc._id, 0, filesDoc.length).pipe(res);
 * ```
 */
export function boundedDownload(bucket: Bucket, id: mongoose.mongo.ObjectId, start: number, end: number): Readable {
  const stream = bucket.openDownloadStream(id, { start, end });
  // Private API, here only: the driver keeps the chunk cursor at `s.cursor`
  // and creates it just before emitting 'file', before its first batch. The
  // driver exposes no batch size for GridFS reads; if the shape changes, the
  // stream still works, with the driver's default batches.
  stream.once('file', () => {
    const cursor = (stream as unknown as ReadStreamInternals).s?.cursor;
    if (typeof cursor?.batchSize === 'function') cursor.batchSize(CHUNKS_PER_BATCH);
  });
  return stream;
}
