// A database of its own and an empty migrations folder per CLI test, with
// the arguments that point the CLI at both; the databases are dropped when
// the test file ends.
import { after } from 'node:test';
import mongoose from 'mongoose';
import { migrationsDir } from './migrations.js';
import { databaseName, server } from './server.js';

/** A test's database, its migrations folder (not made yet), and `--uri … --db … --migrations …`. */
export interface CliDatabase {
  readonly name: string;
  readonly conn: mongoose.Connection;
  readonly db: mongoose.mongo.Db;
  readonly dir: string;
  readonly target: string[];
}

/** A maker of fresh databases for the test file at `url` (its `import.meta.url`). */
export function cliDatabases(url: string): () => Promise<CliDatabase> {
  const conns: mongoose.Connection[] = [];
  after(async () => {
    for (const conn of conns) {
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    }
  });
  return async () => {
    const name = databaseName(url);
    const conn = await mongoose
      .createConnection(server.uri, { dbName: name, serverSelectionTimeoutMS: 10_000 })
      .asPromise();
    conns.push(conn);
    const dir = migrationsDir();
    return { name, conn, db: conn.db!, dir, target: ['--uri', server.uri, '--db', name, '--migrations', dir] };
  };
}
