// An F() across a reference inside a filter, Django's
// `filter(num_employees__gt=F('ceo__salary'))`: the ids of the matching
// documents are read first with one aggregate ($lookup, then $expr), and the
// condition is sent as `{ _id: { $in: ids } }`, so that find, count, update
// and delete keep their command and exclude() negates it. FerretDB v1.24
// lacks $lookup and comparisons in $expr: skipped there.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { F, FieldError, Q } from '../../index.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { relationModels, seedRelations, titles } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn);
const { Book } = models;
const reseed = async () => {
  const { Publisher, Author, Tag } = models;
  await Promise.all([Publisher.deleteMany({}), Author.deleteMany({}), Tag.deleteMany({}), Book.deleteMany({})]);
  return seedRelations(models);
};
await reseed();
const skip = lacks('lookup') || lacks('exprComparison');
// Typed filters check keys against the model's own fields: F across a reference is given untyped.
const across = (filter: object) => filter as never;

// Books A-E: ratings 5, 3, 4, 1, 2; authors' ages 40, 30, 50, 40 and none (E).
describe(`F across a reference in a filter on ${server.name}`, () => {
  test('compares a field with the referenced document’s, a missing reference never matching', { skip }, async () => {
    // rating > age / 10: A (5 > 4) only; E has no author, so no age: no match, as SQL's NULL.
    assert.deepEqual(await titles(Book.objects.filter(across({ rating__gt: F('author__age').dividedBy(10) }))), ['A']);
    assert.deepEqual(await titles(Book.objects.filter(across({ rating__lte: F('author__age').dividedBy(10) }))), [
      'B',
      'C',
      'D',
    ]);
    // Both sides across references, and through two of them.
    assert.deepEqual(await titles(Book.objects.filter(across({ review__by__name: F('author__name') }))), ['C']);
    assert.deepEqual(await titles(Book.objects.filter(across({ author__publisher__name__gt: F('author__name') }))), [
      'A',
      'B',
      'D',
    ]);
    // In a range, and beside plain conditions (one filter() call: both must hold).
    const range = { rating__range: [F('author__age').dividedBy(10).minus(1), F('author__age').dividedBy(10)] };
    assert.deepEqual(await titles(Book.objects.filter(across(range))), ['B', 'C']);
    assert.deepEqual(await titles(Book.objects.filter(across({ ...range, title: 'C' }))), ['C']);
  });

  test('exclude() and ~Q negate it; count() and toMongo() see the ids form', { skip }, async () => {
    const cond = across({ rating__gt: F('author__age').dividedBy(10) });
    // Django's exclude keeps what the condition does not match, E (no author) included.
    assert.deepEqual(await titles(Book.objects.exclude(cond)), ['B', 'C', 'D', 'E']);
    assert.deepEqual(
      await titles(
        Book.objects.filter(
          Q(cond)
            .not()
            .and(Q({ rating__gte: 2 })),
        ),
      ),
      ['B', 'C', 'E'],
    );
    assert.equal(await Book.objects.filter(cond).count(), 1);
    const shown = JSON.stringify(Book.objects.filter(cond).toMongo().filter);
    assert.match(shown, /"_id":\{"\$in":\{"\$prefetch":\{"from":"[^"]+","pipeline":\[\{"\$lookup"/);
  });

  test('update() and delete() with such a filter change the matching documents only', { skip }, async () => {
    try {
      const cond = across({ rating__gt: F('author__age').dividedBy(10) });
      const sent = await commandsDuring(conn, async () => {
        assert.equal(await Book.objects.exclude(cond).update({ rating: 0 }), 4);
      });
      // One aggregate reads the ids, then one update, on the books' own collection.
      assert.deepEqual(
        sent.map((c) => c.name),
        ['aggregate', 'update'],
      );
      assert.deepEqual(await titles(Book.objects.filter({ rating: 0 })), ['B', 'C', 'D', 'E']);
      assert.equal(await Book.objects.filter(cond).delete(), 1);
      assert.deepEqual(await titles(Book.objects.all()), ['B', 'C', 'D', 'E']);
    } finally {
      await reseed();
    }
  });

  test('an F across a reference in update values is still refused, with nothing written', async () => {
    await assert.rejects(async () => Book.objects.update(across({ rating: F('author__age') })), FieldError);
    assert.deepEqual(await titles(Book.objects.filter({ rating: 5 })), ['A']);
  });

  test('a filter with no F across a reference reads no ids first', { skip }, async () => {
    const sent = await commandsDuring(conn, async () => {
      await Book.objects.filter({ rating__gt: F('rating') }).count();
    });
    assert.ok(!JSON.stringify(sent.map((c) => c.command)).includes('$lookup'));
  });
});
