// The `djongoose` CLI run as a user runs it: a child process, from the repo
// root, with the models and settings modules of test/fixtures/cli. Checks the
// exit code, stdout/stderr and the database afterwards.
import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import mongoose, { mongo } from 'mongoose';
import { run, type CliIo } from '../../cli/program.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { ROOT } from '../harness/paths.js';
import { ACCEPTED, BAD_ID_KINDS, escapeRegExp, snapshot } from '../helpers/bad-ids.js';
import { databaseName, lacks, server } from '../helpers/server.js';
import { freePort } from '../harness/servers.js';
import { djongoose as cli } from '../helpers/cli.js';

const NAME = databaseName(import.meta.url);
const MODELS = 'test/fixtures/cli/models.ts';
const PLANTED = 'PLANTED-cli-pw-5e1d';
const LONG_2_60 = () => mongo.Long.fromBigInt(2n ** 60n);

const conn = await mongoose
  .createConnection(server.uri, { dbName: NAME, serverSelectionTimeoutMS: 10_000 })
  .asPromise();
const db = conn.db!;
after(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

/** The usual connection options: this server, this file's database. */
const target = (): string[] => ['--uri', server.uri, '--db', NAME];

/** One command through run() in this process, against the test database: its exit code and stderr. */
async function runInProcess(command: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => void (stderr += t),
    env: {},
    cwd: ROOT,
    isTTY: false,
  };
  const code = await run([command, ...target(), '--models', MODELS], io);
  return { code, stderr };
}

async function collections(): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
}

async function schemaEntry(name: string): Promise<mongoose.mongo.Document | null> {
  return db.collection('__schema__').findOne({ name }, { projection: { _id: 0 } });
}

function seqOf(entry: mongoose.mongo.Document | null): number | undefined {
  const seq = (entry?.['auto'] as { seq?: unknown } | undefined)?.seq;
  return seq === undefined ? undefined : Number(seq);
}

const entry = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  headline: `h${id}`,
  rating: id,
  blog: { name: 'Beatles Blog', tagline: 'news' },
  tags: ['rock'],
  ...extra,
});

beforeEach(async () => {
  await db.dropDatabase();
});

describe(`djongoose migrate on ${server.name}`, () => {
  test('creates collections, indexes and __schema__ entries, then does nothing the second time', async () => {
    const first = await cli(['migrate', ...target(), '--models', MODELS]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Entry: create collection entries/);
    assert.match(first.stdout, /Entry: create index __primary_key__ on entries \{"id":1\} \(unique\)/);
    assert.match(first.stdout, /Author: create index name_1 on authors/);
    assert.match(first.stdout, /Author: __schema__ authors fields name, email/);
    assert.match(first.stdout, /Applied 6 changes\./);
    assert.deepEqual(await collections(), ['__schema__', 'authors', 'entries']);
    const entryIndexes = await db.collection('entries').indexes();
    assert.ok(entryIndexes.some((i) => i.name === '__primary_key__' && i.unique === true));
    assert.ok((await db.collection('authors').indexes()).some((i) => i.name === 'name_1' && i.unique === true));
    const stored = await schemaEntry('entries');
    assert.deepEqual((stored?.['auto'] as { field_names: string[] }).field_names, ['id']);
    assert.equal(seqOf(stored), 0);
    assert.equal((stored?.['fields'] as Record<string, { type_code: string }>)['headline']?.type_code, 'string');
    // As djongo's CREATE TABLE: an entry per collection; a counter only for an auto-increment field.
    assert.deepEqual(await schemaEntry('authors'), {
      name: 'authors',
      fields: { name: { type_code: 'string' }, email: { type_code: 'string' } },
    });

    const second = await cli(['migrate', ...target(), '--models', MODELS]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /No changes: the database is up to date\./);
    assert.doesNotMatch(second.stdout, /create/);
    assert.equal((await db.collection('entries').indexes()).length, entryIndexes.length);
  });

  test('seeds seq with the largest id already stored; exported models and a settings module work too', async () => {
    await db.collection('entries').insertMany([entry(3), entry(7), entry(5)]);
    const result = await cli(
      ['migrate', '--settings', 'test/fixtures/cli/settings.ts', '--models', 'test/fixtures/cli/exported-models.ts'],
      {
        CLI_TEST_DB: NAME,
        CLI_TEST_URI: server.uri,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /create collection entries/);
    assert.match(result.stdout, /__schema__ entries\.id seq new → 7/);
    assert.equal(seqOf(await schemaEntry('entries')), 7);
  });

  test('--dry-run prints the plan and writes nothing', async () => {
    const result = await cli(['migrate', ...target(), '--models', MODELS, '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\(dry run\) Entry: create collection entries/);
    assert.match(result.stdout, /Would apply 6 changes\./);
    assert.deepEqual(await collections(), []);
  });
});

describe(`djongoose check on ${server.name}`, () => {
  async function seedDrift(): Promise<Record<string, unknown>> {
    const ids = {
      clean: new mongoose.Types.ObjectId(),
      noHeadline: new mongoose.Types.ObjectId(),
      extra: new mongoose.Types.ObjectId(),
      stringRating: new mongoose.Types.ObjectId(),
      badTags: new mongoose.Types.ObjectId(),
    };
    const withoutHeadline: Record<string, unknown> = entry(2);
    delete withoutHeadline['headline'];
    await db.collection('entries').insertMany([
      { _id: ids.clean, ...entry(1) },
      { _id: ids.noHeadline, ...withoutHeadline },
      { _id: ids.extra, ...entry(3, { color: 'red' }) },
      { _id: ids.stringRating, ...entry(4, { rating: '5' }) },
      { _id: ids.badTags, ...entry(5, { tags: ['ok', 7] }) },
    ]);
    await db.collection('authors').insertOne({ name: 'Ann', email: 'ann@example.com' });
    return ids;
  }

  test('finds missing, unknown and wrong-type fields with counts and sample ids; exit 1; no bar off a TTY', async () => {
    const ids = await seedDrift();
    const result = await cli(['check', ...target(), '--models', MODELS]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /Entry \(entries\): 4 of 5 documents drift/);
    assert.match(result.stdout, new RegExp(`headline: 1 document\\(s\\), e\\.g\\. _id ${String(ids['noHeadline'])}`));
    assert.match(result.stdout, new RegExp(`color: 1 document\\(s\\), e\\.g\\. _id ${String(ids['extra'])}`));
    assert.match(result.stdout, /rating \(expected number, found string ×1\): 1 document/);
    assert.match(result.stdout, /tags \(expected array of string, found array containing number ×1\)/);
    assert.match(result.stdout, /Author \(authors\): 1 documents, no drift/);
    assert.match(result.stdout, /Drift found\./);
    assert.doesNotMatch(result.stderr, /\[[█░=-]+\]|%/, 'a progress bar was drawn on a pipe');
  });

  test('--json is machine-readable', async () => {
    const ids = await seedDrift();
    const result = await cli(['check', ...target(), '--models', MODELS, '--json']);
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      drift: boolean;
      models: {
        model: string;
        scanned: number;
        missing: { field: string; count: number; sampleIds: string[] }[];
        unknown: { field: string; count: number }[];
        wrongType: { field: string; expected: string; found: Record<string, number> }[];
      }[];
    };
    assert.equal(report.drift, true);
    const entries = report.models.find((m) => m.model === 'Entry');
    assert.equal(entries?.scanned, 5);
    assert.deepEqual(entries?.missing, [{ field: 'headline', count: 1, sampleIds: [String(ids['noHeadline'])] }]);
    assert.deepEqual(
      entries?.unknown.map((u) => [u.field, u.count]),
      [['color', 1]],
    );
    assert.deepEqual(
      entries?.wrongType.map((w) => [w.field, w.expected, w.found]),
      [
        ['rating', 'number', { string: 1 }],
        ['tags', 'array of string', { 'array containing number': 1 }],
      ],
    );
    assert.equal(result.stderr, '', 'nothing but JSON is printed with --json');
  });

  test('a clean database exits 0', async () => {
    await db.collection('entries').insertMany([entry(1), entry(2)]);
    await db.collection('authors').insertOne({ name: 'Ann', email: 'ann@example.com' });
    const result = await cli(['check', ...target(), '--models', MODELS]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /No drift\./);
  });

  test('streams in batches and draws a progress bar on a terminal', async () => {
    await db.collection('entries').insertMany(Array.from({ length: 1200 }, (_, i) => entry(i + 1)));
    await db.collection('authors').insertOne({ name: 'Ann', email: 'a@example.com' });
    const bar = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    bar.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    let stdout = '';
    const io: CliIo = {
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      env: {},
      cwd: ROOT,
      isTTY: true,
      progressStream: bar,
    };
    const code = await run(['check', ...target(), '--models', MODELS, '--batch-size', '100'], io);
    assert.equal(code, 0, stdout);
    assert.match(drawn, /Entry \[.*\] \d+% \| \d+\/1200 documents/);
    assert.match(stdout, /Entry \(entries\): 1200 documents, no drift/);
  });
});

describe(`djongoose adopt on ${server.name}`, () => {
  test('seq = max(id), not the count: after deletions the next id does not collide', async () => {
    await db.collection('entries').insertMany([1, 2, 3, 4, 5].map((id) => entry(id)));
    await db.collection('entries').deleteMany({ id: { $in: [2, 3] } });
    const result = await cli(['adopt', ...target(), '--models', MODELS]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /set Entry: __schema__ entries\.id seq none → 5 \(max id 5\)/);
    assert.match(result.stdout, /Author: skipped, does not use auto-increment/);
    assert.equal(seqOf(await schemaEntry('entries')), 5);
    assert.equal(await db.collection('entries').countDocuments(), 3);

    const schema = new mongoose.Schema({ headline: String, rating: Number, blog: Object, tags: [String] });
    schema.plugin(autoIncrement);
    const Entry = conn.model('AdoptedEntry', schema, 'entries');
    const created = await Entry.create({ headline: 'after adopt' });
    assert.equal(created.get('id'), 6);
  });

  test('--dry-run prints what it would write and writes nothing', async () => {
    await db.collection('entries').insertMany([entry(4), entry(9)]);
    const result = await cli(['adopt', ...target(), '--models', MODELS, '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\(dry run\) would set Entry: __schema__ entries\.id seq none → 9/);
    assert.match(result.stdout, /Dry run: nothing was written\./);
    assert.deepEqual(await collections(), ['entries']);
  });

  test('a lower existing seq is raised; a higher one is never lowered', async () => {
    await db.collection('entries').insertMany([entry(4), entry(9)]);
    await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq: 2 } });
    const raised = await cli(['adopt', ...target(), '--models', MODELS]);
    assert.equal(raised.code, 0, raised.stderr);
    assert.match(raised.stdout, /seq 2 → 9/);
    assert.equal(seqOf(await schemaEntry('entries')), 9);

    await db.collection('__schema__').updateOne({ name: 'entries' }, { $set: { 'auto.seq': 100 } });
    const kept = await cli(['adopt', ...target(), '--models', MODELS, '--json']);
    assert.equal(kept.code, 0, kept.stderr);
    const report = JSON.parse(kept.stdout) as { counters: { before: number; after: number; changed: boolean }[] };
    assert.deepEqual(
      report.counters.map((c) => [c.before, c.after, c.changed]),
      [[100, 100, false]],
    );
    assert.equal(seqOf(await schemaEntry('entries')), 100);
  });
});

describe(`djongoose sync-counters on ${server.name}`, () => {
  test('raises every seq to max(id), with or without models', async () => {
    await db.collection('entries').insertMany([entry(1), entry(10)]);
    await db.collection('others').insertMany([{ id: 40 }, { id: 41 }]);
    await db.collection('__schema__').insertMany([
      { name: 'entries', auto: { field_names: ['id'], seq: 3 } },
      { name: 'others', auto: { field_names: ['id'], seq: 50 } },
    ]);
    const all = await cli(['sync-counters', ...target()]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /set entries: __schema__ entries\.id seq 3 → 10/);
    assert.match(all.stdout, /others: __schema__ others\.id seq 50 \(max id 41\): unchanged/);
    assert.equal(seqOf(await schemaEntry('entries')), 10);
    assert.equal(seqOf(await schemaEntry('others')), 50);

    await db.collection('entries').insertOne(entry(25));
    const mine = await cli(['sync-counters', ...target(), '--models', MODELS]);
    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, /set Entry: __schema__ entries\.id seq 10 → 25/);
    assert.doesNotMatch(mine.stdout, /others/);
    assert.equal(seqOf(await schemaEntry('entries')), 25);
  });
});

describe(`djongoose errors on ${server.name}`, () => {
  test('a models module that does not load: exit 2, nothing written', async () => {
    const broken = await cli(['migrate', ...target(), '--models', 'test/fixtures/cli/broken-models.ts']);
    assert.equal(broken.code, 2);
    assert.match(
      broken.stderr,
      /ImproperlyConfigured: The models module ".*broken-models\.ts" failed to load: Error: models module exploded on purpose/,
    );
    const absent = await cli(['migrate', ...target(), '--models', 'test/fixtures/cli/nope.js']);
    assert.equal(absent.code, 2);
    assert.match(absent.stderr, /does not exist/);
    assert.deepEqual(await collections(), []);
  });

  test('a module without models: exit 2 naming its exports, nothing written', async () => {
    const result = await cli(['migrate', ...target(), '--models', 'test/fixtures/cli/no-models.ts']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /exports no Mongoose models \(its exports: VERSION, entrySchema\)/);
    assert.deepEqual(await collections(), []);
  });

  test(
    'an unreachable server: exit 3 within the timeout, naming the host, never the password',
    { timeout: 20_000 },
    async () => {
      const port = await freePort();
      const started = Date.now();
      const result = await cli(['migrate', '--db', NAME, '--models', MODELS, '--timeout', '500'], {
        MONGODB_URI: `mongodb://app:${PLANTED}@127.0.0.1:${port}/`,
      });
      assert.equal(result.code, 3, result.stderr);
      assert.ok(Date.now() - started < 15_000);
      assert.match(
        result.stderr,
        new RegExp(`OperationalError: Could not connect to MongoDB at 127\\.0\\.0\\.1:${port}`),
      );
      assert.ok(!(result.stdout + result.stderr).includes(PLANTED), 'the password leaked');
    },
  );

  test('malformed URIs and hosts: exit 2, ImproperlyConfigured on stderr, no fragment of the password', async () => {
    const port = new URL(server.uri.replace(/^mongodb:/, 'http:')).port;
    const shapes = [
      `mongodb://app:${PLANTED}@sec/ret@127.0.0.1:${port}/${NAME}`,
      `mongodb://app:${PLANTED.replaceAll('-', '/')}@127.0.0.1:${port}/${NAME}`,
      `mongodb://app:${PLANTED}%zz@127.0.0.1:${port}/${NAME}`,
      `MONGODB://app:${PLANTED}@127.0.0.1:${port}/${NAME}`,
      `mongodb//app:${PLANTED}@127.0.0.1:${port}`,
      `app:${PLANTED}@127.0.0.1:${port}`,
    ];
    for (const uri of shapes) {
      const result = await cli(['migrate', '--db', NAME, '--models', MODELS], { MONGODB_URI: uri });
      assert.equal(result.code, 2, `${uri}: ${result.stderr}`);
      assert.match(result.stderr, /^djongoose: ImproperlyConfigured: /);
      for (const fragment of ['PLANTED', '5e1d']) {
        assert.ok(!(result.stdout + result.stderr).includes(fragment), `${uri}: shows ${fragment}: ${result.stderr}`);
      }
    }
    const bad = await cli(['migrate', '--uri', 'mongodb://127.0.0.1/%zz', '--models', MODELS]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(
      bad.stderr,
      /ImproperlyConfigured: The URI "mongodb:\/\/127\.0\.0\.1\/%zz" is not a valid MongoDB URI: its database name holds a bad percent escape/,
    );
    assert.deepEqual(await collections(), []);
  });

  test('ids that are not integers: exit 4, nothing written, for migrate, adopt and sync-counters', async () => {
    await db.collection('entries').insertMany([entry(1), entry(2, { id: 'two' })]);
    for (const command of ['migrate', 'adopt']) {
      const result = await cli([command, ...target(), '--models', MODELS]);
      assert.equal(result.code, 4, `${command}: ${result.stderr}`);
      assert.match(result.stderr, /MigrationError: entries: document .* has id = the string "two": not an integer/);
      assert.deepEqual(await collections(), ['entries'], `${command} wrote something`);
    }
    await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq: 0 } });
    const sync = await cli(['sync-counters', ...target()]);
    assert.equal(sync.code, 4, sync.stderr);
    assert.equal(seqOf(await schemaEntry('entries')), 0);
  });

  /** Runs each command through the real CLI; each must exit 4 with `message` on stderr and write nothing. */
  async function refusedByEach(commands: readonly string[], message: RegExp): Promise<void> {
    for (const command of commands) {
      const before = await snapshot(db);
      const models = command === 'sync-counters' ? [] : ['--models', MODELS];
      const result = await cli([command, ...target(), ...models]);
      assert.equal(result.code, 4, `${command}: ${result.stderr}`);
      assert.match(result.stderr, message, command);
      assert.equal(await snapshot(db), before, `${command} wrote something`);
      assert.ok(
        !(await db.collection('entries').indexes()).some((ix) => ix.name === '__primary_key__'),
        `${command} created __primary_key__`,
      );
    }
  }

  test('array and 2^60 ids: exit 4 naming both and what is accepted, nothing written, for each command', async () => {
    await db.collection('entries').insertMany([entry(1), entry(2, { id: [7] }), entry(3, { id: LONG_2_60() })]);
    const both = new RegExp(
      'MigrationError: entries: document \\S+ has id = the array \\[7\\]; document \\S+ has id = the Long 1152921504606846976: ' +
        `not integers the counter can use\\. djongo's counters accept ${ACCEPTED.source}`,
    );
    await refusedByEach(['migrate', 'adopt'], both);
    assert.deepEqual(await collections(), ['entries']);
    await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq: 1 } });
    await refusedByEach(['sync-counters'], both);
    assert.equal(seqOf(await schemaEntry('entries')), 1);
  });

  test(
    'a Decimal128 id: exit 4 from migrate before __primary_key__ exists',
    { skip: lacks('decimal128') },
    async () => {
      await db
        .collection('entries')
        .insertMany([entry(1), entry(2, { id: mongo.Decimal128.fromString('1152921504606846976') })]);
      await refusedByEach(
        ['migrate'],
        /MigrationError: entries: document \S+ has id = the Decimal128 1152921504606846976: not an integer/,
      );
    },
  );

  test('a seq the counter cannot count from: exit 4 from migrate, adopt and sync-counters, nothing written', async () => {
    await db.collection('entries').insertMany([entry(1), entry(2)]);
    const seqs: [unknown, string][] = [
      ['5', 'the string "5"'],
      [LONG_2_60(), 'the Long 1152921504606846976'],
    ];
    for (const [seq, quoted] of seqs) {
      await db.collection('__schema__').deleteMany({});
      await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq } });
      for (const command of ['migrate', 'adopt', 'sync-counters']) {
        const before = await snapshot(db);
        const { code, stderr } = await runInProcess(command);
        assert.equal(code, 4, `${command}: ${stderr}`);
        assert.match(
          stderr,
          new RegExp(
            `MigrationError: entries\\.id: the __schema__ counter's seq is ${escapeRegExp(quoted)}, not one of the ${ACCEPTED.source}`,
          ),
          command,
        );
        assert.equal(await snapshot(db), before, `${command} wrote something`);
      }
    }
  });

  for (const kind of BAD_ID_KINDS) {
    test(
      `${kind.label} as an id: run() exits 4 for migrate, adopt and sync-counters, naming it; nothing written`,
      { skip: kind.needs ? lacks(kind.needs) : false },
      async () => {
        await db.collection('entries').insertMany([entry(1), entry(2, { id: kind.value() })]);
        await db.collection('__schema__').insertOne({ name: 'others', auto: { field_names: ['id'], seq: 1 } });
        const message = new RegExp(
          `djongoose: MigrationError: entries: document \\S+ has id = ${escapeRegExp(kind.quoted)}: not an integer.*${ACCEPTED.source}`,
        );
        for (const command of ['migrate', 'adopt', 'sync-counters']) {
          if (command === 'sync-counters') {
            await db.collection('__schema__').insertOne({ name: 'entries', auto: { field_names: ['id'], seq: 1 } });
          }
          const before = await snapshot(db);
          const { code, stderr } = await runInProcess(command);
          assert.equal(code, 4, `${command}: ${stderr}`);
          assert.match(stderr, message, command);
          assert.equal(await snapshot(db), before, `${command} wrote something`);
        }
      },
    );
  }
});
