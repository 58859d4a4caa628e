// A least-recently-used cache bounded by count and by bytes. Caches keyed by
// what users send (filter keys under JSON fields, lookup values) must not
// grow with it: an entry too big is not kept at all, and the least recently
// used entries go once either bound is passed. A Map keeps insertion order,
// so moving an entry to the young end is a delete and a set; a hit does that
// only once the entry has aged past half the capacity, so the hot keys of a
// query path cost one Map lookup, and what is evicted is still never an entry
// used within the last maxEntries / 2 insertions.

/** Limits for a {@link BoundedCache}. */
export interface BoundedCacheLimits<K, V> {
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Most bytes kept, as {@link BoundedCacheLimits.sizeOf} counts them. */
  readonly maxBytes: number;
  /** An entry's size in bytes, approximately: strings count 2 bytes a character. */
  readonly sizeOf: (key: K, value: V) => number;
  /** Entries above this size are never kept; default a quarter of maxBytes. */
  readonly maxEntryBytes?: number;
}

/**
 * A cache that keeps at most `maxEntries` entries and `maxBytes` bytes,
 * dropping the least recently used first.
 *
 * @example
 * ```ts
 * const cache = new BoundedCache<string, RegExp>({ maxEntries: 256, maxBytes: 1 << 20, sizeOf: (k) => 4 * k.length });
 * cache.set('^Hey', /^Hey/);
 * cache.get('^Hey'); // /^Hey/
 * ```
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; bytes: number; stamp: number }>();
  readonly #limits: Required<BoundedCacheLimits<K, V>>;
  readonly #promoteAfter: number;
  #bytes = 0;
  /** Counts insertions and moves to the young end. */
  #stamp = 0;

  constructor(limits: BoundedCacheLimits<K, V>) {
    this.#limits = { maxEntryBytes: Math.floor(limits.maxBytes / 4), ...limits };
    this.#promoteAfter = Math.max(1, Math.floor(limits.maxEntries / 2));
  }

  /** Entries kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes kept now, as sizeOf counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The value for `key`, now the most recently used; undefined when not kept. */
  get(key: K): V | undefined {
    const found = this.#entries.get(key);
    if (!found) return undefined;
    if (this.#stamp - found.stamp >= this.#promoteAfter) {
      this.#entries.delete(key);
      found.stamp = ++this.#stamp;
      this.#entries.set(key, found);
    }
    return found.value;
  }

  /** Keeps `value` for `key` unless it is too big, dropping the oldest entries past either bound. */
  set(key: K, value: V): void {
    this.delete(key);
    const bytes = this.#limits.sizeOf(key, value);
    if (bytes > this.#limits.maxEntryBytes) return;
    this.#entries.set(key, { value, bytes, stamp: ++this.#stamp });
    this.#bytes += bytes;
    while (this.#entries.size > this.#limits.maxEntries || this.#bytes > this.#limits.maxBytes) {
      const oldest = this.#entries.keys().next().value as K;
      this.delete(oldest);
    }
  }

  /** Forgets `key`. */
  delete(key: K): void {
    const found = this.#entries.get(key);
    if (!found) return;
    this.#entries.delete(key);
    this.#bytes -= found.bytes;
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
