// The autoIncrement plugin and djongo's __schema__ counters against a real
// server: ids, pk, the entry's exact layout, upserts, one round trip per
// batch (counted from the driver's own command monitoring), explicit ids,
// and a database as djongo left it.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { mongo } from 'mongoose';
import { manager, MigrationError, ValidationError, type Managed } from '../../index.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import {
  SCHEMA_COLLECTION,
  djongoFieldTypes,
  maxId,
  raiseSeq,
  readSchemaEntry,
  reserveIds,
} from '../../core/schema-collection.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring, type SentCommand } from '../helpers/commands.js';
import { countedEntry as countedModel } from '../helpers/models.js';
import { DJONGO_COLLECTIONS, DJONGO_SCHEMA, loadDjongoFixture } from '../fixtures/djongo/index.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const db = conn.db!;

const countedEntry = (collection: string) => countedModel(conn, collection);

type Sent = SentCommand;

/** The commands a block sends, from the driver's own monitoring. */
const sentDuring = (block: () => Promise<unknown>): Promise<Sent[]> => commandsDuring(conn, block);

/** The counter reservations among sent commands: the `$inc` of each findAndModify on __schema__. */
function reservations(sent: readonly Sent[]): number[] {
  return sent
    .filter((s) => s.name === 'findAndModify' && s.command['findAndModify'] === SCHEMA_COLLECTION)
    .map((s) => Number((s.command['update'] as { $inc?: Record<string, unknown> }).$inc?.['auto.seq'] ?? NaN));
}

async function rawEntry(collection: string): Promise<mongo.Document | null> {
  return db.collection(SCHEMA_COLLECTION).findOne({ name: collection }, { promoteValues: false });
}

async function idsOf(collection: string): Promise<number[]> {
  const docs = await db
    .collection(collection)
    .find({}, { projection: { id: 1 } })
    .toArray();
  return docs.map((d) => d['id'] as number).sort((a, b) => a - b);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe(`autoIncrement on ${server.name}`, () => {
  const Entry = countedEntry('ai_entry');

  test('new documents get 1, 2, 3 from a counter it creates; pk resolves to id', async () => {
    assert.equal(await rawEntry('ai_entry'), null);
    const a = await Entry.create({ headline: 'Hey Jude' });
    const b = await new Entry({ headline: 'Abbey Road' }).save();
    const c = await Entry.objects.create({ headline: 'Paint It Black' });
    assert.deepEqual([a.id, b.id, c.id], [1, 2, 3]);
    assert.equal(typeof c.id, 'number');
    assert.equal((await Entry.objects.get({ pk: 3 })).headline, 'Paint It Black');
    assert.deepEqual(
      await Entry.objects
        .filter({ pk__in: [1, 3] })
        .orderBy('pk')
        .valuesList('id', { flat: true }),
      [1, 3],
    );
    assert.equal((await Entry.findOne({ id: 2 }).lean())?.headline, 'Abbey Road');
  });

  test("the field has a unique index, named as djongo's primary key", async () => {
    await Entry.init();
    const indexes = await db.collection('ai_entry').indexes();
    const onId = indexes.filter((ix) => Object.keys(ix.key).join() === 'id');
    assert.equal(onId.length, 1, JSON.stringify(indexes));
    assert.equal(onId[0]?.unique, true);
    assert.equal(onId[0]?.name, '__primary_key__');
    await assert.rejects(db.collection('ai_entry').insertOne({ id: 2 }), { code: 11000 });
  });

  test("the __schema__ entry has djongo's layout exactly, seq an int32", async () => {
    const raw = await rawEntry('ai_entry');
    assert.ok(raw);
    assert.deepEqual(Object.keys(raw).sort(), ['_id', 'auto', 'fields', 'name']);
    assert.equal(raw['name'], 'ai_entry');
    assert.deepEqual(Object.keys(raw['auto']).sort(), ['field_names', 'seq']);
    assert.deepEqual(raw['auto'].field_names, ['id']);
    assert.ok(raw['auto'].seq instanceof mongo.Int32, `seq is a ${raw['auto'].seq?.constructor?.name}`);
    assert.equal(raw['auto'].seq.valueOf(), 3);
    assert.deepEqual(raw['fields'], djongoFieldTypes(Entry.schema));
    assert.deepEqual(raw['fields'].id, { type_code: 'int' });
    assert.deepEqual(raw['fields'].headline, { type_code: 'string' });
    assert.deepEqual(raw['fields'].blog, { type_code: 'object' });
    assert.deepEqual(raw['fields'].tags, { type_code: 'array' });
    assert.deepEqual(raw['fields'].pub_date, { type_code: 'date' });
    assert.ok(!('data' in raw['fields']) && !('_id' in raw['fields']) && !('__v' in raw['fields']));
    const schemaIndexes = await db.collection(SCHEMA_COLLECTION).indexes();
    assert.ok(schemaIndexes.some((ix) => Object.keys(ix.key).join() === 'name' && ix.unique === true));
    assert.deepEqual(await readSchemaEntry(db, 'ai_entry'), {
      name: 'ai_entry',
      auto: { field_names: ['id'], seq: 3 },
      fields: djongoFieldTypes(Entry.schema),
    });
  });

  test('a deleted entry is upserted again, continuing after the largest id present', async () => {
    await db.collection(SCHEMA_COLLECTION).deleteOne({ name: 'ai_entry' });
    const d = await Entry.create({ headline: 'Yesterday' });
    assert.equal(d.id, 4);
    assert.equal((await readSchemaEntry(db, 'ai_entry'))?.auto?.seq, 4);
    assert.equal(await db.collection(SCHEMA_COLLECTION).countDocuments({ name: 'ai_entry' }), 1);
  });

  test('a batch costs one counter round trip: insertMany, objects.bulkCreate, Model.create([...])', async () => {
    const Batch = countedEntry('ai_batch');
    await Batch.create({ headline: 'first' }); // creates the entry; batches below find it

    const many = await sentDuring(() =>
      Batch.insertMany(Array.from({ length: 30 }, (_, i) => ({ headline: `many ${i}` }))),
    );
    assert.deepEqual(reservations(many), [30]);
    assert.equal(many.filter((s) => s.name === 'insert').length, 1);

    const bulk = await sentDuring(() =>
      Batch.objects.bulkCreate(Array.from({ length: 1_000 }, (_, i) => ({ headline: `bulk ${i}` }))),
    );
    assert.deepEqual(reservations(bulk), [1_000]);

    const inputs = Array.from({ length: 25 }, (_, i) => ({ headline: `create ${i}` }));
    const created = await sentDuring(() => Batch.create(inputs));
    assert.deepEqual(reservations(created), [25]);
    assert.equal(created.filter((s) => s.name === 'insert').length, 25);
    assert.ok(
      inputs.every((doc) => !('id' in doc)),
      "the caller's objects are not changed",
    );

    const spread = await sentDuring(() => Batch.create({ headline: 'x' }, { headline: 'y' }, { headline: 'z' }));
    assert.deepEqual(reservations(spread), [3]);

    const single = await sentDuring(() => Batch.create([{ headline: 'alone' }]));
    assert.deepEqual(reservations(single), [1]);

    assert.deepEqual(await idsOf('ai_batch'), range(1, 1 + 30 + 1_000 + 25 + 3 + 1));
    assert.equal((await readSchemaEntry(db, 'ai_batch'))?.auto?.seq, 1_060);
  });

  test('batches return their documents with the ids, in order', async () => {
    const Order = countedEntry('ai_order');
    const docs = await Order.insertMany([{ headline: 'a' }, { headline: 'b' }, { headline: 'c' }]);
    assert.deepEqual(
      docs.map((d) => [d.headline, d.id]),
      [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ],
    );
    const made = await Order.create([{ headline: 'd' }, { headline: 'e' }]);
    assert.deepEqual(
      made.map((d) => [d.headline, d.id]),
      [
        ['d', 4],
        ['e', 5],
      ],
    );
    const existing = new Order({ headline: 'f' });
    await Order.insertMany([existing]);
    assert.equal(existing.id, 6, 'a Mongoose document passed in gets its id set');
  });

  test('bulkCreate: the ids put in place are the stored ones, and the documents save on afterwards', async () => {
    const Bulk = countedEntry('ai_bulk_in_place');
    const given = new Bulk({ headline: 'given' });
    const docs = await Bulk.objects.bulkCreate([{ headline: 'a' }, given, { headline: 'c' }]);
    assert.deepEqual(
      docs.map((d) => [d.headline, d.id, d.isNew]),
      [
        ['a', 1, false],
        ['given', 2, false],
        ['c', 3, false],
      ],
    );
    assert.equal(docs[1], given, 'a document passed in is the one returned');
    assert.deepEqual(await idsOf('ai_bulk_in_place'), [1, 2, 3]);
    docs[2]!.headline = 'c2';
    await docs[2]!.save();
    assert.deepEqual(
      await db.collection('ai_bulk_in_place').findOne({ id: 3 }, { projection: { _id: 0, headline: 1, id: 1 } }),
      {
        headline: 'c2',
        id: 3,
      },
    );
  });

  test('insertMany with { lean: true } gets ids too, one $inc, and returns plain objects', async () => {
    const Lean = countedEntry('ai_lean');
    await Lean.create({ headline: 'first' }); // creates the entry
    const inputs = [{ headline: 'a' }, { headline: 'b' }];
    let returned: unknown[] = [];
    const sent = await sentDuring(async () => {
      returned = await Lean.insertMany(inputs, { lean: true });
    });
    assert.deepEqual(reservations(sent), [2]);
    assert.deepEqual(await idsOf('ai_lean'), [1, 2, 3]);
    assert.ok(
      returned.every((doc) => !(doc instanceof mongoose.Document)),
      'lean: plain objects come back',
    );
    assert.deepEqual(
      returned.map((doc) => (doc as { headline?: string; id?: number }).headline + ':' + (doc as { id?: number }).id),
      ['a:2', 'b:3'],
    );
    assert.ok(
      inputs.every((doc) => !('id' in doc)),
      "the caller's objects are not changed",
    );
  });

  test("bulkCreate runs the id field's own setters", async () => {
    const seen: unknown[] = [];
    const schema = new mongoose.Schema({
      headline: String,
      id: {
        type: Number,
        set: (v: unknown) => {
          seen.push(v);
          return v;
        },
      },
    });
    schema.plugin(manager);
    schema.plugin(autoIncrement);
    const WithSetter = conn.model<{ headline?: string; id?: number }, Managed<{ headline?: string; id?: number }>>(
      'ai_setter',
      schema,
      'ai_setter',
    );
    await WithSetter.objects.bulkCreate([{ headline: 'a' }, { headline: 'b' }]);
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(await idsOf('ai_setter'), [1, 2]);
  });

  test('explicit ids are kept, and the counter moves up past them, never down', async () => {
    const Explicit = countedEntry('ai_explicit');
    assert.equal((await Explicit.create({ headline: 'auto' })).id, 1);
    assert.equal((await Explicit.create({ id: 100, headline: 'explicit' })).id, 100);
    assert.equal((await readSchemaEntry(db, 'ai_explicit'))?.auto?.seq, 100);
    assert.equal((await Explicit.create({ headline: 'after' })).id, 101);

    assert.equal((await Explicit.create({ id: 50, headline: 'lower' })).id, 50);
    assert.equal((await readSchemaEntry(db, 'ai_explicit'))?.auto?.seq, 101, 'a lower explicit id does not lower seq');

    const mixed = await sentDuring(() =>
      Explicit.insertMany([{ headline: 'm1' }, { id: 500, headline: 'm500' }, { headline: 'm2' }]),
    );
    assert.equal(reservations(mixed).filter((n) => n === 2).length, 1);
    assert.deepEqual(
      (await Explicit.find({ headline: /^m/ }).sort({ id: 1 }).lean()).map((d) => d.id),
      [500, 501, 502],
    );

    const created = await Explicit.create([{ headline: 'c1' }, { id: 700, headline: 'c700' }]);
    assert.deepEqual(
      created.map((d) => d.id).sort((a, b) => a! - b!),
      [700, 701],
    );

    const moved = await Explicit.findOne({ id: 1 }).orFail();
    moved.set('id', 900);
    await moved.save();
    assert.equal((await readSchemaEntry(db, 'ai_explicit'))?.auto?.seq, 900);
    assert.equal((await Explicit.create({ headline: 'last' })).id, 901);

    await assert.rejects(Explicit.create({ id: 100, headline: 'duplicate' }), { code: 11000 });
    await assert.rejects(Explicit.create({ id: 2.5, headline: 'fraction' }), {
      name: 'ValidationError',
      message:
        'ai_explicit.id must be one of the integers within ±9007199254740991 (Number.MAX_SAFE_INTEGER), not 2.5.',
    });
    await assert.rejects(Explicit.insertMany([{ headline: 'ok' }, { id: 3.5, headline: 'fraction' }]), /not 3\.5/);
    assert.equal(await Explicit.countDocuments({ headline: { $in: ['fraction', 'ok'] } }), 0);
    assert.equal(await Explicit.countDocuments({ id: 100 }), 1);
  });

  test('Model.create([...]) with explicit ids: one raise and one reservation, no more', async () => {
    const Mixed = countedEntry('ai_mixed_create');
    await Mixed.create({ headline: 'first' });
    const sent = await sentDuring(() =>
      Mixed.create([{ headline: 'a' }, { id: 40, headline: 'b' }, { id: 30, headline: 'c' }, { headline: 'd' }]),
    );
    const counterCalls = sent.filter((s) => s.command['findAndModify'] === SCHEMA_COLLECTION);
    assert.equal(counterCalls.length, 2, JSON.stringify(counterCalls.map((s) => s.command['update'])));
    assert.deepEqual(await idsOf('ai_mixed_create'), [1, 30, 40, 41, 42]);
  });

  test('concurrent saves in one process get distinct ids', { skip: lacks('atomicFindAndModify') }, async () => {
    const Busy = countedEntry('ai_busy');
    const docs = await Promise.all(Array.from({ length: 200 }, (_, i) => Busy.create({ headline: `b${i}` })));
    assert.deepEqual(
      docs.map((d) => d.id!).sort((a, b) => a - b),
      range(1, 200),
    );
  });

  test('a custom field name', async () => {
    const schema = new mongoose.Schema({ headline: String });
    schema.plugin(manager);
    schema.plugin(autoIncrement, { field: 'entry_no' });
    const Custom = conn.model<
      { headline?: string; entry_no?: number },
      Managed<{ headline?: string; entry_no?: number }>
    >('ai_custom', schema, 'ai_custom');
    await Custom.create([{ headline: 'a' }, { headline: 'b' }]);
    // Typed filters take pk as `id` when the document type has one; a custom
    // field name is known only at run time, so this filter is typed loosely.
    const byPk: Record<string, unknown> = { pk: 2 };
    assert.equal((await Custom.objects.get(byPk)).headline, 'b');
    assert.deepEqual((await readSchemaEntry(db, 'ai_custom'))?.auto, { field_names: ['entry_no'], seq: 2 });
  });
});

describe(`a database as djongo left it, on ${server.name}`, () => {
  // In before(), not in the describe body: node:test runs a suite's body when
  // the file loads, so an await there ran alongside the suite above, whose
  // first counter upserts on __schema__ then raced the fixture's
  // createIndex/insertMany into it (seen as mongo-java-server's "Unknown error: null").
  before(() => loadDjongoFixture(db));
  interface FixtureEntry {
    id?: number;
    blog?: { name?: string; tagline?: string };
    headline?: string;
    body_text?: string;
    pub_date?: Date;
    n_comments?: number;
    rating?: number;
  }
  const schema = new mongoose.Schema<FixtureEntry>({
    blog: new mongoose.Schema({ name: String, tagline: String }, { _id: false }),
    headline: String,
    body_text: String,
    pub_date: Date,
    n_comments: Number,
    rating: Number,
  });
  schema.plugin(manager);
  schema.plugin(autoIncrement);
  const Entry = conn.model<FixtureEntry, Managed<FixtureEntry>>('BlogEntry', schema, 'blog_entry');
  const djongoEntry = DJONGO_SCHEMA.find((e) => e.name === 'blog_entry')!;

  test("djongo's documents are found by pk", async () => {
    assert.equal((await Entry.objects.get({ pk: 2 })).headline, 'Abbey Road');
    assert.equal(await Entry.objects.filter({ pk__gte: 2 }).count(), 2);
    assert.deepEqual(await readSchemaEntry(db, 'blog_entry'), djongoEntry);
  });

  test("Mongoose's index matches djongo's __primary_key__: init adds nothing", async () => {
    await Entry.init();
    const onId = (await db.collection('blog_entry').indexes()).filter((ix) => Object.keys(ix.key).join() === 'id');
    assert.deepEqual(
      onId.map((ix) => [ix.name, ix.unique]),
      [['__primary_key__', true]],
    );
  });

  test("inserts continue djongo's sequence (seq 4, so 5, not the free 3), seq stays an int32", async () => {
    const next = await Entry.objects.create({ headline: 'Get Back', rating: 4 });
    assert.equal(next.id, 5);
    const more = await Entry.objects.bulkCreate([{ headline: 'Let It Be' }, { headline: 'Help!' }]);
    assert.deepEqual(
      more.map((d) => d.id),
      [6, 7],
    );
    const raw = await rawEntry('blog_entry');
    assert.ok(raw?.['auto'].seq instanceof mongo.Int32);
    assert.equal(raw?.['auto'].seq.valueOf(), 7);
    assert.deepEqual(await idsOf('blog_entry'), [1, 2, 4, 5, 6, 7]);
  });

  test("djongo's `fields` are kept as they were, not replaced by ours", async () => {
    const entry = await readSchemaEntry(db, 'blog_entry');
    assert.deepEqual(entry?.fields, djongoEntry.fields);
    assert.notDeepEqual(
      djongoFieldTypes(Entry.schema),
      djongoEntry.fields,
      'ours differ (rating: double), so this checks something',
    );
    assert.deepEqual(entry?.auto?.field_names, ['id']);
  });

  test('an entry with `fields` only (no auto field) gains a counter and keeps its fields', async () => {
    const first = await reserveIds(db, 'django_session', 'id', 2);
    assert.equal(first, 1);
    const raw = await rawEntry('django_session');
    assert.deepEqual(raw?.['fields'], DJONGO_SCHEMA.find((e) => e.name === 'django_session')!.fields);
    assert.deepEqual(raw?.['auto'].field_names, ['id']);
    assert.equal(raw?.['auto'].seq.valueOf(), 2);
  });

  test("the other tables' counters are untouched", async () => {
    for (const name of ['django_migrations', 'blog_blog'] as const) {
      assert.deepEqual(
        await readSchemaEntry(db, name),
        DJONGO_SCHEMA.find((e) => e.name === name),
      );
      assert.equal(await db.collection(name).countDocuments(), DJONGO_COLLECTIONS[name].length);
    }
  });
});

describe(`the __schema__ API on ${server.name}`, () => {
  test('raiseSeq raises, never lowers, and reports before and after', async () => {
    const fields = { id: { type_code: 'int' } };
    assert.deepEqual(await raiseSeq(db, 'api_raise', 'id', 10, fields), { before: null, after: 10 });
    assert.deepEqual(await raiseSeq(db, 'api_raise', 'id', 5), { before: 10, after: 10 });
    assert.deepEqual(await raiseSeq(db, 'api_raise', 'id', 12), { before: 10, after: 12 });
    const raw = await rawEntry('api_raise');
    assert.deepEqual(raw?.['fields'], fields);
    assert.ok(raw?.['auto'].seq instanceof mongo.Int32);
    assert.equal(await reserveIds(db, 'api_raise', 'id', 3), 13);
    assert.equal((await readSchemaEntry(db, 'api_raise'))?.auto?.seq, 15);
  });

  test('raiseSeq writes `fields` when the entry lacks them, and keeps them when present', async () => {
    await db.collection(SCHEMA_COLLECTION).insertOne({ name: 'api_nofields', auto: { field_names: ['id'], seq: 1 } });
    await raiseSeq(db, 'api_nofields', 'id', 2, { id: { type_code: 'int' } });
    assert.deepEqual((await readSchemaEntry(db, 'api_nofields'))?.fields, { id: { type_code: 'int' } });
    await raiseSeq(db, 'api_nofields', 'id', 3, { id: { type_code: 'long' } });
    assert.deepEqual((await readSchemaEntry(db, 'api_nofields'))?.fields, { id: { type_code: 'int' } });
  });

  test('maxId: the largest integer, 0 when empty; MigrationError naming the collection and a sample _id', async () => {
    assert.equal(await maxId(db, 'api_empty', 'id'), 0);
    const col = db.collection('api_max');
    await col.insertMany([{ id: 3 }, { id: 12 }, { id: new mongo.Double(7) }, { other: 1 }, { id: null }]);
    assert.equal(await maxId(db, 'api_max', 'id'), 12);

    const { insertedId } = await col.insertOne({ id: 'thirteen' });
    await assert.rejects(maxId(db, 'api_max', 'id'), (err: unknown) => {
      assert.ok(err instanceof MigrationError);
      assert.match(err.message, /api_max/);
      assert.match(err.message, new RegExp(String(insertedId)));
      assert.equal(String(err.details.id), String(insertedId));
      return true;
    });
    await col.deleteOne({ _id: insertedId });
    const fraction = await col.insertOne({ id: 2.5 });
    await assert.rejects(maxId(db, 'api_max', 'id'), new RegExp(`${String(fraction.insertedId)}.*not an integer`));
  });

  test('reserveIds refuses a count that is not a positive whole number, before asking the server', async () => {
    for (const n of [0, -1, 1.5, Number.NaN]) await assert.rejects(reserveIds(db, 'api_bad', 'id', n), ValidationError);
    assert.equal(await readSchemaEntry(db, 'api_bad'), null);
  });
});
