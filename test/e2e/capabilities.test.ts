// Keeps test/harness/capabilities.ts honest: each gap it declares is probed
// on every server. A declared gap must fail here, and an undeclared one must
// work, so the list can neither hide a regression of ours nor go stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mongo, type Connection } from 'mongoose';
import { CAPABILITIES, GAPS, type Capability } from '../harness/capabilities.js';
import { openTestDatabase, server } from '../helpers/server.js';

/** Whether an index with `options` is built and listed with them (their keys at least). */
async function indexListed(
  conn: Connection,
  keys: mongo.IndexSpecification,
  options: mongo.CreateIndexesOptions,
): Promise<boolean> {
  const coll = conn.db!.collection('indexed');
  await coll.insertOne({ a: 1 });
  await coll.createIndex(keys, { name: 'probe', ...options });
  const listed = (await coll.indexes()).find((index) => index.name === 'probe') as Record<string, unknown> | undefined;
  return Object.entries(options).every(([key, value]) => JSON.stringify(listed?.[key]) === JSON.stringify(value));
}

/** Probes that resolve true when the capability works. */
const probes: Partial<Record<Capability, (conn: Connection) => Promise<boolean>>> = {
  async lookup(conn) {
    const db = conn.db!;
    await db.collection('lk_a').insertOne({ k: 1 });
    await db.collection('lk_b').insertOne({ k: 1, v: 'joined' });
    const [row] = await db
      .collection('lk_a')
      .aggregate([{ $lookup: { from: 'lk_b', localField: 'k', foreignField: 'k', as: 'j' } }])
      .toArray();
    return (row?.['j'] as { v: string }[] | undefined)?.[0]?.v === 'joined';
  },
  async groupAccumulators(conn) {
    const coll = conn.db!.collection('grp');
    await coll.insertMany([{ n: 1 }, { n: 3 }]);
    const [row] = await coll.aggregate([{ $group: { _id: null, avg: { $avg: '$n' }, max: { $max: '$n' } } }]).toArray();
    return row?.['avg'] === 2 && row['max'] === 3;
  },
  async dateOperators(conn) {
    const coll = conn.db!.collection('dates');
    await coll.insertOne({ d: new Date('2020-06-15T12:00:00Z') });
    const [row] = await coll.aggregate([{ $project: { y: { $year: '$d' }, m: { $month: '$d' } } }]).toArray();
    return row?.['y'] === 2020 && row['m'] === 6;
  },
  async isoDateOperators(conn) {
    const coll = conn.db!.collection('isodates');
    await coll.insertOne({ d: new Date('2021-01-03T12:00:00Z') }); // a Sunday: ISO week 53 of 2020
    const [row] = await coll
      .aggregate([{ $project: { w: { $isoWeek: '$d' }, y: { $isoWeekYear: '$d' }, wd: { $isoDayOfWeek: '$d' } } }])
      .toArray();
    return row?.['w'] === 53 && row['y'] === 2020 && row['wd'] === 7;
  },
  async dayOfWeekSundayFirst(conn) {
    const coll = conn.db!.collection('weekdays');
    await coll.insertOne({ d: new Date('2016-01-01T00:00:00Z') });
    const [row] = await coll.aggregate([{ $project: { wd: { $dayOfWeek: '$d' } } }]).toArray();
    return row?.['wd'] === 6;
  },
  async findAndModifyProjection(conn) {
    const coll = conn.db!.collection('fam');
    await coll.insertOne({ a: 1, b: 2 });
    const doc = await coll.findOneAndUpdate(
      { a: 1 },
      { $set: { b: 3 } },
      { projection: { _id: 0, b: 1 }, returnDocument: 'after' },
    );
    return JSON.stringify(doc) === '{"b":3}';
  },
  async nestedArrays(conn) {
    const coll = conn.db!.collection('nested');
    await coll.insertOne({ a: [[1, 2]] });
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"a":[[1,2]]}';
  },
  async transactions(conn) {
    await conn.createCollection('tx');
    const session = await conn.startSession();
    try {
      await session.withTransaction(async () => {
        await conn.db!.collection('tx').insertOne({ t: 1 }, { session });
      });
    } finally {
      await session.endSession();
    }
    return (await conn.db!.collection('tx').countDocuments({ t: 1 })) === 1;
  },
  async listCollectionsFilter(conn) {
    await conn.createCollection('lc_one');
    await conn.createCollection('lc_two');
    const names = (await conn.db!.listCollections({ name: 'lc_one' }).toArray()).map((c) => c.name);
    return names.length === 1 && names[0] === 'lc_one';
  },
  async exprComparison(conn) {
    const coll = conn.db!.collection('expr');
    await coll.insertMany([
      { a: 2, b: 1 },
      { a: 1, b: 2 },
    ]);
    const found = await coll.find({ $expr: { $gt: ['$a', '$b'] } }).toArray();
    return found.length === 1 && found[0]?.['a'] === 2;
  },
  async regexMatchText(conn) {
    const coll = conn.db!.collection('regexmatch');
    await coll.insertMany([{ n: 444 }, { n: 44 }, { n: 1.5 }]);
    const text = { $toString: '$n' };
    const found = await coll.find({ $expr: { $regexMatch: { input: text, regex: '^4+$', options: '' } } }).toArray();
    const decimal = await coll.countDocuments({ $expr: { $regexMatch: { input: text, regex: '^1\\.5$' } } });
    return JSON.stringify(found.map((d) => d['n']).sort()) === '[44,444]' && decimal === 1;
  },
  async containedByEmptyArray(conn) {
    // An empty array has no element outside any set, so $not/$elemMatch holds.
    const coll = conn.db!.collection('contained');
    await coll.insertMany([{ t: [] }, { t: ['x'] }, { t: ['y'] }]);
    return (await coll.countDocuments({ t: { $not: { $elemMatch: { $nin: ['x'] } } } })) === 2;
  },
  async elemMatchDocuments(conn) {
    const coll = conn.db!.collection('elem');
    await coll.insertMany([
      {
        c: [
          { a: 'x', n: 1 },
          { a: 'y', n: 5 },
        ],
      },
      { c: [{ a: 'x', n: 5 }] },
    ]);
    return (await coll.countDocuments({ c: { $elemMatch: { a: 'x', n: { $gte: 5 } } } })) === 1;
  },
  async explain(conn) {
    await conn.db!.collection('ex').insertOne({ a: 1 });
    const plan = await conn.db!.collection('ex').find({ a: 1 }).explain();
    return typeof plan === 'object' && plan !== null;
  },
  async hello(conn) {
    const reply = await conn.db!.admin().command({ hello: 1 });
    return reply['ok'] === 1;
  },
  async saslAuthentication(conn) {
    // A garbage conversation: a server with SASL answers it with an auth
    // error; one without says the command does not exist.
    const reply = await conn
      .db!.admin()
      .command({ saslStart: 1, mechanism: 'PLAIN', payload: Buffer.from('\0x\0y') })
      .then(
        () => 'ok',
        (err: Error & { code?: number }) =>
          err.code === 59 || /no such command/i.test(err.message) ? 'missing' : 'refused',
      );
    return reply !== 'missing';
  },
  async atomicFindAndModify(conn) {
    const coll = conn.db!.collection('atomic_fam');
    await coll.insertOne({ name: 'c', seq: 0 });
    const got = await Promise.all(
      Array.from(
        { length: 100 },
        async () =>
          (await coll.findOneAndUpdate({ name: 'c' }, { $inc: { seq: 1 } }, { returnDocument: 'before' }))?.[
            'seq'
          ] as number,
      ),
    );
    return new Set(got).size === 100 && (await coll.findOne({ name: 'c' }))?.['seq'] === 100;
  },
  async atomicConditionalUpdates(conn) {
    // Compare-and-set increments: read n, write n + 1 only where n is still
    // what was read, else read again. Atomic, no increment is lost.
    const coll = conn.db!.collection('atomic_cas');
    const { insertedId } = await coll.insertOne({ n: 0 });
    const increment = async (): Promise<void> => {
      for (;;) {
        const n = (await coll.findOne({ _id: insertedId }))?.['n'] as number;
        if ((await coll.updateOne({ _id: insertedId, n }, { $set: { n: n + 1 } })).matchedCount === 1) return;
      }
    };
    await Promise.all(Array.from({ length: 20 }, increment));
    return (await coll.findOne({ _id: insertedId }))?.['n'] === 20;
  },
  async fieldPathValues(conn) {
    const coll = conn.db!.collection('fpv');
    await coll.insertOne({ a: 7 });
    const [row] = await coll.aggregate([{ $addFields: { k: '$a' } }]).toArray();
    return row?.['k'] === 7;
  },
  async arithmeticExpressions(conn) {
    const coll = conn.db!.collection('arith');
    await coll.insertOne({ a: 7, b: 2 });
    const [row] = await coll.aggregate([{ $addFields: { k: { $subtract: ['$a', '$b'] } } }]).toArray();
    return row?.['k'] === 5;
  },
  async arrayExpressions(conn) {
    const coll = conn.db!.collection('arrexpr');
    await coll.insertOne({ s: [1, 5] });
    const [row] = await coll.aggregate([{ $addFields: { n: { $size: '$s' }, m: { $max: '$s' } } }]).toArray();
    return row?.['n'] === 2 && row['m'] === 5;
  },
  async conditionalExpressions(conn) {
    const coll = conn.db!.collection('cond');
    await coll.insertMany([{ a: 1 }, { a: null }, {}]);
    const [row] = await coll
      .aggregate([{ $group: { _id: null, k: { $sum: { $cond: [{ $gt: ['$a', null] }, 1, 0] } } } }])
      .toArray();
    // $ifNull too: a missing value read as null (a group key), or as an aggregate's default.
    const keys = await coll.aggregate([{ $group: { _id: { $ifNull: ['$a', null] } } }]).toArray();
    const [withDefault] = await coll
      .aggregate([{ $match: { a: null } }, { $addFields: { d: { $ifNull: ['$a', 0] } } }])
      .toArray();
    return row?.['k'] === 1 && keys.length === 2 && withDefault?.['d'] === 0;
  },
  async multipleAccumulators(conn) {
    const coll = conn.db!.collection('accs');
    await coll.insertMany([
      { a: 1, b: 10 },
      { a: 2, b: 20 },
    ]);
    const [row] = await coll.aggregate([{ $group: { _id: null, a: { $sum: '$a' }, b: { $sum: '$b' } } }]).toArray();
    return row?.['a'] === 3 && row['b'] === 30;
  },
  async pipelineUpdates(conn) {
    const coll = conn.db!.collection('pipeline_update');
    await coll.insertOne({ a: 1, b: 2 });
    try {
      await coll.updateMany({}, [{ $set: { a: '$b' } }]);
    } catch {
      return false;
    }
    return (await coll.findOne({}))?.['a'] === 2;
  },
  async positionalUpdates(conn) {
    const coll = conn.db!.collection('positional_update');
    await coll.insertOne({
      cs: [
        { a: 'x', v: 1 },
        { a: 'y', v: 1 },
      ],
    });
    try {
      await coll.updateMany({ 'cs.a': 'y' }, { $inc: { 'cs.$.v': 1 } });
    } catch {
      return false;
    }
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"cs":[{"a":"x","v":1},{"a":"y","v":2}]}';
  },
  async allPositionalUpdates(conn) {
    const coll = conn.db!.collection('all_positional');
    await coll.insertOne({ cs: [{ a: 'x', v: 1 }, { a: 'y' }] });
    try {
      await coll.updateMany({}, { $unset: { 'cs.$[].v': '' } });
      await coll.updateMany({}, { $set: { 'cs.$[].w': 2 } });
    } catch {
      return false;
    }
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"cs":[{"a":"x","w":2},{"a":"y","w":2}]}';
  },
  async arrayFilters(conn) {
    const coll = conn.db!.collection('array_filters');
    await coll.insertOne({ cs: [{ a: 'x', v: 1 }, { a: 'y' }] });
    try {
      await coll.updateMany({}, { $set: { 'cs.$[c].v': 0 } }, { arrayFilters: [{ 'c.v': { $exists: false } }] });
    } catch {
      return false;
    }
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"cs":[{"a":"x","v":1},{"a":"y","v":0}]}';
  },
  async setKeyChanges(conn) {
    const coll = conn.db!.collection('set_key_changes');
    await coll.insertOne({ b: { x: 1 } });
    await coll.updateOne({}, { $set: { b: { y: 1 } } });
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"b":{"y":1}}';
  },
  async pushPosition(conn) {
    const coll = conn.db!.collection<{ t: string[] }>('push_position');
    await coll.insertOne({ t: ['a', 'b'] });
    await coll.updateMany({}, { $push: { t: { $each: ['z'], $position: 0 } } });
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"t":["z","a","b"]}';
  },
  async setOnInsertNull(conn) {
    const coll = conn.db!.collection('set_on_insert');
    await coll.updateOne({ a: 1 }, { $set: { b: 2 }, $setOnInsert: { c: null, d: [] } }, { upsert: true });
    const doc = await coll.findOne({ a: 1 }, { projection: { _id: 0 } });
    return JSON.stringify(doc) === '{"a":1,"b":2,"c":null,"d":[]}';
  },
  async sample(conn) {
    const coll = conn.db!.collection('sample');
    await coll.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    return (await coll.aggregate([{ $sample: { size: 2 } }]).toArray()).length === 2;
  },
  async replaceRoot(conn) {
    const coll = conn.db!.collection('roots');
    await coll.insertOne({ inner: { k: 1 } });
    const [row] = await coll.aggregate([{ $replaceRoot: { newRoot: '$inner' } }]).toArray();
    return row?.['k'] === 1;
  },
  async replaceWith(conn) {
    const coll = conn.db!.collection('roots_with');
    await coll.insertOne({ inner: { k: 1 } });
    const [row] = await coll.aggregate([{ $replaceWith: '$inner' }]).toArray();
    return row?.['k'] === 1;
  },
  async collectionValidator(conn) {
    // The validator ENFORCE_SCHEMA could install in strict mode: a document
    // without the required field must be refused by the server.
    const db = conn.db!;
    await db.createCollection('validated', { validator: { $jsonSchema: { required: ['name'] } } });
    await db.command({ collMod: 'validated', validator: { $jsonSchema: { required: ['name'] } } });
    const refused = await db
      .collection('validated')
      .insertOne({ other: 1 })
      .then(
        () => false,
        () => true,
      );
    return refused;
  },
  async decimal128(conn) {
    const coll = conn.db!.collection('dec');
    await coll.insertOne({ d: mongo.Decimal128.fromString('2.5') });
    const doc = await coll.findOne({}, { projection: { _id: 0 } });
    return doc?.['d'] instanceof mongo.Decimal128 && doc['d'].toString() === '2.5';
  },
  async decimalAverage(conn) {
    const coll = conn.db!.collection('decavg');
    await coll.insertMany([{ d: mongo.Decimal128.fromString('1.5') }, { d: mongo.Decimal128.fromString('2.5') }]);
    const [row] = await coll.aggregate([{ $group: { _id: null, a: { $avg: '$d' } } }]).toArray();
    return row?.['a'] instanceof mongo.Decimal128 && Number(row['a'].toString()) === 2;
  },
  async nonFiniteDoubles(conn) {
    const coll = conn.db!.collection('nonfinite');
    await coll.insertMany([{ n: Number.NaN }, { n: Infinity }, { n: -Infinity }]);
    const docs = await coll.find({}, { projection: { _id: 0 } }).toArray();
    return JSON.stringify(docs.map((d) => String(d['n']))) === '["NaN","Infinity","-Infinity"]';
  },
  async quotedFieldNames(conn) {
    const coll = conn.db!.collection('quoted');
    await coll.insertOne({ v: 1 });
    try {
      await coll.updateOne({}, { $set: { 'a"b': 2 } });
    } catch {
      return false;
    }
    return (await coll.findOne({}))?.['a"b'] === 2;
  },
  async literal(conn) {
    const coll = conn.db!.collection('literal');
    await coll.insertOne({ n: 1 });
    const [row] = await coll.aggregate([{ $project: { _id: 0, a: { $literal: 1 } } }]).toArray();
    return row?.['a'] === 1;
  },
  async convertExpression(conn) {
    const coll = conn.db!.collection('converts');
    await coll.insertMany([{ s: '42' }, { s: 'n/a' }]);
    const rows = await coll
      .aggregate([
        { $addFields: { n: { $convert: { input: '$s', to: 'double', onError: 'ERR' } } } },
        { $sort: { s: 1 } },
      ])
      .toArray();
    return JSON.stringify(rows.map((row) => row['n'])) === '[42,"ERR"]';
  },
  partialIndexes: (conn) => indexListed(conn, { a: 1 }, { partialFilterExpression: { b: { $gt: 5 } } }),
  ttlIndexes: (conn) => indexListed(conn, { d: 1 }, { expireAfterSeconds: 3600 }),
  collationIndexes: (conn) => indexListed(conn, { c: 1 }, { collation: { locale: 'en', strength: 2 } }),
  async duplicateKeyOnUpdate(conn) {
    const coll = conn.db!.collection('dup_updates');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertMany([{ k: 1 }, { k: 2 }]);
    const err = await coll.updateOne({ k: 2 }, { $set: { k: 1 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    return (err as { code?: unknown } | undefined)?.code === 11000;
  },
  textIndexes: (conn) => indexListed(conn, { t: 'text' }, { weights: { t: 5 } }),
  async pullConditions(conn) {
    const coll = conn.db!.collection<{ c: { a: string; n?: number }[] }>('pulls');
    await coll.insertOne({ c: [{ a: 'x', n: 1 }, { a: 'y' }] });
    await coll.updateOne({}, { $pull: { c: { a: { $eq: 'x' } } } });
    return JSON.stringify((await coll.findOne({}, { projection: { _id: 0 } }))?.['c']) === '[{"a":"y"}]';
  },
};

for (const capability of Object.keys(CAPABILITIES) as Capability[]) {
  const probe = probes[capability];
  const declaredGap = GAPS[server.kind].includes(capability);
  test(
    `${server.name} ${declaredGap ? 'lacks' : 'has'} ${capability}`,
    { skip: probe ? false : `${capability} is documented, not probed: ${CAPABILITIES[capability]}` },
    async () => {
      const conn = await openTestDatabase(import.meta.url);
      const works = await probe!(conn).catch(() => false);
      assert.equal(
        works,
        !declaredGap,
        declaredGap
          ? `capabilities.ts says ${server.name} lacks ${capability}, but it works: remove the gap`
          : `${server.name} should have ${capability} (${CAPABILITIES[capability]}), but the probe failed`,
      );
    },
  );
}
