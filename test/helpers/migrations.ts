// What the migration tests share: a fresh migrations folder, models built
// on an unopened connection (the state reads only the schema), and a
// makemigrations → migrate round trip through the API.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { type Schema } from 'mongoose';
import type { CommandModel } from '../../cli/models.js';

/** A new empty folder for migration files. */
export function migrationsDir(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-migrations-')), 'migrations');
}

/** A model for the autodetector, on a connection of its own (never opened). */
export function modelOf(name: string, schema: Schema, collection?: string): CommandModel {
  return mongoose.createConnection().model(name, schema, collection);
}
