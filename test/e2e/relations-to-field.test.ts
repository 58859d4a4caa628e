// A reference's own key names the stored value (`author__pk`, no crossing),
// and a reference to another field than `_id` (the `toField` option, Django's
// to_field) stores, filters and crosses by that field.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, RelationError, ValidationError, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { relationModels, seedRelations } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn);
const { Book, Author } = models;
const seeded = await seedRelations(models);

interface CodeRaw {
  code?: string;
  label?: string;
}
interface ItemRaw {
  name?: string;
  code?: string | null;
}
const codeSchema = new mongoose.Schema<CodeRaw>({ code: { type: String, unique: true }, label: String });
codeSchema.plugin(manager);
const itemSchema = new mongoose.Schema<ItemRaw>({
  name: String,
  code: { type: String, ref: 'TfCode', toField: 'code' },
});
itemSchema.plugin(manager);
const Code = conn.model<CodeRaw, Managed<CodeRaw>>('TfCode', codeSchema);
const Item = conn.model<ItemRaw, Managed<ItemRaw>>('TfItem', itemSchema);
await Promise.all([Code.init(), Item.init()]);
const [red, blue] = await Code.insertMany([
  { code: 'r', label: 'Red' },
  { code: 'b', label: 'Blue' },
]);

const titles = (books: readonly { title?: string }[]) => books.map((b) => b.title).sort();

describe(`a reference's own key, on ${server.name}`, () => {
  test('author__pk, author__id and author___id are the stored id: no find() on the authors', async () => {
    for (const key of ['author__pk', 'author__id', 'author___id']) {
      let books: { title?: string }[] = [];
      const sent = await commandsDuring(conn, async () => {
        books = await Book.objects.filter({ [key]: seeded.ben._id } as never);
      });
      assert.deepEqual(titles(books), ['B'], key);
      assert.deepEqual(
        sent.filter((c) => c.name === 'find').map((c) => c.command.find),
        [Book.collection.collectionName],
        key,
      );
    }
    assert.deepEqual(titles(await Book.objects.filter({ author__pk__in: [seeded.carl._id] })), ['C']);
  });

  test('orderBy, values and F take author__pk as the stored id', async () => {
    const rows = await Book.objects
      .filter({ title__in: ['A', 'B'] })
      .orderBy('title')
      .values('title', 'author__pk');
    assert.deepEqual(
      rows.map((r) => String((r as Record<string, unknown>)['author__pk'])),
      [String(seeded.beatrix._id), String(seeded.ben._id)],
    );
    const sorted = await Book.objects.filter({ author__isnull: false }).orderBy('author__id', 'title');
    assert.equal(sorted.length, 4);
  });

  test('F takes author__pk as the stored id', { skip: lacks('exprComparison') }, async () => {
    // A book whose review is by its own author (C: Carl and Carl).
    const own = await Book.objects.filter({ author__isnull: false, review__by: F('author__pk') as never });
    assert.deepEqual(titles(own), ['C']);
  });

  test('F across a reference to a field the referenced model lacks is Django’s "Cannot resolve keyword"', async () => {
    await assert.rejects(
      async () => Book.objects.filter({ author__pk: F('author__nope') }),
      (err: unknown) =>
        err instanceof FieldError &&
        !(err instanceof RelationError) &&
        /Cannot resolve keyword "nope" into field of Author\. Choices are: .*name/.test(err.message),
    );
  });
});

describe(`a reference to another field (toField), on ${server.name}`, () => {
  test('a document given as the value is stored, updated and filtered as its code', async () => {
    await Item.deleteMany({});
    const item = await Item.objects.create({ name: 'pen', code: red as never });
    assert.equal(item.code, 'r');
    assert.equal((await Item.collection.findOne({ _id: item._id }))?.code, 'r');
    assert.equal(await Item.objects.filter({ pk: item._id }).update({ code: blue } as never), 1);
    assert.equal((await Item.collection.findOne({ _id: item._id }))?.code, 'b');
    assert.equal(await Item.objects.filter({ code: blue } as never).count(), 1);
    assert.equal(await Item.objects.filter({ code__code: 'b' } as never).count(), 1);
  });

  test('a filter across it reads the codes, not the _ids, of the matching documents', async () => {
    await Item.deleteMany({});
    await Item.objects.bulkCreate([
      { name: 'pen', code: 'r' },
      { name: 'ink', code: 'b' },
      { name: 'cap', code: null },
    ]);
    const names = async (filter: Record<string, unknown>) =>
      (await Item.objects.filter(filter as never)).map((i) => i.name).sort();
    assert.deepEqual(await names({ code__label: 'Blue' }), ['ink']);
    assert.deepEqual(await names({ code__pk__in: [red!._id] }), ['pen']);
    assert.deepEqual(
      (await Item.objects.exclude({ code__label__startswith: 'R' } as never)).map((i) => i.name).sort(),
      ['cap', 'ink'],
    );
  });

  test('a plain object (a request’s JSON) is no document: refused, nothing written', async () => {
    await Item.deleteMany({});
    await assert.rejects(async () => Item.objects.create({ name: 'x', code: { code: 'r' } } as never), ValidationError);
    await assert.rejects(async () => Item.objects.filter({ code: { $ne: null } } as never).count(), ValidationError);
    assert.equal(await Item.countDocuments(), 0);
  });

  test('selectRelated names inBulk for it: populate matches _id only', async () => {
    assert.throws(
      () => Item.objects.selectRelated('code' as never),
      (err: unknown) => err instanceof RelationError && /toField/.test(err.message) && /inBulk/.test(err.message),
    );
  });
});

void Author;
