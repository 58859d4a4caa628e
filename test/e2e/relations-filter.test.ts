// Filters across a reference (`author__name__startswith`), in the prefetch
// form: one find() on the referenced collection reads the matching ids, then
// the query sends `{ author: { $in: ids } }`. Django's semantics for the
// simple cases: exclude keeps the documents without a reference.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Q, RelationError, ValidationError } from '../../index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { relationModels, seedRelations, titles } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn);
const { Book } = models;
const seed = await seedRelations(models);

describe(`filters across a reference on ${server.name}`, () => {
  test('a lookup on a field of the referenced document', async () => {
    assert.deepEqual(await titles(Book.objects.filter({ author__name__startswith: 'Be' })), ['A', 'B', 'D']);
    assert.deepEqual(await titles(Book.objects.filter({ author__name: 'Carl' })), ['C']);
    assert.deepEqual(await titles(Book.objects.filter({ author__age__gte: 40 })), ['A', 'C', 'D']);
    assert.deepEqual(await titles(Book.objects.filter({ author__name: 'Nobody' })), []);
  });

  test('with other conditions, and counted, checked and deleted through', async () => {
    assert.deepEqual(await titles(Book.objects.filter({ author__name__startswith: 'Be', rating__gte: 3 })), ['A', 'B']);
    assert.equal(await Book.objects.filter({ author__name__startswith: 'Be' }).count(), 3);
    assert.equal(await Book.objects.filter({ author__name: 'Carl' }).exists(), true);
    assert.equal(await Book.objects.filter({ author__name: 'Nobody' }).exists(), false);
    assert.deepEqual(
      await Book.objects.filter({ author__name: 'Beatrix' }).orderBy('title').valuesList('title', { flat: true }),
      ['A', 'D'],
    );
  });

  test('exclude keeps the documents whose reference does not match, and those without one', async () => {
    assert.deepEqual(await titles(Book.objects.exclude({ author__name: 'Beatrix' })), ['B', 'C', 'E']);
    assert.deepEqual(await titles(Book.objects.filter(Q({ author__name: 'Beatrix' }).not())), ['B', 'C', 'E']);
  });

  test('Q objects or-ed across a reference and a field', async () => {
    assert.deepEqual(await titles(Book.objects.filter(Q({ author__name: 'Ben' }).or({ rating: 4 }))), ['B', 'C']);
    assert.deepEqual(await titles(Book.objects.filter(Q({ author__name: 'Ben' }).or(Q({ author__name: 'Carl' })))), [
      'B',
      'C',
    ]);
  });

  test('an array of references matches when any of them matches', async () => {
    assert.deepEqual(await titles(Book.objects.filter({ tags__name: 'rock' })), ['A', 'E']);
    assert.deepEqual(await titles(Book.objects.filter({ tags__name__in: ['folk', 'jazz'] })), ['A', 'B', 'C']);
    assert.deepEqual(await titles(Book.objects.exclude({ tags__name: 'rock' })), ['B', 'C', 'D']);
  });

  test('conditions of one filter() on an array of references need one element matching all, chained ones do not', async () => {
    // Django: one filter() call is one join, chained calls are separate joins.
    assert.deepEqual(await titles(Book.objects.filter({ tags__name: 'rock', tags__name__startswith: 'j' })), []);
    assert.deepEqual(
      await titles(Book.objects.filter(Q({ tags__name: 'rock' }).and({ tags__name__startswith: 'j' }))),
      [],
    );
    assert.deepEqual(
      await titles(Book.objects.filter({ tags__name: 'rock' }).filter({ tags__name__startswith: 'j' })),
      ['A'],
    );
    assert.deepEqual(await titles(Book.objects.filter({ author__name: 'Beatrix', author__age: 40 })), ['A', 'D']);
  });

  test('across two references: author__publisher__name', async () => {
    assert.deepEqual(await titles(Book.objects.filter({ author__publisher__name: 'Penguin' })), ['A', 'D']);
    assert.deepEqual(await titles(Book.objects.exclude({ author__publisher__name: 'Penguin' })), ['B', 'C', 'E']);
  });

  test('a reference inside an embedded document: review__by__name', async () => {
    assert.deepEqual(await titles(Book.objects.filter({ review__by__name: 'Ben' })), ['A']);
  });

  test('update() and delete() across a reference change only the matches', async () => {
    assert.equal(await Book.objects.filter({ author__name: 'Carl' }).update({ rating: 0 }), 1);
    assert.deepEqual(await titles(Book.objects.filter({ rating: 0 })), ['C']);
    await Book.objects.filter({ title: 'C' }).update({ rating: 4 });
  });

  test('the value is cast by the referenced field and stays data', async () => {
    assert.deepEqual(await titles(Book.objects.filter({ author__age: '30' as unknown as number })), ['B']);
    // An operator object from a request is a value to cast, as on the model's own fields.
    const hostile = { author__name: { $ne: 'x' } as unknown as string };
    await assert.rejects(Book.objects.filter(hostile).fetch(), ValidationError);
    assert.throws(() => Book.objects.filter(hostile).toMongo(), ValidationError);
    assert.deepEqual(await titles(Book.objects.filter({ author__publisher: seed.penguin._id })), ['A', 'D']);
  });

  test('one find() on the referenced collection per relation, then the query itself', async () => {
    const { Author, Tag, Publisher } = models;
    const sent = await commandsDuring(conn, () =>
      Book.objects.filter({ author__name__startswith: 'Be', tags__name: 'rock' }).exclude({ author__age: 99 }).fetch(),
    );
    const finds = sent.filter((c) => c.name === 'find').map((c) => c.command.find as string);
    assert.deepEqual(finds.slice(0, 3).sort(), [Author, Author, Tag].map((m) => m.collection.collectionName).sort());
    assert.deepEqual(finds.slice(3), [Book.collection.collectionName]);
    const nested = await commandsDuring(conn, () => Book.objects.filter({ author__publisher__name: 'Faber' }).count());
    assert.deepEqual(
      nested.map((c) => c.name),
      ['find', 'find', 'aggregate'],
    );
    assert.equal(nested[0]?.command.find, Publisher.collection.collectionName);
  });

  test('toMongo() names the prefetch form and the query that reads the ids', () => {
    const query = Book.objects.filter({ author__name__startswith: 'Be' }).toMongo();
    assert.deepEqual(query.filter, {
      author: { $in: { $prefetch: { from: models.Author.collection.collectionName, filter: { name: /^Be/ } } } },
    });
  });

  test('only() and update keys across a reference are refused, naming selectRelated', async () => {
    assert.throws(
      () => Book.objects.only('author__name' as never),
      (err: unknown) => {
        assert.ok(err instanceof RelationError);
        assert.match(err.message, /Book\.author is a reference to Author: "author__name" crosses it/);
        assert.match(err.message, /selectRelated\('author'\)/);
        return true;
      },
    );
    await assert.rejects(async () => Book.objects.update({ tags__name: 'x' } as never), /prefetchRelated\('tags'\)/);
  });
});
