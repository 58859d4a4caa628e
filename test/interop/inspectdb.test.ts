// `djongoose inspectdb` on the database djongo 1.3.7 itself migrated and
// wrote, on the server of this run: the module it writes type-checks, and
// loaded, `djongoose check` finds no drift in djongo's rows and `djongoose
// migrate` has nothing to do. The seed's README path, from djongo to Node.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose, { type Connection } from 'mongoose';
import { check, inspectdb, migrate, type CommandModel } from '../../cli/api.js';
import { ROOT } from '../harness/paths.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { typeErrors } from '../helpers/typecheck.js';
import { manage, step } from './djongo.js';

const conn = await openTestDatabase(import.meta.url, { autoCreate: false, autoIndex: false });
const dir = path.join(ROOT, '.cache', 'inspectdb-interop', String(process.pid));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
after(() => rmSync(dir, { recursive: true, force: true }));

test("inspectdb → check → migrate on djongo's own database", async () => {
  await manage(conn.name, 'migrate');
  await step(conn.name, 'seed');
  await step(conn.name, 'write');
  await step(conn.name, 'save_files');

  const report = await inspectdb(conn, { importFrom: path.relative(dir, path.join(ROOT, 'index.js')) });
  assert.deepEqual(
    report.models.map((m) => [m.model, m.collection, m.autoField, m.typed]),
    [
      ['BlogAttachment', 'blog_attachment', 'id', true],
      ['BlogAuthor', 'blog_author', 'id', true],
      ['BlogEntry', 'blog_entry', 'id', true],
      ['BlogPost', 'blog_post', 'id', true],
    ],
  );
  assert.deepEqual(
    report.skipped.map((s) => s.collection),
    ['__schema__', 'django_migrations', 'myfiles.chunks', 'myfiles.files'],
  );
  const lines = report.source.split('\n');
  for (const line of [
    '  blog: EmbeddedField(BlogEntryBlog),',
    '  n_comments: mongoose.Schema.Types.Int32,',
    '  pub_date: Date,',
    '  comments: ArrayField(BlogPostComments),',
    "  data: JSONField(), // no __schema__ type code: djongo's JSONField",
    'BlogEntrySchema.plugin(djongo).plugin(autoIncrement);',
  ]) {
    assert.ok(lines.includes(line), `${line}\n${report.source}`);
  }

  const file = path.join(dir, 'models.ts');
  writeFileSync(file, report.source);
  assert.deepEqual(typeErrors(file), [], report.source);
  const module = (await import(pathToFileURL(file).href)) as {
    models: (c: Connection) => Record<string, CommandModel>;
  };
  const other = await mongoose
    .createConnection(server.uri, { dbName: conn.name, autoCreate: false, autoIndex: false })
    .asPromise();
  try {
    const models = Object.values(module.models(other));
    const checked = await check(other, models);
    assert.equal(checked.drift, false, JSON.stringify(checked, null, 1));
    assert.ok(checked.models.every((m) => m.scanned > 0));
    assert.deepEqual((await migrate(other, models)).actions, []);
  } finally {
    await other.close();
  }
});
