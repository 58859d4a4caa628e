// Whether `migrate` has created a model's collection, for strict writes.
import type { Connection } from 'mongoose';

// Only collections seen to exist are remembered: a later `migrate` must be
// seen straight away, and a collection is far more often created than dropped.
// Keyed by the Connection, since useDb() children name other databases.
const seen = new WeakMap<Connection, Set<string>>();
// One listCollections at a time per connection, shared by concurrent writes.
const pending = new WeakMap<Connection, Promise<ReadonlySet<string>>>();

async function listNames(connection: Connection): Promise<ReadonlySet<string>> {
  const db = connection.getClient().db(connection.name);
  // No name filter: mongo-java-server ignores listCollections' filter, so
  // every name is listed and compared here.
  const found = await db.listCollections({}, { nameOnly: true }).toArray();
  return new Set(found.map((c) => c.name));
}

/**
 * Whether the collection exists on the connection's database. A yes is
 * cached per connection; a no is asked again on the next call. A collection
 * dropped after a yes is not noticed until {@link forgetCollections}.
 *
 * @example
 * ```ts no-check
 * if (!(await collectionExists(Entry.db, Entry.collection.collectionName))) throw new MigrationError(…);
 * ```
 */
export async function collectionExists(connection: Connection, name: string): Promise<boolean> {
  if (seen.get(connection)?.has(name)) return true;
  let listing = pending.get(connection);
  if (!listing) {
    await connection.asPromise();
    listing = listNames(connection).finally(() => pending.delete(connection));
    pending.set(connection, listing);
  }
  const names = await listing;
  let known = seen.get(connection);
  if (!known) seen.set(connection, (known = new Set()));
  for (const n of names) known.add(n);
  return names.has(name);
}

/**
 * Forgets which collections were seen on a connection, e.g. after dropping
 * one, so the next strict write checks again.
 *
 * @example
 * ```ts
 * await conn.dropCollection('entry');
 * forgetCollections(conn);
 * ```
 */
export function forgetCollections(connection: Connection): void {
  seen.delete(connection);
}
