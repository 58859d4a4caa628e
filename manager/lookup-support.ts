// Whether a connection's server runs the $lookup stage. It is not asked
// ahead: a join is sent, and a server that refuses the stage (FerretDB v1:
// `aggregate stage "$lookup" is not implemented yet`) is remembered per
// MongoClient (a WeakSet: it goes with the client), noted once, and read
// the other way from then on, so it costs one refused command per client.
import mongoose, { type Connection } from 'mongoose';
import { connectionNote } from '../core/connect.js';

const refusing = new WeakSet<object>();

// NotImplemented (FerretDB) and "Unrecognized pipeline stage name" (MongoDB's 40324).
const REFUSED_CODES: ReadonlySet<unknown> = new Set([238, 40324]);

function clientOf(connection: Connection): object | undefined {
  try {
    return connection.getClient();
  } catch {
    return undefined;
  }
}

/**
 * Whether `err` is a server's refusal of the $lookup stage itself (not an
 * error of the query it was in).
 *
 * @example
 * ```ts
 * isLookupRefusal(err); // true on FerretDB v1.24 for any pipeline with a $lookup
 * ```
 */
export function isLookupRefusal(err: unknown): boolean {
  return (
    err instanceof mongoose.mongo.MongoServerError && REFUSED_CODES.has(err.code) && err.message.includes('$lookup')
  );
}

/**
 * Runs `join` (a read with $lookup stages), or `fallback` where the server
 * is known to refuse $lookup; a refusal of `join` is remembered for the
 * connection's client, and `fallback` gives the answer. Only reads go
 * through here: a refused pipeline changed nothing.
 *
 * @example
 * ```ts
 * const books = await joinOr(Book.db, 'Book', () => readJoined(), () => readPopulated());
 * ```
 */
export async function joinOr<T>(
  connection: Connection,
  modelName: string,
  join: () => Promise<T>,
  fallback: () => Promise<T>,
): Promise<T> {
  const client = clientOf(connection);
  if (client && refusing.has(client)) return fallback();
  try {
    return await join();
  } catch (err) {
    if (!isLookupRefusal(err)) throw err;
    if (client) remember(connection, client, modelName);
    return fallback();
  }
}

/**
 * Whether the connection's server is known to refuse $lookup: a cursor
 * that must choose before its first read asks here.
 *
 * @example
 * ```ts
 * if (lookupRefused(Book.db)) { … } // read with populate instead
 * ```
 */
export function lookupRefused(connection: Connection): boolean {
  const client = clientOf(connection);
  return client !== undefined && refusing.has(client);
}

/**
 * Remembers that the connection's server refused $lookup.
 *
 * @example
 * ```ts
 * rememberLookupRefused(Book.db, 'Book');
 * ```
 */
export function rememberLookupRefused(connection: Connection, modelName: string): void {
  const client = clientOf(connection);
  if (client) remember(connection, client, modelName);
}

function remember(connection: Connection, client: object, modelName: string): void {
  if (refusing.has(client)) return;
  refusing.add(client);
  connectionNote(connection)?.(
    `${modelName}: the server refused $lookup; selectRelated reads the referenced documents with populate ` +
      '(one more find() per reference) on this connection from now on.',
    { event: 'lookupFallback', model: modelName },
  );
}
