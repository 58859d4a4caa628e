import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImproperlyConfigured, resolveSettings, type DjongoSettings } from '../../index.js';

function rejects(settings: unknown, pattern: RegExp): void {
  assert.throws(
    () => resolveSettings(settings as DjongoSettings),
    (err: unknown) => {
      assert.ok(err instanceof ImproperlyConfigured, `expected ImproperlyConfigured, got ${String(err)}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('resolveSettings: the seed dict', () => {
  test('maps the seed settings onto the driver', () => {
    const resolved = resolveSettings({
      ENGINE: 'djongo',
      NAME: 'your-db-name',
      ENFORCE_SCHEMA: false,
      CLIENT: {
        host: 'db.example',
        port: 27018,
        username: 'db-username',
        password: 'pw',
        authSource: 'admin',
        authMechanism: 'SCRAM-SHA-1',
      },
      LOGGING: { version: 1, loggers: { djongo: { level: 'DEBUG', propagate: false } } },
    });
    assert.equal(resolved.engine, 'djongo');
    assert.equal(resolved.name, 'your-db-name');
    assert.equal(resolved.enforceSchema, false);
    assert.equal(resolved.uri, 'mongodb://db.example:27018/');
    assert.deepEqual(resolved.hosts, ['db.example:27018']);
    assert.deepEqual(resolved.options.auth, { username: 'db-username', password: 'pw' });
    assert.equal(resolved.options.authSource, 'admin');
    assert.equal(resolved.options.authMechanism, 'SCRAM-SHA-1');
    assert.equal(resolved.options.dbName, 'your-db-name');
    assert.deepEqual(resolved.secrets, ['pw']);
    assert.equal(resolved.logging.level, 'debug');
    assert.equal(typeof resolved.logging.write, 'function');
    assert.ok(!resolved.uri.includes('pw'), 'the password stays out of the URI');
  });

  test('defaults: djongo engine, lax schema, localhost:27017, bounded timeouts', () => {
    const resolved = resolveSettings({ NAME: 'blog' });
    assert.equal(resolved.engine, 'djongo');
    assert.equal(resolved.enforceSchema, false);
    assert.equal(resolved.uri, 'mongodb://localhost:27017/');
    assert.equal(resolved.options.serverSelectionTimeoutMS, 10_000);
    assert.equal(resolved.options.connectTimeoutMS, 10_000);
  });

  test('camelCase aliases', () => {
    const resolved = resolveSettings({ engine: 'djongoose', name: 'blog', enforceSchema: true, client: { host: 'h' } });
    assert.equal(resolved.engine, 'djongoose');
    assert.equal(resolved.name, 'blog');
    assert.equal(resolved.enforceSchema, true);
    assert.equal(resolved.uri, 'mongodb://h:27017/');
  });

  test("PIPELINE_UPDATES: 'auto' by default, 'server' or 'client', alias pipelineUpdates", () => {
    assert.equal(resolveSettings({ NAME: 'blog' }).pipelineUpdates, 'auto');
    assert.equal(resolveSettings({ NAME: 'blog', PIPELINE_UPDATES: 'client' }).pipelineUpdates, 'client');
    assert.equal(resolveSettings({ NAME: 'blog', pipelineUpdates: 'server' }).pipelineUpdates, 'server');
    rejects(
      { NAME: 'blog', PIPELINE_UPDATES: 'clients' },
      /PIPELINE_UPDATES must be 'auto' .* 'server' or 'client', not the string "clients"\. Did you mean "client"\?/,
    );
    rejects({ NAME: 'blog', PIPELINE_UPDATES: true }, /PIPELINE_UPDATES must be .* not true/);
  });

  test('host lists, host:port and IPv6 keep their ports', () => {
    assert.deepEqual(resolveSettings({ NAME: 'b', CLIENT: { host: 'a:1,b', port: 2 } }).hosts, ['a:1', 'b:2']);
    assert.deepEqual(resolveSettings({ NAME: 'b', CLIENT: { host: '[::1]:27019' } }).hosts, ['[::1]:27019']);
  });

  test('a URI host is used as it is and its password is a secret', () => {
    const resolved = resolveSettings({
      NAME: 'blog',
      CLIENT: { host: 'mongodb://u:p%40ss@h1:1,h2:2/admin?replicaSet=rs0' },
    });
    assert.equal(resolved.uri, 'mongodb://u:p%40ss@h1:1,h2:2/admin?replicaSet=rs0');
    assert.deepEqual(resolved.hosts, ['h1:1', 'h2:2']);
    assert.ok(resolved.secrets.includes('p%40ss') && resolved.secrets.includes('p@ss'));
    assert.deepEqual(resolveSettings({ NAME: 'b', CLIENT: { host: 'mongodb+srv://cluster.example' } }).hosts, [
      'cluster.example',
    ]);
  });

  test('other CLIENT keys pass through to MongoClient', () => {
    const resolved = resolveSettings({
      NAME: 'blog',
      CLIENT: { host: 'h', replicaSet: 'rs0', serverSelectionTimeoutMS: 250, maxPoolSize: 3 },
    });
    assert.equal(resolved.options.replicaSet, 'rs0');
    assert.equal(resolved.options.serverSelectionTimeoutMS, 250);
    assert.equal(resolved.options.maxPoolSize, 3);
  });

  test('authMechanism DEFAULT lets the driver negotiate', () => {
    const resolved = resolveSettings({ NAME: 'b', CLIENT: { username: 'u', password: 'p', authMechanism: 'DEFAULT' } });
    assert.equal(resolved.options.authMechanism, undefined);
  });
});

describe('resolveSettings: each bad setting has its error', () => {
  test('settings that are not an object', () => rejects(null, /must be an object like djongo's DATABASES/));
  test('NAME missing', () => rejects({ ENGINE: 'djongo' }, /NAME is required/));
  test('NAME empty', () => rejects({ NAME: '' }, /NAME is required/));
  test('NAME not a string', () => rejects({ NAME: 7 }, /NAME must be a string.*number 7/));
  test('NAME with forbidden characters', () => rejects({ NAME: 'a.b' }, /not a valid MongoDB database name/));
  test('NAME too long', () => rejects({ NAME: 'x'.repeat(64) }, /at most 63 bytes/));
  test('ENGINE unknown', () => rejects({ NAME: 'b', ENGINE: 'django.db.backends.sqlite3' }, /'djongo' or 'djongoose'/));
  test('ENFORCE_SCHEMA not boolean', () => rejects({ NAME: 'b', ENFORCE_SCHEMA: 'yes' }, /true or false/));
  test('unknown key, with a suggestion', () =>
    rejects(
      { NAME: 'b', ENFORCE_SHEMA: true },
      /Unknown settings key "ENFORCE_SHEMA".*Did you mean "ENFORCE_SCHEMA"\?/,
    ));
  test('an alias that disagrees', () => rejects({ NAME: 'a', name: 'b' }, /both NAME and its alias name/));
  test('CLIENT not an object', () => rejects({ NAME: 'b', CLIENT: 'localhost' }, /CLIENT must be an object/));
  test('host empty', () => rejects({ NAME: 'b', CLIENT: { host: ' ' } }, /host must be a non-empty string/));
  test('host with credentials but no scheme', () =>
    rejects({ NAME: 'b', CLIENT: { host: 'u:p@h' } }, /neither a host name nor a mongodb:\/\/ URI/));
  test('port out of range', () =>
    rejects({ NAME: 'b', CLIENT: { port: 70000 } }, /port must be an integer from 1 to 65535/));
  test('port as a string', () => rejects({ NAME: 'b', CLIENT: { port: '27017' } }, /port must be an integer/));
  test('port with a URI host', () =>
    rejects({ NAME: 'b', CLIENT: { host: 'mongodb://h', port: 1 } }, /cannot be combined with a URI host/));
  test('password without username', () => rejects({ NAME: 'b', CLIENT: { password: 'x' } }, /username is not/));
  test('authMechanism unknown, with a suggestion', () =>
    rejects(
      { NAME: 'b', CLIENT: { authMechanism: 'SCRAM-SHA1' } },
      /one of DEFAULT, SCRAM-SHA-1.*Did you mean "SCRAM-SHA-1"/,
    ));
  test('LOGGING not an object', () => rejects({ NAME: 'b', LOGGING: true }, /LOGGING must be an object/));
  test('LOGGING level unknown', () =>
    rejects({ NAME: 'b', LOGGING: { level: 'LOUD' } }, /one of DEBUG, INFO, WARNING/));
  test('LOGGING key unknown', () => rejects({ NAME: 'b', LOGGING: { loger: console } }, /Did you mean "logger"/));
  test('LOGGING logger unusable', () =>
    rejects({ NAME: 'b', LOGGING: { logger: {} } }, /debug\(\) function, a pino logger/));
});

describe('resolveSettings: a malformed password is never echoed', () => {
  test('non-string password', () => {
    assert.throws(
      () => resolveSettings({ NAME: 'b', CLIENT: { username: 'u', password: 12345678 } } as unknown as DjongoSettings),
      (err: unknown) => err instanceof ImproperlyConfigured && !err.message.includes('12345678'),
    );
  });
});
