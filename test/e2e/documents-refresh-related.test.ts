// refreshFromDb and the references a document has loaded (selectRelated,
// populate): Django clears its related cache and reads the referenced row
// again on access; JavaScript cannot load on access, so refresh reads them
// again itself, and takes them from a fromQueryset that selects them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type HydratedDocument, type Types } from 'mongoose';
import { manager, refreshFromDb, type Managed } from '../../index.js';
import { commandsDuring } from '../helpers/commands.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface AuthorRaw {
  name?: string;
}
interface BookRaw {
  title?: string;
  author?: Types.ObjectId | null;
}

const { ObjectId } = mongoose.Schema.Types;
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const authorSchema = new mongoose.Schema<AuthorRaw>({ name: String });
authorSchema.plugin(manager);
const bookSchema = new mongoose.Schema<BookRaw>({ title: String, author: { type: ObjectId, ref: 'RrAuthor' } });
bookSchema.plugin(manager);
const Author = await ready(conn.model<AuthorRaw, Managed<AuthorRaw>>('RrAuthor', authorSchema));
const Book = await ready(conn.model<BookRaw, Managed<BookRaw>>('RrBook', bookSchema));
const authorOf = (book: HydratedDocument<BookRaw>) => book.author as unknown as HydratedDocument<AuthorRaw> | null;

describe(`refreshFromDb with loaded references on ${server.name}`, () => {
  test('a loaded reference is read again: new values, another document, or none', async () => {
    const [ann, bob] = await Author.objects.bulkCreate([{ name: 'Ann' }, { name: 'Bob' }]);
    const created = await Book.objects.create({ title: 'b', author: ann!._id });
    const book = await Book.objects.selectRelated('author').get({ pk: created._id });
    assert.equal(authorOf(book)?.name, 'Ann');

    await Author.objects.filter({ pk: ann!._id }).update({ name: 'Anne' });
    const sent = await commandsDuring(conn, () => refreshFromDb(book));
    assert.equal(sent.length, 2, 'the book, then its author, as Django’s access after refresh');
    assert.equal(authorOf(book)?.name, 'Anne');
    assert.ok(book.populated('author'));
    assert.deepEqual(book.modifiedPaths(), []);

    await Book.objects.filter({ pk: book._id }).update({ author: bob!._id });
    await refreshFromDb(book);
    assert.equal(authorOf(book)?.name, 'Bob');

    await Book.objects.filter({ pk: book._id }).update({ author: null });
    await refreshFromDb(book);
    assert.equal(book.author, null);
  });

  test('a reference not loaded stays an id; a selectRelated fromQueryset loads it in the same read', async () => {
    const [ann] = await Author.objects.bulkCreate([{ name: 'Ann' }]);
    const book = await Book.objects.create({ title: 'b', author: ann!._id });
    await refreshFromDb(book);
    assert.equal(String(book.author), String(ann!._id));
    assert.equal(book.populated('author'), undefined);

    await refreshFromDb(book, { fromQueryset: Book.objects.selectRelated('author') });
    assert.equal(authorOf(book)?.name, 'Ann');
    assert.deepEqual(book.modifiedPaths(), []);
    // Saved as the id it stands for.
    book.title = 'c';
    await book.save();
    const stored = await Book.findById(book._id).lean().orFail();
    assert.deepEqual([stored.title, String(stored.author)], ['c', String(ann!._id)]);
  });
});
