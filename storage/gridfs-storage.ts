// djongo's GridFSStorage, whole: Django's Storage API, asynchronous, over
// GridFS. Where a name is stored depends on the layout (layout.ts): djongo's
// bucket per directory, or one bucket with the path in the name, where
// listdir walks the unique index on the name instead of scanning.
import { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { brand } from '../core/brand.js';
import { FileNotFound, ImproperlyConfigured, InvalidRange } from '../core/errors.js';
import type { FilesDocument, OpenBucket } from './bucket.js';
import { StorageBuckets, type OpenPlace } from './buckets.js';
import { contentChunks, guessContentType, type FileContent } from './content.js';
import { checkContentType } from './content-type.js';
import { directoryBucket, placeOf, type GridFSLayout } from './layout.js';
import { collectionNames } from './layout-detect.js';
import { alternativeName, cleanPath, joinLocation } from './names.js';
import { resolveStorageOptions, type GridFSStorageOptions, type ResolvedStorageOptions } from './options.js';
import { uploadFile } from './upload.js';
import type { FileStorage, OpenOptions, SaveOptions, StoredFile } from './file-types.js';
export type { OpenOptions, SaveOptions, StoredFile } from './file-types.js';
import { boundedDownload } from './download.js';
import { listBucketDirectory, listDirectory, type DirectoryListing } from './listdir.js';
import { multerEngine, type GridFSMulterEngine, type MulterEngineOptions } from './multer-engine.js';
import { serveFiles, type FileRequestHandler, type ServeOptions } from './serve.js';

/**
 * A Django Storage backed by GridFS, djongo's
 * `GridFSStorage(collection='myfiles')`. Every method is asynchronous; names
 * are `/`-separated paths relative to `location` and can never leave it, nor
 * reach a bucket other than `<collection>` and (djongo's layout)
 * `<collection>.<dir>…`. See the `layout` option for where files go.
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
  readonly #buckets: StorageBuckets;

  constructor(options: GridFSStorageOptions) {
    this.#options = resolveStorageOptions(options);
    this.#buckets = new StorageBuckets({ ...this.#options, connection: () => this.connection });
  }

  /** The bucket name (djongo's layout: the top-level bucket, directories are `<collection>.<dir>`). */
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

  /** The top-level bucket (`collection`) and its collections, once the connection is open. */
  bucket(): Promise<OpenBucket> {
    return this.#buckets.bucket(this.collection);
  }

  /**
   * The layout in use: the `layout` option, or for `'auto'` the one the
   * database holds (read once, on first use).
   *
   * @example
   * ```ts
   * await new GridFSStorage({ collection: 'myfiles' }).layout(); // 'djongo' over a database djongo migrated
   * ```
   */
  layout(): Promise<GridFSLayout> {
    return this.#buckets.layout();
  }

  /**
   * The bucket and GridFS filename `name` is stored under.
   *
   * @example
   * ```ts
   * await storage.place('docs/report.txt'); // { bucket: 'myfiles.docs', filename: 'report.txt' } in djongo's layout
   * ```
   */
  async place(name: string): Promise<{ bucket: string; filename: string }> {
    const { bucket, filename } = await this.#buckets.place(name);
    return { bucket, filename };
  }

  async #find(name: string): Promise<{ doc: FilesDocument; place: OpenPlace }> {
    const place = await this.#buckets.place(name);
    const [doc] = await place.open.files.find({ filename: place.filename }).sort({ uploadDate: -1 }).limit(1).toArray();
    if (!doc) throw new FileNotFound(cleanPath(name), place.bucket);
    return { doc, place };
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
    cleanPath(name);
    // Checked before anything is written: a stored type is sent as a header by serve().
    const given = options.contentType ?? options.metadata?.['contentType'];
    if (given !== undefined) checkContentType(given, name);
    const chunks = contentChunks(content, name);
    const place = await this.#buckets.place(name);
    await this.#buckets.indexed(place.open, place.bucket);
    const available = await this.#available(place);
    const contentType = (given as string | undefined) ?? guessContentType(place.filename);
    const metadata = { ...options.metadata, ...(contentType ? { contentType } : {}) };
    const stored = await uploadFile(place.open, available, chunks, metadata, alternativeName);
    return this.#buckets.nameOf(place.layout, place.bucket, stored.filename);
  }

  async #available({ open, filename }: OpenPlace): Promise<string> {
    let candidate = filename;
    while (await open.files.findOne({ filename: candidate }, { projection: { _id: 1 } })) {
      candidate = alternativeName(filename);
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
    const place = await this.#buckets.place(name);
    return this.#buckets.nameOf(place.layout, place.bucket, await this.#available(place));
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
    const { doc, place } = await this.#find(name);
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

  /**
   * Deletes the file (every revision of the name). A missing name is a no-op.
   *
   * @example
   * ```ts
   * await storage.delete('avatars/old.png');
   * ```
   */
  async delete(name: string): Promise<void> {
    const { open, filename } = await this.#buckets.place(name);
    const { files, bucket } = open;
    const docs = await files.find({ filename }, { projection: { _id: 1 } }).toArray();
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
    const { open, filename } = await this.#buckets.place(name);
    return (await open.files.findOne({ filename }, { projection: { _id: 1 } })) !== null;
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
    return (await this.#find(name)).doc.length;
  }

  /**
   * `baseUrl` followed by the URL-encoded name (each segment encoded, `/`
   * kept), in both layouts: the path {@link serve} answers. (djongo's url() is
   * `base_url` and the file's ObjectId, for nginx-gridfs.) Needs `baseUrl`, as Django's url() needs base_url. A name that
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
    // djongo's layout refuses more names (dots in directories); an 'auto' storage learns its layout later.
    if (this.#options.layout === 'djongo') placeOf('djongo', this.collection, this.location, name);
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
    const dir = cleanPath(path, true);
    if ((await this.layout()) === 'flat') {
      const { files } = await this.bucket();
      return listDirectory(files, joinLocation(this.location, dir));
    }
    const bucket = directoryBucket(this.collection, this.location, dir);
    const open = await this.#buckets.bucket(bucket);
    return listBucketDirectory(open.files, await collectionNames(open.db), bucket);
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
    return (await this.#find(name)).doc.uploadDate;
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
    return (await this.#find(name)).doc.uploadDate;
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
    const { doc, place } = await this.#find(name);
    return this.#describe(doc, place.bucket, this.#buckets.nameOf(place.layout, place.bucket, doc.filename));
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

  #describe(doc: FilesDocument, bucket: string, name: string): StoredFile {
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
}
