// Index options in the migration state, without a database: what
// makemigrations keeps from schema.index(), what it refuses (and that
// nothing is written then), and which changes the autodetector turns into
// AlterUnique, or RemoveIndex + AddIndex.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { Schema } from 'mongoose';
import { makeMigrations } from '../../cli/api.js';
import { autodetect } from '../../cli/migrations/autodetect.js';
import { createIndexOptions, indexState, INDEX_OPTIONS } from '../../cli/migrations/indexes.js';
import { questioner } from '../../cli/migrations/questioner.js';
import { stateOfModels } from '../../cli/migrations/state.js';
import { ImproperlyConfigured } from '../../core/errors.js';
import { migrationsDir, modelOf } from '../helpers/migrations.js';

function blog(...indexes: [Record<string, unknown>, Record<string, unknown>][]) {
  const schema = new Schema({ name: String, seen: Date }, { versionKey: false });
  for (const [keys, options] of indexes) schema.index(keys as Record<string, 1>, options);
  return [modelOf('Blog', schema)];
}
const detect = async (from: ReturnType<typeof blog>, to: ReturnType<typeof blog>) =>
  (await autodetect(stateOfModels(from), stateOfModels(to), questioner({ yes: true }))).map((op) => op.op);

describe('index options in the migration state', () => {
  test('keeps every option migrations support, as declared, and ignores background', () => {
    const index = indexState(
      'Blog',
      { name: 1, seen: -1 },
      {
        name: 'all',
        unique: true,
        sparse: true,
        background: true,
        partialFilterExpression: { seen: { $gt: new Date(0) } },
        expireAfterSeconds: 60,
        collation: { locale: 'en', strength: 2 },
      },
    );
    assert.deepEqual(index, {
      name: 'all',
      keys: { name: 1, seen: -1 },
      unique: true,
      sparse: true,
      partialFilterExpression: { seen: { $gt: new Date(0) } },
      expireAfterSeconds: 60,
      collation: { locale: 'en', strength: 2 },
    });
    assert.deepEqual(
      Object.keys(createIndexOptions(index)).sort(),
      [...INDEX_OPTIONS].filter((o) => o !== 'weights' && o !== 'default_language').sort(),
    );
    // A field's `expires` is Mongoose's TTL shorthand: seconds, as the server takes them.
    const ttl = stateOfModels([modelOf('Session', new Schema({ seen: { type: Date, expires: '1h' } }))]);
    assert.equal(ttl['Session']?.indexes[0]?.expireAfterSeconds, 3600);
  });

  test('refuses, at makemigrations, an option or key it does not keep, naming what it accepts; no file', async () => {
    const refusals: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
      [{ name: 1 }, { hidden: true }, /has the option hidden, which migrations do not keep/],
      [
        { name: 1 },
        { partialFilterExpression: { name: /^a/ } },
        /partialFilterExpression .* a migration file cannot hold/,
      ],
      [{ seen: 1 }, { expireAfterSeconds: -5 }, /expireAfterSeconds -5, not a whole number of seconds ≥ 0/],
      [{ name: 'columnstore' }, {}, /has name: "columnstore"/],
    ];
    for (const [keys, options, why] of refusals) {
      const dir = migrationsDir();
      await assert.rejects(makeMigrations(blog([keys, options]), { migrations: dir }), (err: unknown) => {
        assert.ok(err instanceof ImproperlyConfigured, String(err));
        assert.match(err.message, why);
        assert.match(
          err.message,
          /the options name, unique, sparse, partialFilterExpression, expireAfterSeconds, collation, weights, default_language\. Nothing was written\.$/,
        );
        return true;
      });
      assert.ok(!existsSync(dir) || readdirSync(dir).length === 0, 'no migration file');
    }
  });

  test('the autodetector: unique alone is AlterUnique; keys or any other option, RemoveIndex + AddIndex', async () => {
    const plain = blog([{ name: 1 }, { name: 'n' }]);
    assert.deepEqual(await detect(plain, blog([{ name: 1 }, { name: 'n', background: true }])), []);
    assert.deepEqual(await detect(plain, blog([{ name: 1 }, { name: 'n', unique: true }])), ['AlterUnique']);
    for (const options of [
      { sparse: true },
      { partialFilterExpression: { name: { $exists: true } } },
      { collation: { locale: 'en' } },
      { expireAfterSeconds: 10 },
    ]) {
      assert.deepEqual(
        await detect(plain, blog([{ name: 1 }, { name: 'n', ...options }])),
        ['RemoveIndex', 'AddIndex'],
        JSON.stringify(options),
      );
    }
    assert.deepEqual(await detect(plain, blog([{ name: -1 }, { name: 'n' }])), ['RemoveIndex', 'AddIndex']);
    const ab = blog([{ name: 1, seen: 1 }, { name: 'ab' }]);
    assert.deepEqual(await detect(ab, blog([{ seen: 1, name: 1 }, { name: 'ab' }])), ['RemoveIndex', 'AddIndex']);
  });

  test('a migration file written before options were kept still matches a schema without them', async () => {
    const before = { Blog: { ...stateOfModels(blog([{ name: 1 }, { unique: true }]))['Blog']! } };
    const index = before.Blog.indexes[0]!;
    assert.deepEqual(Object.keys(index), ['name', 'keys', 'unique', 'sparse']);
    assert.deepEqual(
      await autodetect(before, stateOfModels(blog([{ name: 1 }, { unique: true }])), questioner({})),
      [],
    );
  });
});
