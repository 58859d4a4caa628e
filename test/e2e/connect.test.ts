import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { connect, connectionSettings, ImproperlyConfigured, OperationalError } from '../../index.js';
import { databaseName, lacks, server } from '../helpers/server.js';
import { freePort } from '../harness/servers.js';

const PLANTED = 'PLANTED-pw-7f3c9e';
const NAME = databaseName(import.meta.url);

function assertNoPassword(err: unknown): void {
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const e = current as Error;
    const text = `${e.name} ${e.message} ${String(e.stack)} ${JSON.stringify(e, Object.getOwnPropertyNames(e))}`;
    assert.ok(!text.includes(PLANTED), `the password leaked at depth ${depth}: ${e.message}`);
    current = e.cause;
  }
}

describe(`connect() on ${server.name}`, () => {
  test('the seed settings with CLIENT host and port give a working connection', async () => {
    const { host, port } = server.hostPort;
    const conn = await connect({ ENGINE: 'djongo', NAME, ENFORCE_SCHEMA: false, CLIENT: { host, port } });
    try {
      assert.equal(conn.readyState, mongoose.ConnectionStates.connected);
      assert.equal(conn.name, NAME);
      const Blog = conn.model('Blog', new mongoose.Schema({ name: String, tagline: String }));
      await Blog.create({ name: 'Beatles Blog', tagline: 'All the latest Beatles news.' });
      const stored = await conn.db!.collection('blogs').findOne({}, { projection: { _id: 0, name: 1 } });
      assert.deepEqual(stored, { name: 'Beatles Blog' });
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });

  test('a mongodb:// URI in host works, and pass-through options reach the driver', async () => {
    const conn = await connect({ NAME, CLIENT: { host: server.uri, appName: 'djongoose-test', maxPoolSize: 3 } });
    try {
      const options = conn.getClient().options;
      assert.equal(options.appName, 'djongoose-test');
      assert.equal(options.maxPoolSize, 3);
      assert.equal(conn.name, NAME);
    } finally {
      await conn.close();
    }
  });

  test('ENFORCE_SCHEMA is stored on the connection, and on useDb() children', async () => {
    const conn = await connect({ NAME, ENFORCE_SCHEMA: true, CLIENT: { host: server.uri } });
    try {
      assert.equal(connectionSettings(conn)?.enforceSchema, true);
      assert.equal(connectionSettings(conn.useDb(`${NAME}_other`))?.enforceSchema, true);
      assert.equal(connectionSettings(mongoose.createConnection()), undefined);
    } finally {
      await conn.close();
    }
  });

  test("an unknown CLIENT option is the driver's error, surfaced as ImproperlyConfigured", async () => {
    await assert.rejects(
      connect({ NAME, CLIENT: { host: server.uri, notAnOption: true } as never }),
      (err: unknown) =>
        err instanceof ImproperlyConfigured &&
        /driver rejected the CLIENT settings: option notanoption is not supported/.test(err.message),
    );
  });

  test(
    'a wrong port fails within the selection timeout, naming the host but not the password',
    { timeout: 15_000 },
    async () => {
      const port = await freePort();
      await assert.rejects(
        connect({
          NAME,
          CLIENT: { host: '127.0.0.1', port, username: 'app', password: PLANTED, serverSelectionTimeoutMS: 500 },
        }),
        (err: unknown) => {
          assert.ok(err instanceof OperationalError, String(err));
          assert.match(err.message, new RegExp(`at 127\\.0\\.0\\.1:${port} `));
          assert.match(err.message, /ECONNREFUSED/);
          assert.deepEqual(err.hosts, [`127.0.0.1:${port}`]);
          assertNoPassword(err);
          return true;
        },
      );
    },
  );

  test('a wrong host name fails the same way', { timeout: 15_000 }, async () => {
    await assert.rejects(
      connect({
        NAME,
        CLIENT: { host: `mongodb://app:${PLANTED}@no-such-host.invalid:27017/`, serverSelectionTimeoutMS: 500 },
      }),
      (err: unknown) => {
        assert.ok(err instanceof OperationalError, String(err));
        assert.match(err.message, /no-such-host\.invalid:27017/);
        assertNoPassword(err);
        return true;
      },
    );
  });

  test('a refused authentication is an OperationalError without the password', { timeout: 15_000 }, async () => {
    // MongoDB refuses the wrong password, FerretDB v1 on SQLite refuses SCRAM,
    // mongo-java-server has no saslStart: all are refusals.
    await assert.rejects(
      connect({
        NAME,
        CLIENT: {
          host: server.uri,
          username: 'nobody',
          password: PLANTED,
          authMechanism: 'SCRAM-SHA-256',
          authSource: 'admin',
        },
      }),
      (err: unknown) => {
        assert.ok(err instanceof OperationalError, String(err));
        assert.match(err.message, /Could not connect to MongoDB at /);
        assertNoPassword(err);
        return true;
      },
    );
  });

  test(
    'username, password, authSource and authMechanism authenticate',
    { skip: lacks('saslAuthentication') },
    async () => {
      const username = `djt_${process.pid}`;
      let authMechanism: 'PLAIN' | 'SCRAM-SHA-256' = 'PLAIN';
      let authSource = '$external';
      if (server.kind === 'mongodb') {
        // A real server checks passwords: make the user first.
        authMechanism = 'SCRAM-SHA-256';
        authSource = NAME;
        const admin = await mongoose.createConnection(server.uri, { dbName: NAME }).asPromise();
        await admin.db!.command({ createUser: username, pwd: PLANTED, roles: [{ role: 'readWrite', db: NAME }] });
        await admin.close();
      }
      const conn = await connect({
        NAME,
        CLIENT: { host: server.uri, username, password: PLANTED, authSource, authMechanism },
      });
      try {
        const status = await conn.db!.command({ connectionStatus: 1 });
        const users = (status['authInfo'] as { authenticatedUsers: { user: string; db: string }[] }).authenticatedUsers;
        assert.deepEqual(users, [{ user: username, db: authSource }]);
      } finally {
        if (server.kind === 'mongodb') await conn.db!.command({ dropUser: username });
        await conn.close();
      }
    },
  );

  test('a wrong password is refused', { skip: lacks('passwordCheck') }, async () => {
    const username = `djt_wrong_${process.pid}`;
    const admin = await mongoose.createConnection(server.uri, { dbName: NAME }).asPromise();
    await admin.db!.command({ createUser: username, pwd: 'the-right-one', roles: [] });
    try {
      await assert.rejects(
        connect({ NAME, CLIENT: { host: server.uri, username, password: PLANTED, authSource: NAME } }),
        (err: unknown) =>
          err instanceof OperationalError &&
          /Authentication failed/i.test(err.message) &&
          !err.message.includes(PLANTED),
      );
    } finally {
      await admin.db!.command({ dropUser: username });
      await admin.close();
    }
  });
});
