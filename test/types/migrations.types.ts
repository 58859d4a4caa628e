// Type tests for migration files: a file's literal is checked against the
// operations, so a misspelt op, a missing backfill or a RunScript without
// `up` fails to compile. Each line marked as an expected error must fail.
import type { Connection } from 'mongoose';
import { applyMigrations, defineMigration, makeMigrations, type Migration } from '../../cli/api.js';

const string = { type: 'String', required: false } as const;

export const ok: Migration = {
  dependencies: ['0001_initial'],
  operations: [
    { op: 'AddField', model: 'Blog', name: 'description', field: string, backfill: '' },
    { op: 'RenameField', model: 'Blog', from: 'title', to: 'name' },
    { op: 'RunScript', up: async ({ db }) => void (await db.collection('blogs').countDocuments()) },
  ],
};

defineMigration({
  dependencies: [],
  // @ts-expect-error no such operation
  operations: [{ op: 'AddColumn', model: 'Blog', name: 'x' }],
});

defineMigration({
  dependencies: [],
  // @ts-expect-error AddField needs the backfill value
  operations: [{ op: 'AddField', model: 'Blog', name: 'description', field: string }],
});

defineMigration({
  dependencies: [],
  // @ts-expect-error RunScript needs up
  operations: [{ op: 'RunScript', down: () => undefined }],
});

export async function options(conn: Connection) {
  await applyMigrations(conn, { migrations: './migrations', target: 'zero', fakeInitial: true });
  // @ts-expect-error target is a migration name
  await applyMigrations(conn, { target: 2 });
  // @ts-expect-error renames are old:new strings
  await makeMigrations([], { renames: [['title', 'name']] });
}
