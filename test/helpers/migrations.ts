// What the migration tests share: a fresh migrations folder, models built
// on an unopened connection (the state reads only the schema), and a
// makemigrations → migrate round trip through the API.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import mongoose, { type Connection, type Schema } from 'mongoose';
import type { CommandModel } from '../../cli/models.js';

/** A new empty folder for migration files. */
export function migrationsDir(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-migrations-')), 'migrations');
}

/** A model for the autodetector, on a connection of its own (never opened). */
export function modelOf(name: string, schema: Schema, collection?: string): CommandModel {
  return mongoose.createConnection().model(name, schema, collection);
}

/**
 * A maker of databases of a test's own, on the file's connection `base`,
 * each dropped when the file's tests end.
 */
export function freshDatabases(base: Connection): () => Connection {
  let counter = 0;
  const opened: Connection[] = [];
  after(async () => {
    for (const conn of opened) await conn.dropDatabase().catch(() => undefined);
  });
  return () => {
    const conn = base.useDb(`${base.name}_${++counter}`.slice(0, 60), { useCache: false });
    opened.push(conn);
    return conn;
  };
}
