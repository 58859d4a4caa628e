// Which server is behind a URI? The harness knows what it started, but a
// MONGODB_URI can point anywhere, so tests ask the server itself.
import mongoose from 'mongoose';

export type ServerKind = 'ferretdb' | 'mongo-java-server' | 'mongodb';

export interface ServerIdentity {
  readonly kind: ServerKind;
  /** Human name, e.g. "FerretDB". */
  readonly name: string;
  /** The MongoDB version the server claims to be. */
  readonly mongodbVersion: string;
  /** FerretDB's own version, when it reports one. */
  readonly ferretdbVersion?: string;
}

export const SERVER_NAMES: Record<ServerKind, string> = {
  ferretdb: 'FerretDB',
  'mongo-java-server': 'mongo-java-server',
  mongodb: 'MongoDB',
};

/**
 * FerretDB reports `ferretdbVersion` in buildInfo. mongo-java-server has no
 * `hello` command (the driver falls back to isMaster). Anything else is taken
 * for MongoDB.
 */
export async function identifyServer(uri: string): Promise<ServerIdentity> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const admin = client.db('admin');
    const info = await admin.command({ buildInfo: 1 });
    const mongodbVersion = String(info['version']);
    if (typeof info['ferretdbVersion'] === 'string') {
      return {
        kind: 'ferretdb',
        name: SERVER_NAMES.ferretdb,
        mongodbVersion,
        ferretdbVersion: info['ferretdbVersion'],
      };
    }
    const hasHello = await admin.command({ hello: 1 }).then(
      () => true,
      (err: unknown) => !/no such command/i.test(String((err as Error).message)),
    );
    const kind: ServerKind = hasHello ? 'mongodb' : 'mongo-java-server';
    return { kind, name: SERVER_NAMES[kind], mongodbVersion };
  } finally {
    await client.close();
  }
}
