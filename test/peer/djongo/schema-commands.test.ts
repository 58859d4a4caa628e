// Ported from djongo's tests/mock_tests/test_sqlparsing.py: the statements
// that change a database rather than read it. djongo translates Django's
// CREATE TABLE into a collection, unique indexes (the primary key's named
// `__primary_key__`) and a `__schema__` entry; INSERT into one atomic `$inc`
// of the entry's `auto.seq` per statement, however many rows. djongoose does
// the same through `migrate` and the autoIncrement plugin, checked here on the
// server against the layout djongo's cases expect.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { autoIncrement, manager, resolveSettings, type Managed } from '../../../index.js';
import { migrate } from '../../../cli/api.js';
import { openTestDatabase, ready, server } from '../../helpers/server.js';
import { peerSuite } from '../case.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const db = conn.db!;
let tables = 0;

interface Row {
  col1?: number | null;
  col2?: number | null;
  col?: number | null;
}

/** A fresh `table_N` model; `auto` makes col1 djongo's AUTOINCREMENT. */
function table(fields: Record<string, unknown>, options: { auto?: string } = {}) {
  tables += 1;
  const schema = new mongoose.Schema<Row>(fields, { versionKey: false });
  schema.plugin(manager);
  if (options.auto) schema.plugin(autoIncrement, { field: options.auto });
  const name = `table_${tables}`;
  return { name, Model: conn.model<Row, Managed<Row>>(`Table${tables}`, schema, name) };
}

async function schemaEntry(name: string): Promise<Record<string, unknown> | null> {
  return db.collection('__schema__').findOne({ name }, { projection: { _id: 0 } });
}

async function indexes(name: string): Promise<{ name: string; key: Record<string, unknown>; unique?: boolean }[]> {
  const list = await db.collection(name).listIndexes().toArray();
  return list.map((i) => ({
    name: i['name'] as string,
    key: i['key'] as Record<string, unknown>,
    ...(i['unique'] ? { unique: true } : {}),
  }));
}

peer.case('TestCreateTable.test_pk_with_autoInc', async () => {
  // CREATE TABLE "table" ("col1" int PRIMARY KEY AUTOINCREMENT)
  const { name, Model } = table({}, { auto: 'col1' });
  await migrate(conn, [Model]);
  assert.ok((await db.listCollections({}, { nameOnly: true }).toArray()).some((c) => c.name === name));
  assert.deepEqual(
    (await indexes(name)).find((i) => i.name === '__primary_key__'),
    { name: '__primary_key__', key: { col1: 1 }, unique: true },
  );
  const entry = await schemaEntry(name);
  assert.deepEqual(entry?.['auto'], { field_names: ['col1'], seq: 0 });
  assert.deepEqual((entry?.['fields'] as Record<string, unknown>)['col1'], { type_code: 'int' });
});

peer.case('TestCreateTable.test_notNull_with_autoInc', async () => {
  // CREATE TABLE "table" ("col1" int NOT NULL AUTOINCREMENT): the same counter entry.
  const { name, Model } = table({ col2: Number }, { auto: 'col1' });
  await migrate(conn, [Model]);
  const entry = await schemaEntry(name);
  assert.equal(entry?.['name'], name);
  assert.deepEqual(entry?.['auto'], { field_names: ['col1'], seq: 0 });
});

peer.case('TestCreateTable.test_autoInc_with_unique', async () => {
  // CREATE TABLE "table" ("col1" int AUTOINCREMENT UNIQUE): the counter and a unique index on col1.
  const { name, Model } = table({}, { auto: 'col1' });
  await migrate(conn, [Model]);
  assert.ok((await indexes(name)).some((i) => i.unique && Object.keys(i.key).join() === 'col1'));
  assert.deepEqual((await schemaEntry(name))?.['auto'], { field_names: ['col1'], seq: 0 });
});

peer.case('TestCreateTable.test_notNull_with_unique', async () => {
  // CREATE TABLE "table" ("col1" int NOT NULL UNIQUE): create_index('col1', unique=True).
  const { name, Model } = table({ col1: { type: Number, required: true, unique: true } });
  await migrate(conn, [Model]);
  assert.deepEqual(
    (await indexes(name)).find((i) => i.name === 'col1_1'),
    { name: 'col1_1', key: { col1: 1 }, unique: true },
  );
});

for (const title of [
  'TestCreateTable.test_whitespace',
  'TestCreateTable.test_notNull_with_unique (the __schema__ entry)',
]) {
  peer.case(title, async () => {
    // djongo: __schema__.update_one({ name }, { $set: { 'fields.col1': { type_code: 'int' } } }, upsert=True)
    // SQL's `int` column is Mongoose's Int32 (a Number is djongo's FloatField, 'double').
    const { name, Model } = table({ col1: { type: mongoose.Schema.Types.Int32, unique: true } });
    await migrate(conn, [Model]);
    assert.deepEqual((await schemaEntry(name))?.['fields'], { col1: { type_code: 'int' } });
  });
}

peer.case('TestAlterTableAddConstraint.test_unique', async () => {
  // ALTER TABLE "table" ADD CONSTRAINT "c" UNIQUE ("a", "b"): a unique compound index (Django's unique_together).
  const { name, Model } = table({ col1: Number, col2: Number });
  Model.schema.index({ col1: 1, col2: 1 }, { unique: true, name: 'c' });
  await migrate(conn, [Model]);
  assert.deepEqual(
    (await indexes(name)).find((i) => i.name === 'c'),
    { name: 'c', key: { col1: 1, col2: 1 }, unique: true },
  );
});

peer.case('TestAlterTableAddConstraint.test_index', async () => {
  // ALTER TABLE "table" ADD CONSTRAINT "c" INDEX ("a", "b")
  const { name, Model } = table({ col1: Number, col2: Number });
  Model.schema.index({ col1: 1, col2: 1 }, { name: 'c' });
  await migrate(conn, [Model]);
  assert.deepEqual(
    (await indexes(name)).find((i) => i.name === 'c'),
    { name: 'c', key: { col1: 1, col2: 1 } },
  );
});

/** The findAndModify commands sent to `__schema__` while `run` runs. */
async function counterCommands(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  const client = conn.getClient();
  const listener = (event: { commandName: string; command: Record<string, unknown> }): void => {
    if (event.commandName === 'findAndModify' && event.command['findAndModify'] === '__schema__') {
      seen.push(event.command);
    }
  };
  client.on('commandStarted', listener);
  try {
    await run();
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}

/** The `$inc` of `auto.seq` a counter command sends (djongoose also adds the field name to `auto.field_names`). */
const incOf = (command: Record<string, unknown>): number =>
  Number(((command['update'] as Record<string, Record<string, unknown>>)['$inc'] ?? {})['auto.seq']);

peer.case('TestInsert.test_single', async () => {
  // INSERT INTO "table" ("col") VALUES (%s): one $inc of 1 on the table's counter, then the insert.
  const { name, Model } = table({ col: Number }, { auto: 'id' });
  await ready(Model);
  await migrate(conn, [Model]);
  const commands = await counterCommands(() => Model.objects.create({ col: 1 }));
  assert.equal(commands.length, 1);
  assert.equal(incOf(commands[0]!), 1);
  const stored = await db
    .collection(name)
    .find({}, { projection: { _id: 0 } })
    .toArray();
  assert.deepEqual(stored, [{ col: 1, id: 1 }]);
});

peer.case('TestInsert.test_many', async () => {
  // INSERT ... VALUES (%s) VALUES (%s): one $inc of 2 for both rows.
  const { name, Model } = table({ col: Number }, { auto: 'id' });
  await migrate(conn, [Model]);
  const commands = await counterCommands(() => Model.objects.bulkCreate([{ col: 1 }, { col: 2 }]));
  assert.equal(commands.length, 1);
  assert.equal(incOf(commands[0]!), 2);
  const stored = await db
    .collection(name)
    .find({}, { projection: { _id: 0 } })
    .sort({ id: 1 })
    .toArray();
  assert.deepEqual(stored, [
    { col: 1, id: 1 },
    { col: 2, id: 2 },
  ]);
});

peer.case('TestInsert.test_multi', async () => {
  // Two columns, two rows; the last row's id (djongo's last_row_id) is 2.
  const { Model } = table({ col1: Number, col2: Number }, { auto: 'id' });
  await migrate(conn, [Model]);
  const created = await Model.objects.bulkCreate([
    { col1: 1, col2: 2 },
    { col1: 3, col2: 4 },
  ]);
  assert.deepEqual(
    created.map((d) => d.get('id') as number),
    [1, 2],
  );
  assert.equal((await schemaEntry(Model.collection.collectionName))?.['auto'] !== undefined, true);
});

peer.case('TestQueryInsert.test_pattern5', async () => {
  // INSERT INTO "table" ("id") VALUES (DEFAULT): the id comes from the counter.
  const { name, Model } = table({}, { auto: 'id' });
  await migrate(conn, [Model]);
  await Model.objects.create({});
  const stored = await db
    .collection(name)
    .find({}, { projection: { _id: 0 } })
    .toArray();
  assert.deepEqual(stored, [{ id: 1 }]);
  assert.deepEqual(((await schemaEntry(name))?.['auto'] as Record<string, unknown>)['seq'], 1);
});

// --- TestDatabaseWrapper: djongo's DATABASES settings

peer.case('TestDatabaseWrapper.test_connection_params', async () => {
  const resolved = resolveSettings({ NAME: 'djongo_name', CLIENT: { host: 'db.example', port: 27018 } });
  assert.equal(resolved.name, 'djongo_name');
  assert.deepEqual(resolved.hosts, ['db.example:27018']);
});

peer.case('TestDatabaseWrapper.test_empty_connection_params (ENFORCE_SCHEMA defaults to false)', async () => {
  // djongo defaults NAME to 'djongo_test'; djongoose, as Django's backends, requires NAME (README: Settings).
  assert.equal(resolveSettings({ NAME: 'djongo_test' }).enforceSchema, false);
  assert.throws(
    () => resolveSettings({}),
    (err: Error) => err.name === 'ImproperlyConfigured' && /NAME/.test(err.message),
  );
});

peer.case('TestDatabaseWrapper.test_connection', async () => {
  // A connection made from the settings reaches the server.
  const { host, port } = server.hostPort;
  const { connect } = await import('../../../index.js');
  const other = await connect({ NAME: `${db.databaseName}_w`, CLIENT: { host, port } });
  try {
    assert.equal((await other.db!.command({ ping: 1 }))['ok'], 1);
  } finally {
    await other.close();
  }
});
