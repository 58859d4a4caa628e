// The storage tests run on both GridFS layouts: these helpers look at what a
// storage wrote whatever its layout, through the plain driver.
import type mongoose from 'mongoose';
import type { GridFSStorage } from '../../storage/index.js';
import type { GridFSLayout } from '../../storage/layout.js';
import { subBuckets } from '../../storage/layout-detect.js';

export const BOTH_LAYOUTS: readonly GridFSLayout[] = ['flat', 'djongo'];

/** The storage's buckets: its top-level bucket and (djongo's layout) its sub-buckets. */
export async function bucketsOf(storage: GridFSStorage): Promise<string[]> {
  const { db } = await storage.bucket();
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  return [storage.collection, ...subBuckets(names, storage.collection)];
}

/** Files and chunks documents in all of the storage's buckets. */
export async function storedCounts(storage: GridFSStorage): Promise<{ files: number; chunks: number }> {
  const { db } = await storage.bucket();
  let files = 0;
  let chunks = 0;
  for (const bucket of await bucketsOf(storage)) {
    files += await db.collection(`${bucket}.files`).countDocuments({});
    chunks += await db.collection(`${bucket}.chunks`).countDocuments({});
  }
  return { files, chunks };
}

/** The raw files collection and GridFS filename of a stored name. */
export async function rawPlace(
  storage: GridFSStorage,
  name: string,
): Promise<{ files: mongoose.mongo.Collection; bucket: string; filename: string }> {
  const { db } = await storage.bucket();
  const { bucket, filename } = await storage.place(name);
  return { files: db.collection(`${bucket}.files`), bucket, filename };
}
