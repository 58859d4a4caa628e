// The migration commands' targets as Django takes them (`migrate app 0001`,
// a prefix, `zero`, `showmigrations --plan`) and their bad input: each bad
// option or argument exits 2 with a message naming what was wrong and what
// is accepted, writes nothing, and never prints the URI's password.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type mongoose from 'mongoose';
import { loadDjongoFixture } from '../fixtures/djongo/index.js';
import { freePort } from '../harness/servers.js';
import { server } from '../helpers/server.js';
import { cliDatabases } from '../helpers/cli-databases.js';
import { djongoose as cli, type CliResult } from '../helpers/cli.js';

const V1 = 'test/fixtures/migrations/blog-v1.ts';
const V2 = 'test/fixtures/migrations/blog-v2.ts';
const TWO = 'test/fixtures/migrations/blog-entry.ts';
const CLI_MODELS = 'test/fixtures/cli/models.ts';

const fresh = cliDatabases(import.meta.url);

/** The two Blog migrations, both applied. */
async function applied(): Promise<{ db: mongoose.mongo.Db; target: string[]; dir: string }> {
  const made = await fresh();
  for (const models of [V1, V2])
    assert.equal((await cli(['makemigrations', ...made.target, '--models', models])).code, 0);
  const run = await cli(['migrate', ...made.target]);
  assert.equal(run.code, 0, run.stderr);
  return made;
}

function refused(result: CliResult, message: RegExp): void {
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, message);
}

const rows = async (db: mongoose.mongo.Db) =>
  (await db.collection('django_migrations').find().sort({ id: 1 }).toArray()).map((row) => row['name'] as string);

describe(`migrate's targets as Django takes them, on ${server.name}`, () => {
  test('migrate <app> <prefix> goes back to that migration; migrate <app> zero unapplies all; migrate <app> applies all', async () => {
    const { db, target } = await applied();
    const back = await cli(['migrate', ...target, 'djongoose', '0001']);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /Unapplying djongoose\.0002_blog_description\.\.\. OK/);
    assert.deepEqual(await rows(db), ['0001_initial']);
    assert.equal(await db.collection('blogs').countDocuments({ description: { $exists: true } }), 0);

    const zero = await cli(['migrate', ...target, 'djongoose', 'zero', '--yes']);
    assert.equal(zero.code, 0, zero.stderr);
    assert.match(zero.stdout, /Unapplying djongoose\.0001_initial\.\.\. OK/);
    assert.deepEqual(await rows(db), []);

    const forwards = await cli(['migrate', ...target, 'djongoose']);
    assert.equal(forwards.code, 0, forwards.stderr);
    assert.match(
      forwards.stdout,
      /Applying djongoose\.0001_initial\.\.\. OK.*\n {2}Applying djongoose\.0002_blog_description/,
    );
    assert.deepEqual(await rows(db), ['0001_initial', '0002_blog_description']);

    const prefix = await cli(['migrate', ...target, '0001_']);
    assert.match(prefix.stdout, /Unapplying djongoose\.0002_blog_description\.\.\. OK/);
  });

  test('an unknown app, an ambiguous prefix and a name of no migration exit 2, naming the choices; nothing runs', async () => {
    const { db, target } = await applied();
    refused(await cli(['migrate', ...target, 'blog', '0001']), /No migrations for the app "blog".*djongoose \(--app\)/);
    refused(
      await cli(['migrate', ...target, '000']),
      /"000" matches more than one migration: 0001_initial, 0002_blog_description/,
    );
    refused(
      await cli(['migrate', ...target, 'djongoose', '0009']),
      /There is no migration "0009"; the targets are zero, 0001_initial, 0002_blog_description/,
    );
    assert.deepEqual(await rows(db), ['0001_initial', '0002_blog_description']);
  });

  test('showmigrations --plan lists every migration in order, [X] app.name applied, [ ] not', async () => {
    const { target } = await applied();
    assert.equal((await cli(['migrate', ...target, '0001_initial'])).code, 0);
    const plan = await cli(['showmigrations', ...target, '--plan']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(plan.stdout, '[X]  djongoose.0001_initial\n[ ]  djongoose.0002_blog_description\n');
  });

  test("showmigrations lists an app without migrations as Django does, beside djongo's apps", async () => {
    const { db, target, dir } = await fresh();
    await loadDjongoFixture(db);
    mkdirSync(dir, { recursive: true });
    const shown = await cli(['showmigrations', ...target]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^contenttypes\n \[X\] 0001_initial\ndjongoose\n \(no migrations\)\nsessions\n/m);
    const plan = await cli(['showmigrations', ...target, '--plan']);
    assert.match(plan.stdout, /^\[X\] {2}blog\.0001_initial$/m);
  });
});

describe(`0001_initial does what migrate without a migrations folder does, on ${server.name}`, () => {
  test('the same collections, indexes and __schema__ entries, by sync and by makemigrations → migrate', async () => {
    const layout = async (db: mongoose.mongo.Db) => {
      const names = (await db.listCollections().toArray())
        .map((c) => c.name)
        .filter((n) => n !== 'django_migrations' && n !== 'djongoose_migrations_lock');
      const indexes: Record<string, unknown> = {};
      for (const name of names.sort()) {
        const list = await db.collection(name).indexes();
        indexes[name] = list
          .map((i) => ({ name: i.name, key: i.key, unique: i.unique === true }))
          .sort((a, b) => String(a.name).localeCompare(String(b.name)));
      }
      const schema = await db
        .collection('__schema__')
        .find({ name: { $ne: 'django_migrations' } }, { projection: { _id: 0 } })
        .sort({ name: 1 })
        .toArray();
      return { indexes, schema };
    };
    const synced = await fresh();
    // --migrations left out: the default ./migrations is missing, so migrate syncs.
    const sync = await cli(['migrate', ...synced.target.slice(0, 4), '--models', CLI_MODELS]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal(existsSync(synced.dir), false, 'without a folder, migrate syncs and writes no file');
    const migrated = await fresh();
    assert.equal((await cli(['makemigrations', ...migrated.target, '--models', CLI_MODELS])).code, 0);
    const run = await cli(['migrate', ...migrated.target]);
    assert.equal(run.code, 0, run.stderr);
    const expected = await layout(synced.db);
    assert.deepEqual(Object.keys(expected.indexes), ['__schema__', 'authors', 'entries']);
    assert.deepEqual(await layout(migrated.db), expected);
  });
});

describe(`the connection and model options on every migration command, on ${server.name}`, () => {
  test('makemigrations --model compares only that model: the others are not taken for deleted', async () => {
    const { target, dir } = await fresh();
    const both = await cli(['makemigrations', ...target, '--models', TWO]);
    assert.match(both.stdout, /Create model Blog\n {4}- Create model Entry/);
    const one = await cli(['makemigrations', ...target, '--models', TWO, '--model', 'Blog']);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^No changes detected$/m);
    const changed = await cli(['makemigrations', ...target, '--models', V2, '--model', 'Blog', '--dry-run']);
    assert.match(changed.stdout, /0002_blog_description\.ts\n {4}- Add field description to Blog$/m);
    assert.deepEqual(readdirSync(dir), ['0001_initial.ts']);
  });

  test('--json and --dry-run on all three commands: JSON on stdout, nothing written', async () => {
    const { db, target, dir } = await fresh();
    const made = await cli(['makemigrations', ...target, '--models', V1, '--json', '--dry-run']);
    assert.equal(made.code, 0, made.stderr);
    assert.deepEqual(JSON.parse(made.stdout).operations, ['Create model Blog']);
    assert.equal(existsSync(dir), false, 'makemigrations --dry-run made nothing');
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    const plan = await cli(['migrate', ...target, '--json', '--dry-run']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.deepEqual(
      JSON.parse(plan.stdout).plan.map((m: { name: string }) => m.name),
      ['0001_initial'],
    );
    assert.deepEqual(await rows(db), [], 'migrate --dry-run recorded nothing');
    const shown = await cli(['showmigrations', ...target, '--json', '--dry-run']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(JSON.parse(shown.stdout).plan, [{ app: 'djongoose', name: '0001_initial', applied: false }]);
  });
});

describe(`Django's other options of these commands, on ${server.name}`, () => {
  test('makemigrations --check and migrate --check exit 1 while something is left to do, writing nothing', async () => {
    const { db, target, dir } = await fresh();
    const pending = await cli(['makemigrations', ...target, '--models', V1, '--check']);
    assert.equal(pending.code, 1, pending.stderr);
    assert.match(pending.stdout, /Create model Blog/);
    assert.equal(existsSync(dir), false);
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    assert.equal((await cli(['makemigrations', ...target, '--models', V1, '--check'])).code, 0);
    const unapplied = await cli(['migrate', ...target, '--check']);
    assert.equal(unapplied.code, 1, unapplied.stderr);
    assert.deepEqual(await rows(db), []);
    assert.equal((await cli(['migrate', ...target])).code, 0);
    const done = await cli(['migrate', ...target, '--check']);
    assert.equal(done.code, 0, done.stderr);
  });

  test('makemigrations --empty writes a migration with no operations, which migrate applies and records', async () => {
    const { db, target, dir } = await fresh();
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    const empty = await cli(['makemigrations', ...target, '--models', V1, '--empty', '--name', 'fill_taglines']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(
      readFileSync(path.join(dir, '0002_fill_taglines.ts'), 'utf8'),
      /dependencies: \['0001_initial'\],\n {2}operations: \[\],/,
    );
    assert.equal((await cli(['migrate', ...target])).code, 0);
    assert.deepEqual(await rows(db), ['0001_initial', '0002_fill_taglines']);
  });

  test('showmigrations <app_label>… shows those apps only; -l lists, -p plans; an unknown label exits 2', async () => {
    const { db, target } = await fresh();
    await loadDjongoFixture(db);
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    const ours = await cli(['showmigrations', ...target, 'djongoose', '-l']);
    assert.equal(ours.stdout, 'djongoose\n [ ] 0001_initial\n', ours.stderr);
    const plan = await cli(['showmigrations', ...target, 'blog', 'djongoose', '-p']);
    assert.match(plan.stdout, /^\[X\] {2}blog\.0001_initial\n(?:.*\n)*\[ \] {2}djongoose\.0001_initial\n$/);
    assert.doesNotMatch(plan.stdout, /contenttypes/);
    refused(
      await cli(['showmigrations', ...target, 'blgo']),
      /No migrations for the app "blgo"; the apps are blog, .*Did you mean "blog"/,
    );
  });
});

describe(`makemigrations --name and the dependencies it writes, on ${server.name}`, () => {
  test('--name names the file after its number; each migration depends on the one before', async () => {
    const { target, dir } = await fresh();
    const first = await cli(['makemigrations', ...target, '--models', V1, '--name', 'blogs']);
    assert.equal(first.code, 0, first.stderr);
    const second = await cli(['makemigrations', ...target, '--models', V2, '--name', 'describe_blogs']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['0001_blogs.ts', '0002_describe_blogs.ts']);
    assert.match(readFileSync(path.join(dir, '0001_blogs.ts'), 'utf8'), /initial: true,\n {2}dependencies: \[\],/);
    assert.match(readFileSync(path.join(dir, '0002_describe_blogs.ts'), 'utf8'), /dependencies: \['0001_blogs'\],/);
    const run = await cli(['migrate', ...target]);
    assert.match(
      run.stdout,
      /Applying djongoose\.0001_blogs\.\.\. OK.*\n {2}Applying djongoose\.0002_describe_blogs\.\.\. OK/,
    );
  });
});

describe(`an unreachable server, after one on ${server.name}`, () => {
  test('exit 3 from all three commands, naming the host, never the password; nothing written', async () => {
    const { target, dir } = await fresh();
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    const uri = `mongodb://app:hunter2secret@127.0.0.1:${await freePort()}/blog`;
    for (const args of [['makemigrations', '--models', V2], ['migrate'], ['showmigrations']]) {
      const run = await cli([...args, '--uri', uri, '--migrations', dir, '--timeout', '500']);
      assert.equal(run.code, 3, run.stdout + run.stderr);
      assert.match(run.stderr, /OperationalError: Could not connect to MongoDB at 127\.0\.0\.1:/);
      assert.doesNotMatch(run.stdout + run.stderr, /hunter2secret/);
    }
    assert.deepEqual(readdirSync(dir), ['0001_initial.ts']);
  });
});

describe(`the migration commands' bad input exits 2 and writes nothing, on ${server.name}`, () => {
  test('--default without =, --name that is not a name, --batch-size that is not a count, --lock-wait', async () => {
    const { target, dir } = await fresh();
    refused(await cli(['makemigrations', ...target, '--models', V1, '--default', 'owner']), /Expected field=value/);
    refused(await cli(['makemigrations', ...target, '--models', V1, '--name', 'blog-desc!']), /letters, digits and _/);
    refused(await cli(['migrate', ...target, '--batch-size', 'abc']), /--batch-size.*positive whole number/);
    refused(await cli(['migrate', ...target, '--batch-size', '0']), /positive whole number/);
    refused(await cli(['migrate', ...target, '--lock-wait', '-1']), /whole number of milliseconds/);
    assert.equal(existsSync(dir), false, 'no migrations folder made');
  });

  test('--rename or --default naming no field of the change: exit 2, no file (a typo would drop data)', async () => {
    const { target, dir } = await fresh();
    assert.equal((await cli(['makemigrations', ...target, '--models', V1])).code, 0);
    refused(
      await cli(['makemigrations', ...target, '--models', V2, '--rename', 'tagline:motto', '--yes']),
      /--rename tagline:motto names no renamed field.*none/,
    );
    refused(
      await cli(['makemigrations', ...target, '--models', V2, '--default', 'owner=admin']),
      /--default owner=admin names no required field.*none/,
    );
    assert.deepEqual(readdirSync(dir), ['0001_initial.ts']);
    const same = await cli(['makemigrations', ...target, '--models', V1, '--rename', 'a:b']);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^No changes detected$/m);
  });

  test('a migration file with a syntax error: exit 2 naming the file and what a migration exports', async () => {
    const { target, dir } = await fresh();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '0001_initial.ts'), 'export default { dependencies: [], operations: [\n');
    for (const args of [['showmigrations'], ['migrate'], ['makemigrations', '--models', V1]]) {
      refused(await cli([...args, ...target]), /0001_initial\.ts.*failed to load[^]*default-exports/);
    }
    assert.deepEqual(readdirSync(dir), ['0001_initial.ts']);
  });

  test('showmigrations --migrations naming no folder: exit 2 naming it', async () => {
    const { target, dir } = await fresh();
    refused(await cli(['showmigrations', ...target]), new RegExp(`no migrations folder .*${path.basename(dir)}`));
  });

  test('migrate --migrations naming no folder: exit 2 naming it, no sync without migrations, nothing written', async () => {
    const { db, target, dir } = await fresh();
    for (const args of [
      ['migrate', ...target, '--models', V1],
      ['migrate', ...target, '--models', V1, '--dry-run'],
    ]) {
      refused(await cli(args), new RegExp(`--migrations "${dir}": there is no such folder[^]*leave --migrations out`));
    }
    assert.deepEqual(await db.listCollections().toArray(), []);
    // The default folder missing is a project without migrations: migrate syncs, as before.
    const sync = await cli(['migrate', ...target.slice(0, 4), '--models', V1]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.ok((await db.listCollections().toArray()).length > 0);
  });

  test('a password in the URI is never printed, in usage errors or when the server refuses', async () => {
    const { dir } = await fresh();
    const uri = server.uri.replace('mongodb://', 'mongodb://admin:hunter2secret@');
    const runs = [
      await cli(['makemigrations', '--uri', uri, '--migrations', dir, '--models', V1, '--default', 'x']),
      await cli(['migrate', '--uri', uri, '--migrations', dir, '--batch-size', 'x']),
      await cli(['showmigrations', '--uri', uri, '--migrations', dir, '--timeout', '2000']),
      await cli(['makemigrations', '--uri', uri, '--migrations', dir, '--models', V1, '--name', 'a b']),
    ];
    for (const run of runs) {
      assert.notEqual(run.code, 0);
      assert.doesNotMatch(run.stdout + run.stderr, /hunter2secret/);
    }
    assert.equal(existsSync(dir), false);
  });
});
