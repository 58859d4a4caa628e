// Indexes as the schema declares them, through makemigrations and migrate
// on the server of the run: compound keys in their order and direction, and
// each option migrations keep (partial, TTL, collation, text weights). A
// change of options is RemoveIndex + AddIndex; migrate applies it and
// migrating back restores the old index, then none.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Schema, type Connection } from 'mongoose';
import { applyMigrations, makeMigrations } from '../../cli/api.js';
import { NotSupportedError } from '../../core/errors.js';
import type { Capability } from '../harness/capabilities.js';
import { migrationsDir, modelOf, freshDatabases } from '../helpers/migrations.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';

const base = await openTestDatabase(import.meta.url);
/** A database of the test's own, on the file's connection. */
const freshDb = freshDatabases(base);

type Declared = readonly [Record<string, 1 | -1 | 'text'>, Record<string, unknown>] | undefined;

/** Blog with `index` declared (or none). */
function blog(index: Declared) {
  const schema = new Schema({ name: String, seen: Date, t: String }, { versionKey: false });
  if (index) schema.index(index[0], index[1]);
  return [modelOf('Blog', schema)];
}

/** The index `name` on blogs as the server lists it: its key and the options compared. */
async function listed(conn: Connection, name: string, options: readonly string[]) {
  const found = (await conn.db!.collection('blogs').indexes()).find((index) => index.name === name) as
    Record<string, unknown> | undefined;
  if (!found) return undefined;
  return Object.fromEntries([['key', found['key']], ...options.map((option) => [option, found[option]])]);
}

interface Case {
  readonly title: string;
  readonly needs?: Capability;
  /** The second and third migrations' index (the first has none). */
  readonly first: Declared;
  readonly then: Declared;
  /** What the file of the second migration says, readably. */
  readonly written: RegExp;
  readonly compared: readonly string[];
  /** MongoDB lists a text index's key as { _fts: 'text', _ftsx: 1 }: compared through its weights instead. */
  readonly keyListed?: false;
}

const CASES: readonly Case[] = [
  {
    title: 'compound keys: their order and direction',
    first: [{ name: 1, seen: -1 }, { name: 'recent' }],
    then: [{ seen: -1, name: 1 }, { name: 'recent' }],
    written: /keys: \{ name: 1, seen: -1 \}/,
    compared: [],
  },
  {
    title: 'partialFilterExpression',
    needs: 'partialIndexes',
    first: [{ name: 1 }, { name: 'named', unique: true, partialFilterExpression: { name: { $exists: true } } }],
    then: [{ name: 1 }, { name: 'named', unique: true, partialFilterExpression: { name: { $type: 'string' } } }],
    written: /partialFilterExpression: \{ name: \{ \$exists: true \} \}/,
    compared: ['unique', 'partialFilterExpression'],
  },
  {
    title: 'expireAfterSeconds (TTL)',
    needs: 'ttlIndexes',
    first: [{ seen: 1 }, { name: 'ttl', expireAfterSeconds: 3600 }],
    then: [{ seen: 1 }, { name: 'ttl', expireAfterSeconds: 60 }],
    written: /expireAfterSeconds: 3600/,
    compared: ['expireAfterSeconds'],
  },
  {
    title: 'collation',
    needs: 'collationIndexes',
    first: [{ name: 1 }, { name: 'folded', collation: { locale: 'en', strength: 2 } }],
    then: [{ name: 1 }, { name: 'folded', collation: { locale: 'fr', strength: 1 } }],
    written: /collation: \{ locale: 'en', strength: 2 \}/,
    compared: ['collation'],
  },
  {
    title: 'a text index and its weights',
    needs: 'textIndexes',
    first: [{ t: 'text' }, { name: 'words', weights: { t: 5 }, default_language: 'english' }],
    then: [{ t: 'text' }, { name: 'words', weights: { t: 10 }, default_language: 'english' }],
    written: /weights: \{ t: 5 \},\n\s+default_language: 'english',/,
    compared: ['weights', 'default_language'],
    keyListed: false,
  },
];

describe(`index options through migrations on ${server.name}`, () => {
  for (const c of CASES) {
    test(
      `${c.title}: created as declared, a change is RemoveIndex + AddIndex, both reversed`,
      { skip: c.needs ? lacks(c.needs) : false },
      async () => {
        const conn = freshDb();
        const dir = migrationsDir();
        const name = c.first![1]['name'] as string;
        await makeMigrations(blog(undefined), { migrations: dir });
        const second = await makeMigrations(blog(c.first), { migrations: dir });
        assert.match(second.operations[0] ?? '', new RegExp(`^Create index ${name} on Blog`));
        assert.match(readFileSync(second.file!, 'utf8'), c.written);
        const third = await makeMigrations(blog(c.then), { migrations: dir });
        assert.deepEqual(
          third.operations.map((op) => op.replace(/ \(.*/, '')),
          [`Remove index ${name} from Blog`, `Create index ${name} on Blog`],
        );
        const none = await makeMigrations(blog(c.then), { migrations: dir });
        assert.equal(none.changed, false, 'the files now say what the schema says');

        const expect = (declared: Declared) =>
          Object.fromEntries([
            ['key', c.keyListed === false ? undefined : declared![0]],
            ...c.compared.map((option) => [option, declared![1][option]]),
          ]);
        const listedAs = async () => {
          const found = await listed(conn, name, c.compared);
          return found && c.keyListed === false ? { ...found, key: undefined } : found;
        };
        await conn.db!.collection('blogs').insertOne({ name: 'Beatles', seen: new Date(), t: 'news' });
        await applyMigrations(conn, { migrations: dir });
        assert.deepEqual(await listedAs(), expect(c.then));
        await applyMigrations(conn, { migrations: dir, target: second.name! });
        assert.deepEqual(await listedAs(), expect(c.first));
        await applyMigrations(conn, { migrations: dir, target: '0001_initial' });
        assert.equal(await listedAs(), undefined);
      },
    );
  }

  test(
    'a server that lacks an option refuses the index: NotSupportedError naming it, and no index is built',
    { skip: lacks('ttlIndexes') ? false : `${server.name} builds TTL indexes: nothing to refuse` },
    async () => {
      const conn = freshDb();
      const dir = migrationsDir();
      await makeMigrations(blog(undefined), { migrations: dir });
      await makeMigrations(blog([{ seen: 1 }, { name: 'ttl', expireAfterSeconds: 3600 }]), { migrations: dir });
      await assert.rejects(applyMigrations(conn, { migrations: dir }), (err: unknown) => {
        assert.ok(err instanceof NotSupportedError, String(err));
        assert.match(
          err.message,
          /^Blog: the server refused to build the index ttl \{"seen":1\} \(expireAfterSeconds 3600\): /,
        );
        return true;
      });
      assert.ok(!(await conn.db!.collection('blogs').indexes()).some((index) => index.name === 'ttl'));
    },
  );
});
