// Mongoose's `alias` (MongoEngine's `db_field`) and array positions in keys
// (issue 12 §2.18, §2.14): both names of an aliased field reach the stored
// one in filters, ordering, values and updates; `tags__0` is the first element.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface ToyRaw {
  n?: string;
  rank?: number;
  tags?: string[];
  parts?: { w?: string; votes?: number }[];
  meta?: { s?: string };
}

const conn = await openTestDatabase(import.meta.url);
const part = new mongoose.Schema({ w: { type: String, alias: 'who' }, votes: Number }, { _id: false });
const schema = new mongoose.Schema<ToyRaw>({
  n: { type: String, alias: 'name' },
  rank: { type: Number, alias: ['position', 'place'] },
  tags: [String],
  parts: [part],
  meta: { s: { type: String, alias: 'source' } },
});
schema.plugin(manager);
// Untyped, as a model whose filters come from a request: the keys are checked at run time.
const Toy = await ready(conn.model<Record<string, unknown>, Managed<Record<string, unknown>>>('Toy', schema));
await Toy.insertMany([
  {
    n: 'Buzz',
    rank: 2,
    tags: ['space', 'ranger'],
    parts: [
      { w: 'ann', votes: 1 },
      { w: 'bob', votes: 3 },
    ],
    meta: { s: 'film' },
  },
  { n: 'Woody', rank: 1, tags: ['cowboy', 'space'], parts: [{ w: 'bob', votes: 2 }], meta: { s: 'book' } },
  { n: 'Rex', rank: 3, tags: [], parts: [], meta: { s: 'film' } },
]);

const names = async (filter: Record<string, unknown>): Promise<string[]> =>
  (await Toy.objects.filter(filter).orderBy('n').valuesList('n', { flat: true })) as string[];

describe(`aliases on ${server.name}`, () => {
  test('the alias and the stored name both filter the stored field', async () => {
    assert.deepEqual(await names({ name: 'Buzz' }), ['Buzz']);
    assert.deepEqual(await names({ n: 'Buzz' }), ['Buzz']);
    assert.deepEqual(await names({ name__startswith: 'W' }), ['Woody']);
    assert.deepEqual(Toy.objects.filter({ name__startswith: 'W' }).toMongo().filter, { n: /^W/ });
  });

  test('every alias of a list, and aliases inside embedded documents and nested objects', async () => {
    assert.deepEqual(await names({ position__lte: 2 }), ['Buzz', 'Woody']);
    assert.deepEqual(await names({ place: 3 }), ['Rex']);
    assert.deepEqual(await names({ parts__who: 'ann' }), ['Buzz']);
    assert.deepEqual(await names({ meta__source: 'book' }), ['Woody']);
    assert.deepEqual(Toy.objects.filter({ parts__who: 'ann' }).toMongo().filter, { 'parts.w': 'ann' });
  });

  test('ordering, values and valuesList take the alias', async () => {
    assert.deepEqual(await Toy.objects.orderBy('-position').valuesList('name', { flat: true }), [
      'Rex',
      'Buzz',
      'Woody',
    ]);
    const rows = await Toy.objects.filter({ name: 'Rex' }).values('name', 'place');
    assert.deepEqual(rows, [{ name: 'Rex', place: 3 }]);
  });

  test('update keys take the alias', async () => {
    assert.equal(await Toy.objects.filter({ name: 'Rex' }).update({ inc__position: 10, set__meta__source: 'toy' }), 1);
    const rex = await Toy.collection.findOne({ n: 'Rex' });
    assert.equal(rex?.['rank'], 13);
    assert.deepEqual(rex?.['meta'], { s: 'toy' });
    await Toy.objects.filter({ name: 'Rex' }).update({ rank: 3, meta__s: 'film' });
  });

  test('an unknown name lists the aliases among the choices', () => {
    assert.throws(
      () => Toy.objects.filter({ nam: 'x' }),
      (err: unknown) => err instanceof FieldError && /Choices are: .*\bname\b.*Did you mean "name"/s.test(err.message),
    );
  });
});

describe(`array positions on ${server.name}`, () => {
  test("tags__0 is the first element, with the element type's lookups after it", async () => {
    assert.deepEqual(await names({ tags__0: 'space' }), ['Buzz']);
    assert.deepEqual(await names({ tags__1: 'space' }), ['Woody']);
    assert.deepEqual(await names({ tags__0__startswith: 'c' }), ['Woody']);
    assert.deepEqual(await names({ tags__0__isnull: true }), ['Rex']);
    assert.deepEqual(Toy.objects.filter({ tags__0__startswith: 'c' }).toMongo().filter, { 'tags.0': /^c/ });
  });

  test('comments__1__author: a field of one element of an array of documents', async () => {
    assert.deepEqual(await names({ parts__1__w: 'bob' }), ['Buzz']);
    assert.deepEqual(await names({ parts__0__who: 'bob' }), ['Woody']);
    assert.deepEqual(await names({ parts__0__votes__gte: 1 }), ['Buzz', 'Woody']);
    assert.deepEqual(await names({ parts__1: { w: 'bob', votes: 3 } }), ['Buzz']);
  });

  test('a position goes only right after an array field', () => {
    for (const key of ['name__0', 'meta__0', 'tags__0__0', 'tags__01', 'parts__0__w__0']) {
      assert.throws(() => Toy.objects.filter({ [key]: 'x' }), FieldError, key);
    }
  });
});
