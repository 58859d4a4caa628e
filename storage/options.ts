// GridFSStorage's options, checked before anything touches the network.
import type { Connection } from 'mongoose';
import { ImproperlyConfigured, SuspiciousFileOperation } from '../core/errors.js';
import { checkOptionKeys, describe } from '../core/values.js';
import { LAYOUTS, type GridFSLayoutOption } from './layout.js';
import { cleanPath } from './names.js';

/** Options of `new GridFSStorage(...)`, djongo's `GridFSStorage(collection=…, location=…, base_url=…)`. */
export interface GridFSStorageOptions {
  /** The GridFS bucket: files go to `<collection>.files` and `<collection>.chunks`. Required. */
  readonly collection: string;
  /** A directory every name is stored under, e.g. `'media'`. Names never leave it. Default `''`. */
  readonly location?: string;
  /** Where the files are served; must end in `/`. `url(name)` needs it. */
  readonly baseUrl?: string;
  /** The Mongoose connection; default Mongoose's default connection. */
  readonly connection?: Connection;
  /** GridFS chunk size in bytes; default the driver's (255 KiB). */
  readonly chunkSizeBytes?: number;
  /**
   * How names map to GridFS. `'djongo'`: djongo's GridFSStorage layout, the
   * directory is a bucket suffix (`docs/a.txt` → bucket `<collection>.docs`,
   * filename `a.txt`). `'flat'`: one bucket, the whole path is the filename.
   * `'auto'` (default): the layout the bucket already holds; for a bucket
   * without files in directories, djongo's in a database Django migrated
   * (it has `django_migrations`), else flat.
   */
  readonly layout?: GridFSLayoutOption;
}

/** The options, checked and normalised. */
export interface ResolvedStorageOptions {
  readonly collection: string;
  readonly location: string;
  readonly baseUrl: string | undefined;
  readonly connection: Connection | undefined;
  readonly chunkSizeBytes: number | undefined;
  readonly layout: GridFSLayoutOption;
}

const KEYS = ['collection', 'location', 'baseUrl', 'connection', 'chunkSizeBytes', 'layout'] as const;
const ALIASES: Record<string, string> = { base_url: 'baseUrl', bucketName: 'collection', bucket: 'collection' };

function bad(message: string): never {
  throw new ImproperlyConfigured(`GridFSStorage: ${message}`);
}

/**
 * Checks and normalises the options of a GridFSStorage.
 *
 * @example
 * ```ts
 * resolveStorageOptions({ collection: 'myfiles', baseUrl: '/media' });
 * // ImproperlyConfigured: GridFSStorage: baseUrl must end in "/" …
 * ```
 */
export function resolveStorageOptions(options: GridFSStorageOptions): ResolvedStorageOptions {
  if (typeof options !== 'object' || options === null) {
    bad(`expected an options object such as { collection: 'myfiles' }, got ${describe(options)}.`);
  }
  checkOptionKeys(
    options,
    KEYS,
    (key, hint) => bad(`unknown option ${JSON.stringify(key)}; accepted options are ${KEYS.join(', ')}.${hint}`),
    ALIASES,
  );
  const { collection, location = '', baseUrl, connection, chunkSizeBytes, layout = 'auto' } = options;
  if (typeof collection !== 'string' || collection === '') {
    bad(`collection is required: the GridFS bucket name, e.g. { collection: 'myfiles' }; got ${describe(collection)}.`);
  }
  if (
    /[\0$]/.test(collection) ||
    collection.startsWith('system.') ||
    collection.startsWith('.') ||
    collection.endsWith('.')
  ) {
    bad(
      `collection ${JSON.stringify(collection)} is not a valid bucket name; use letters, digits, "_" and inner "." (no "$", NUL, "system." prefix, leading or trailing ".").`,
    );
  }
  if (typeof location !== 'string') bad(`location must be a string such as 'media', got ${describe(location)}.`);
  let cleanLocation: string;
  try {
    cleanLocation = cleanPath(location, true);
  } catch (err) {
    if (err instanceof SuspiciousFileOperation)
      bad(`location ${JSON.stringify(location)} is not a relative path: ${err.message}`);
    throw err;
  }
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !baseUrl.endsWith('/'))) {
    bad(
      `baseUrl must be a string that ends in "/", such as '/media/' or 'https://cdn.example.com/media/'; got ${describe(baseUrl)}.`,
    );
  }
  if (
    connection !== undefined &&
    (typeof connection !== 'object' || connection === null || !('getClient' in connection))
  ) {
    bad('connection must be a Mongoose Connection (mongoose.connection, mongoose.createConnection(…) or connect(…)).');
  }
  if (
    chunkSizeBytes !== undefined &&
    (!Number.isInteger(chunkSizeBytes) || chunkSizeBytes < 1 || chunkSizeBytes > 15 * 1024 * 1024)
  ) {
    bad(`chunkSizeBytes must be an integer from 1 to 15 MiB, got ${describe(chunkSizeBytes)}.`);
  }
  if (!LAYOUTS.includes(layout)) {
    bad(`layout must be one of ${LAYOUTS.map((l) => `'${l}'`).join(', ')}, got ${describe(layout)}.`);
  }
  if (layout !== 'flat' && /[.$]/.test(cleanLocation)) {
    bad(
      `location ${JSON.stringify(location)} has a "." or "$", which djongo's layout (layout: '${layout}') would put ` +
        'in a bucket name, where "." separates buckets; use a location without them, or layout: \'flat\'.',
    );
  }
  return { collection, location: cleanLocation, baseUrl, connection, chunkSizeBytes, layout };
}
