// What the ENFORCE_SCHEMA test files share: a lax connection (with command
// monitoring) and a strict one on this file's database, dropped after the
// file, and the raw driver collection to plant documents with.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { MigrationError } from '../../core/errors.js';
import { connect } from '../../core/connect.js';
import { databaseName, server } from './server.js';

/** The Blog of the seed's v1 → v2 story, every field nullable. */
export interface BlogRaw {
  name?: string | null;
  tagline?: string | null;
  description?: string | null;
}

/**
 * Opens the lax and strict connections for the test file at `url`.
 *
 * @example
 * ```ts
 * const { NAME, lax, strict, raw } = await schemaModeConnections(import.meta.url);
 * await raw('blog').insertOne({ name: 'Beatles Blog' });
 * ```
 */
export async function schemaModeConnections(url: string) {
  const NAME = databaseName(url);
  const lax = await connect({ NAME, CLIENT: { host: server.uri, monitorCommands: true } });
  const strict = await connect({ NAME, ENFORCE_SCHEMA: true, CLIENT: { host: server.uri } });
  after(async () => {
    await lax.dropDatabase().catch(() => undefined);
    await Promise.all([lax.close(), strict.close()]);
  });
  const raw = (collection: string) => lax.getClient().db(NAME).collection(collection);
  return { NAME, lax, strict, raw };
}

/** The MigrationError that `read` rejects with; fails the test when it resolves or rejects with another error. */
export async function migrationError(read: () => PromiseLike<unknown>): Promise<MigrationError> {
  const err = await Promise.resolve()
    .then(read)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  assert.ok(err instanceof MigrationError, `expected MigrationError, got ${String(err)}`);
  return err;
}
