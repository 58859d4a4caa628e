// The migration commands as a user runs them: the `djongoose` CLI in a
// child process. The seed's Blog story end to end (v1 stored, description
// added, makemigrations → migrate → check finds no drift → strict reads),
// showmigrations beside djongo's rows, --plan, --fake, exit codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from '../../core/connect.js';
import { MigrationError } from '../../core/errors.js';
import type { Managed } from '../../plugins/manager-plugin.js';
import { loadDjongoFixture } from '../fixtures/djongo/index.js';
import { blogSchemaV2 } from '../fixtures/migrations/blog-v2.js';
import { server } from '../helpers/server.js';
import { cliDatabases } from '../helpers/cli-databases.js';
import { djongoose as cli } from '../helpers/cli.js';

const V1 = 'test/fixtures/migrations/blog-v1.ts';
const V2 = 'test/fixtures/migrations/blog-v2.ts';

const fresh = cliDatabases(import.meta.url);

interface Blog {
  name?: string;
  tagline?: string;
  description?: string;
}

describe(`djongoose makemigrations, migrate, showmigrations on ${server.name}`, () => {
  test("the seed's Blog story: v1 stored, description added, makemigrations → migrate → no drift → strict reads", async () => {
    const { name, db, target, dir } = await fresh();
    const initial = await cli(['makemigrations', ...target, '--models', V1]);
    assert.equal(initial.code, 0, initial.stderr);
    assert.match(initial.stdout, /0001_initial\.ts\n {4}- Create model Blog/);
    const first = await cli(['migrate', ...target]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applying djongoose\.0001_initial\.\.\. OK/);
    await db.collection('blogs').insertMany([
      { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' },
      { name: 'Stones Weekly', tagline: 'Rolling news.' },
    ]);

    const made = await cli(['makemigrations', ...target, '--models', V2]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /0002_blog_description\.ts\n {4}- Add field description to Blog/);
    assert.deepEqual(readdirSync(dir).sort(), ['0001_initial.ts', '0002_blog_description.ts']);
    assert.match(readFileSync(`${dir}/0002_blog_description.ts`, 'utf8'), /op: 'AddField'/);
    const again = await cli(['makemigrations', ...target, '--models', V2]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^No changes detected$/m);

    const drifted = await cli(['check', '--uri', server.uri, '--db', name, '--models', V2]);
    assert.equal(drifted.code, 1, 'before migrate, the stored blogs lack description');
    const strict = await connect({ NAME: name, ENFORCE_SCHEMA: true, CLIENT: { host: server.uri } });
    try {
      const StrictBlog = strict.model<Blog, Managed<Blog>>('Blog', blogSchemaV2());
      await assert.rejects(StrictBlog.objects.get({ name: 'Beatles Blog' }), MigrationError);

      const plan = await cli(['migrate', ...target, '--plan']);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /djongoose\.0002_blog_description\n {4}Add field description to Blog/);
      const applied = await cli(['migrate', ...target]);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /Applying djongoose\.0002_blog_description\.\.\. OK \(2 documents changed\)/);

      const checked = await cli(['check', '--uri', server.uri, '--db', name, '--models', V2]);
      assert.equal(checked.code, 0, checked.stdout + checked.stderr);
      const beatles = await StrictBlog.objects.get({ name: 'Beatles Blog' });
      assert.equal(beatles.description, '');
      assert.equal(await StrictBlog.objects.filter({ description: '' }).count(), 2);
    } finally {
      await strict.close();
    }
    const shown = await cli(['showmigrations', ...target]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout, 'djongoose\n [X] 0001_initial\n [X] 0002_blog_description\n');
    const rows = await db
      .collection('django_migrations')
      .find({}, { projection: { _id: 0, applied: 0 } })
      .toArray();
    assert.deepEqual(rows, [
      { id: 1, app: 'djongoose', name: '0001_initial' },
      { id: 2, app: 'djongoose', name: '0002_blog_description' },
    ]);
    assert.equal(Number((await db.collection('__schema__').findOne({ name: 'django_migrations' }))?.['auto']?.seq), 2);
  });

  test("showmigrations keeps djongo's django_migrations rows; migrate numbers its rows after them", async () => {
    const { db, target } = await fresh();
    await loadDjongoFixture(db);
    assert.equal((await cli(['makemigrations', ...target, '--models', V2])).code, 0);
    const before = await cli(['showmigrations', ...target, '--json']);
    assert.equal(before.code, 0, before.stderr);
    const report = JSON.parse(before.stdout) as {
      apps: { app: string; migrations: { name: string; applied: boolean }[] }[];
    };
    assert.deepEqual(
      report.apps.map((a) => a.app),
      ['blog', 'contenttypes', 'djongoose', 'sessions'],
    );
    assert.deepEqual(report.apps.find((a) => a.app === 'djongoose')?.migrations, [
      { name: '0001_initial', applied: false },
    ]);
    assert.equal((await cli(['migrate', ...target])).code, 0);
    const shown = await cli(['showmigrations', ...target]);
    assert.match(
      shown.stdout,
      /^blog\n \[X\] 0001_initial\ncontenttypes\n \[X\] 0001_initial\ndjongoose\n \[X\] 0001_initial\nsessions\n \[X\] 0001_initial$/m,
    );
    const ours = await db.collection('django_migrations').findOne({ app: 'djongoose' });
    assert.equal(ours?.['id'], 4, "djongo's counter stood at 3");
    assert.equal(await db.collection('django_migrations').countDocuments(), 4);
  });

  test('--fake records without running, --fake-initial fakes a first migration whose collections exist', async () => {
    const { db, target } = await fresh();
    await db.collection('blogs').insertOne({ name: 'Beatles Blog', tagline: 'x' });
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    const faked = await cli(['migrate', ...target, '--fake-initial']);
    assert.equal(faked.code, 0, faked.stderr);
    assert.match(faked.stdout, /Applying djongoose\.0001_initial\.\.\. FAKED/);
    assert.equal(await db.collection('__schema__').countDocuments({ name: 'blogs' }), 0, 'nothing ran');
    assert.equal((await cli(['makemigrations', ...target, '--models', V2])).code, 0);
    const fake = await cli(['migrate', ...target, '--fake']);
    assert.match(fake.stdout, /Applying djongoose\.0002_blog_description\.\.\. FAKED/);
    assert.equal(await db.collection('blogs').countDocuments({ description: { $exists: true } }), 0);
    const back = await cli(['migrate', ...target, '0001_initial', '--fake']);
    assert.match(back.stdout, /Unapplying djongoose\.0002_blog_description\.\.\. FAKED/);
    const real = await cli(['migrate', ...target]);
    assert.match(real.stdout, /Applying djongoose\.0002_blog_description\.\.\. OK \(1 document changed\)/);
  });

  test('exit code 2: an unknown target, a malformed --default, --plan without a migrations folder', async () => {
    const { target } = await fresh();
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    const unknown = await cli(['migrate', ...target, '0009_nothing']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /There is no migration "0009_nothing"; the targets are zero, 0001_initial\./);
    const badDefault = await cli(['makemigrations', ...target, '--models', V2, '--default', 'oops']);
    assert.equal(badDefault.code, 2);
    const noFolder = await cli([
      'migrate',
      '--uri',
      server.uri,
      '--db',
      'x',
      '--migrations',
      '/nonexistent/m',
      '--plan',
      '--models',
      V1,
    ]);
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.stderr, /need a migrations folder/);
  });
});
