// The CLI's parts that need no server: drift of one document, where to
// connect, what a models module offers, and the usage errors of run().
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { inspectDocument, storedType } from '../../cli/drift.js';
import { cliSettings, CLI_TIMEOUT_MS } from '../../cli/connection.js';
import { inspectModelsModule } from '../../cli/load-models.js';
import { formatCounters, formatMigrate, toJson } from '../../cli/format.js';
import { EXIT, run, type CliIo } from '../../cli/program.js';
import { ImproperlyConfigured } from '../../core/errors.js';
import { ROOT } from '../harness/paths.js';

const { Schema } = mongoose;

describe('inspectDocument', () => {
  const comment = new Schema({ author: String, score: Number });
  const schema = new Schema({
    headline: String,
    rating: Number,
    pub_date: Date,
    blog: new Schema({ name: String }, { _id: false }),
    comments: [comment],
    tags: [String],
    meta: { views: Number },
    data: Schema.Types.Mixed,
  });
  const fit = {
    _id: new mongoose.Types.ObjectId(),
    __v: 0,
    headline: 'Hey Jude',
    rating: 5,
    pub_date: new Date(),
    blog: { name: 'Beatles Blog' },
    comments: [{ author: 'ann', score: 1 }],
    tags: ['rock'],
    meta: { views: 3 },
    data: { anything: ['goes', 1] },
  };

  test('a document that fits has no drift; _id in embedded documents and __v are not drift', () => {
    assert.deepEqual(inspectDocument(schema, fit), { missing: [], unknown: [], wrongType: [] });
    const withSubIds = { ...fit, comments: [{ _id: new mongoose.Types.ObjectId(), author: 'a', score: 1 }] };
    assert.deepEqual(inspectDocument(schema, withSubIds).unknown, []);
  });

  test('missing and unknown fields, at the top and inside embedded documents, arrays and nested objects', () => {
    const rest: Record<string, unknown> = { ...fit };
    delete rest['headline'];
    const drift = inspectDocument(schema, {
      ...rest,
      color: 'red',
      blog: { name: 'x', extra: 1 },
      comments: [{ author: 'a' }],
      meta: { views: 1, likes: 2 },
    });
    assert.deepEqual(drift.missing, ['headline', 'comments.score']);
    assert.deepEqual([...drift.unknown].sort(), ['blog.extra', 'color', 'meta.likes']);
    assert.deepEqual(drift.wrongType, []);
  });

  test('values of the wrong stored type, named by declared and found type; null fits anything', () => {
    const drift = inspectDocument(schema, {
      ...fit,
      headline: 42,
      rating: '5',
      pub_date: '2020-01-01',
      blog: 'Beatles',
      tags: ['rock', { a: 1 }],
      meta: 7,
      comments: null,
    });
    assert.deepEqual(
      drift.wrongType.map((w) => `${w.path}: ${w.expected} ≠ ${w.found}`),
      [
        'headline: string ≠ number',
        'rating: number ≠ string',
        'pub_date: date ≠ string',
        'blog: object ≠ string',
        'tags: array of string ≠ array containing object',
        'meta: object ≠ number',
      ],
    );
  });

  test('storedType names BSON values as check reports them', () => {
    assert.equal(storedType(new mongoose.Types.ObjectId()), 'objectId');
    assert.equal(storedType(mongoose.mongo.Long.fromNumber(3)), 'long');
    assert.equal(storedType(new mongoose.mongo.Decimal128('1.5')), 'decimal');
    assert.equal(storedType(null), 'null');
    assert.equal(storedType([1]), 'array');
    assert.equal(storedType({}), 'object');
  });
});

describe('cliSettings', () => {
  test('a URI and --db become a settings dict with the CLI overrides', async () => {
    const settings = await cliSettings({ uri: 'mongodb://h:1/', db: 'blog' }, ROOT, {});
    assert.deepEqual(settings, {
      NAME: 'blog',
      CLIENT: {
        host: 'mongodb://h:1/',
        serverSelectionTimeoutMS: CLI_TIMEOUT_MS,
        connectTimeoutMS: CLI_TIMEOUT_MS,
        autoIndex: false,
        autoCreate: false,
      },
    });
  });

  test('MONGODB_URI is the default, and its path names the database', async () => {
    const settings = await cliSettings({ timeoutMS: 250 }, ROOT, { MONGODB_URI: 'mongodb://h:1/shop?x=1' });
    assert.equal(settings.NAME, 'shop');
    assert.equal(settings.CLIENT?.serverSelectionTimeoutMS, 250);
  });

  test('a settings module: DATABASES alias, --db overrides NAME; a missing alias lists the others', async () => {
    const source = { settings: 'test/fixtures/cli/settings.ts', db: 'other' };
    const settings = await cliSettings(source, ROOT, {});
    assert.equal(settings.NAME, 'other');
    assert.equal(settings.ENGINE, 'djongo');
    await assert.rejects(
      cliSettings({ ...source, database: 'replica' }, ROOT, {}),
      (err: unknown) =>
        err instanceof ImproperlyConfigured && /no database alias "replica"; its aliases are default/.test(err.message),
    );
  });

  test('no source, no database name, or two sources are ImproperlyConfigured', async () => {
    await assert.rejects(cliSettings({}, ROOT, {}), /pass --settings <module>.*or --uri/);
    await assert.rejects(cliSettings({ uri: 'mongodb://h/' }, ROOT, {}), /No database name: pass --db/);
    await assert.rejects(
      cliSettings({ uri: 'mongodb://h/', settings: 'x.js' }, ROOT, {}),
      /either --settings or --uri/,
    );
  });
});

describe('inspectModelsModule', () => {
  const Model = mongoose.model('CliUnitEntry', new Schema({ headline: String }));

  test('finds exported models, models in a default object, and a models(conn) factory', () => {
    assert.deepEqual(inspectModelsModule({ Model, other: 1 }, 'm.js').models, [Model]);
    assert.deepEqual(inspectModelsModule({ default: { Model } }, 'm.js').models, [Model]);
    const factory = (): unknown => [];
    assert.equal(inspectModelsModule({ models: factory }, 'm.js').factory, factory);
    assert.equal(inspectModelsModule({ default: factory }, 'm.js').factory, factory);
  });

  test('a module with neither is refused, naming its exports and what is accepted', () => {
    assert.throws(
      () => inspectModelsModule({ schema: new Schema({}) }, 'm.js'),
      (err: unknown) =>
        err instanceof ImproperlyConfigured &&
        /"m\.js" exports no Mongoose models \(its exports: schema\)\. Export the models/.test(err.message),
    );
  });
});

describe('formatting', () => {
  test('an empty migration says the database is up to date; JSON turns ObjectIds into strings', () => {
    assert.equal(
      formatMigrate({ dryRun: false, actions: [], upToDate: ['Entry'] }),
      'Entry: up to date\nNo changes: the database is up to date.',
    );
    const id = new mongoose.Types.ObjectId();
    assert.deepEqual(JSON.parse(toJson({ id, n: 1n })), { id: id.toHexString(), n: 1 });
    assert.match(formatCounters({ dryRun: true, counters: [], skipped: [] }), /Dry run: nothing would change/);
  });
});

describe('run() usage errors exit 2 before connecting', () => {
  function io(): CliIo & { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    return {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      env: {},
      cwd: ROOT,
      isTTY: false,
      out: () => out,
      err: () => err,
    };
  }

  test('no command prints the help on stderr', async () => {
    const captured = io();
    assert.equal(await run([], captured), EXIT.usage);
    assert.match(captured.err(), /Usage: djongoose .*migrate.*check.*adopt.*sync-counters/s);
  });

  test('an unknown command, a bad option value, a missing --models or database', async () => {
    const cases: [string[], RegExp][] = [
      [['migrat'], /unknown command 'migrat'.*Did you mean migrate\?/s],
      [['check', '--timeout', 'soon'], /Expected a whole number of at least 1/],
      [['migrate', '--uri', 'mongodb://127.0.0.1:1/', '--db', 'x'], /--models <module> is required/],
      [['adopt', '--models', 'test/fixtures/cli/models.ts'], /No database to connect to/],
    ];
    for (const [argv, message] of cases) {
      const captured = io();
      assert.equal(await run(argv, captured), EXIT.usage, argv.join(' '));
      assert.match(captured.err(), message);
    }
  });

  test('a malformed URI exits 2 with ImproperlyConfigured saying what is accepted, never quoting the password', async () => {
    const pw = 'PLANTED-pw-9c4e';
    const uris = [
      'mongodb://h/%zz',
      `mongodb://app:${pw}%zz@h/blog`,
      `mongodb://a%zz:${pw}@h/blog`,
      `mongodb://app:${pw}@sec/ret@db/blog`,
      `mongodb://app:${pw.replace('-', '/')}@db/blog`,
      `mongodb://app:${pw.replace('-', '@')}@db/blog`,
      `MONGODB://app:${pw}@db/blog`,
      `mongodb//app:${pw}@db/blog`,
    ];
    for (const uri of uris) {
      for (const argv of [
        ['check', '--uri', uri, '--models', 'test/fixtures/cli/models.ts'],
        ['check', '--uri', uri, '--db', 'blog', '--models', 'test/fixtures/cli/models.ts'],
      ]) {
        const captured = io();
        assert.equal(await run(argv, captured), EXIT.usage, `${argv.join(' ')}: ${captured.err()}`);
        // Without --db a misspelt scheme is first a URI without a database.
        assert.match(
          captured.err(),
          /^djongoose: ImproperlyConfigured: .*(Accepted: mongodb:\/\/|in lower case|No database name)/,
          uri,
        );
        for (const fragment of ['PLANTED', 'pw-9c4e', 'pw/9c4e', 'pw@9c4e', '9c4e']) {
          assert.ok(!captured.err().includes(fragment), `${uri}: stderr shows ${fragment}: ${captured.err()}`);
        }
      }
    }
  });

  test('--help exits 0', async () => {
    const captured = io();
    assert.equal(await run(['check', '--help'], captured), EXIT.ok);
    assert.match(captured.out(), /--batch-size <n>/);
  });
});
