// The harness itself: a server that cannot start is reported with its log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ferretdb, mongoJavaServer, ServerStartError, type ServerDefinition } from '../harness/servers.js';

async function assertStartFailsWithLog(
  definition: ServerDefinition,
  badArgs: string[],
  logPattern: RegExp,
): Promise<void> {
  await definition.build();
  await assert.rejects(definition.start({ extraArgs: badArgs }), (err: unknown) => {
    assert.ok(err instanceof ServerStartError, String(err));
    assert.match(err.message, /failed to start: exited with code \d+ before it was ready/);
    assert.match(err.serverLog, logPattern);
    assert.match(err.message, /--- .* log ---/);
    assert.match(err.message, logPattern, 'the log is part of the message');
    return true;
  });
}

test('a FerretDB start that fails reports its log', async () => {
  await assertStartFailsWithLog(ferretdb(), ['-log-level', 'loudest'], /bad -log-level/);
});

test('a mongo-java-server start that fails reports its log', async () => {
  await assertStartFailsWithLog(mongoJavaServer(), ['--bogus'], /unknown argument --bogus/);
});

test('a started server stops when asked and its launcher exits', async () => {
  const server = await ferretdb().start();
  assert.match(server.uri, /^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
  assert.match(server.version, /^v1\.24\.\d+$/);
  await server.stop();
  await assert.rejects(
    fetch(server.uri.replace('mongodb:', 'http:')).then((r) => r.text()),
    'nothing listens on the port any more',
  );
});
