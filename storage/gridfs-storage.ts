// djongo's GridFSStorage: Django's Storage API, asynchronous, over GridFS.
// The class is the façade users hold: where a name is stored depends on the
// layout (layout.ts, the buckets in buckets.ts), and each method is one
// module's work: writing (save-file.ts), reading (stored-files.ts), listing
// (listdir.ts), URLs (file-url.ts), serving (serve.ts), multer (multer-engine.ts).
import type { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { brand } from '../core/brand.js';
import type { OpenBucket } from './bucket.js';
import { StorageBuckets } from './buckets.js';
import type { FileContent } from './content.js';
import type { GridFSLayout } from './layout.js';
import { resolveStorageOptions, type GridFSStorageOptions, type ResolvedStorageOptions } from './options.js';
import type { FileStorage, OpenOptions, SaveOptions, StoredFile } from './file-types.js';
export type { OpenOptions, SaveOptions, StoredFile } from './file-types.js';
import { fileUrl } from './file-url.js';
import { listStorageDirectory, type DirectoryListing } from './listdir.js';
import { multerEngine, type GridFSMulterEngine, type MulterEngineOptions } from './multer-engine.js';
import { availableFilename, saveFile } from './save-file.js';
import { serveFiles, type FileRequestHandler, type ServeOptions } from './serve.js';
import { describeStored, findStored, readStored } from './stored-files.js';

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
  save(name: string, content: FileContent, options: SaveOptions = {}): Promise<string> {
    return saveFile(this.#buckets, name, content, options);
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
    return this.#buckets.nameOf(place.layout, place.bucket, await availableFilename(place));
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
    return readStored(await findStored(this.#buckets, name), name, options);
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
    return (await findStored(this.#buckets, name)).doc.length;
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
    return fileUrl(this.#options, name);
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
  listdir(path = ''): Promise<DirectoryListing> {
    return listStorageDirectory(this.#buckets, this.#options, path);
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
    return (await findStored(this.#buckets, name)).doc.uploadDate;
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
    return (await findStored(this.#buckets, name)).doc.uploadDate;
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
    const { doc, place } = await findStored(this.#buckets, name);
    return describeStored(doc, place.bucket, this.#buckets.nameOf(place.layout, place.bucket, doc.filename));
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
}
