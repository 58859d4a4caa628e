// Django's listdir over names that carry their directories. Names under
// `dir/` form one contiguous range of the unique index on filename
// (`dir/` ≤ name < `dir0`, since "0" follows "/"). Files are read in index
// order; at the first name inside a subdirectory, the walk records it and
// jumps past the whole subdirectory with a new range query, so a directory
// with a few files and deep subtrees costs a few small index scans.
import type { FilesCollection } from './bucket.js';
import type { StorageBuckets } from './buckets.js';
import { directoryBucket } from './layout.js';
import { collectionNames, subBuckets } from './layout-detect.js';
import { cleanPath, joinLocation } from './names.js';

/** What `listdir` returns: the names directly inside a directory. */
export interface DirectoryListing {
  readonly directories: string[];
  readonly files: string[];
}

/** The smallest string greater than every string that starts with `prefix`… followed by `/`. */
const pastDirectory = (prefix: string): string => `${prefix}0`;

/**
 * Lists the directory whose full stored path is `dir` (`''`: the bucket root).
 *
 * @example
 * ```ts
 * await listDirectory(files, 'media/avatars'); // { directories: ['2026'], files: ['default.png'] }
 * ```
 */
export async function listDirectory(files: FilesCollection, dir: string): Promise<DirectoryListing> {
  const start = dir === '' ? '' : `${dir}/`;
  const upper = dir === '' ? undefined : pastDirectory(dir);
  const directories: string[] = [];
  const names = new Set<string>();
  let from = start;
  for (;;) {
    const range = upper === undefined ? { $gte: from } : { $gte: from, $lt: upper };
    const cursor = files
      .find({ filename: range }, { projection: { _id: 0, filename: 1 } })
      .sort({ filename: 1 })
      .batchSize(200);
    let jumped = false;
    for await (const { filename } of cursor) {
      const rest = filename.slice(start.length);
      const slash = rest.indexOf('/');
      if (slash === -1) {
        names.add(rest);
        continue;
      }
      const sub = rest.slice(0, slash);
      directories.push(sub);
      from = pastDirectory(start + sub);
      jumped = true;
      break;
    }
    await cursor.close();
    if (!jumped) break;
  }
  return { directories: directories.sort(), files: [...names].sort() };
}

/**
 * Lists a directory in djongo's layout: its files are the bucket's names,
 * its directories the next segment of every sub-bucket (`<bucket>.<dir>…`).
 * djongo 1.3.7's own listdir means this but fails (it reads a private name
 * of pymongo's GridFS that does not exist), and would list every deeper
 * sub-bucket's last segment and the buckets that merely start with the
 * name (`myfiles2` under `myfiles`); this lists the direct children only.
 *
 * @example
 * ```ts
 * await listBucketDirectory(files, collectionNames, 'myfiles.docs'); // { directories: ['2026'], files: ['report.txt'] }
 * ```
 */
export async function listBucketDirectory(
  files: FilesCollection,
  collectionNames: readonly string[],
  bucket: string,
): Promise<DirectoryListing> {
  const names = new Set<string>();
  const cursor = files.find({}, { projection: { _id: 0, filename: 1 } }).batchSize(500);
  for await (const { filename } of cursor) names.add(filename);
  const directories = new Set(
    subBuckets(collectionNames, bucket).map((sub) => sub.slice(bucket.length + 1).split('.')[0] as string),
  );
  return { directories: [...directories].sort(), files: [...names].sort() };
}

/**
 * Django's listdir for a storage: the directories and files directly in
 * `path` (`''`: the location's root), each sorted, in whichever layout the
 * storage's buckets use.
 *
 * @example
 * ```ts
 * await listStorageDirectory(buckets, { collection: 'myfiles', location: '' }, 'avatars'); // { directories: ['2026'], files: ['default.png'] }
 * ```
 */
export async function listStorageDirectory(
  buckets: StorageBuckets,
  { collection, location }: { readonly collection: string; readonly location: string },
  path: string,
): Promise<DirectoryListing> {
  const dir = cleanPath(path, true);
  if ((await buckets.layout()) === 'flat') {
    const { files } = await buckets.bucket(collection);
    return listDirectory(files, joinLocation(location, dir));
  }
  const bucket = directoryBucket(collection, location, dir);
  const open = await buckets.bucket(bucket);
  return listBucketDirectory(open.files, await collectionNames(open.db), bucket);
}
