import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { connect, type DjongoLogger, type DjongoSettings } from '../../index.js';
import { databaseName, lacks, server } from '../helpers/server.js';
import { consoleCapture, debugCapture, pinoCapture, type Captured } from '../helpers/log-capture.js';

const PLANTED = 'PLANTED-log-pw-41d2';
const NAME = databaseName(import.meta.url);

/** Inserts, finds and provokes a failing command through a connection that logs to `capture`. */
async function exercise(
  capture: Captured<DjongoLogger>,
  client: DjongoSettings['CLIENT'],
  level?: 'DEBUG' | 'INFO',
): Promise<void> {
  const conn = await connect({
    NAME,
    CLIENT: client,
    LOGGING: { version: 1, loggers: { djongo: { level: level ?? 'DEBUG', propagate: false } }, logger: capture.logger },
  });
  try {
    const Entry = conn.model('Entry', new mongoose.Schema({ headline: String }), 'entries');
    await Entry.create({ headline: 'Hey Jude' });
    await Entry.find({ headline: 'Hey Jude' }).lean();
    await conn.db!.command({ definitelyNotACommand: 1 }).catch(() => undefined);
  } finally {
    await conn.dropDatabase();
    await conn.close();
  }
}

describe(`the djongo logger on ${server.name}`, () => {
  test('debug(): each operation with its collection, command and duration', async () => {
    const capture = debugCapture();
    await exercise(capture, { host: server.uri });
    const text = capture.text();
    assert.match(text, new RegExp(`insert ${NAME}\\.entries \\d+\\.\\d ms`));
    assert.match(text, new RegExp(`find ${NAME}\\.entries \\d+\\.\\d ms`));
    assert.match(text, /definitelyNotACommand .* failed: /);
  });

  test('pino: structured records on a child logger named djongo', async () => {
    const capture = pinoCapture();
    await exercise(capture, { host: server.uri });
    const records = capture
      .text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const insert = records.find((r) => r['command'] === 'insert');
    assert.ok(insert, 'an insert was logged');
    assert.equal(insert['level'], 20, 'at debug level');
    assert.equal(insert['name'], 'djongo');
    assert.equal(insert['collection'], 'entries');
    assert.equal(insert['database'], NAME);
    assert.equal(insert['ok'], true);
    assert.equal(typeof insert['durationMS'], 'number');
  });

  test('console-like objects get one line per operation', async () => {
    const capture = consoleCapture();
    await exercise(capture, { host: server.uri });
    assert.match(capture.text(), new RegExp(`^djongo find ${NAME}\\.entries`, 'm'));
  });

  test('a level above DEBUG logs no operations', async () => {
    const capture = consoleCapture();
    await exercise(capture, { host: server.uri }, 'INFO');
    assert.equal(capture.text(), '');
  });

  test(
    'with credentials, the planted password appears in no log line',
    { skip: lacks('saslAuthentication') },
    async () => {
      if (server.kind === 'mongodb') {
        const admin = await mongoose.createConnection(server.uri, { dbName: NAME }).asPromise();
        await admin.db!.command({ createUser: 'djt_logger', pwd: PLANTED, roles: [{ role: 'dbOwner', db: NAME }] });
        await admin.close();
      }
      const capture = debugCapture();
      const mechanism =
        server.kind === 'mongodb' ? { authSource: NAME } : { authSource: '$external', authMechanism: 'PLAIN' as const };
      await exercise(capture, { host: server.uri, username: 'djt_logger', password: PLANTED, ...mechanism });
      assert.match(capture.text(), /insert /, 'operations were logged');
      assert.ok(!capture.text().includes(PLANTED));
    },
  );

  test('a failed connection logs nothing with the password either', { timeout: 15_000 }, async () => {
    const capture = debugCapture();
    await assert.rejects(
      exercise(capture, {
        host: server.uri,
        username: 'nobody',
        password: PLANTED,
        authMechanism: 'SCRAM-SHA-256',
        serverSelectionTimeoutMS: 2000,
      }),
    );
    assert.ok(!capture.text().includes(PLANTED));
  });
});
