// Reading a field across a reference other than to filter: aggregates,
// annotations, values, orderBy and F, through $lookup (FerretDB v1.24 lacks
// it: those tests are skipped there). Django's semantics: aggregate() folds
// the join's rows, one per referenced document; annotate() folds each
// document's own; values() and orderBy() read the joined row. And, since a
// key may come from a request, only declared references are followed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Avg, Count, F, FieldError, Max, Sum } from '../../index.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { relationModels, seedRelations } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn);
const { Book } = models;
await seedRelations(models);
// Typed models check names against their own fields: keys across references are given untyped.
const books = Book.objects as unknown as {
  aggregate(spec: object): Promise<Record<string, unknown>>;
  annotate(spec: object): { orderBy(...k: string[]): { values(...k: string[]): Promise<Record<string, unknown>[]> } };
  orderBy(...k: string[]): { values(...k: string[]): Promise<Record<string, unknown>[]> };
  values(...k: string[]): { orderBy(...k: string[]): Promise<Record<string, unknown>[]> };
};
const skip = lacks('lookup');

describe(`reading across references on ${server.name}`, () => {
  test('aggregate() folds one row per referenced document, as Django’s join', { skip }, async () => {
    // Authors 40, 30, 50, 40 of books A-D (E has none): a mean over books, not over distinct authors.
    assert.deepEqual(await books.aggregate({ mean: Avg('author__age'), n: Count('author__name') }), {
      mean: 40,
      n: 4,
    });
    // Tags: A has rock and jazz, B jazz, C folk, E rock: five rows with a tag, D one without.
    assert.deepEqual(await books.aggregate({ tags: Count('tags__name'), rows: Count() }), { tags: 5, rows: 6 });
    assert.deepEqual(await books.aggregate({ oldest: Max('author__publisher__name') }), { oldest: 'Penguin' });
  });

  test('annotate() folds each document’s referenced documents; F() reads a single one', { skip }, async () => {
    const rows = await books
      .annotate({ n_tags: Count('tags__name'), age: Sum('author__age'), next: F('author__age').plus(1) })
      .orderBy('title')
      .values('title', 'n_tags', 'age', 'next');
    assert.deepEqual(rows, [
      { title: 'A', n_tags: 2, age: 40, next: 41 },
      { title: 'B', n_tags: 1, age: 30, next: 31 },
      { title: 'C', n_tags: 1, age: 50, next: 51 },
      { title: 'D', n_tags: 0, age: 40, next: 41 },
      { title: 'E', n_tags: 1, age: null, next: null },
    ]);
  });

  test('values() and orderBy() read the joined row; a missing reference reads null', { skip }, async () => {
    assert.deepEqual(await books.orderBy('-author__age', 'title').values('title', 'author__name'), [
      { title: 'C', author__name: 'Carl' },
      { title: 'A', author__name: 'Beatrix' },
      { title: 'D', author__name: 'Beatrix' },
      { title: 'B', author__name: 'Ben' },
      { title: 'E', author__name: null },
    ]);
    const names = Book.objects
      .values('author__name' as never)
      .distinct()
      .orderBy('author__name' as never);
    assert.deepEqual(await names, [
      { author__name: null },
      { author__name: 'Beatrix' },
      { author__name: 'Ben' },
      { author__name: 'Carl' },
    ]);
    const docs = await Book.objects.orderBy('author__publisher__name' as never, 'title');
    assert.deepEqual(
      docs.map((d) => d.title),
      ['C', 'E', 'B', 'A', 'D'],
    );
    // The joined documents are not on the results.
    assert.equal((docs[0]!.toObject() as unknown as Record<string, unknown>)['_rows_author'], undefined);
  });

  test('a query that crosses no reference is sent as it always was', async () => {
    const sent = await commandsDuring(conn, async () => {
      await Book.objects.orderBy('-rating').values('title', 'author');
      await Book.objects.aggregate({ n: Count() });
    });
    assert.deepEqual(
      sent.map((c) => c.name),
      ['find', 'aggregate'],
    );
    assert.ok(!JSON.stringify(sent.map((c) => c.command)).includes('$lookup'));
  });
});

// Names a key from a request might hold: fields, references, operators, prototype names, other collections.
const PARTS = ['author', 'tags', 'review', 'by', 'publisher', 'name', 'age', 'title'] as const;
const HOSTILE = ['$where', '$ne', '__proto__', 'constructor', 'toString', 'books', 'system', 'users', '$lookup', ''];

describe(`keys across references from a request on ${server.name}`, () => {
  const collections = new Set(Object.values(models).map((m) => m.collection.collectionName));

  test('only declared references are followed, to their own collections', () => {
    const key = fc
      .array(fc.oneof(fc.constantFrom(...PARTS), fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.join('__'));
    const samples = fc.sample(fc.tuple(key, fc.constantFrom('values', 'orderBy', 'aggregate')), {
      numRuns: 300,
      seed: 20261130,
    });
    let followed = 0;
    for (const [k, where] of samples) {
      let stages: Record<string, unknown>[];
      try {
        const qs = Book.objects.all() as unknown as {
          values(k: string): { toPipeline(): Record<string, unknown>[] };
          orderBy(k: string): { toPipeline(): Record<string, unknown>[] };
          toPipeline(spec: object): Record<string, unknown>[];
        };
        stages =
          where === 'values'
            ? qs.values(k).toPipeline()
            : where === 'orderBy'
              ? qs.orderBy(k).toPipeline()
              : qs.toPipeline({ m: Max(k) });
      } catch (err) {
        assert.ok(err instanceof FieldError, `${where}(${k}): ${String(err)}`);
        continue;
      }
      for (const stage of stages) {
        const lookup = stage['$lookup'] as { from: string; foreignField: string } | undefined;
        if (!lookup) continue;
        followed++;
        assert.ok(collections.has(lookup.from), `${where}(${k}) looked up ${lookup.from}`);
        assert.equal(lookup.foreignField, '_id');
      }
      // No operator of the key reaches the pipeline ($lookup is the join's own stage).
      assert.ok(!['$where', '$ne'].some((op) => JSON.stringify(stages).includes(`"${op}"`)), k);
    }
    assert.ok(followed > 0, 'some keys crossed a reference');
  });

  test('operator and prototype names after a reference are FieldErrors, with nothing sent', async () => {
    for (const key of ['author__$where', 'author____proto__', 'author__constructor', 'tags__$ne', 'title__name']) {
      const sent = await commandsDuring(conn, async () => {
        await assert.rejects(async () => books.values('title', key), FieldError, key);
        await assert.rejects(async () => books.aggregate({ m: Max(key) }), FieldError, key);
      });
      assert.deepEqual(sent, [], key);
    }
  });
});
