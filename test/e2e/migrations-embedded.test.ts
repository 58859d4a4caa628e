// Migrations inside embedded documents, both directions, on the server of
// the run: the seed's Entry with its embedded Blog, and an array of embedded
// comments. Each story: v1 migrated with documents stored, v2 changes a field
// inside, makemigrations writes the dotted operation, migrate applies it,
// `check` finds no drift and strict reads succeed, then migrate back to
// 0001_initial undoes it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Schema, type Connection, type mongo, type SchemaDefinition } from 'mongoose';
import { applyMigrations, check, makeMigrations } from '../../cli/api.js';
import { connect } from '../../core/connect.js';
import { MigrationError, UnconvertibleValuesError } from '../../core/errors.js';
import { abstractModel } from '../../fields/abstract.js';
import { ArrayField, EmbeddedField } from '../../fields/embedded.js';
import { djongo } from '../../plugins/djongo.js';
import type { Managed } from '../../plugins/manager-plugin.js';
import { migrationsDir, modelOf } from '../helpers/migrations.js';
import { databaseName, lacks, server } from '../helpers/server.js';

const opened: Connection[] = [];
after(async () => {
  for (const conn of opened) {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
});

/** The Entry model's schema: a headline, an embedded Blog and a list of embedded Comments. */
function entrySchema(blog: SchemaDefinition, comment: SchemaDefinition = { author: String }): Schema {
  const schema = new Schema(
    { headline: String, blog: EmbeddedField(abstractModel(blog)), comments: ArrayField(abstractModel(comment)) },
    { versionKey: false },
  );
  schema.plugin(djongo);
  return schema;
}

interface Story {
  readonly conn: Connection;
  readonly db: mongo.Db;
  readonly dir: string;
  readonly v2: Schema;
  readonly second: Awaited<ReturnType<typeof makeMigrations>>;
}

/** v1 migrated with `docs` stored in `entries`, then v2's migration written (not applied), on a strict connection. */
async function story(
  v1: Schema,
  docs: readonly Record<string, unknown>[],
  v2: Schema,
  options: Parameters<typeof makeMigrations>[1] = {},
): Promise<Story> {
  const conn = await connect({
    NAME: databaseName(import.meta.url),
    ENFORCE_SCHEMA: true,
    CLIENT: { host: server.uri },
  });
  opened.push(conn);
  const dir = migrationsDir();
  await makeMigrations([modelOf('Entry', v1)], { migrations: dir });
  await applyMigrations(conn, { migrations: dir });
  await conn.db!.collection('entries').insertMany(docs.map((d) => structuredClone(d)));
  const second = await makeMigrations([modelOf('Entry', v2)], { migrations: dir, yes: true, ...options });
  return { conn, db: conn.db!, dir, v2, second };
}

const forwards = (s: Story) => applyMigrations(s.conn, { migrations: s.dir, yes: true });
const backwards = (s: Story) => applyMigrations(s.conn, { migrations: s.dir, target: '0001_initial', yes: true });
const stored = (s: Story) =>
  s.db
    .collection('entries')
    .find({}, { projection: { _id: 0 } })
    .sort({ headline: 1 })
    .toArray();

interface Entry {
  headline?: string;
  blog?: Record<string, unknown> | null;
  comments?: Record<string, unknown>[];
}

/** `check` against v2 and a strict read of every entry: drift and MigrationError before migrate, neither after. */
async function assertInLine(s: Story, inLine: boolean): Promise<void> {
  const Entry = s.conn.model<Entry, Managed<Entry>>('Entry', s.v2);
  try {
    const report = await check(s.conn, [Entry]);
    assert.equal(report.drift, !inLine, JSON.stringify(report.models));
    if (inLine) assert.equal((await Entry.objects.all()).length, await s.db.collection('entries').countDocuments());
    else
      await assert.rejects(
        Entry.objects.all().then((rows) => rows.length),
        MigrationError,
      );
  } finally {
    s.conn.deleteModel('Entry');
  }
}

const BEATLES = { headline: 'a', blog: { name: 'Beatles', tagline: 'news' }, comments: [] };
const STONES = { headline: 'b', blog: { name: 'Stones', tagline: 'rolling', description: 'kept' }, comments: [] };
const NO_BLOG = { headline: 'c', blog: null, comments: [] };

describe(`migrations inside embedded documents, both directions, on ${server.name}`, () => {
  test('AddField blog.description: the Entry story, backfilled server-side where blog is an object', async () => {
    const v1 = entrySchema({ name: String, tagline: String });
    const v2 = entrySchema({ name: String, tagline: String, description: { type: String, default: '' } });
    const s = await story(v1, [BEATLES, STONES, NO_BLOG], v2);
    assert.equal(s.second.name, '0002_entry_blog_description');
    assert.deepEqual(s.second.operations, ['Add field blog.description to Entry']);
    const file = readFileSync(s.second.file!, 'utf8');
    assert.match(file, /op: 'AddField',\s+model: 'Entry',\s+name: 'blog\.description',/);
    assert.match(file, /backfill: ''/);
    await assertInLine(s, false);

    const run = await forwards(s);
    assert.deepEqual(run.runs[0]?.results[0], {
      operation: 'Add field blog.description to Entry',
      modified: 1,
      via: 'server',
    });
    assert.deepEqual(await stored(s), [
      { headline: 'a', blog: { name: 'Beatles', tagline: 'news', description: '' }, comments: [] },
      STONES,
      NO_BLOG, // a null blog stays null: there is no Blog to give a description
    ]);
    await assertInLine(s, true);
    assert.equal((await makeMigrations([modelOf('Entry', v2)], { migrations: s.dir })).changed, false);

    await backwards(s);
    assert.deepEqual(await stored(s), [
      BEATLES,
      { headline: 'b', blog: { name: 'Stones', tagline: 'rolling' }, comments: [] },
      NO_BLOG,
    ]);
  });

  test('AddField inside: a document without blog keeps none; a required field takes --default blog.rank=…', async () => {
    const v1 = entrySchema({ name: String });
    const v2 = entrySchema({ name: String, rank: { type: Number, required: true } });
    const s = await story(v1, [{ headline: 'a', blog: { name: 'x' } }, { headline: 'b' }], v2, {
      defaults: { 'blog.rank': '3' },
    });
    await forwards(s);
    assert.deepEqual(await stored(s), [{ headline: 'a', blog: { name: 'x', rank: 3 } }, { headline: 'b' }]);
  });

  test('RemoveField blog.tagline unsets it; the reverse puts back null', async () => {
    const s = await story(
      entrySchema({ name: String, tagline: String }),
      [BEATLES, NO_BLOG],
      entrySchema({ name: String }),
    );
    assert.deepEqual(s.second.operations, ['Remove field blog.tagline from Entry']);
    await forwards(s);
    assert.deepEqual(await stored(s), [{ ...BEATLES, blog: { name: 'Beatles' } }, NO_BLOG]);
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual(await stored(s), [{ ...BEATLES, blog: { name: 'Beatles', tagline: null } }, NO_BLOG]);
  });

  test('RenameField blog.tagline → blog.motto with --rename moves the values ($rename inside blog) and back', async () => {
    const v2 = entrySchema({ name: String, motto: String });
    const s = await story(entrySchema({ name: String, tagline: String }), [BEATLES, NO_BLOG], v2, {
      renames: ['blog.tagline:blog.motto'],
    });
    assert.deepEqual(s.second.operations, ['Rename field blog.tagline on Entry to blog.motto']);
    await forwards(s);
    assert.deepEqual(await stored(s), [{ ...BEATLES, blog: { name: 'Beatles', motto: 'news' } }, NO_BLOG]);
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual(await stored(s), [BEATLES, NO_BLOG]);
  });

  test('AlterField blog.rank String → Number converts inside blog and back; what cannot convert refuses', async () => {
    const docs = [
      { headline: 'a', blog: { rank: '4' }, comments: [] },
      { headline: 'b', blog: { rank: '2.5' }, comments: [] },
    ];
    const s = await story(entrySchema({ rank: String }), docs, entrySchema({ rank: Number }));
    assert.deepEqual(s.second.operations, ['Alter field blog.rank on Entry (String → Number)']);
    await forwards(s);
    assert.deepEqual(
      (await stored(s)).map((d) => d['blog']),
      [{ rank: 4 }, { rank: 2.5 }],
    );
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual(await stored(s), docs);

    const bad = await story(
      entrySchema({ rank: String }),
      [{ headline: 'a', blog: { rank: 'n/a' } }],
      entrySchema({ rank: Number }),
    );
    await assert.rejects(forwards(bad), UnconvertibleValuesError);
    assert.deepEqual(await stored(bad), [{ headline: 'a', blog: { rank: 'n/a' } }], 'nothing written');
  });

  test('AlterField of blog itself (now required): the fields inside change state only, nothing stored changes', async () => {
    const v2 = new Schema(
      {
        headline: String,
        blog: EmbeddedField(abstractModel({ name: String }), { null: false }),
        comments: ArrayField(abstractModel({ author: String })),
      },
      { versionKey: false },
    );
    v2.plugin(djongo);
    const s = await story(entrySchema({ name: String }), [{ headline: 'a', blog: { name: 'x' }, comments: [] }], v2);
    assert.deepEqual(s.second.operations, ['Alter field blog on Entry (Embedded → Embedded)']);
    const run = await forwards(s);
    assert.equal(run.runs[0]?.results[0]?.modified, 0);
    assert.deepEqual(await stored(s), [{ headline: 'a', blog: { name: 'x' }, comments: [] }]);
    await backwards(s);
    assert.deepEqual(await stored(s), [{ headline: 'a', blog: { name: 'x' }, comments: [] }]);
  });

  test('a nested object: AddField meta.lang backfills inside meta', async () => {
    const schema = (meta: SchemaDefinition) => {
      const s = new Schema({ headline: String, meta }, { versionKey: false });
      s.plugin(djongo);
      return s;
    };
    const s = await story(
      schema({ source: String }),
      [{ headline: 'a', meta: { source: 'rss' } }],
      schema({ source: String, lang: { type: String, default: 'en' } }),
    );
    assert.deepEqual(s.second.operations, ['Add field meta.lang to Entry']);
    await forwards(s);
    assert.deepEqual(await stored(s), [{ headline: 'a', meta: { source: 'rss', lang: 'en' } }]);
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual(await stored(s), [{ headline: 'a', meta: { source: 'rss' } }]);
  });
});

describe(`migrations inside arrays of embedded documents, on ${server.name}`, () => {
  const BLOG = { name: 'Beatles' };
  const docs = [
    { headline: 'a', blog: BLOG, comments: [{ author: 'ann' }, { author: 'bob', flag: true }] },
    { headline: 'b', blog: BLOG, comments: [] },
    { headline: 'c', blog: BLOG, comments: [{ author: 'cy' }] },
  ];

  test('AddField comments.flag: $[item] with arrayFilters where the server has it, else batched; back with $[]', async () => {
    const v2 = entrySchema({ name: String }, { author: String, flag: { type: Boolean, default: false } });
    const s = await story(entrySchema({ name: String }), docs, v2);
    assert.deepEqual(s.second.operations, ['Add field comments.flag to Entry']);
    await assertInLine(s, false);
    const run = await forwards(s);
    const via = lacks('arrayFilters') ? 'batched' : 'server';
    assert.deepEqual(run.runs[0]?.results[0], { operation: 'Add field comments.flag to Entry', modified: 2, via });
    assert.deepEqual(
      (await stored(s)).map((d) => d['comments']),
      [
        [
          { author: 'ann', flag: false },
          { author: 'bob', flag: true },
        ],
        [],
        [{ author: 'cy', flag: false }],
      ],
    );
    await assertInLine(s, true);
    const back = await backwards(s);
    assert.equal(back.runs[0]?.results[0]?.via, lacks('allPositionalUpdates') ? 'batched' : 'server');
    // The reverse removes the field from every element, bob's own flag too, as a top-level RemoveField does.
    assert.deepEqual(
      (await stored(s)).map((d) => d['comments']),
      [[{ author: 'ann' }, { author: 'bob' }], [], [{ author: 'cy' }]],
    );
  });

  test('an array inside an array of embedded documents: AddField comments.replies.seen, element by element, and back', async () => {
    const reply = (extra: SchemaDefinition = {}) => ArrayField(abstractModel({ text: String, ...extra }));
    const v1 = entrySchema({ name: String }, { author: String, replies: reply() });
    const v2 = entrySchema(
      { name: String },
      { author: String, replies: reply({ seen: { type: Boolean, default: false } }) },
    );
    const nested = [
      {
        headline: 'a',
        blog: BLOG,
        comments: [
          { author: 'ann', replies: [{ text: 'x' }, { text: 'y' }] },
          { author: 'bo', replies: [] },
        ],
      },
    ];
    const s = await story(v1, nested, v2);
    assert.deepEqual(s.second.operations, ['Add field comments.replies.seen to Entry']);
    const run = await forwards(s);
    assert.deepEqual(run.runs[0]?.results[0]?.via, 'batched');
    assert.deepEqual((await stored(s))[0]?.['comments'], [
      {
        author: 'ann',
        replies: [
          { text: 'x', seen: false },
          { text: 'y', seen: false },
        ],
      },
      { author: 'bo', replies: [] },
    ]);
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual(await stored(s), nested);
  });

  test('RemoveField comments.author unsets it in every element; the reverse puts back null', async () => {
    const s = await story(
      entrySchema({ name: String }, { author: String, text: String }),
      [{ headline: 'a', blog: BLOG, comments: [{ author: 'ann', text: 'x' }, { text: 'y' }] }],
      entrySchema({ name: String }, { text: String }),
    );
    assert.deepEqual(s.second.operations, ['Remove field comments.author from Entry']);
    const run = await forwards(s);
    assert.equal(run.runs[0]?.results[0]?.modified, 1);
    assert.deepEqual((await stored(s))[0]?.['comments'], [{ text: 'x' }, { text: 'y' }]);
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual((await stored(s))[0]?.['comments'], [
      { text: 'x', author: null },
      { text: 'y', author: null },
    ]);
  });

  test('RenameField comments.author → comments.by: batched ($rename does not reach into arrays) and back', async () => {
    const plain = [
      {
        headline: 'a',
        blog: BLOG,
        comments: [
          { author: 'ann', text: 'x' },
          { author: 'bo', text: 'y' },
        ],
      },
      { headline: 'b', blog: BLOG, comments: [{ author: 'cy', text: 'z' }] },
    ];
    const v1 = entrySchema({ name: String }, { author: String, text: String });
    const v2 = entrySchema({ name: String }, { by: String, text: String });
    const s = await story(v1, plain, v2, {
      renames: ['comments.author:comments.by'],
    });
    assert.deepEqual(s.second.operations, ['Rename field comments.author on Entry to comments.by']);
    const run = await forwards(s);
    assert.deepEqual(run.runs[0]?.results[0]?.via, 'batched');
    assert.deepEqual(
      (await stored(s)).map((d) => d['comments']),
      [
        [
          { text: 'x', by: 'ann' },
          { text: 'y', by: 'bo' },
        ],
        [{ text: 'z', by: 'cy' }],
      ],
    );
    await assertInLine(s, true);
    await backwards(s);
    assert.deepEqual(
      (await stored(s)).map((d) => d['comments']),
      [
        [
          { text: 'x', author: 'ann' },
          { text: 'y', author: 'bo' },
        ],
        [{ text: 'z', author: 'cy' }],
      ],
    );
  });
});
