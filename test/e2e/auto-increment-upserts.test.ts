// The autoIncrement plugin on writes that insert without a document to save,
// against a real server: upserts (update and replace), Model.bulkWrite with
// one counter round trip for all its new documents, and discriminators,
// whose `pk` and counter are the base model's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type AnyBulkWriteOperation } from 'mongoose';
import { ValidationError, manager, type Managed } from '../../index.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { SCHEMA_COLLECTION, djongoFieldTypes, readSchemaEntry } from '../../core/schema-collection.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring, type SentCommand } from '../helpers/commands.js';
import { countedEntry as countedModel, type Counted } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const db = conn.db!;

const countedEntry = (collection: string) => countedModel(conn, collection);

/** A model whose counter entry exists (its first document has id 1), so that calls below cost what they cost. */
async function startedEntry(collection: string) {
  const Model = countedEntry(collection);
  assert.equal((await Model.create({ headline: 'first' })).id, 1);
  return Model;
}

/** What each findAndModify on __schema__ did to the counter: `$inc` reserves ids, `$max` raises past explicit ones. */
function counterCalls(sent: readonly SentCommand[]): { inc?: number; max?: number }[] {
  return sent
    .filter((s) => s.name === 'findAndModify' && s.command['findAndModify'] === SCHEMA_COLLECTION)
    .map((s) => {
      const update = s.command['update'] as { $inc?: Record<string, unknown>; $max?: Record<string, unknown> };
      const inc = update.$inc?.['auto.seq'];
      const max = update.$max?.['auto.seq'];
      return { ...(inc !== undefined ? { inc: Number(inc) } : {}), ...(max !== undefined ? { max: Number(max) } : {}) };
    });
}

const sentDuring = (block: () => Promise<unknown>): Promise<SentCommand[]> => commandsDuring(conn, block);

async function idOf(collection: string, headline: string): Promise<unknown> {
  const docs = await db.collection(collection).find({ headline }).toArray();
  assert.equal(docs.length, 1, `one document with headline ${headline} in ${collection}`);
  return docs[0]!['id'];
}

async function seqOf(collection: string): Promise<number | undefined> {
  return (await readSchemaEntry(db, collection))?.auto?.seq;
}

describe(`autoIncrement upserts on ${server.name}`, () => {
  test('updateOne, updateMany and findOneAndUpdate upserts insert with the next id, one $inc: 1 each', async () => {
    const Entry = await startedEntry('up_update');
    const update = { $set: { rating: 1 } };
    const one = await sentDuring(() => Entry.updateOne({ headline: 'u1' }, update, { upsert: true }));
    assert.deepEqual(counterCalls(one), [{ inc: 1 }]);
    assert.equal(await idOf('up_update', 'u1'), 2);
    // (Mongoose itself adds `$setOnInsert: { __v: 0 }` to the caller's object; the id is ours to keep out.)
    assert.deepEqual(update.$set, { rating: 1 });
    assert.ok(!('id' in ((update as { $setOnInsert?: object }).$setOnInsert ?? {})), "the caller's update has no id");

    const many = await sentDuring(() => Entry.updateMany({ headline: 'u2' }, { rating: 2 }, { upsert: true }));
    assert.deepEqual(counterCalls(many), [{ inc: 1 }]);
    assert.equal(await idOf('up_update', 'u2'), 3);

    const found = await Entry.findOneAndUpdate(
      { headline: 'u3' },
      { $set: { rating: 3 } },
      { upsert: true, returnDocument: 'after' },
    );
    assert.equal(found?.id, 4);
    const byId = await Entry.findByIdAndUpdate(new mongoose.Types.ObjectId(), { headline: 'u4' }, { upsert: true });
    assert.equal(byId, null, 'returnDocument before: nothing was there');
    assert.equal(await idOf('up_update', 'u4'), 5);

    // The id joins Mongoose's own $setOnInsert (schema defaults), not replacing it.
    const u1 = await Entry.findOne({ headline: 'u1' }).lean();
    assert.deepEqual([u1?.id, u1?.views, u1?.likes, u1?.rating], [2, 0, 0, 1]);
    assert.equal(await seqOf('up_update'), 5);
    assert.equal((await Entry.objects.get({ pk: 4 })).headline, 'u3');
  });

  test('an upsert that matches keeps its document’s id; the id it reserved is a gap', async () => {
    const Entry = await startedEntry('up_match');
    await Entry.updateOne({ headline: 'kept' }, { rating: 1 }, { upsert: true });
    assert.equal(await idOf('up_match', 'kept'), 2);

    const again = await sentDuring(() => Entry.updateOne({ headline: 'kept' }, { rating: 2 }, { upsert: true }));
    assert.deepEqual(counterCalls(again), [{ inc: 1 }], 'reserved before the server says whether it inserts');
    const found = await Entry.findOneAndUpdate(
      { headline: 'kept' },
      { rating: 3 },
      { upsert: true, returnDocument: 'after' },
    );
    assert.deepEqual([found?.id, found?.rating], [2, 3]);
    assert.equal(await Entry.countDocuments({ headline: 'kept' }), 1);
    assert.equal(await seqOf('up_match'), 4);
    assert.equal((await Entry.create({ headline: 'next' })).id, 5, 'ids 3 and 4 were never used');
  });

  test('an upsert with an explicit id keeps it and raises the counter, reserving nothing', async () => {
    const Entry = await startedEntry('up_explicit');
    const set = await sentDuring(() => Entry.updateOne({ headline: 's' }, { $set: { id: 50 } }, { upsert: true }));
    assert.deepEqual(counterCalls(set), [{ max: 50 }]);
    assert.equal(await idOf('up_explicit', 's'), 50);

    await Entry.updateOne({ headline: 'o' }, { $setOnInsert: { id: 55 } }, { upsert: true });
    assert.equal(await idOf('up_explicit', 'o'), 55);

    // The filter's equality is what an update upsert inserts: kept, and raised past.
    const pinned = await sentDuring(() => Entry.updateOne({ id: 60 }, { headline: 'p' }, { upsert: true }));
    assert.deepEqual(counterCalls(pinned), [{ max: 60 }]);
    assert.equal(await idOf('up_explicit', 'p'), 60);
    await Entry.findOneAndUpdate({ id: { $eq: 65 } }, { headline: 'q' }, { upsert: true });
    assert.equal(await idOf('up_explicit', 'q'), 65);

    assert.equal(await seqOf('up_explicit'), 65);
    assert.equal((await Entry.create({ headline: 'after' })).id, 66);
    await assert.rejects(Entry.updateOne({ headline: 'f' }, { $set: { id: 2.5 } }, { upsert: true }), ValidationError);
    assert.equal(await Entry.countDocuments({ headline: 'f' }), 0);
  });

  test('updates that are not upserts never touch the counter', async () => {
    const Entry = await startedEntry('up_plain');
    const sent = await sentDuring(async () => {
      await Entry.updateOne({ headline: 'first' }, { rating: 1 });
      await Entry.updateMany({}, { rating: 2 });
      await Entry.findOneAndUpdate({ headline: 'nothing' }, { rating: 3 });
      await Entry.replaceOne({ headline: 'first' }, { headline: 'first', id: 1 });
    });
    assert.deepEqual(counterCalls(sent), []);
    assert.equal(await Entry.countDocuments(), 1);
  });

  test('replace upserts: a new document gets the next id, a replaced one keeps its own', async () => {
    const Entry = await startedEntry('up_replace');
    const replacement = { headline: 'r1', rating: 1 };
    const inserted = await sentDuring(() => Entry.replaceOne({ headline: 'r1' }, replacement, { upsert: true }));
    assert.deepEqual(counterCalls(inserted), [{ inc: 1 }]);
    assert.equal(await idOf('up_replace', 'r1'), 2);
    assert.ok(!('id' in replacement), "the caller's replacement has no id");

    const replaced = await sentDuring(() =>
      Entry.replaceOne({ headline: 'r1' }, { headline: 'r1', rating: 2 }, { upsert: true }),
    );
    assert.deepEqual(counterCalls(replaced), [], 'the matched document’s id is read, not reserved');
    const r1 = await Entry.findOne({ headline: 'r1' }).lean();
    assert.deepEqual([r1?.id, r1?.rating], [2, 2]);

    const made = await Entry.findOneAndReplace(
      { headline: 'r2' },
      { headline: 'r2' },
      { upsert: true, returnDocument: 'after' },
    );
    assert.equal(made?.id, 3);
    const kept = await Entry.findOneAndReplace(
      { headline: { $in: ['r1', 'r2'] } },
      { headline: 'r2', rating: 9 },
      { upsert: true, returnDocument: 'after', sort: { id: -1 } },
    );
    assert.deepEqual([kept?.id, kept?.rating], [3, 9], 'the document the sort picks keeps its id');

    // A replacement upsert copies only _id from its filter: a pinned id is put in the replacement.
    const pinned = await sentDuring(() => Entry.replaceOne({ id: 70 }, { headline: 'r70' }, { upsert: true }));
    assert.deepEqual(counterCalls(pinned), [{ max: 70 }]);
    assert.equal(await idOf('up_replace', 'r70'), 70);
    await Entry.replaceOne({ headline: 'r80' }, { headline: 'r80', id: 80 }, { upsert: true });
    assert.equal(await idOf('up_replace', 'r80'), 80);
    assert.equal(await seqOf('up_replace'), 80);
    assert.deepEqual(
      (await Entry.find().sort({ id: 1 }).lean()).map((d) => d.id),
      [1, 2, 3, 70, 80],
    );
  });

  test('objects.updateOrCreate creates with the next id, then updates keeping it', async () => {
    const Entry = await startedEntry('up_uoc');
    const [made, created] = await Entry.objects.updateOrCreate({ headline: 'uoc' }, { rating: 1 });
    assert.deepEqual([made.id, created], [2, true]);
    const [same, createdAgain] = await Entry.objects.updateOrCreate({ headline: 'uoc' }, { rating: 2 });
    assert.deepEqual([same.id, same.rating, createdAgain], [2, 2, false]);
    assert.equal((await Entry.objects.get({ pk: 2 })).rating, 2);
  });
});

describe(`autoIncrement in Model.bulkWrite on ${server.name}`, () => {
  test('k new documents cost ONE findAndModify ($inc: k), ids in op order; the ops are not changed', async () => {
    const Entry = await startedEntry('bw_new');
    await Entry.create({ headline: 'existing' }); // id 2
    const ops: AnyBulkWriteOperation<Counted>[] = [
      { insertOne: { document: { headline: 'a' } } },
      { updateOne: { filter: { headline: 'b' }, update: { $set: { rating: 2 } }, upsert: true } },
      { insertOne: { document: { headline: 'c' } } },
      { updateMany: { filter: { headline: 'd' }, update: { rating: 4 }, upsert: true } },
      { replaceOne: { filter: { headline: 'e' }, replacement: { headline: 'e', rating: 5 }, upsert: true } },
      { updateOne: { filter: { headline: 'existing' }, update: { rating: 6 }, upsert: true } },
    ];
    const before = JSON.stringify(ops);
    const sent = await sentDuring(() => Entry.bulkWrite(ops));
    assert.deepEqual(counterCalls(sent), [{ inc: 6 }]);
    assert.equal(sent.filter((s) => s.name === 'findAndModify').length, 1);
    assert.equal(JSON.stringify(ops), before, "the caller's ops are not changed");

    const ids = await Promise.all(['a', 'b', 'c', 'd', 'e', 'existing'].map((h) => idOf('bw_new', h)));
    assert.deepEqual(ids, [3, 4, 5, 6, 7, 2], 'the upsert that matched keeps id 2; its reserved 8 is a gap');
    assert.equal(await seqOf('bw_new'), 8);
    assert.equal((await Entry.objects.get({ pk: 6 })).headline, 'd');
  });

  test('explicit ids raise the counter once, past the largest; the new ids land above it', async () => {
    const Entry = await startedEntry('bw_explicit');
    const sent = await sentDuring(() =>
      Entry.bulkWrite([
        { insertOne: { document: { headline: 'x500', id: 500 } } },
        { insertOne: { document: { headline: 'new' } } },
        { updateOne: { filter: { headline: 'x600' }, update: { $set: { id: 600 } }, upsert: true } },
        { updateOne: { filter: { id: 550 }, update: { headline: 'x550' }, upsert: true } },
        { replaceOne: { filter: { id: 580 }, replacement: { headline: 'x580' }, upsert: true } },
        { insertOne: { document: { headline: 'x40', id: 40 } } },
      ]),
    );
    assert.deepEqual(counterCalls(sent), [{ max: 600 }, { inc: 1 }]);
    const ids = await Promise.all(['x500', 'new', 'x600', 'x550', 'x580', 'x40'].map((h) => idOf('bw_explicit', h)));
    assert.deepEqual(ids, [500, 601, 600, 550, 580, 40]);
    assert.equal(await seqOf('bw_explicit'), 601);
    assert.equal((await Entry.create({ headline: 'after' })).id, 602);
  });

  test('a replaceOne upsert in bulkWrite keeps the id of the document it replaces', async () => {
    const Entry = await startedEntry('bw_replace');
    const sent = await sentDuring(() =>
      Entry.bulkWrite([
        { replaceOne: { filter: { headline: 'first' }, replacement: { headline: 'first', rating: 1 }, upsert: true } },
        { replaceOne: { filter: { headline: 'two' }, replacement: { headline: 'two' }, upsert: true } },
      ]),
    );
    assert.deepEqual(counterCalls(sent), [{ inc: 1 }]);
    assert.deepEqual(await Promise.all([idOf('bw_replace', 'first'), idOf('bw_replace', 'two')]), [1, 2]);
  });

  test('a bulkWrite that inserts nothing does not touch the counter', async () => {
    const Entry = await startedEntry('bw_none');
    const sent = await sentDuring(() =>
      Entry.bulkWrite([
        { updateOne: { filter: { headline: 'first' }, update: { rating: 1 } } },
        { updateMany: { filter: {}, update: { likes: 2 } } },
        { deleteOne: { filter: { headline: 'nothing' } } },
      ]),
    );
    assert.deepEqual(counterCalls(sent), []);
  });

  test('a fractional id is refused with ValidationError before anything is written', async () => {
    const Entry = await startedEntry('bw_bad');
    await assert.rejects(
      Entry.bulkWrite([{ insertOne: { document: { headline: 'ok' } } }, { insertOne: { document: { id: 2.5 } } }]),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.equal(
          err.message,
          'bw_bad.id must be one of the integers within ±9007199254740991 (Number.MAX_SAFE_INTEGER), not 2.5.',
        );
        return true;
      },
    );
    assert.equal(await Entry.countDocuments(), 1);
    assert.equal(await seqOf('bw_bad'), 1);
  });

  test('Model.bulkSave: one $inc for its new documents, one raise for their explicit ids, nothing more', async () => {
    const Entry = await startedEntry('bw_save');
    const docs = [new Entry({ headline: 'a' }), new Entry({ headline: 'b', id: 40 }), new Entry({ headline: 'c' })];
    const existing = await Entry.findOne({ headline: 'first' }).orFail();
    existing.rating = 5;
    const sent = await sentDuring(() => Entry.bulkSave([...docs, existing]));
    assert.deepEqual(counterCalls(sent), [{ max: 40 }, { inc: 2 }]);
    assert.deepEqual(
      docs.map((d) => d.id),
      [41, 40, 42],
    );
    assert.deepEqual(await Promise.all(['a', 'b', 'c', 'first'].map((h) => idOf('bw_save', h))), [41, 40, 42, 1]);
    const again = await sentDuring(() => Entry.bulkSave([new Entry({ headline: 'd' })]));
    assert.deepEqual(counterCalls(again), [{ inc: 1 }]);
    assert.equal(await idOf('bw_save', 'd'), 43);
  });
});

describe(`autoIncrement on a discriminator, on ${server.name}`, () => {
  interface PostRaw {
    id?: number;
    title?: string;
  }
  interface LinkRaw extends PostRaw {
    url?: string;
  }

  /** A base model with the plugin and a discriminator of it, on a collection of their own. */
  function postModels(collection: string) {
    const schema = new mongoose.Schema<PostRaw>({ title: String });
    schema.plugin(manager);
    schema.plugin(autoIncrement);
    const Post = conn.model<PostRaw, Managed<PostRaw>>(`${collection}_post`, schema, collection);
    const linkSchema = new mongoose.Schema<LinkRaw>({ url: String });
    const Link = Post.discriminator(`${collection}_link`, linkSchema) as unknown as Managed<LinkRaw>;
    return { Post, Link, linkSchema };
  }

  test('the child’s pk is the base’s id, in get and filter', async () => {
    const { Post, Link } = postModels('disc_pk');
    await Post.create({ title: 'post 1' });
    const links = await Link.create([
      { title: 'link 2', url: 'a' },
      { title: 'link 3', url: 'b' },
    ]);
    assert.deepEqual(
      links.map((l) => l.id),
      [2, 3],
    );
    await Post.create({ title: 'post 4' });

    assert.equal((await Link.objects.get({ pk: 3 })).url, 'b');
    assert.deepEqual(
      await Link.objects
        .filter({ pk__in: [1, 2, 3, 4] })
        .orderBy('pk')
        .valuesList('title', { flat: true }),
      ['link 2', 'link 3'],
      'the child sees its own documents only',
    );
    assert.equal((await Post.objects.get({ pk: 2 })).title, 'link 2');
    await assert.rejects(Link.objects.get({ pk: 1 }), Link.DoesNotExist);
  });

  test('children take ids from the base collection’s one counter, by every way in', async () => {
    const { Post, Link } = postModels('disc_ids');
    await Post.create({ title: 'p1' });
    await Link.create({ title: 'l2' });
    await new Link({ title: 'l3' }).save();
    await Link.objects.create({ title: 'l4' });
    await Link.insertMany([{ title: 'l5' }, { title: 'l6' }]);
    await Link.objects.bulkCreate([{ title: 'l7' }]);
    await Link.updateOne({ title: 'l8' }, { url: 'u' }, { upsert: true });
    const sent = await sentDuring(() =>
      Link.bulkWrite([{ insertOne: { document: { title: 'l9' } } }, { insertOne: { document: { title: 'l10' } } }]),
    );
    assert.deepEqual(counterCalls(sent), [{ inc: 2 }]);
    await Post.create({ title: 'p11' });

    const docs = await db.collection('disc_ids').find().sort({ id: 1 }).toArray();
    assert.deepEqual(
      docs.map((d) => [d['id'], d['title'], d['__t'] ?? null]),
      [[1, 'p1', null], ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => [n, `l${n}`, 'disc_ids_link']), [11, 'p11', null]],
    );
    assert.equal(await db.collection(SCHEMA_COLLECTION).countDocuments({ name: 'disc_ids' }), 1);
    assert.equal(await seqOf('disc_ids'), 11);
  });

  test('a child that creates the counter writes the base’s djongo field types, id an int', async () => {
    const { Post, Link } = postModels('disc_first');
    assert.equal((await Link.create({ title: 'first', url: 'u' })).id, 1);
    const entry = await readSchemaEntry(db, 'disc_first');
    assert.deepEqual(entry?.auto, { field_names: ['id'], seq: 1 });
    assert.deepEqual(entry?.fields, djongoFieldTypes(Post.schema));
    assert.deepEqual(entry?.fields?.['id'], { type_code: 'int' });
    assert.ok(!('url' in (entry?.fields ?? {})), 'a child-only field is not a column of the base table');
  });
});

describe(`autoIncrement on a discriminator made with { mergeHooks: false }, on ${server.name}`, () => {
  test('its documents still get ids from the base collection’s counter, one $inc per batch', async () => {
    const schema = new mongoose.Schema<{ id?: number; title?: string }>({ title: String });
    schema.plugin(manager);
    schema.plugin(autoIncrement);
    const Post = conn.model<{ id?: number; title?: string }, Managed<{ id?: number; title?: string }>>(
      'nohooks_post',
      schema,
      'disc_nohooks',
    );
    const Link = Post.discriminator('nohooks_link', new mongoose.Schema({ url: String }), { mergeHooks: false });
    await Post.create({ title: 'p1' });
    await Link.create({ title: 'l2', url: 'a' });
    const sent = await sentDuring(() => Link.insertMany([{ title: 'l3' }, { title: 'l4' }]));
    assert.deepEqual(counterCalls(sent), [{ inc: 2 }]);
    const docs = await db.collection('disc_nohooks').find().sort({ id: 1 }).toArray();
    assert.deepEqual(
      docs.map((d) => [d['id'], d['title']]),
      [
        [1, 'p1'],
        [2, 'l2'],
        [3, 'l3'],
        [4, 'l4'],
      ],
    );
    assert.equal(await seqOf('disc_nohooks'), 4);
  });
});
