// Django's on_delete on references (onDelete): what QuerySet.delete() and a
// document's deleteOne() do to the documents that refer to the deleted ones,
// that PROTECT leaves everything as it was, that cascades terminate on
// cycles and send bounded `$in` lists, and that Mongoose's own
// Model.deleteMany stays raw.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type Types } from 'mongoose';
import { ArrayReferenceField, FieldError, ProtectedError, manager, type Managed } from '../../index.js';
import { commandsDuring } from '../helpers/commands.js';
import { assertMatchesExample } from '../helpers/error-examples.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

const { ObjectId } = mongoose.Schema.Types;
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });

interface Named {
  name?: string;
}
interface Book {
  title?: string;
  author?: Types.ObjectId | null;
  editor?: Types.ObjectId | null;
  publisher?: Types.ObjectId | null;
  tags?: Types.ObjectId[];
  topics?: Types.ObjectId[];
}
interface Review {
  book?: Types.ObjectId;
}
interface Node {
  name?: string;
  next?: Types.ObjectId | null;
}

function managed<T>(name: string, definition: mongoose.SchemaDefinition<T>) {
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager);
  return conn.model<T, Managed<T>>(name, schema);
}

const fallback = new mongoose.Types.ObjectId();
const Author = managed<Named>('OdAuthor', { name: String });
const Editor = managed<Named>('OdEditor', { name: String });
const Publisher = managed<Named>('OdPublisher', { name: String });
const Tag = managed<Named>('OdTag', { name: String });
const Topic = managed<Named>('OdTopic', { name: String });
const Book = managed<Book>('OdBook', {
  title: String,
  author: { type: ObjectId, ref: 'OdAuthor', onDelete: 'CASCADE' },
  editor: { type: ObjectId, ref: 'OdEditor', onDelete: 'SET_NULL' },
  publisher: { type: ObjectId, ref: 'OdPublisher', onDelete: 'SET_DEFAULT', default: () => fallback },
  tags: ArrayReferenceField('OdTag', { onDelete: 'PULL' }),
  topics: [{ type: ObjectId, ref: 'OdTopic', onDelete: 'PROTECT' }],
});
const Review = managed<Review>('OdReview', { book: { type: ObjectId, ref: 'OdBook', onDelete: 'CASCADE' } });
// A cycle: each node's `next` cascades to the node it points to's referrers.
const Chain = managed<Node>('OdNode', { name: String, next: { type: ObjectId, ref: 'OdNode', onDelete: 'CASCADE' } });
// No onDelete: Django requires one; djongoose's default stays DO_NOTHING.
const Plain = managed<{ author?: Types.ObjectId }>('OdPlain', { author: { type: ObjectId, ref: 'OdEditor' } });

const all = [Author, Editor, Publisher, Tag, Topic, Book, Review, Chain, Plain] as unknown as mongoose.Model<never>[];
for (const m of all) await ready(m);
const ids = async (m: mongoose.Model<never>) =>
  (await m.find({}, { _id: 1 }).lean<{ _id: unknown }[]>()).map((d) => String(d._id)).sort();

beforeEach(async () => {
  await Promise.all(all.map((m) => m.deleteMany({})));
});

describe(`onDelete on ${server.name}`, () => {
  test('CASCADE follows references through models; delete() counts the QuerySet’s own matches', async () => {
    const [ann, bob] = await Author.objects.bulkCreate([{ name: 'Ann' }, { name: 'Bob' }]);
    const [b1, , b3] = await Book.objects.bulkCreate([
      { title: 'b1', author: ann!._id },
      { title: 'b2', author: ann!._id },
      { title: 'b3', author: bob!._id },
    ]);
    await Review.objects.bulkCreate([{ book: b1!._id }, { book: b3!._id }]);
    assert.equal(await Author.objects.filter({ name: 'Ann' }).delete(), 1);
    assert.deepEqual(await Book.objects.all().valuesList('title', { flat: true }), ['b3']);
    assert.deepEqual(await Review.objects.all().valuesList('book', { flat: true }), [b3!._id]);
    assert.deepEqual(await ids(Author as unknown as mongoose.Model<never>), [String(bob!._id)]);
  });

  test('SET_NULL, SET_DEFAULT and PULL change the referrers; a document’s deleteOne() applies them too', async () => {
    const [ed] = await Editor.objects.bulkCreate([{ name: 'Ed' }]);
    const [pub] = await Publisher.objects.bulkCreate([{ name: 'P' }]);
    const [rock, jazz] = await Tag.objects.bulkCreate([{ name: 'rock' }, { name: 'jazz' }]);
    const book = await Book.objects.create({
      title: 'b',
      editor: ed!._id,
      publisher: pub!._id,
      tags: [rock!._id, jazz!._id],
    });
    await ed!.deleteOne();
    await Publisher.objects.all().delete();
    await Tag.objects.filter({ name: 'rock' }).delete();
    const stored = await Book.findById(book._id).lean().orFail();
    assert.equal(stored.editor, null);
    assert.equal(String(stored.publisher), String(fallback));
    assert.deepEqual(stored.tags?.map(String), [String(jazz!._id)]);
    assert.deepEqual(await ids(Editor as unknown as mongoose.Model<never>), []);
  });

  test('PROTECT raises ProtectedError listing the protecting documents, with nothing deleted or changed', async () => {
    const [ann] = await Author.objects.bulkCreate([{ name: 'Ann' }]);
    const [ed] = await Editor.objects.bulkCreate([{ name: 'Ed' }]);
    const [t] = await Topic.objects.bulkCreate([{ name: 'history' }]);
    // Deleting Ann cascades to her book, which a topic does not protect; deleting the topic is refused.
    const book = await Book.objects.create({ title: 'b', author: ann!._id, editor: ed!._id, topics: [t!._id] });
    await assert.rejects(Topic.objects.all().delete(), (err: unknown) => {
      assert.ok(err instanceof ProtectedError);
      assert.match(err.message, /'OdTopic'.*'OdBook\.topics'.*Nothing was deleted/);
      assert.deepEqual(
        err.protectedObjects.map((o) => [o.model, o.path, o.ids.map(String)]),
        [['OdBook', 'topics', [String(book._id)]]],
      );
      return true;
    });
    await assert.rejects(t!.deleteOne(), ProtectedError);
    assert.deepEqual(await ids(Topic as unknown as mongoose.Model<never>), [String(t!._id)]);
    assert.deepEqual((await Book.findById(book._id).lean().orFail()).topics?.map(String), [String(t!._id)]);
  });

  test('ProtectedError’s message is the one its JSDoc example shows', async () => {
    const Entry = managed<Named>('Entry', { name: String });
    const Comment = managed<{ entry?: Types.ObjectId }>('Comment', {
      entry: { type: ObjectId, ref: 'Entry', onDelete: 'PROTECT' },
    });
    try {
      const entry = await Entry.objects.create({ name: 'e' });
      await Comment.objects.create({ entry: entry._id });
      await assert.rejects(Entry.objects.all().delete(), (err: unknown) => assertMatchesExample(err, 'ProtectedError'));
    } finally {
      await Promise.all([Entry.deleteMany({}), Comment.deleteMany({})]);
      conn.deleteModel('Entry');
      conn.deleteModel('Comment');
    }
  });

  test('PROTECT found through a cascade refuses the whole delete: no SET_NULL sent, no cascade deleted', async () => {
    const [ann] = await Author.objects.bulkCreate([{ name: 'Ann' }]);
    const book = await Book.objects.create({ title: 'b', author: ann!._id });
    await Review.objects.create({ book: book._id });
    // A second model protecting the book: Reviews cascade, a Shelf protects.
    const Shelf = managed<{ book?: Types.ObjectId }>('OdShelf', {
      book: { type: ObjectId, ref: 'OdBook', onDelete: 'PROTECT' },
    });
    await ready(Shelf as unknown as mongoose.Model<never>);
    try {
      await Shelf.objects.create({ book: book._id });
      const sent = await commandsDuring(conn, () => assert.rejects(Author.objects.all().delete(), ProtectedError));
      assert.deepEqual(
        sent.map((c) => c.name).filter((n) => n !== 'find' && n !== 'getMore'),
        [],
      );
      assert.equal(await Author.objects.count(), 1);
      assert.equal(await Book.objects.count(), 1);
      assert.equal(await Review.objects.count(), 1);
    } finally {
      await Shelf.deleteMany({});
      conn.deleteModel('OdShelf');
    }
  });

  test('a cycle of CASCADE references terminates, each document deleted once', async () => {
    const a = await Chain.objects.create({ name: 'a' });
    const b = await Chain.objects.create({ name: 'b', next: a._id });
    const c = await Chain.objects.create({ name: 'c', next: b._id });
    await Chain.updateOne({ _id: a._id }, { $set: { next: c._id } }); // a → c → b → a
    const other = await Chain.objects.create({ name: 'other' });
    assert.equal(await Chain.objects.filter({ name: 'a' }).delete(), 1);
    assert.deepEqual(await ids(Chain as unknown as mongoose.Model<never>), [String(other._id)]);
  });

  test('cascades read by cursor and send $in lists of at most 1000 keys', async () => {
    const authors = await Author.insertMany(Array.from({ length: 2100 }, (_, i) => ({ name: `a${i}` })));
    await Book.insertMany(authors.map((a) => ({ title: 't', author: a._id })));
    const sent = await commandsDuring(conn, () => Author.objects.all().delete());
    const inLists = sent.flatMap((c) => JSON.stringify(c.command).match(/"\$in":\[[^\]]*\]/g) ?? []);
    assert.ok(inLists.length >= 3, 'the keys go in chunks');
    for (const list of inLists) assert.ok(list.split(',').length <= 1000, `an $in of ${list.split(',').length}`);
    assert.equal(await Author.objects.count(), 0);
    assert.equal(await Book.objects.count(), 0);
  });

  test('without onDelete rules, delete() is one delete command, as before', async () => {
    await Editor.objects.bulkCreate([{ name: 'x' }]);
    await Plain.objects.create({ author: new mongoose.Types.ObjectId() });
    const sent = await commandsDuring(conn, () => Plain.objects.all().delete());
    assert.deepEqual(
      sent.map((c) => c.name),
      ['delete'],
    );
  });

  test('Mongoose’s own Model.deleteMany stays raw (Django’s _raw_delete): no rule is applied', async () => {
    const [ann] = await Author.objects.bulkCreate([{ name: 'Ann' }]);
    await Book.objects.create({ title: 'b', author: ann!._id });
    await Author.deleteMany({});
    assert.equal(await Book.objects.count(), 1);
  });

  test('a bad declaration is a FieldError when the manager plugin is applied, naming what is accepted', () => {
    const bad = (definition: mongoose.SchemaDefinition, pattern: RegExp) => {
      const schema = new mongoose.Schema(definition);
      assert.throws(
        () => schema.plugin(manager),
        (err: unknown) => err instanceof FieldError && pattern.test(err.message),
      );
    };
    bad({ a: { type: ObjectId, ref: 'X', onDelete: 'SET_NUL' as never } }, /"SET_NUL" is not accepted.*CASCADE/);
    bad({ a: { type: ObjectId, ref: 'X', onDelete: 'PULL' } }, /"PULL" is not accepted on a reference/);
    bad({ a: [{ type: ObjectId, ref: 'X', onDelete: 'SET_NULL' }] }, /array of references\. It takes .*PULL/);
    bad({ a: { type: ObjectId, ref: 'X', required: true, onDelete: 'SET_NULL' } }, /required reference/);
    bad({ a: { type: ObjectId, ref: 'X', onDelete: 'SET_DEFAULT' } }, /without a default/);
    bad({ a: { type: String, onDelete: 'CASCADE' } }, /not a reference/);
  });
});
