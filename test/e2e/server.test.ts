// The harness's servers are what they say they are, and Mongoose works on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { identifyServer } from '../harness/identify.js';
import { openTestDatabase, server } from '../helpers/server.js';

test(`the server is identified as ${server.name}`, async () => {
  const identity = await identifyServer(server.uri);
  assert.equal(identity.kind, server.kind);
  if (server.kind === 'ferretdb') assert.equal(typeof identity.ferretdbVersion, 'string');
  if (server.kind === 'ferretdb' && process.env['DJONGOOSE_TEST_SERVER_VERSION']) {
    assert.match(process.env['DJONGOOSE_TEST_SERVER_VERSION'], /^v1\.24\./);
  }
});

test('Mongoose writes and reads through the driver', async () => {
  const conn = await openTestDatabase(import.meta.url);
  const Entry = conn.model('Entry', new mongoose.Schema({ headline: String, rating: Number }));
  await Entry.insertMany([
    { headline: 'Hey Jude', rating: 5 },
    { headline: 'Help!', rating: 4 },
  ]);
  const found = await Entry.find({ rating: { $gte: 5 } }).lean();
  assert.deepEqual(
    found.map((e) => e.headline),
    ['Hey Jude'],
  );
});

test('the wire version the server reports is one the driver accepts', async () => {
  const conn = await openTestDatabase(import.meta.url);
  const reply = await conn.db!.admin().command({ isMaster: 1 });
  const maxWire = reply['maxWireVersion'] as number;
  // Driver 7 refuses servers below wire version 9; mongo-java-server's own
  // MONGO_5_0 says 8, so our launcher reports 9, and this connection proves
  // the driver took it.
  assert.ok(maxWire >= 9, `maxWireVersion ${maxWire}`);
  if (server.kind === 'mongo-java-server') assert.equal(maxWire, 9);
});
