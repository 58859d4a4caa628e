// A field deferred by defer()/only(): Django loads it on first access
// (DeferredAttribute calls refresh_from_db(fields=[name])). A JavaScript
// property read cannot wait for the server, so reading it gives undefined,
// and Django's own path is explicit: refreshFromDb({ fields: [name] }) loads
// it, one query, and the document then holds it as loaded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type HydratedDocument } from 'mongoose';
import { Sum, manager, refreshFromDb, type DjongooseDocument, type Managed } from '../../index.js';
import { commandsDuring } from '../helpers/commands.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';

interface BookRaw {
  name?: string;
  isbn?: string;
  pages?: number;
}

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const schema = new mongoose.Schema<BookRaw>({ name: String, isbn: String, pages: Number });
schema.plugin(manager);
const Book = await ready(conn.model<BookRaw, Managed<BookRaw>>('DeferBook', schema));

describe(`deferred fields on ${server.name}`, () => {
  test('a deferred field reads undefined until refreshFromDb({ fields }) loads it, in one query', async () => {
    const created = await Book.objects.create({ name: 'Django', isbn: '159059725', pages: 447 });
    const book = (await Book.objects.defer('name').get({ pk: created._id })) as HydratedDocument<
      BookRaw,
      DjongooseDocument<BookRaw>
    >;
    assert.equal(book.isSelected('name'), false);
    assert.equal(book.name, undefined);
    const sent = await commandsDuring(conn, () => book.refresh_from_db({ fields: ['name'] }));
    assert.equal(sent.length, 1);
    assert.equal(book.name, 'Django');
    assert.equal(book.isbn, '159059725');
    assert.deepEqual(book.modifiedPaths(), []);
  });

  // Sum in annotate sends $ifNull, which FerretDB v1 lacks.
  test('the same on a document of an annotated QuerySet', { skip: lacks('conditionalExpressions') }, async () => {
    const created = await Book.objects.create({ name: 'Rails', isbn: '1', pages: 300 });
    const [book] = await Book.objects
      .annotate({ n: Sum('pages') })
      .defer('name')
      .filter({ pk: created._id });
    assert.ok(book);
    assert.equal(book.name, undefined);
    await refreshFromDb(book, { fields: ['name'] });
    assert.equal(book.name, 'Rails');
    assert.equal((book as unknown as { n?: unknown }).n, 300);
  });
});
