// The shapes GridFSStorage's methods take and return.
import type mongoose from 'mongoose';

/** Options of `GridFSStorage.save()`. */
export interface SaveOptions {
  /** Stored as `metadata.contentType`; default guessed from the name's extension. */
  readonly contentType?: string;
  /** More metadata to store with the file. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Options of `GridFSStorage.open()`: a byte range, `end` exclusive (as the driver and `Array.slice`). */
export interface OpenOptions {
  readonly start?: number;
  readonly end?: number;
}

/** What `GridFSStorage.stat()` tells about a stored file. */
export interface StoredFile {
  /** The name, relative to the storage's location. */
  readonly name: string;
  readonly id: mongoose.Types.ObjectId;
  readonly size: number;
  readonly contentType: string | undefined;
  readonly createdTime: Date;
  /** GridFS files are never changed in place, so this is the upload date too. */
  readonly modifiedTime: Date;
  readonly chunkSize: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** A strong ETag: the file's id and length (a stored file never changes). */
  readonly etag: string;
}
