// Pipeline updates computed by djongoose (PIPELINE_UPDATES 'client', and
// 'auto' on a server that refuses them): the values and BSON types the
// server's own pipeline gives, a compare-and-set per document that retries
// when a concurrent writer changed what was read, and refusals that write
// nothing. 'client' is forced here, so on a real MongoDB (MONGODB_URI) the
// fallback runs too and is held to the same expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { ConcurrentUpdateError, F, NotSupportedError, connect, manager, type Managed } from '../../index.js';
import { pipelineFallback } from '../../manager/update-fallback.js';
import { databaseName, lacks, ready, server } from '../helpers/server.js';
import { assertMatchesExample } from '../helpers/error-examples.js';
import { debugCapture } from '../helpers/log-capture.js';

interface CounterRaw {
  name: string;
  n?: number | null;
  one?: number | null;
  ratio?: number | null;
  price?: mongoose.Types.Decimal128;
  when?: Date | null;
  label?: string | null;
  meta?: { note?: string | null; size?: number | null };
}

function counterSchema() {
  const schema = new mongoose.Schema<CounterRaw>({
    name: String,
    n: Number,
    one: Number,
    ratio: Number,
    price: mongoose.Schema.Types.Decimal128,
    when: Date,
    label: String,
    meta: { note: String, size: Number },
  });
  schema.plugin(manager);
  return schema;
}

const NAME = databaseName(import.meta.url);
const conn = await connect({ NAME, CLIENT: { host: server.uri }, PIPELINE_UPDATES: 'client' });
test.after(async () => {
  await conn.dropDatabase();
  await conn.close();
});
const Counter = await ready(conn.model<CounterRaw, Managed<CounterRaw>>('Entry', counterSchema(), 'counters'));
const raw = conn.getClient().db(NAME).collection('counters');

async function seed(docs: CounterRaw[]) {
  await Counter.deleteMany({});
  await Counter.insertMany(docs);
}

/** The stored documents by name, with BSON types kept (Int32, Double, …). */
async function stored(): Promise<Record<string, Record<string, unknown>>> {
  const docs = await raw.find({}, { promoteValues: false }).toArray();
  return Object.fromEntries(docs.map((d) => [String(d['name']), d]));
}

const bsonType = (value: unknown) => (value as { _bsontype?: string } | undefined)?._bsontype;

test(`PIPELINE_UPDATES 'client' on ${server.name}: copies and arithmetic across fields, with MongoDB's result types`, async () => {
  await seed([
    { name: 'a', n: 7, one: 2 },
    { name: 'b', n: 10, one: 4 },
  ]);
  const count = await Counter.objects.update({
    ratio: F('n').dividedBy(F('one')),
    label: F('name'),
    one: F('n').plus(F('one')).times(F('one')),
  });
  assert.equal(count, 2);
  const { a, b } = await stored();
  assert.equal(bsonType(a?.['ratio']), 'Double', '$divide gives a double');
  assert.equal(Number(a?.['ratio']), 3.5);
  assert.equal(Number(b?.['ratio']), 2.5);
  assert.equal(a?.['label'], 'a');
  assert.equal(bsonType(a?.['one']), 'Int32', 'int + int and int × int stay int');
  assert.equal(Number(a?.['one']), 18);
  assert.equal(Number(b?.['one']), 56);
  assert.equal(Number(a?.['n']), 7, 'a field only read is not written');
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: a null or missing operand gives null; a copy of a missing field removes the field`, async () => {
  await seed([
    { name: 'null', n: 1, one: null, label: 'x' },
    { name: 'missing', n: 1, label: 'x' },
  ]);
  assert.equal(await Counter.objects.update({ n: F('n').minus(F('one')), label: F('ratio') }), 2);
  const docs = await stored();
  for (const name of ['null', 'missing']) {
    assert.equal(docs[name]?.['n'], null, `${name}: $subtract with a null/missing operand is null`);
    assert.ok(!Object.hasOwn(docs[name] ?? {}, 'label'), `${name}: $set of a missing field removes it`);
  }
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: a date plus milliseconds is a date`, async () => {
  await seed([{ name: 'd', n: 90_000, when: new Date('2020-01-01T00:00:00Z') }]);
  assert.equal(await Counter.objects.update({ when: F('when').plus(F('n')) }), 1);
  assert.deepEqual((await Counter.objects.get({ name: 'd' })).when, new Date('2020-01-01T00:01:30Z'));
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: a field inside an embedded document is written there, its siblings kept`, async () => {
  await seed([
    { name: 'e', n: 3, meta: { note: 'keep', size: 1 } },
    { name: 'f', n: 4 },
  ]);
  assert.equal(await Counter.objects.update({ meta__size: F('n').times(F('n')) }), 2);
  const { e, f } = await stored();
  assert.deepEqual(
    { ...(e?.['meta'] as object), size: Number((e?.['meta'] as { size: unknown }).size) },
    { note: 'keep', size: 9 },
  );
  assert.equal(Number((f?.['meta'] as { size: unknown } | undefined)?.size), 16, 'a missing embedded document is made');
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: a schema's timestamps get updatedAt, as Mongoose adds it to a pipeline`, async () => {
  const schema = counterSchema().set('timestamps', true);
  const Stamped = await ready(conn.model<CounterRaw, Managed<CounterRaw>>('Stamped', schema));
  await Stamped.collection.insertOne({ name: 's', n: 1, one: 2, updatedAt: new Date(0) });
  const before = Date.now();
  assert.equal(await Stamped.objects.update({ n: F('n').plus(F('one')) }), 1);
  const doc = await Stamped.collection.findOne({ name: 's' });
  assert.equal(doc?.['n'], 3);
  assert.ok((doc?.['updatedAt'] as Date).getTime() >= before - 1000, 'updatedAt is now');
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: two updates racing both count (the compare-and-set retries)`, async () => {
  await seed([{ name: 'r', n: 5, one: 1 }]);
  // Deterministic race: the first update's write is delayed until a second
  // update has run to the end; its compare-and-set then finds n changed,
  // reads again and adds to the new value.
  const filter = Counter.objects.filter({ name: 'r' });
  let raced = false;
  const first = await pipelineFallback(Counter, { name: 'r' }, [{ $set: { n: { $add: ['$n', '$one'] } } }], false, {
    beforeWrite: async () => {
      if (raced) return;
      raced = true;
      assert.equal(await filter.update({ n: F('n').plus(F('one')) }), 1);
    },
  });
  assert.equal(first, 1);
  assert.equal((await Counter.objects.get({ name: 'r' })).n, 7, 'n + 1 + 1: neither update is lost');
});

test(
  `PIPELINE_UPDATES 'client' on ${server.name}: updates in parallel all count`,
  { skip: lacks('atomicConditionalUpdates') },
  async () => {
    await seed([{ name: 'p', n: 5, one: 1 }]);
    const filter = Counter.objects.filter({ name: 'p' });
    const counts = await Promise.all(Array.from({ length: 5 }, () => filter.update({ n: F('n').plus(F('one')) })));
    assert.deepEqual(counts, [1, 1, 1, 1, 1]);
    assert.equal((await Counter.objects.get({ name: 'p' })).n, 10);
  },
);

test(`PIPELINE_UPDATES 'client' on ${server.name}: a document that keeps changing gives ConcurrentUpdateError`, async () => {
  await seed([{ name: 'busy', n: 0, one: 1 }]);
  const busy = (await Counter.objects.get({ name: 'busy' }))._id;
  const pipeline = [{ $set: { one: { $add: ['$n', 1] } } }];
  await assert.rejects(
    pipelineFallback(Counter, { name: 'busy' }, pipeline, false, {
      attempts: 10,
      beforeWrite: async () => {
        await Counter.updateOne({ name: 'busy' }, { $inc: { n: 1 } });
      },
    }),
    (err: unknown) => {
      assert.ok(err instanceof ConcurrentUpdateError);
      assert.equal(String(err.documentId), String(busy));
      return assertMatchesExample(err, 'ConcurrentUpdateError');
    },
  );
  assert.equal((await Counter.objects.get({ name: 'busy' })).one, 1, 'the compare-and-set never wrote');
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: a document deleted or no longer matching is skipped`, async () => {
  await seed([
    { name: 'gone', n: 1, one: 1 },
    { name: 'moved', n: 1, one: 1 },
    { name: 'kept', n: 1, one: 1 },
  ]);
  const count = await pipelineFallback(Counter, { one: 1 }, [{ $set: { n: { $add: ['$n', '$one'] } } }], false, {
    beforeWrite: async (id, attempt) => {
      const doc = await Counter.findById(id).lean();
      if (attempt > 1 || !doc) return;
      if (doc.name === 'gone') await Counter.deleteOne({ _id: id });
      if (doc.name === 'moved') await Counter.updateOne({ _id: id }, { $set: { one: 2 } });
    },
  });
  assert.equal(count, 1);
  const docs = await stored();
  assert.equal(docs['gone'], undefined);
  assert.equal(Number(docs['moved']?.['n']), 1, 'no longer matching the filter: left as it is');
  assert.equal(Number(docs['kept']?.['n']), 2);
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: documents are read in batches, each updated once`, async () => {
  await seed(Array.from({ length: 7 }, (_, i) => ({ name: `m${i}`, n: i, one: 10 })));
  // The filter is on the field the update changes: a reader that did not
  // walk forward by _id could meet a document again and add twice.
  const count = await pipelineFallback(
    Counter,
    { n: { $gte: 0 } },
    [{ $set: { n: { $add: ['$n', '$one'] } } }],
    false,
    {
      batchSize: 2,
    },
  );
  assert.equal(count, 7);
  const docs = await stored();
  for (let i = 0; i < 7; i++) assert.equal(Number(docs[`m${i}`]?.['n']), i + 10);
});

test(`PIPELINE_UPDATES 'client' on ${server.name}: refusals write nothing`, async () => {
  await seed([
    { name: 'a', n: 7, one: 2 },
    { name: 'b', n: 1, one: 1 },
  ]);
  const before = JSON.stringify(await stored());
  await assert.rejects(
    pipelineFallback(Counter, {}, [{ $set: { label: { $dateToString: { date: '$when' } } } }], false),
    (err: unknown) => err instanceof NotSupportedError && /\$dateToString/.test(err.message),
  );
  await assert.rejects(
    Counter.objects.update({ n: F('price').plus(F('one')) }),
    (err: unknown) => err instanceof NotSupportedError && /price, a Decimal128 field/.test(err.message),
  );
  await assert.rejects(
    Counter.objects.filter({ name: 'zzz' }).update({ n: F('one').plus(F('n')) }, { upsert: true }),
    (err: unknown) => err instanceof NotSupportedError && /upsert/.test(err.message),
  );
  assert.equal(JSON.stringify(await stored()), before);
});

test(`PIPELINE_UPDATES 'auto' on ${server.name}: the refusal is noted once, then updates go straight to djongoose`, async (t) => {
  if (!lacks('pipelineUpdates')) return t.skip(`${server.name} runs pipeline updates: nothing to fall back from`);
  const capture = debugCapture();
  const auto = await connect({
    NAME,
    CLIENT: { host: server.uri },
    LOGGING: { level: 'DEBUG', logger: capture.logger },
  });
  t.after(() => auto.close());
  const Auto = auto.model<CounterRaw, Managed<CounterRaw>>('Entry', counterSchema(), 'counters');
  await seed([{ name: 'a', n: 1, one: 2 }]);
  assert.equal(await Auto.objects.update({ n: F('n').plus(F('one')) }), 1);
  assert.equal(await Auto.objects.update({ n: F('n').plus(F('one')) }), 1);
  assert.equal((await Auto.objects.get({ name: 'a' })).n, 5);
  const text = capture.text();
  assert.equal(text.match(/refused a pipeline update/g)?.length, 1, text);
  // The first update was sent as a pipeline and refused; the second was not sent as one.
  assert.equal(text.match(/update \S+ [\d.]+ ms failed: /g)?.length, 1, text);
});
