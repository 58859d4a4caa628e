// What a test file needs to know about the server of this run, and its own
// database on it.
import { after } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { CAPABILITIES, GAPS, type Capability } from '../harness/capabilities.js';
import { SERVER_NAMES, type ServerKind } from '../harness/identify.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through \`npm test\`.`);
  return value;
}

/** The server of this run, as the harness identified it. */
export const server = {
  get uri(): string {
    return required('DJONGOOSE_TEST_URI');
  },
  get kind(): ServerKind {
    return required('DJONGOOSE_TEST_SERVER') as ServerKind;
  },
  get name(): string {
    return SERVER_NAMES[this.kind];
  },
  /** `host:port` of the server, for settings' CLIENT.host. */
  get hostPort(): { host: string; port: number } {
    const url = new URL(this.uri.replace(/^mongodb:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 27017) };
  },
};

/**
 * A skip reason when this run's server lacks the capability, else false, for
 * node:test's `skip` option: `test('…', { skip: lacks('lookup') }, …)`.
 */
export function lacks(capability: Capability): string | false {
  return GAPS[server.kind].includes(capability)
    ? `${server.name} lacks ${capability}: ${CAPABILITIES[capability]}`
    : false;
}

/** A database name of the test file's own, unique to this process. */
export function databaseName(importMetaUrl: string): string {
  const base = path
    .basename(fileURLToPath(importMetaUrl))
    .replace(/\.test\.ts$/, '')
    .replace(/\W+/g, '_');
  return `t_${base}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.slice(0, 60);
}

/**
 * A connection to a fresh database for this test file, dropped after the
 * file's tests. Await it at the top level of the file or inside a test, not
 * in a `before` hook (whose `after` would run straight away).
 */
export async function openTestDatabase(importMetaUrl: string, options: ConnectOptions = {}): Promise<Connection> {
  const connection = await mongoose
    .createConnection(server.uri, { dbName: databaseName(importMetaUrl), serverSelectionTimeoutMS: 10_000, ...options })
    .asPromise();
  after(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });
  return connection;
}

/**
 * The model, once Mongoose's init (its collection and indexes) is done: for
 * a test file that seeds a model it has just compiled. mongo-java-server
 * creates a collection without locking out a concurrent implicit creation
 * (AbstractMongoDatabase.createCollectionOrThrowIfExists checks, then
 * creates, outside the database lock), so documents inserted while
 * autoCreate's `create` is in flight can be lost: seen once, on a loaded
 * machine, as every lookups test finding nothing.
 *
 * @example
 * ```ts
 * const Entry = await ready(entryModel(conn));
 * await Entry.insertMany(SEED);
 * ```
 */
export async function ready<M extends { init(): Promise<unknown> }>(model: M): Promise<M> {
  await model.init();
  return model;
}
