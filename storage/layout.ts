// Where a storage name lives in GridFS, in each of the two layouts. In the
// flat layout the whole path is the GridFS filename in one bucket. In
// djongo's layout (djongo 1.3.7's GridFSStorage._get_gridfs) the directory
// part is a bucket suffix, `docs/report.txt` → bucket `myfiles.docs`, filename
// `report.txt`, so a directory segment becomes part of a collection name: a
// "." in it would forge another bucket (`a.files/x`, `a.b/x` = `a/b/x`), and
// "$" is not allowed in collection names. Both are refused here, before any
// name reaches the server, so a name maps only to `<collection>` or
// `<collection>.<dir>…` buckets.
import { SuspiciousFileOperation } from '../core/errors.js';
import { cleanPath, joinLocation } from './names.js';

/** How names map to GridFS: `'djongo'` (directories are bucket suffixes) or `'flat'` (path in the filename). */
export type GridFSLayout = 'djongo' | 'flat';

/** A storage's `layout` option: a layout, or `'auto'` to read it from the database. */
export type GridFSLayoutOption = GridFSLayout | 'auto';

export const LAYOUTS: readonly GridFSLayoutOption[] = ['auto', 'djongo', 'flat'];

/** Where one name is stored: a bucket and the GridFS filename in it. */
export interface StoredPlace {
  readonly bucket: string;
  readonly filename: string;
}

/**
 * MongoDB's limit on a namespace (`<database>.<collection>`), in UTF-8 bytes
 * (MongoDB 4.4 and later); a bucket's longest collection is `<bucket>.chunks`.
 */
export const NAMESPACE_LIMIT = 255;

// "." separates bucket segments; "$" and NUL are refused in collection names.
const NOT_IN_DIRECTORY = /[.$]/;

/**
 * Checks the directory segments of a cleaned path for djongo's layout.
 *
 * @example
 * ```ts
 * checkDirectories('a.files/x.txt', 'a.files/x.txt'); // SuspiciousFileOperation
 * ```
 */
function checkDirectories(dirs: readonly string[], original: string): void {
  for (const dir of dirs) {
    // Look-alikes too (fullwidth "．", "＄"), as cleanPath checks them for "..".
    if (NOT_IN_DIRECTORY.test(dir.normalize('NFKC'))) {
      throw new SuspiciousFileOperation(
        `The file name ${JSON.stringify(original)} has the directory ${JSON.stringify(dir)}, which cannot be a bucket ` +
          `suffix in djongo's GridFS layout: "." separates buckets (so it would name another bucket) and "$" is not ` +
          'allowed in a collection name. Directories may hold any character but ".", "$", "/" and "\\"; ' +
          'the file name itself may hold dots.',
        original,
      );
    }
  }
}

/**
 * The bucket and GridFS filename of `name` (relative to `location`) in a
 * layout. `name` is cleaned as {@link cleanPath} cleans it; suspicious names
 * raise {@link SuspiciousFileOperation}.
 *
 * @example
 * ```ts
 * placeOf('djongo', 'myfiles', '', 'docs/report.txt'); // { bucket: 'myfiles.docs', filename: 'report.txt' }
 * placeOf('flat', 'myfiles', '', 'docs/report.txt'); // { bucket: 'myfiles', filename: 'docs/report.txt' }
 * ```
 */
export function placeOf(layout: GridFSLayout, collection: string, location: string, name: string): StoredPlace {
  const full = joinLocation(location, cleanPath(name));
  if (layout === 'flat') return { bucket: collection, filename: full };
  const parts = full.split('/');
  const filename = parts.pop() as string;
  checkDirectories(parts, name);
  return { bucket: [collection, ...parts].join('.'), filename };
}

/**
 * The bucket that holds the files directly in directory `path` (djongo's
 * layout), checked as {@link placeOf} checks names.
 *
 * @example
 * ```ts
 * directoryBucket('myfiles', 'media', 'docs/2026'); // 'myfiles.media.docs.2026'
 * ```
 */
export function directoryBucket(collection: string, location: string, path: string): string {
  const full = joinLocation(location, cleanPath(path, true));
  if (full === '') return collection;
  const parts = full.split('/');
  checkDirectories(parts, path);
  return [collection, ...parts].join('.');
}

/**
 * The storage name (relative to `location`) of a GridFS file: the inverse of
 * {@link placeOf}.
 *
 * @example
 * ```ts
 * nameOf('djongo', 'myfiles', '', { bucket: 'myfiles.docs', filename: 'report.txt' }); // 'docs/report.txt'
 * ```
 */
export function nameOf(layout: GridFSLayout, collection: string, location: string, place: StoredPlace): string {
  const full =
    layout === 'flat' || place.bucket === collection
      ? place.filename
      : `${place.bucket
          .slice(collection.length + 1)
          .split('.')
          .join('/')}/${place.filename}`;
  return location === '' ? full : full.slice(location.length + 1);
}

/**
 * Refuses a bucket whose collections would pass MongoDB's namespace limit in
 * `database` (a deep or long directory in djongo's layout).
 *
 * @example
 * ```ts
 * checkNamespace('blog', 'myfiles.' + 'd'.repeat(300), 'x/y'); // SuspiciousFileOperation
 * ```
 */
export function checkNamespace(database: string, bucket: string, original: string): void {
  const bytes = Buffer.byteLength(`${database}.${bucket}.chunks`);
  if (bytes > NAMESPACE_LIMIT) {
    throw new SuspiciousFileOperation(
      `The file name ${JSON.stringify(original.slice(0, 60))}${original.length > 60 ? '…' : ''} needs the GridFS ` +
        `bucket ${JSON.stringify(bucket.slice(0, 60))}…, whose collection "${database}.<bucket>.chunks" would be ` +
        `${bytes} bytes long; MongoDB accepts at most ${NAMESPACE_LIMIT}. In djongo's layout every directory is ` +
        'part of a collection name: use shorter or fewer directories.',
      original,
    );
  }
}
