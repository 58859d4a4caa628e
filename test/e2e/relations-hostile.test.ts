// Keys across references from a request: the traversal names are resolved as
// any key is, against each model's schema, so an operator, `__raw__` or a
// prototype name after a reference is a FieldError sent nowhere; values stay
// data, cast by the referenced field, and never act as operators.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldError, ValidationError, type FilterInput } from '../../index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { hostile, parseExtendedQuery } from '../helpers/hostile.js';
import { relationModels, seedRelations } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn);
const { Book } = models;
await seedRelations(models);

const TRAVERSALS = [
  'author__name',
  'author__name__startswith',
  'author__name__in',
  'author__age__gte',
  'author__publisher__name',
  'tags__name',
  'tags__name__iexact',
  'review__by__name',
];

describe(`hostile input across references on ${server.name}`, () => {
  test('hostile values after a traversal never act as operators', async () => {
    const samples = fc.sample(fc.tuple(fc.constantFrom(...TRAVERSALS), hostile), { numRuns: 80, seed: 20261130 });
    let refused = 0;
    for (const [key, value] of samples) {
      const filter: FilterInput = { [key]: value };
      try {
        const found = await Book.objects.filter(filter).lean();
        // A value with $-keys can only match itself; no author's name is an object.
        assert.equal(found.length, 0, `${key}: ${JSON.stringify(value)} matched ${found.length} books`);
      } catch (err) {
        assert.ok(err instanceof FieldError || err instanceof ValidationError, `${key}: ${String(err)}`);
        refused++;
      }
    }
    assert.ok(refused > 0, 'typed fields refused some values');
  });

  test('operators, __raw__ and prototype names as traversal keys are FieldErrors, with nothing sent', async () => {
    const keys = [
      'author__$where',
      'author__$ne',
      'author____raw__',
      'author__publisher____raw__',
      'author__name__$regex',
      'author____proto__',
      'author__constructor',
      'author__toString',
      'tags__$elemMatch',
      'author__name\u0000',
      'author__publisher__constructor__name',
    ];
    for (const key of keys) {
      const filter: FilterInput = { [key]: 'x' };
      const sent = await commandsDuring(conn, async () => {
        await assert.rejects(async () => Book.objects.filter(filter).fetch(), FieldError, key);
      });
      assert.deepEqual(sent, [], `${key} sent ${sent.map((c) => c.name).join(', ')}`);
    }
  });

  test("Express's extended query string across a reference stays a value", async () => {
    for (const query of [
      'author__name[$ne]=x',
      'author__name[$regex]=.*',
      'tags__name[$in][]=rock',
      'author__publisher__name[$gt]=',
      'author[name]=Ben',
    ]) {
      const filter = parseExtendedQuery(query) as FilterInput;
      await assert.rejects(async () => Book.objects.filter(filter).fetch(), ValidationError, query);
    }
  });

  test('URLSearchParams keys across a reference resolve as code would write them', async () => {
    const filter = Object.fromEntries(new URLSearchParams('author__name=Ben&tags__name=jazz')) as FilterInput;
    assert.deepEqual(
      (await Book.objects.filter(filter).lean()).map((b) => b.title),
      ['B'],
    );
  });
});
