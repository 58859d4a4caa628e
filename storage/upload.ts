// One upload into GridFS through the driver's upload stream. Writes are
// awaited one at a time (the driver calls back once a chunk is stored), so
// memory stays at about one chunk and, when the source fails, no insert is
// in flight: abort() then removes every chunk, and the driver never wrote the
// files document. A lost race for a name (the unique index refuses the files
// document at the very end) keeps the stored chunks and gives the file
// another name.
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import mongoose from 'mongoose';
import type { FilesDocument, OpenBucket } from './bucket.js';
import { isDuplicateKey } from '../core/values.js';
import { SuspiciousFileOperation } from '../core/errors.js';

/** What an upload stored. */
export interface Uploaded {
  readonly id: mongoose.Types.ObjectId;
  /** The stored (full) filename; differs from the one asked for when a race was lost. */
  readonly filename: string;
  readonly length: number;
  readonly uploadDate: Date;
}

function write(stream: Writable, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

const RENAME_ATTEMPTS = 20;

/**
 * Streams `source` into the bucket under `filename`. On a source or write
 * error the upload is aborted (no chunks, no files document) and the error
 * rethrown. `alternative(filename)` names the file when another upload took
 * the name first.
 *
 * @example
 * ```ts
 * const stored = await uploadFile(open, 'avatars/me.png', chunks, { contentType: 'image/png' }, alternativeName);
 * ```
 */
export async function uploadFile(
  open: OpenBucket,
  filename: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  metadata: Record<string, unknown> | undefined,
  alternative: (taken: string) => string,
): Promise<Uploaded> {
  const id = new mongoose.Types.ObjectId();
  const stream = open.bucket.openUploadStreamWithId(id, filename, {
    chunkSizeBytes: open.chunkSizeBytes,
    ...(metadata ? { metadata } : {}),
  });
  stream.on('error', () => undefined); // reported through the write and finish promises
  let length = 0;
  try {
    for await (const chunk of source) {
      length += chunk.length;
      await write(stream, chunk);
    }
  } catch (err) {
    await discard(open, stream, id);
    throw err;
  }
  try {
    stream.end();
    await finished(stream);
    return { id, filename, length, uploadDate: stream.gridFSFile?.uploadDate ?? new Date() };
  } catch (err) {
    if (!isDuplicateKey(err)) {
      await discard(open, stream, id);
      throw err;
    }
  }
  return renameAfterRace(open, { id, filename, length, metadata }, alternative);
}

async function renameAfterRace(
  open: OpenBucket,
  file: {
    id: mongoose.Types.ObjectId;
    filename: string;
    length: number;
    metadata: Record<string, unknown> | undefined;
  },
  alternative: (taken: string) => string,
): Promise<Uploaded> {
  // The chunks are all stored; only the files document was refused. Write it
  // as the driver would (the GridFS spec's files document) under a free name.
  for (let attempt = 0; attempt < RENAME_ATTEMPTS; attempt++) {
    const uploadDate = new Date();
    const doc: FilesDocument = {
      _id: file.id,
      length: file.length,
      chunkSize: open.chunkSizeBytes,
      uploadDate,
      filename: alternative(file.filename),
      ...(file.metadata ? { metadata: file.metadata } : {}),
    };
    try {
      await open.files.insertOne(doc);
      return { id: file.id, filename: doc.filename, length: file.length, uploadDate };
    } catch (err) {
      if (!isDuplicateKey(err)) {
        await open.chunks.deleteMany({ files_id: file.id });
        throw err;
      }
    }
  }
  await open.chunks.deleteMany({ files_id: file.id });
  // Django's get_available_name gives up with SuspiciousFileOperation too.
  throw new SuspiciousFileOperation(
    `Could not find a free name for ${JSON.stringify(file.filename)} after ${RENAME_ATTEMPTS} attempts; save it under another name.`,
    file.filename,
  );
}

async function discard(
  open: OpenBucket,
  stream: { abort(): Promise<void> },
  id: mongoose.Types.ObjectId,
): Promise<void> {
  try {
    await stream.abort();
  } catch {
    // Already ended or aborted: remove the chunks ourselves.
    await open.chunks.deleteMany({ files_id: id }).catch(() => undefined);
  }
}
