// Model.objects and its QuerySets against a real server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import {
  DjongoManager,
  DoesNotExist,
  FieldError,
  MultipleObjectsReturned,
  NotSupportedError,
  ValidationError,
  F,
  djongo,
  manager,
  type Managed,
  type FilterInput,
} from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { entryModel, entrySchema, SEED, type EntryRaw } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);

/** The names of the commands a block sends. */
const commandNames = async (block: () => Promise<unknown> | unknown): Promise<string[]> =>
  (await commandsDuring(conn, block)).map((c) => c.name);

describe(`Model.objects on ${server.name}`, () => {
  test('QuerySets are lazy: building one sends nothing, awaiting sends one find', async () => {
    let qs: ReturnType<typeof Entry.objects.filter> | undefined;
    const built = await commandNames(() => {
      qs = Entry.objects.filter({ rating__gte: 4 }).orderBy('-headline').slice(0, 5);
    });
    assert.deepEqual(built, []);
    const sent = await commandNames(async () => assert.equal((await qs!).length, 2));
    assert.deepEqual(sent, ['find']);
  });

  test('QuerySets are immutable: each method returns a new one', async () => {
    const base = Entry.objects.filter({ blog__name: 'Beatles Blog' });
    const narrower = base.filter({ rating: 5 });
    assert.notEqual(base, narrower);
    assert.equal((await base).length, 2);
    assert.equal((await narrower).length, 1);
  });

  test('results are hydrated documents; lean() gives plain objects', async () => {
    const [doc] = await Entry.objects.filter({ headline: 'Hey Jude' });
    assert.ok(doc instanceof mongoose.Model);
    assert.equal(doc?.blog?.name, 'Beatles Blog');
    const [plain] = await Entry.objects.filter({ headline: 'Hey Jude' }).lean();
    assert.ok(!(plain instanceof mongoose.Model));
    assert.equal(plain?.headline, 'Hey Jude');
  });

  test('get: exactly one, else DoesNotExist or MultipleObjectsReturned', async () => {
    assert.equal((await Entry.objects.get({ headline: 'Hey Jude' })).rating, 5);
    await assert.rejects(Entry.objects.get({ headline: 'Yesterday' }), DoesNotExist);
    await assert.rejects(Entry.objects.get({ headline: 'Yesterday' }), Entry.DoesNotExist);
    await assert.rejects(Entry.objects.get({ blog__name: 'Beatles Blog' }), MultipleObjectsReturned);
  });

  test('first, last, earliest, latest, exists, count', async () => {
    assert.equal((await Entry.objects.orderBy('rating').first())?.headline, 'Paint It Black');
    assert.equal((await Entry.objects.orderBy('rating').last())?.headline, 'Hey Jude');
    assert.equal((await Entry.objects.earliest('pub_date')).headline, 'Hey Jude');
    assert.equal((await Entry.objects.latest('pub_date')).headline, 'Paint It Black');
    assert.equal(await Entry.objects.filter({ rating__gt: 4 }).exists(), true);
    assert.equal(await Entry.objects.filter({ rating__gt: 5 }).exists(), false);
    assert.equal(await Entry.objects.filter({ blog__name__startswith: 'Beatles' }).count(), 2);
    assert.equal(await Entry.objects.none().count(), 0);
    assert.equal(await Entry.objects.filter({ rating__gt: 5 }).first(), undefined);
  });

  test('none() never asks the server', async () => {
    assert.deepEqual(await commandNames(async () => assert.deepEqual(await Entry.objects.none(), [])), []);
  });

  test('orderBy on embedded paths, slice, values, valuesList, distinct', async () => {
    const ordered = Entry.objects.orderBy('-blog__name', 'headline');
    assert.deepEqual(await ordered.valuesList('headline', { flat: true }), [
      'Paint It Black',
      'Abbey Road (Remastered)',
      'Hey Jude',
    ]);
    assert.deepEqual(await ordered.slice(1, 2).valuesList('headline', { flat: true }), ['Abbey Road (Remastered)']);
    assert.deepEqual(await ordered.slice(0, 1).values('headline', 'blog__name'), [
      { headline: 'Paint It Black', blog__name: 'Stones Weekly' },
    ]);
    assert.deepEqual(await ordered.slice(0, 1).valuesList('headline', 'rating'), [['Paint It Black', 3]]);
    assert.deepEqual(((await Entry.objects.distinct('blog__name')) as string[]).sort(), [
      'Beatles Blog',
      'Stones Weekly',
    ]);
  });

  test('values and valuesList give null for what a document lacks, embedded parents included', async () => {
    const bare = await Entry.objects.create({ headline: 'No Blog Yet' });
    try {
      const one = Entry.objects.filter({ headline: 'No Blog Yet' });
      assert.deepEqual(await one.values('headline', 'blog__name', 'rating'), [
        { headline: 'No Blog Yet', blog__name: null, rating: null },
      ]);
      assert.deepEqual(await one.valuesList('blog__tagline', { flat: true }), [null]);
    } finally {
      await bare.deleteOne();
    }
  });

  test('update and delete refuse a slice, and nothing is changed', async () => {
    const sliced = Entry.objects.orderBy('headline').slice(0, 1);
    const before = await Entry.objects.count();
    await assert.rejects(
      sliced.delete(),
      (e: unknown) => e instanceof NotSupportedError && /delete\(\)/.test(String(e)),
    );
    await assert.rejects(sliced.update({ rating: 0 }), NotSupportedError);
    assert.equal(await Entry.objects.count(), before);
    assert.equal(await Entry.objects.filter({ rating: 0 }).count(), 0);
  });

  test('only and defer shape the projection', async () => {
    const [only] = await Entry.objects.filter({ headline: 'Hey Jude' }).only('headline').lean();
    assert.deepEqual(Object.keys(only!).sort(), ['_id', 'headline']);
    const [deferred] = await Entry.objects.filter({ headline: 'Hey Jude' }).defer('comments', 'data').lean();
    assert.ok(!('comments' in deferred!) && !('data' in deferred!) && 'headline' in deferred!);
  });

  test('iterate with for await, through a cursor in batches', async () => {
    const seen: string[] = [];
    const sent = await commandNames(async () => {
      for await (const entry of Entry.objects.orderBy('headline').iterator({ chunkSize: 1 }))
        seen.push(entry.headline!);
    });
    assert.deepEqual(seen, ['Abbey Road (Remastered)', 'Hey Jude', 'Paint It Black']);
    assert.ok(sent.includes('getMore'), `batches of one need getMore: ${sent.join(',')}`);
  });

  test('toMongo shows the query; explain asks the server', async () => {
    const qs = Entry.objects.filter({ blog__name__startswith: 'Beatles' }).orderBy('-headline').slice(1, 3);
    assert.deepEqual(qs.toMongo(), {
      collection: 'entries',
      filter: { 'blog.name': new RegExp('^Beatles') },
      projection: undefined,
      sort: { headline: -1 },
      skip: 1,
      limit: 2,
    });
  });

  test('create, update with keys and F, delete, with counts', async () => {
    const doc = await Entry.objects.create({ headline: 'Yesterday', rating: 2, views: 1, tags: ['a'] });
    assert.ok(doc._id);
    assert.equal(
      await Entry.objects
        .filter({ headline: 'Yesterday' })
        .update({ inc__views: 2, push__tags: 'b', set__blog__name: 'X' }),
      1,
    );
    assert.equal(await Entry.objects.filter({ headline: 'Yesterday' }).update({ views: F('views').plus(10) }), 1);
    const after = await Entry.objects.get({ headline: 'Yesterday' });
    assert.equal(after.views, 13);
    assert.deepEqual([...after.tags!], ['a', 'b']);
    assert.equal(after.blog?.name, 'X');
    assert.equal(await Entry.objects.filter({ headline: 'Yesterday' }).delete(), 1);
    assert.equal(await Entry.objects.filter({ headline: 'Yesterday' }).delete(), 0);
  });

  test('bad values are ValidationErrors naming the field, and nothing is written', async () => {
    await assert.rejects(
      Entry.objects.create({ headline: 'x'.repeat(300) }),
      (e: unknown) => e instanceof ValidationError && /headline/.test((e as Error).message),
    );
    // @ts-expect-error rating is a number: refused at compile time too
    await assert.rejects(Entry.objects.filter({ headline: 'Hey Jude' }).update({ rating: 'five' }), ValidationError);
    await assert.rejects(Entry.objects.filter({ pk: 'not-an-id' }).fetch(), ValidationError);
    assert.equal((await Entry.objects.get({ headline: 'Hey Jude' })).rating, 5);
    assert.equal(await Entry.objects.count(), 3);
    // A filter built at run time is not type-checked; the compiler still refuses it.
    const dynamic: FilterInput = { headlin: 'x' };
    assert.throws(() => Entry.objects.filter(dynamic).toMongo(), FieldError);
  });

  test('getOrCreate and updateOrCreate', async () => {
    const [a, createdA] = await Entry.objects.getOrCreate(
      { headline: 'Let It Be', blog__name: 'Beatles Blog' },
      { rating: 4 },
    );
    assert.equal(createdA, true);
    assert.equal(a.blog?.name, 'Beatles Blog');
    const [b, createdB] = await Entry.objects.get_or_create({ headline: 'Let It Be' });
    assert.equal(createdB, false);
    assert.equal(String(b._id), String(a._id));
    const [c, createdC] = await Entry.objects.updateOrCreate({ headline: 'Let It Be' }, { rating: 1 });
    assert.equal(createdC, false);
    assert.equal(c.rating, 1);
    await Entry.objects.filter({ headline: 'Let It Be' }).delete();
  });

  test('getOrCreate is safe under a concurrent duplicate (unique index race)', async () => {
    const schema = new mongoose.Schema({ slug: { type: String, unique: true } });
    schema.plugin(manager);
    const Tag = conn.model<{ slug?: string }, Managed<{ slug?: string }>>('Tag', schema);
    await Tag.init();
    const results = await Promise.all(Array.from({ length: 8 }, () => Tag.objects.getOrCreate({ slug: 'rock' })));
    assert.equal(results.filter(([, created]) => created).length, 1);
    assert.equal(new Set(results.map(([doc]) => String(doc._id))).size, 1);
    assert.equal(await Tag.objects.count(), 1);
  });

  test('bulkCreate in batches and inBulk', async () => {
    // inBulk keys by a unique field only (Django's in_bulk).
    const schema = new mongoose.Schema({ n: { type: Number, unique: true } });
    schema.plugin(manager);
    const Row = conn.model<{ n?: number }, Managed<{ n?: number }>>('Row', schema);
    const sent = await commandNames(() =>
      Row.objects.bulk_create(
        Array.from({ length: 10 }, (_, n) => ({ n })),
        { batchSize: 4 },
      ),
    );
    assert.equal(sent.filter((c) => c === 'insert').length, 3);
    const rows = await Row.objects.orderBy('n').slice(0, 2);
    const byId = await Row.objects.inBulk(rows.map((r) => r._id));
    assert.deepEqual(Object.keys(byId).sort(), rows.map((r) => String(r._id)).sort());
    const byN = await Row.objects.in_bulk([3, 4], { fieldName: 'n' });
    assert.deepEqual(Object.keys(byN).sort(), ['3', '4']);
  });

  test('bulkCreate refuses a bad item, naming it, and writes nothing, whatever its batch', async () => {
    const schema = new mongoose.Schema({ n: Number });
    schema.plugin(manager);
    const Item = conn.model<{ n?: number }, Managed<{ n?: number }>>('BulkItem', schema);
    for (const [bad, what] of [
      ['x', 'the string "x"'],
      [null, 'null'],
      [[1], 'the array [1]'],
    ] as const) {
      await assert.rejects(
        Item.objects.bulkCreate([{ n: 1 }, bad as never]),
        (err: unknown) =>
          err instanceof ValidationError &&
          err.message === `BulkItem.objects.bulkCreate takes objects (field → value); item 1 is ${what}.`,
      );
    }
    assert.equal(await Item.objects.count(), 0);
    // A bad value in a later batch: the earlier batches are not written either.
    await assert.rejects(
      // @ts-expect-error a string for a number field: refused at compile time too
      Item.objects.bulkCreate([{ n: 1 }, { n: 2 }, { n: 'three' }], { batchSize: 2 }),
      (err: unknown) => err instanceof ValidationError && /BulkItem/.test((err as Error).message),
    );
    assert.equal(await Item.objects.count(), 0);
  });

  test('objects is bound to its own model: connection.model, useDb, discriminators', async () => {
    const other = conn.useDb(`${conn.name}_other`);
    const OtherEntry = other.model<EntryRaw, Managed<EntryRaw>>('Entry', entrySchema());
    assert.equal(OtherEntry.objects.model, OtherEntry);
    assert.equal(await OtherEntry.objects.count(), 0);
    const Special = Entry.discriminator(
      'SpecialEntry',
      new mongoose.Schema({ note: String }),
    ) as unknown as Managed<EntryRaw>;
    // @ts-expect-error note is a field of the discriminator, which this cast does not type
    await Special.objects.create({ headline: 'Special', note: 'n' });
    assert.equal(Special.objects.model, Special);
    assert.equal(await Special.objects.count(), 1);
    assert.equal(await Entry.objects.count(), 4);
    await Special.objects.all().delete();
    await other.dropDatabase();
  });

  test('custom managers and more than one manager per model', async () => {
    class HighlyRated extends DjongoManager<EntryRaw> {
      override getQueryset() {
        return super.getQueryset().filter({ rating__gte: 4 });
      }
      best() {
        return this.getQueryset().orderBy('-rating').first();
      }
    }
    const schema = entrySchema();
    schema.plugin(manager, { name: 'rated', manager: HighlyRated });
    const Rated = conn.model<EntryRaw, Managed<EntryRaw> & Managed<EntryRaw, 'rated', HighlyRated>>(
      'RatedEntry',
      schema,
      'entries',
    );
    assert.equal(await Rated.objects.count(), 3);
    assert.equal(await Rated.rated.count(), 2);
    assert.equal((await Rated.rated.best())?.headline, 'Hey Jude');
  });

  test('schema.plugin(djongo) applies the manager', async () => {
    const schema = new mongoose.Schema({ name: String });
    schema.plugin(djongo);
    const Blog = conn.model<{ name?: string }, Managed<{ name?: string }>>('Blog', schema);
    await Blog.objects.create({ name: 'B' });
    assert.equal(await Blog.objects.filter({ name__iexact: 'b' }).count(), 1);
  });

  test('explain asks the server about the query', { skip: lacks('explain') }, async () => {
    const plan = (await Entry.objects.filter({ rating__gte: 4 }).explain()) as Record<string, unknown>;
    assert.ok(
      plan && ('queryPlanner' in plan || 'command' in plan || 'explainVersion' in plan),
      JSON.stringify(plan).slice(0, 200),
    );
  });

  test("the seed's EntryView.get_object: mongo_aggregate with $match on headline", async () => {
    const cursor = Entry.objects.mongo_aggregate([{ $match: { headline: 'Hey Jude' } }]);
    const [entry] = await cursor.toArray();
    assert.equal(entry?.['headline'], 'Hey Jude');
    const inserted = await Entry.objects.mongo_insert_one({ headline: 'Raw insert' });
    assert.ok(inserted.insertedId);
    assert.equal(await Entry.objects.mongo_delete_many({ headline: 'Raw insert' }).then((r) => r.deletedCount), 1);
  });
});
