// `layout: 'auto'`: the layout a storage's files are already in, read from
// the database once. Files at the top level are stored alike in both layouts,
// so only files in directories tell them apart: sub-buckets
// (`<collection>.<dir>.files`) are djongo's, names with "/" in the bucket are
// the flat layout's. A bucket with neither follows the database: one Django
// migrated (djongo's `django_migrations` collection) gets djongo's layout, so
// djongo can keep reading what Node writes; any other gets the flat layout.
import type mongoose from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';
import type { GridFSLayout } from './layout.js';

/** Why {@link detectLayout} chose its layout. */
export type LayoutEvidence = 'sub-buckets' | 'paths-in-bucket' | 'django-database' | 'new-database';

/** The layout found and why. */
export interface DetectedLayout {
  readonly layout: GridFSLayout;
  readonly evidence: LayoutEvidence;
}

/** Django's migration table, which djongo stores as a collection. */
export const DJANGO_MIGRATIONS = 'django_migrations';

/**
 * The names of the sub-buckets of `bucket` (djongo's layout), from the
 * database's collection names: every `<bucket>.<x>…` that has a `.files` or
 * `.chunks` collection.
 *
 * @example
 * ```ts
 * subBuckets(['myfiles.files', 'myfiles.docs.files', 'myfiles2.files'], 'myfiles'); // ['myfiles.docs']
 * ```
 */
export function subBuckets(collectionNames: readonly string[], bucket: string): string[] {
  const found = new Set<string>();
  for (const name of collectionNames) {
    const suffix = name.endsWith('.files') ? '.files' : name.endsWith('.chunks') ? '.chunks' : undefined;
    if (suffix === undefined || !name.startsWith(`${bucket}.`)) continue;
    const sub = name.slice(0, -suffix.length);
    if (sub.length > bucket.length) found.add(sub);
  }
  return [...found].sort();
}

/**
 * Every collection name of the database.
 *
 * @example
 * ```ts
 * await collectionNames(conn.db!); // ['__schema__', 'myfiles.files', …]
 * ```
 */
export async function collectionNames(db: mongoose.mongo.Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  return infos.map((info) => info.name);
}

/**
 * The layout of the storage over `collection`, read from the database.
 * A bucket holding files of both layouts raises {@link ImproperlyConfigured}.
 *
 * @example
 * ```ts
 * await detectLayout(conn.db!, 'myfiles'); // { layout: 'djongo', evidence: 'django-database' }
 * ```
 */
export async function detectLayout(db: mongoose.mongo.Db, collection: string): Promise<DetectedLayout> {
  const names = await collectionNames(db);
  const subs = subBuckets(names, collection);
  const withPath = names.includes(`${collection}.files`)
    ? await db.collection(`${collection}.files`).findOne({ filename: { $regex: '/' } }, { projection: { filename: 1 } })
    : null;
  if (subs.length > 0 && withPath) {
    throw new ImproperlyConfigured(
      `GridFSStorage(${JSON.stringify(collection)}): the bucket holds files in both layouts: sub-buckets such as ` +
        `${JSON.stringify(subs[0])} (djongo's) and names with directories such as ${JSON.stringify(withPath['filename'])} ` +
        "(the flat layout's). Move them into one with `djongoose gridfs-layout " +
        `${collection} --to djongo` +
        '` (or `--to flat`), or pass { layout } to choose.',
    );
  }
  if (subs.length > 0) return { layout: 'djongo', evidence: 'sub-buckets' };
  if (withPath) return { layout: 'flat', evidence: 'paths-in-bucket' };
  if (names.includes(DJANGO_MIGRATIONS)) return { layout: 'djongo', evidence: 'django-database' };
  return { layout: 'flat', evidence: 'new-database' };
}
