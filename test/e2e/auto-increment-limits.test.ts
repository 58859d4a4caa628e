// Ids and counters at their limits: the counter never hands out an id past
// Number.MAX_SAFE_INTEGER, explicit ids past it are refused, and stored ids
// the counter cannot count from (arrays, strings, fractions, Long or
// Decimal128 past the safe range) stop the first insert and the management
// functions with MigrationError. In every case nothing is written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mongo } from 'mongoose';
import { MigrationError, ValidationError } from '../../index.js';
import { adopt, migrate, syncCounters, type CommandModel } from '../../cli/api.js';
import { SCHEMA_COLLECTION, maxId, readSchemaEntry, reserveIds } from '../../core/schema-collection.js';
import { ACCEPTED, BAD_ID_KINDS, escapeRegExp, snapshot } from '../helpers/bad-ids.js';
import { countedEntry as countedModel } from '../helpers/models.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';

const conn = await openTestDatabase(import.meta.url);
const db = conn.db!;
const MAX = Number.MAX_SAFE_INTEGER;
const countedEntry = (collection: string) => countedModel(conn, collection);

const seqOf = async (collection: string): Promise<number | undefined> =>
  (await readSchemaEntry(db, collection))?.auto?.seq;

const FULL = (collection: string, more: string) =>
  new RegExp(
    `${collection}\\.id: the __schema__ counter is at ${MAX}, with no room for ${escapeRegExp(more)} more: ` +
      `ids must be ${ACCEPTED.source}.*Nothing was inserted and seq was left as it was\\.$`,
  );

describe(`the counter at Number.MAX_SAFE_INTEGER, on ${server.name}`, () => {
  test('ids up to the limit are handed out; the next save, batch or upsert is refused, nothing inserted', async () => {
    const Top = countedEntry('lim_top');
    assert.equal((await Top.create({ id: MAX - 1, headline: 'explicit' })).id, MAX - 1);
    assert.equal((await Top.create({ headline: 'the last safe id' })).id, MAX);
    assert.equal(await seqOf('lim_top'), MAX);

    await assert.rejects(Top.create({ headline: 'past' }), (err: unknown) => {
      assert.ok(err instanceof MigrationError, String(err));
      assert.match(err.message, FULL('lim_top', 'id'));
      return true;
    });
    await assert.rejects(Top.insertMany([{ headline: 'p1' }, { headline: 'p2' }]), FULL('lim_top', '2 ids'));
    await assert.rejects(Top.objects.bulkCreate([{ headline: 'p3' }]), MigrationError);
    await assert.rejects(
      Top.updateOne({ headline: 'p4' }, { $set: { rating: 1 } }, { upsert: true }),
      FULL('lim_top', 'id'),
    );
    await assert.rejects(Top.bulkWrite([{ insertOne: { document: { headline: 'p5' } } }]), MigrationError);
    assert.deepEqual(
      (await Top.find().sort({ id: 1 }).lean()).map((d) => d.id),
      [MAX - 1, MAX],
    );
    assert.equal(await seqOf('lim_top'), MAX);
  });

  test('a batch that would cross the limit is refused whole; one that fits gets the last ids', async () => {
    const Edge = countedEntry('lim_edge');
    await Edge.create({ id: MAX - 2, headline: 'explicit' });
    await assert.rejects(
      Edge.insertMany([{ headline: 'a' }, { headline: 'b' }, { headline: 'c' }]),
      new RegExp(`counter is at ${MAX - 2}, with no room for 3 ids more`),
    );
    assert.equal(await Edge.countDocuments(), 1);
    assert.equal(await seqOf('lim_edge'), MAX - 2);
    const fit = await Edge.insertMany([{ headline: 'a' }, { headline: 'b' }]);
    assert.deepEqual(
      fit.map((d) => d.id),
      [MAX - 1, MAX],
    );
  });

  test('an explicit id at the limit in a batch that needs new ids: refused before the counter moves', async () => {
    const Mixed = countedEntry('lim_mixed');
    await Mixed.create({ headline: 'first' });
    await assert.rejects(Mixed.insertMany([{ id: MAX, headline: 'top' }, { headline: 'new' }]), MigrationError);
    await assert.rejects(Mixed.create([{ id: MAX, headline: 'top' }, { headline: 'new' }]), MigrationError);
    assert.equal(await Mixed.countDocuments(), 1);
    assert.equal(await seqOf('lim_mixed'), 1);
  });

  test('reserveIds refuses a counter with no room, or one whose seq is not a number, writing nothing', async () => {
    const entries = db.collection(SCHEMA_COLLECTION);
    await entries.insertOne({ name: 'lim_raw', auto: { field_names: ['id'], seq: mongo.Long.fromNumber(MAX - 1) } });
    await assert.rejects(reserveIds(db, 'lim_raw', 'id', 2), /counter is at 9007199254740990, with no room for 2 ids/);
    assert.equal(await reserveIds(db, 'lim_raw', 'id', 1), MAX);
    await entries.insertOne({ name: 'lim_text', auto: { field_names: ['id'], seq: '5' } });
    await assert.rejects(
      reserveIds(db, 'lim_text', 'id', 1),
      /lim_text\.id: the __schema__ counter is at the string "5"/,
    );
    assert.equal((await entries.findOne({ name: 'lim_text' }))?.['auto'].seq, '5');
    const past = mongo.Long.fromBigInt(2n ** 60n);
    await entries.insertOne({ name: 'lim_past', auto: { field_names: ['id'], seq: past } });
    await assert.rejects(
      countedEntry('lim_past').create({ headline: 'x' }),
      /counter is at the Long 1152921504606846976/,
    );
    assert.ok(past.equals((await entries.findOne({ name: 'lim_past' }))?.['auto'].seq));
    assert.equal(await db.collection('lim_past').countDocuments(), 0);
    // Unreadable counters would stop the syncCounters() over every entry below.
    await entries.deleteMany({ name: { $in: ['lim_text', 'lim_past'] } });
    assert.equal(await seqOf('lim_raw'), MAX);
  });
});

describe(`explicit ids past the safe range, on ${server.name}`, () => {
  const unsafe: [label: string, value: unknown, quoted: string][] = [
    ['2^53', 2 ** 53, '9007199254740992'],
    ['-2^60', -(2 ** 60), '-1152921504606847000'],
    ['a string past the range', '9007199254740993', 'the string "9007199254740993"'],
    ['a Long of 2^60', mongo.Long.fromBigInt(2n ** 60n), 'the Long 1152921504606846976'],
    ['a Decimal128 of 2^60', mongo.Decimal128.fromString('1152921504606846976'), 'the Decimal128 1152921504606846976'],
    ['a fraction', 2.5, '2.5'],
  ];
  for (const [label, value, quoted] of unsafe) {
    test(`${label}: ValidationError through save, insertMany, bulkCreate and an upsert; nothing written`, async () => {
      const name = `lim_explicit_${label.replace(/\W+/g, '_')}`;
      const Explicit = countedEntry(name);
      await Explicit.create({ headline: 'first' });
      const before = await snapshot(db);
      const refused = (err: unknown): boolean => {
        assert.ok(err instanceof ValidationError, String(err));
        assert.equal(err.field, `${name}.id`);
        assert.match(err.message, new RegExp(`^${name}\\.id must be one of the ${ACCEPTED.source}, not `));
        return true;
      };
      // A document casts the value first; plain objects reach the check as they are.
      await assert.rejects(Explicit.create({ id: value as number, headline: 'x' }), refused);
      await assert.rejects(Explicit.insertMany([{ headline: 'ok' }, { id: value, headline: 'x' }]), (err: unknown) => {
        refused(err);
        assert.match((err as Error).message, new RegExp(`not ${escapeRegExp(quoted)}\\.$`));
        return true;
      });
      await assert.rejects(Explicit.objects.bulkCreate([{ id: value as number, headline: 'x' }]), refused);
      await assert.rejects(
        Explicit.updateOne({ headline: 'u' }, { $set: { id: value as number } }, { upsert: true }),
        refused,
      );
      assert.equal(await snapshot(db), before, 'something was written');
    });
  }
});

describe(`stored ids the counter cannot count from, on ${server.name}`, () => {
  for (const kind of BAD_ID_KINDS) {
    test(
      `${kind.label}: MigrationError naming it, from the first insert, maxId, migrate, adopt and syncCounters; nothing written`,
      { skip: kind.needs ? lacks(kind.needs) : false },
      async () => {
        const name = `lim_stored_${kind.label.replace(/\W+/g, '_')}`;
        const col = db.collection(name);
        const { insertedId } = await col.insertOne({ id: kind.value(), headline: 'bad' });
        await col.insertOne({ id: 1, headline: 'good' });
        const Stored = countedEntry(name);
        const models: CommandModel[] = [Stored];
        const message = new RegExp(
          `^${name}: document ${String(insertedId)} has id = ${escapeRegExp(kind.quoted)}: not an integer the counter can use\\. .*${ACCEPTED.source}`,
        );
        const named = (err: unknown): boolean => {
          assert.ok(err instanceof MigrationError, String(err));
          assert.match(err.message, message);
          assert.equal(String(err.details.id), String(insertedId));
          return true;
        };
        await Stored.init().catch(() => undefined); // its unique index may refuse the data: not what is tested
        const before = await snapshot(db);
        await assert.rejects(Stored.create({ headline: 'new' }), named);
        await assert.rejects(maxId(db, name, 'id'), named);
        await assert.rejects(migrate(conn, models), named);
        await assert.rejects(adopt(conn, models), named);
        assert.equal(await snapshot(db), before, 'something was written');

        await db.collection(SCHEMA_COLLECTION).insertOne({ name, auto: { field_names: ['id'], seq: 1 } });
        const withEntry = await snapshot(db);
        await assert.rejects(syncCounters(conn), named);
        await assert.rejects(syncCounters(conn, models), named);
        assert.equal(await snapshot(db), withEntry, 'something was written');
        await db.collection(SCHEMA_COLLECTION).deleteOne({ name });
      },
    );
  }
});
