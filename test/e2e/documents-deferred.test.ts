// A field deferred by defer()/only(): Django loads it on first access
// (DeferredAttribute calls refresh_from_db(fields=[name])). A JavaScript
// property read cannot wait for the server, so reading it gives undefined,
// and Django's load is made explicit: `await doc.loadDeferred(name)` (or
// refreshFromDb({ fields: [name] })) loads it, one query, and the document
// then holds it as loaded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  DjongooseError,
  FieldError,
  Sum,
  loadDeferred,
  manager,
  refreshFromDb,
  type DjongooseDocument,
  type Managed,
} from '../../index.js';
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

  test('loadDeferred: one query for a deferred field, none once loaded or for a loaded one', async () => {
    const created = await Book.objects.create({ name: 'Loaded', isbn: '2', pages: 120 });
    const [book] = (await Book.objects.defer('name').filter({ pk: created._id })) as HydratedDocument<
      BookRaw,
      DjongooseDocument<BookRaw>
    >[];
    assert.ok(book);
    let value: unknown;
    let sent = await commandsDuring(conn, async () => {
      value = await book.loadDeferred('name');
    });
    assert.equal(value, 'Loaded');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]?.command['projection'], { name: 1 });
    assert.equal(book.name, 'Loaded');
    assert.deepEqual(book.modifiedPaths(), []);
    // Django's second read sends nothing; nor does a field the QuerySet loaded.
    sent = await commandsDuring(conn, async () => {
      assert.equal(await book.loadDeferred('name'), 'Loaded');
      assert.equal(await loadDeferred(book, 'pages'), 120);
    });
    assert.equal(sent.length, 0);
  });

  test('loadDeferred after only(), and a value set on the document stays its own', async () => {
    const created = await Book.objects.create({ name: 'Only', isbn: '3', pages: 90 });
    const book = await Book.objects.only('isbn').get({ pk: created._id });
    assert.equal(book.pages, undefined);
    assert.equal(await loadDeferred(book, 'pages'), 90);
    book.name = 'Mine';
    const sent = await commandsDuring(conn, async () => assert.equal(await loadDeferred(book, 'name'), 'Mine'));
    assert.equal(sent.length, 0);
    assert.equal(book.isbn, '3');
  });

  test('loadDeferred on a document of an annotated QuerySet', { skip: lacks('conditionalExpressions') }, async () => {
    const created = await Book.objects.create({ name: 'Annotated', isbn: '4', pages: 10 });
    const [book] = await Book.objects
      .annotate({ n: Sum('pages') })
      .defer('name')
      .filter({ pk: created._id });
    assert.ok(book);
    assert.equal(await loadDeferred(book, 'name'), 'Annotated');
    assert.equal((book as unknown as { n?: unknown }).n, 10);
  });

  test('loadDeferred refuses what is no field of the document, and sends nothing', async () => {
    const created = await Book.objects.create({ name: 'Bad', isbn: '5', pages: 1 });
    const book = await Book.objects.defer('name').get({ pk: created._id });
    const sent = await commandsDuring(conn, async () => {
      await assert.rejects(loadDeferred(book, 'nope' as never), (err: unknown) => {
        assert.ok(err instanceof FieldError);
        assert.match(err.message, /DeferBook has no field "nope"/);
        assert.match(err.message, /It takes one top-level field of DeferBook: name, isbn, pages, _id, __v\./);
        return true;
      });
      await assert.rejects(loadDeferred(book, 'name__startswith' as never), (err: unknown) => {
        assert.ok(err instanceof FieldError);
        assert.match(err.message, /not a path across references or a lookup/);
        return true;
      });
      await assert.rejects(
        loadDeferred(book, 3 as never),
        /loadDeferred\(\) takes a field name \(a string\), not number/,
      );
      await assert.rejects(loadDeferred({ name: 'x' } as never, 'name' as never), (err: unknown) => {
        assert.ok(err instanceof DjongooseError);
        assert.match(err.message, /takes a Mongoose document/);
        return true;
      });
    });
    assert.equal(sent.length, 0);
    assert.equal(book.name, undefined);
  });
});
