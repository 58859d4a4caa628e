// Reading a file through the driver's download stream with a bounded batch
// size. The driver reads a file's chunks with one cursor and sets no batch
// size: a real MongoDB caps a batch at 16 MiB, but the emulators answer the
// first getMore with the rest of the file, so a 256 MiB download would sit in
// memory. (Windows of separate driver streams would bound it too, but cost
// FerretDB a re-sort of the file's chunks per window.)
import type { Readable } from 'node:stream';
import type mongoose from 'mongoose';
import { limitChunkBatches } from '../core/mongoose-internals.js';
import type { Bucket } from './bucket.js';

/** Chunks per batch: 16 × 255 KiB ≈ 4 MiB in memory at most. */
export const CHUNKS_PER_BATCH = 16;

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
  // The chunk cursor exists from just before 'file' (a private member).
  stream.once('file', () => limitChunkBatches(stream, CHUNKS_PER_BATCH));
  return stream;
}
