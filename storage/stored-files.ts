// Reading what GridFS holds for a name: the files document of its latest
// revision, what stat() tells about it, and a range of its bytes. The
// storage's read methods are these, on the place its buckets give a name.
import { Readable } from 'node:stream';
import type mongoose from 'mongoose';
import { FileNotFound, InvalidRange } from '../core/errors.js';
import type { FilesDocument } from './bucket.js';
import type { OpenPlace, StorageBuckets } from './buckets.js';
import { guessContentType } from './content.js';
import { boundedDownload } from './download.js';
import type { OpenOptions, StoredFile } from './file-types.js';
import { cleanPath } from './names.js';

/** A stored file's files document, and where it is. */
export interface FoundFile {
  readonly doc: FilesDocument;
  readonly place: OpenPlace;
}

/**
 * The latest revision of `name`; {@link FileNotFound} when none is stored.
 *
 * @example
 * ```ts
 * const { doc, place } = await findStored(buckets, 'docs/a.txt'); // doc.length === 5
 * ```
 */
export async function findStored(buckets: StorageBuckets, name: string): Promise<FoundFile> {
  const place = await buckets.place(name);
  const [doc] = await place.open.files.find({ filename: place.filename }).sort({ uploadDate: -1 }).limit(1).toArray();
  if (!doc) throw new FileNotFound(cleanPath(name), place.bucket);
  return { doc, place };
}

/**
 * What stat() tells about a files document stored as `name` in `bucket`.
 *
 * @example
 * ```ts
 * describeStored(doc, 'myfiles', 'docs/a.txt'); // { name: 'docs/a.txt', size: 5, contentType: 'text/plain', etag: '"…-5"', … }
 * ```
 */
export function describeStored(doc: FilesDocument, bucket: string, name: string): StoredFile {
  const metadata = (doc.metadata ?? {}) as Record<string, unknown>;
  // djongo (pymongo's GridFS.put) stores the type at the top level, the field GridFS deprecated.
  const stored = metadata['contentType'] ?? (doc as { contentType?: unknown }).contentType;
  return {
    name,
    bucket,
    id: doc._id as mongoose.Types.ObjectId,
    size: doc.length,
    contentType: typeof stored === 'string' ? stored : guessContentType(name),
    createdTime: doc.uploadDate,
    modifiedTime: doc.uploadDate,
    chunkSize: doc.chunkSize,
    metadata,
    etag: `"${String(doc._id)}-${doc.length.toString(16)}"`,
  };
}

/**
 * A readable stream of a found file, or of its bytes `start` to `end`
 * (exclusive); a range outside the file raises {@link InvalidRange}.
 *
 * @example
 * ```ts
 * const header = readStored(await findStored(buckets, 'me.png'), 'me.png', { start: 0, end: 8 });
 * ```
 */
export function readStored({ doc, place }: FoundFile, name: string, options: OpenOptions): Readable {
  const start = options.start ?? 0;
  const end = options.end ?? doc.length;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > doc.length) {
    throw new InvalidRange(
      `open(${JSON.stringify(name)}): the range start ${String(options.start)}, end ${String(options.end)} is not ` +
        `within the file's ${doc.length} bytes; give integers with 0 ≤ start ≤ end ≤ ${doc.length} (end exclusive).`,
      name,
    );
  }
  if (start === end) return Readable.from([]);
  return boundedDownload(place.open.bucket, doc._id, start, end);
}
