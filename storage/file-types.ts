// The shapes GridFSStorage's methods take and return, and the part of it
// that serve() and the multer engines use (they take a storage through that
// interface, so GridFSStorage can offer them as methods without a cycle).
import type { Readable } from 'node:stream';
import type mongoose from 'mongoose';
import type { FileContent } from './content.js';

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
  /** The GridFS bucket holding it: the storage's collection, or in djongo's layout `<collection>.<dir>…`. */
  readonly bucket: string;
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

/** What serve() and the multer engines use of a storage; GridFSStorage implements it. */
export interface FileStorage {
  /** The bucket name. */
  readonly collection: string;
  /** The URL prefix of url(), if one was given. */
  readonly baseUrl: string | undefined;
  save(name: string, content: FileContent, options?: SaveOptions): Promise<string>;
  open(name: string, options?: OpenOptions): Promise<Readable>;
  delete(name: string): Promise<void>;
  stat(name: string): Promise<StoredFile>;
  url(name: string): string;
}
