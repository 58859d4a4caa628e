// selectRelated and prefetchRelated load the referenced documents with
// Mongoose's populate: one find() per reference over all the results, never
// one per result, counted here from the driver's own command monitoring.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Count, RelationError } from '../../index.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { relationModels, seedRelations } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn);
const { Book, Author, Tag, Publisher } = models;
await seedRelations(models);
// Two dozen more books by the same authors: a query per book would show.
const authors = await Author.find().lean();
await Book.insertMany(Array.from({ length: 24 }, (_, i) => ({ title: `Z${i}`, author: authors[i % 3]!._id })));

const collections = (sent: { name: string; command: Record<string, unknown> }[]) =>
  sent.filter((c) => c.name === 'find').map((c) => c.command.find as string);

// Where the server has $lookup, selectRelated is one aggregate: the collections each command joins.
const hasLookup = lacks('lookup') === false;
const joined = (sent: { name: string; command: Record<string, unknown> }[]) =>
  sent.map((c) =>
    c.name !== 'aggregate'
      ? c.name
      : (c.command.pipeline as Record<string, { from?: string }>[]).flatMap((st) => st.$lookup?.from ?? []),
  );

interface Named {
  name?: string;
  publisher?: Named | null;
}
const nameOf = (v: unknown) => (v as Named | null | undefined)?.name;

describe(`selectRelated and prefetchRelated on ${server.name}`, () => {
  test('selectRelated loads each author in the same aggregate ($lookup), else with one find() for all', async () => {
    let books: Awaited<ReturnType<typeof Book.objects.all>> = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects.selectRelated('author').orderBy('title');
    });
    assert.equal(books.length, 29);
    if (hasLookup) assert.deepEqual(joined(sent), [[Author.collection.collectionName]]);
    else assert.deepEqual(collections(sent), [Book.collection.collectionName, Author.collection.collectionName]);
    assert.deepEqual(
      books.slice(0, 5).map((b) => nameOf(b.author)),
      ['Beatrix', 'Ben', 'Carl', 'Beatrix', undefined],
    );
  });

  test('author__publisher nests: one more $lookup, else one more find() for the publishers', async () => {
    let books: { title?: string; author?: unknown }[] = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects
        .filter({ title__in: ['A', 'B', 'C'] })
        .selectRelated('author', 'author__publisher')
        .lean()
        .orderBy('title');
    });
    if (hasLookup) {
      assert.deepEqual(joined(sent), [[Author.collection.collectionName, Publisher.collection.collectionName]]);
    } else {
      assert.deepEqual(collections(sent), [
        Book.collection.collectionName,
        Author.collection.collectionName,
        Publisher.collection.collectionName,
      ]);
    }
    assert.deepEqual(
      books.map((b) => nameOf((b.author as Named).publisher)),
      ['Penguin', 'Faber', undefined],
    );
  });

  test('prefetchRelated loads arrays of references, with one find() per name', async () => {
    let books: { title?: string; tags?: unknown[]; author?: unknown }[] = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects
        .prefetchRelated('tags', 'author')
        .filter({ title__in: ['A', 'B', 'D'] })
        .orderBy('title');
    });
    assert.equal(collections(sent).length, 3);
    assert.ok(collections(sent).includes(Tag.collection.collectionName));
    assert.deepEqual(
      books.map((b) => (b.tags ?? []).map(nameOf)),
      [['rock', 'jazz'], ['jazz'], []],
    );
    assert.deepEqual(
      books.map((b) => nameOf(b.author)),
      ['Beatrix', 'Ben', 'Beatrix'],
    );
  });

  test('on the manager, with get(), first() and the cursor', async () => {
    const a = await Book.objects.selectRelated('author').get({ title: 'A' });
    assert.equal(nameOf(a.author), 'Beatrix');
    const first = await Book.objects.prefetchRelated('tags').orderBy('title').first();
    assert.deepEqual((first?.tags ?? []).map(nameOf), ['rock', 'jazz']);
    const seen: string[] = [];
    const sent = await commandsDuring(conn, async () => {
      for await (const book of Book.objects.selectRelated('author').orderBy('title').iterator({ chunkSize: 10 })) {
        seen.push(nameOf(book.author) ?? '-');
      }
    });
    assert.equal(seen.length, 29);
    // One find() of authors per batch of ten books, not per book.
    assert.ok(collections(sent).filter((c) => c === Author.collection.collectionName).length <= 3);
  });

  test('with a filter across the same reference', async () => {
    const books = await Book.objects
      .filter({ author__name: 'Ben' })
      .selectRelated('author')
      .orderBy('title')
      .slice(0, 2);
    assert.deepEqual(
      books.map((b) => [b.title, nameOf(b.author)]),
      [
        ['B', 'Ben'],
        ['Z1', 'Ben'],
      ],
    );
  });

  test('with annotations, whose rows come from a pipeline', { skip: lacks('arrayExpressions') }, async () => {
    const counted = await Book.objects
      .filter({ title__in: ['A', 'B'] })
      .annotate({ n_tags: Count('tags') })
      .prefetchRelated('tags')
      .orderBy('title');
    assert.deepEqual(
      counted.map((b) => (b.tags ?? []).map(nameOf)),
      [['rock', 'jazz'], ['jazz']],
    );
  });

  test('values() gives the stored ids, as Django ignores select_related there', async () => {
    const rows = await Book.objects.selectRelated('author').filter({ title: 'A' }).values('title', 'author');
    assert.equal(String(rows[0]?.author), String(authors[0]?._id));
  });

  test('a name that is not a reference is a RelationError listing the references', () => {
    assert.throws(
      () => Book.objects.selectRelated('title' as never),
      (err: unknown) => {
        assert.ok(err instanceof RelationError);
        assert.match(err.message, /selectRelated\(\) on Book: Book\.title is not a reference/);
        assert.match(err.message, /Choices are: author, review__by\./);
        assert.match(err.message, /prefetchRelated/);
        return true;
      },
    );
    assert.throws(() => Book.objects.selectRelated('tags' as never), /Book\.tags is not a single reference/);
    assert.throws(() => Book.objects.selectRelated('author__name' as never), /Author\.name is not a reference/);
    assert.throws(() => Book.objects.prefetchRelated('nope' as never), /Cannot resolve keyword "nope"/);
  });
});
