// djongo's GridFSStorage, whole: Django's Storage API, asynchronous, over one
// GridFS bucket. Directories are part of the stored name; listdir walks the
// unique index on the name instead of scanning the collection.
import { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { brand } from '../core/brand.js';
import { FileNotFound, ImproperlyConfigured, InvalidRange } from '../core/errors.js';
import { ensureNameIndex, openBucket, type FilesDocument, type OpenBucket } from './bucket.js';
import { contentChunks, guessContentType, type FileContent } from './content.js';
import { checkContentType } from './content-type.js';
import { alternativeName, cleanPath, joinLocation } from './names.js';
import { resolveStorageOptions, type GridFSStorageOptions, type ResolvedStorageOptions } from './options.js';
import { uploadFile } from './upload.js';
import type { FileStorage, OpenOptions, SaveOptions, StoredFile } from './file-types.js';
export type { OpenOptions, SaveOptions, StoredFile } from './file-types.js';
import { boundedDownload } from './download.js';
import { listDirectory, type DirectoryListing } from './listdir.js';
import { multerEngine, type GridFSMulterEngine, type MulterEngineOptions } from './multer-engine.js';
import { serveFiles, type FileRequestHandler, type ServeOptions } from './serve.js';

/**
 * A Django Storage backed by one GridFS bucket, djongo's
 * `GridFSStorage(collection='myfiles')`. Every method is asynchronous; names
 * are `/`-separated paths relative to `location` and can never leave it.
 *
 * @example
 * ```ts
 * import { GridFSStorage } from 'djongoose/storage';
 * const storage = new GridFSStorage({ collection: 'myfiles', baseUrl: '/media/' });
 * const name = await storage.save('avatars/me.png', pngBytes, { contentType: 'image/png' });
 * storage.url(name); // '/media/avatars/me.png'
 * (await storage.open(name)).pipe(res);
 * ```
 */
export class GridFSStorage implements FileStorage {
  static {
    brand(this, 'GridFSStorage');
  }

  readonly #options: ResolvedStorageOptions;
  #open: Promise<OpenBucket> | undefined;
  #indexed: Promise<void> | undefined;

  constructor(options: GridFSStorageOptions) {
    this.#options = resolveStorageOptions(options);
  }

  /** The bucket name. */
  get collection(): string {
    return this.#options.collection;
  }

  /** The directory names are stored under (`''`: the bucket's root). */
  get location(): string {
    return this.#options.location;
  }

  /** The URL prefix of {@link url}, if one was given. */
  get baseUrl(): string | undefined {
    return this.#options.baseUrl;
  }

  /** The Mongoose connection the bucket lives on. */
  get connection(): Connection {
    return this.#options.connection ?? mongoose.connection;
  }

  /** The open bucket and its collections, once the connection is open. */
  bucket(): Promise<OpenBucket> {
    this.#open ??= openBucket(this.connection, this.collection, this.#options.chunkSizeBytes).catch((err: unknown) => {
      this.#open = undefined;
      throw err;
    });
    return this.#open;
  }

  #full(name: string): string {
    return joinLocation(this.location, cleanPath(name));
  }

  #relative(filename: string): string {
    return this.location === '' ? filename : filename.slice(this.location.length + 1);
  }

  async #find(name: string): Promise<FilesDocument> {
    const { files } = await this.bucket();
    const [doc] = await files
      .find({ filename: this.#full(name) })
      .sort({ uploadDate: -1 })
      .limit(1)
      .toArray();
    if (!doc) throw new FileNotFound(cleanPath(name), this.collection);
    return doc;
  }

  /**
   * Stores `content` under `name` (or, when taken, Django's alternative:
   * `name_<7 random characters>.ext`) and returns the stored name. A stream is
   * never buffered whole; if it fails part-way, nothing is left behind. A
   * `contentType` HTTP cannot send (CR/LF, no `type/subtype`) raises
   * {@link InvalidContentType} before anything is written.
   *
   * @example
   * ```ts
   * await storage.save('docs/a.txt', 'hello'); // 'docs/a.txt'
   * await storage.save('docs/a.txt', 'again'); // 'docs/a_Xb3k9Qz.txt'
   * await storage.save('big.bin', fs.createReadStream('big.bin'), { contentType: 'application/octet-stream' });
   * ```
   */
  async save(name: string, content: FileContent, options: SaveOptions = {}): Promise<string> {
    const wanted = this.#full(name);
    // Checked before anything is written: a stored type is sent as a header by serve().
    const given = options.contentType ?? options.metadata?.['contentType'];
    if (given !== undefined) checkContentType(given, name);
    const chunks = contentChunks(content, name);
    const open = await this.bucket();
    this.#indexed ??= ensureNameIndex(open.files, this.collection).catch((err: unknown) => {
      this.#indexed = undefined;
      throw err;
    });
    await this.#indexed;
    const available = await this.#availableFull(wanted);
    const contentType = (given as string | undefined) ?? guessContentType(wanted);
    const metadata = { ...options.metadata, ...(contentType ? { contentType } : {}) };
    const stored = await uploadFile(open, available, chunks, metadata, alternativeName);
    return this.#relative(stored.filename);
  }

  async #availableFull(full: string): Promise<string> {
    const { files } = await this.bucket();
    let candidate = full;
    while (await files.findOne({ filename: candidate }, { projection: { _id: 1 } })) {
      candidate = alternativeName(full);
    }
    return candidate;
  }

  /**
   * Django's get_available_name: `name` if free, else an alternative that is.
   * (save() calls it; a concurrent save can still take the name, which save()
   * handles.)
   *
   * @example
   * ```ts
   * await storage.getAvailableName('docs/a.txt'); // 'docs/a_Xb3k9Qz.txt' when taken
   * ```
   */
  async getAvailableName(name: string): Promise<string> {
    return this.#relative(await this.#availableFull(this.#full(name)));
  }

  /**
   * A readable stream of the file, or of bytes `start` to `end` (exclusive).
   * Raises {@link FileNotFound} for a missing file.
   *
   * @example
   * ```ts
   * const header = await storage.open('avatars/me.png', { start: 0, end: 8 });
   * ```
   */
  async open(name: string, options: OpenOptions = {}): Promise<Readable> {
    const doc = await this.#find(name);
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
    const { bucket } = await this.bucket();
    return boundedDownload(bucket, doc._id, start, end);
  }

  /**
   * Deletes the file (every revision of the name). A missing name is a no-op.
   *
   * @example
   * ```ts
   * await storage.delete('avatars/old.png');
   * ```
   */
  async delete(name: string): Promise<void> {
    const { files, bucket } = await this.bucket();
    const docs = await files.find({ filename: this.#full(name) }, { projection: { _id: 1 } }).toArray();
    for (const doc of docs) {
      await bucket.delete(doc._id).catch((err: unknown) => {
        // Deleted concurrently: what we wanted.
        if (!(err instanceof mongoose.mongo.MongoRuntimeError)) throw err;
      });
    }
  }

  /**
   * Whether a file of this name is stored.
   *
   * @example
   * ```ts
   * await storage.exists('avatars/me.png'); // true
   * ```
   */
  async exists(name: string): Promise<boolean> {
    const { files } = await this.bucket();
    return (await files.findOne({ filename: this.#full(name) }, { projection: { _id: 1 } })) !== null;
  }

  /**
   * The file's size in bytes; {@link FileNotFound} when missing.
   *
   * @example
   * ```ts
   * await storage.size('docs/a.txt'); // 5
   * ```
   */
  async size(name: string): Promise<number> {
    return (await this.#find(name)).length;
  }

  /**
   * `baseUrl` followed by the URL-encoded name (each segment encoded, `/`
   * kept). Needs `baseUrl`, as Django's url() needs base_url. A name that
   * cannot be stored (see cleanPath, e.g. a lone surrogate) raises
   * {@link SuspiciousFileOperation}, never a URIError.
   *
   * @example
   * ```ts
   * new GridFSStorage({ collection: 'myfiles', baseUrl: '/media/' }).url('a b/c?.png'); // '/media/a%20b/c%3F.png'
   * ```
   */
  url(name: string): string {
    if (this.baseUrl === undefined) {
      throw new ImproperlyConfigured(
        `GridFSStorage(${JSON.stringify(this.collection)}).url(): this storage has no baseUrl, so its files have no URL. ` +
          'Pass { baseUrl: \'/media/\' } (ending in "/") and serve it with storage.serve().',
      );
    }
    return this.baseUrl + cleanPath(name).split('/').map(encodeURIComponent).join('/');
  }

  /**
   * The directories and files directly in `path` (`''`: the location's root),
   * each sorted, as Django's listdir returns them.
   *
   * @example
   * ```ts
   * await storage.listdir('avatars'); // { directories: ['2026'], files: ['default.png'] }
   * ```
   */
  async listdir(path = ''): Promise<DirectoryListing> {
    const { files } = await this.bucket();
    return listDirectory(files, joinLocation(this.location, cleanPath(path, true)));
  }

  /**
   * When the file was stored; {@link FileNotFound} when missing.
   *
   * @example
   * ```ts
   * await storage.createdTime('docs/a.txt'); // 2026-03-05T10:00:00.000Z
   * ```
   */
  async createdTime(name: string): Promise<Date> {
    return (await this.#find(name)).uploadDate;
  }

  /**
   * When the file was last written: its upload date, since GridFS files are
   * replaced, never changed in place.
   *
   * @example
   * ```ts
   * await storage.modifiedTime('docs/a.txt'); // 2026-03-05T10:00:00.000Z
   * ```
   */
  async modifiedTime(name: string): Promise<Date> {
    return (await this.#find(name)).uploadDate;
  }

  /**
   * Everything known about a stored file; {@link FileNotFound} when missing.
   *
   * @example
   * ```ts
   * const { size, contentType, etag } = await storage.stat('avatars/me.png');
   * ```
   */
  async stat(name: string): Promise<StoredFile> {
    return this.#describe(await this.#find(name));
  }

  /**
   * A handler serving this storage's files over HTTP (Node http or Express):
   * ETag, Last-Modified, 304s, single ranges (206/416), 404 and 405.
   *
   * @example
   * ```ts
   * app.use('/media', storage.serve());
   * ```
   */
  serve(options?: ServeOptions): FileRequestHandler {
    return serveFiles(this, options);
  }

  /**
   * A multer storage engine that streams uploads into this storage.
   *
   * @example
   * ```ts
   * const upload = multer({ storage: storage.multer({ uploadTo: 'uploads/' }), limits: { fileSize: 5 << 20 } });
   * ```
   */
  multer(options?: MulterEngineOptions): GridFSMulterEngine {
    return multerEngine(this, options);
  }

  #describe(doc: FilesDocument): StoredFile {
    const metadata = (doc.metadata ?? {}) as Record<string, unknown>;
    const stored = metadata['contentType'];
    const name = this.#relative(doc.filename);
    return {
      name,
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
}
