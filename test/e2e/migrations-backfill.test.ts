// What a backfill costs in reads: the documents of the collection are read
// once, by the one updateMany that changes them, even with a progress bar.
// The commands the driver sends are watched (command monitoring), so the
// test holds on any server without timing anything.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Schema, type mongo } from 'mongoose';
import { applyMigrations, makeMigrations, type OperationProgress } from '../../cli/api.js';
import { migrationsDir, modelOf } from '../helpers/migrations.js';
import { openTestDatabase, server } from '../helpers/server.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });

const blog = (fields: Record<string, unknown>) => new Schema(fields, { versionKey: false });

/** The commands sent to `collection` while `work` runs, by name, with what they filter on. */
async function commandsOn(collection: string, work: () => Promise<unknown>): Promise<mongo.Document[]> {
  const seen: mongo.Document[] = [];
  const watch = (event: mongo.CommandStartedEvent): void => {
    if (event.command[event.commandName] === collection) seen.push(event.command);
  };
  const client = conn.getClient();
  client.on('commandStarted', watch);
  try {
    await work();
  } finally {
    client.off('commandStarted', watch);
  }
  return seen;
}

/** Commands that read the collection's documents: any with a non-empty filter, or a pipeline. */
function readsDocuments(command: mongo.Document): boolean {
  const name = Object.keys(command)[0];
  if (name === 'aggregate' || name === 'find' || name === 'distinct') return true;
  if (name === 'count') return Object.keys((command['query'] as object | undefined) ?? {}).length > 0;
  return name === 'update' || name === 'delete';
}

describe(`AddField's backfill reads the collection once, on ${server.name}`, () => {
  test('with a progress bar, forwards and backwards: one updateMany, a count from metadata, counts from the update', async () => {
    const dir = migrationsDir();
    await makeMigrations([modelOf('Blog', blog({ name: String }))], { migrations: dir });
    await applyMigrations(conn, { migrations: dir });
    await conn
      .db!.collection('blogs')
      .insertMany([{ name: 'Beatles' }, { name: 'Stones', note: 'kept' }, { name: 'Who' }]);
    await makeMigrations([modelOf('Blog', blog({ name: String, note: { type: String, default: 'none yet' } }))], {
      migrations: dir,
    });

    const progress: OperationProgress[] = [];
    let report: Awaited<ReturnType<typeof applyMigrations>> | undefined;
    const forwards = await commandsOn('blogs', async () => {
      report = await applyMigrations(conn, { migrations: dir, onProgress: (p) => progress.push(p) });
    });
    // Before, the bar's total was a countDocuments of the documents lacking the field: a second full read.
    const reads = forwards.filter(readsDocuments);
    assert.deepEqual(
      reads.map((c) => Object.keys(c)[0]),
      ['update'],
      `the collection is read once, by the updateMany; read by: ${JSON.stringify(reads)}`,
    );
    const [statement] = (reads[0]?.['updates'] ?? []) as mongo.Document[];
    assert.deepEqual(
      [statement?.['q'], statement?.['u'], statement?.['multi']],
      [{ note: { $exists: false } }, { $set: { note: 'none yet' } }, true],
    );
    // The bar runs over the collection's documents; the summary counts the documents changed.
    assert.deepEqual(progress, [
      { label: 'Add field note to Blog', done: 0, total: 3 },
      { label: 'Add field note to Blog', done: 3, total: 3 },
    ]);
    assert.equal(report?.runs[0]?.results[0]?.modified, 2);
    assert.equal(await conn.db!.collection('blogs').countDocuments({ note: 'none yet' }), 2);

    const backwards = await commandsOn('blogs', () =>
      applyMigrations(conn, { migrations: dir, target: '0001_initial', onProgress: () => undefined }),
    );
    assert.deepEqual(
      backwards.filter(readsDocuments).map((c) => Object.keys(c)[0]),
      ['update'],
      'the reverse (RemoveField) reads the collection once too',
    );
    assert.equal(await conn.db!.collection('blogs').countDocuments({ note: { $exists: true } }), 0);
  });
});
