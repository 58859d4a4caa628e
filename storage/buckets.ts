// The buckets behind one storage: its layout (given, or read from the
// database once), and the buckets its names map to, each opened once and
// given its unique name index before its first save. In djongo's layout a
// storage has a bucket per directory, so both caches are bounded: an evicted
// bucket is simply opened (and its index ensured, which is idempotent) again.
import type { Connection } from 'mongoose';
import { BoundedCache } from '../core/bounded-cache.js';
import { ensureNameIndex, openBucket, type OpenBucket } from './bucket.js';
import { checkNamespace, nameOf, placeOf, type GridFSLayout, type GridFSLayoutOption } from './layout.js';
import { detectLayout } from './layout-detect.js';
import { cleanPath } from './names.js';

/** Where a name is stored, with its bucket open. */
export interface OpenPlace {
  readonly open: OpenBucket;
  readonly bucket: string;
  readonly filename: string;
  readonly layout: GridFSLayout;
}

const limits = <V>(): ConstructorParameters<typeof BoundedCache<string, V>>[0] => ({
  maxEntries: 256,
  maxBytes: 1 << 20,
  sizeOf: (key) => 2 * key.length + 64,
});

/** What a storage tells its buckets. */
export interface BucketsConfig {
  readonly collection: string;
  readonly location: string;
  readonly layout: GridFSLayoutOption;
  readonly chunkSizeBytes: number | undefined;
  readonly connection: () => Connection;
}

/**
 * The layout and the open buckets of one storage.
 *
 * @example
 * ```ts
 * const buckets = new StorageBuckets({ collection: 'myfiles', location: '', layout: 'auto', chunkSizeBytes: undefined, connection: () => conn });
 * const { open, filename } = await buckets.place('docs/report.txt');
 * ```
 */
export class StorageBuckets {
  readonly #config: BucketsConfig;
  readonly #open = new BoundedCache<string, Promise<OpenBucket>>(limits());
  readonly #indexed = new BoundedCache<string, Promise<void>>(limits());
  #layout: Promise<GridFSLayout> | undefined;

  constructor(config: BucketsConfig) {
    this.#config = config;
  }

  /** The layout: the option, or (for `'auto'`) what the database holds, read once. */
  layout(): Promise<GridFSLayout> {
    const { layout, collection } = this.#config;
    if (layout !== 'auto') return Promise.resolve(layout);
    this.#layout ??= this.bucket(collection)
      .then((open) => detectLayout(open.db, collection))
      .then((found) => found.layout)
      .catch((err: unknown) => {
        this.#layout = undefined;
        throw err;
      });
    return this.#layout;
  }

  /** The bucket named `name`, opened once the connection is open. */
  bucket(name: string): Promise<OpenBucket> {
    let open = this.#open.get(name);
    if (open === undefined) {
      open = openBucket(this.#config.connection(), name, this.#config.chunkSizeBytes);
      open.catch(() => this.#open.delete(name));
      this.#open.set(name, open);
    }
    return open;
  }

  /** Ensures the bucket's unique name index, once. */
  async indexed(open: OpenBucket, name: string): Promise<void> {
    let indexed = this.#indexed.get(name);
    if (indexed === undefined) {
      indexed = ensureNameIndex(open.files, name);
      indexed.catch(() => this.#indexed.delete(name));
      this.#indexed.set(name, indexed);
    }
    await indexed;
  }

  /** Where `name` is stored, its bucket open; suspicious names raise SuspiciousFileOperation. */
  async place(name: string): Promise<OpenPlace> {
    const { collection, location } = this.#config;
    cleanPath(name); // a suspicious name is refused before the database is asked anything
    const layout = await this.layout();
    const { bucket, filename } = placeOf(layout, collection, location, name);
    const open = await this.bucket(bucket);
    if (bucket !== collection) checkNamespace(open.db.databaseName, bucket, name);
    return { open, bucket, filename, layout };
  }

  /** The storage name of `filename` in `bucket`. */
  nameOf(layout: GridFSLayout, bucket: string, filename: string): string {
    return nameOf(layout, this.#config.collection, this.#config.location, { bucket, filename });
  }
}
