// The GridFS bucket behind a storage, opened lazily: a storage is usually
// made at import time, before the connection is open. The driver is reached
// only through mongoose.mongo.
import mongoose, { type Connection } from 'mongoose';
import { ImproperlyConfigured, OperationalError } from '../core/errors.js';
import { isDuplicateKey } from '../core/values.js';

type Mongo = typeof mongoose.mongo;
export type Bucket = InstanceType<Mongo['GridFSBucket']>;
export type FilesDocument = mongoose.mongo.GridFSFile;
export type FilesCollection = mongoose.mongo.Collection<FilesDocument>;
export type ChunksCollection = mongoose.mongo.Collection<mongoose.mongo.GridFSChunk>;

/** What a storage works with once its connection is open. */
export interface OpenBucket {
  /** The database the bucket is in. */
  readonly db: mongoose.mongo.Db;
  readonly bucket: Bucket;
  readonly files: FilesCollection;
  readonly chunks: ChunksCollection;
  readonly chunkSizeBytes: number;
}

/** How long to wait for a connection that is still opening, as Mongoose's bufferTimeoutMS. */
const OPEN_TIMEOUT_MS = 10_000;
/** The unique index on the name that makes concurrent saves of one name safe. */
export const NAME_INDEX = 'djongoose_filename_unique';

async function openDb(connection: Connection, bucketName: string): Promise<mongoose.mongo.Db> {
  if (connection.readyState === 1 && connection.db) return connection.db;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OperationalError(
            `GridFSStorage(${JSON.stringify(bucketName)}): the connection did not open within ${OPEN_TIMEOUT_MS} ms. ` +
              'Call connect() (or mongoose.connect()) first, or pass { connection } to the storage.',
            [],
          ),
        ),
      OPEN_TIMEOUT_MS,
    );
    timer.unref();
  });
  try {
    await Promise.race([connection.asPromise(), timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (!connection.db) {
    throw new OperationalError(`GridFSStorage(${JSON.stringify(bucketName)}): the connection has no database.`, []);
  }
  return connection.db;
}

/**
 * Opens the bucket once the connection is open.
 *
 * @example
 * ```ts
 * const { bucket, files } = await openBucket(mongoose.connection, 'myfiles', undefined);
 * ```
 */
export async function openBucket(
  connection: Connection,
  bucketName: string,
  chunkSizeBytes: number | undefined,
): Promise<OpenBucket> {
  const db = await openDb(connection, bucketName);
  const size = chunkSizeBytes ?? 255 * 1024;
  const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName, chunkSizeBytes: size });
  return {
    db,
    bucket,
    files: db.collection<FilesDocument>(`${bucketName}.files`),
    chunks: db.collection<mongoose.mongo.GridFSChunk>(`${bucketName}.chunks`),
    chunkSizeBytes: size,
  };
}

/**
 * Creates the unique index on `filename` that saves rely on. A bucket that
 * already holds two files of one name (GridFS revisions) cannot take it;
 * that is a configuration error naming the duplicate.
 *
 * @example
 * ```ts
 * await ensureNameIndex(files, 'myfiles');
 * ```
 */
export async function ensureNameIndex(files: FilesCollection, bucketName: string): Promise<void> {
  try {
    await files.createIndex({ filename: 1 }, { unique: true, name: NAME_INDEX });
  } catch (err) {
    if (isDuplicateKey(err)) {
      throw new ImproperlyConfigured(
        `GridFSStorage(${JSON.stringify(bucketName)}): the bucket holds several files with one name, so the unique ` +
          'index on filename cannot be created. GridFSStorage stores one file per name (as Django storages do); ' +
          `remove or rename the older revisions. Driver error: ${(err as Error).message}`,
        { cause: err },
      );
    }
    throw err;
  }
}
