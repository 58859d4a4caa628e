// F, wider (issue 12 §2.11): F on the right of the text lookups, inside `in`
// and `range` lists, and `mod`/`pow` arithmetic, against a real server.
// Every F filter is an `$expr`, which FerretDB v1.24 cannot evaluate
// (exprComparison: "The operator $eq is not implemented yet").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';

interface PairRaw {
  label: string;
  a?: string | null;
  b?: string | null;
  n?: number;
  m?: number;
}

const conn = await openTestDatabase(import.meta.url);
const schema = new mongoose.Schema<PairRaw>({ label: String, a: String, b: String, n: Number, m: Number });
schema.plugin(manager);
const Pair = await ready(conn.model<PairRaw, Managed<PairRaw>>('Pair', schema));
await Pair.insertMany([
  { label: 'same', a: 'Hello', b: 'Hello', n: 7, m: 2 },
  { label: 'case', a: 'Hello', b: 'hELLO', n: 9, m: 3 },
  { label: 'inner', a: 'Hello World', b: 'lo W', n: 4, m: 4 },
  { label: 'head', a: 'Hello World', b: 'hello', n: 8, m: 9 },
  { label: 'tail', a: 'Hello World', b: 'WORLD', n: 25, m: 5 },
  { label: 'dot', a: 'abc', b: '.', n: 1, m: 1 },
  { label: 'nullb', a: 'Hello', b: null, n: 0, m: 7 },
  { label: 'nob', a: 'Hello', n: 2, m: 100 },
  { label: 'empty', a: '', b: 'x', n: 3, m: 10 },
]);

async function labels(filter: Record<string, unknown>): Promise<string[]> {
  const found = await Pair.objects.filter(filter).orderBy('label').valuesList('label', { flat: true });
  return found as string[];
}

const skip = lacks('exprComparison');

/** A filter built at run time (as from a request): its keys and values are checked there, not by tsc. */
const untyped = (filter: Record<string, unknown>) => Pair.objects.filter(filter);

describe(`F in text lookups on ${server.name}`, () => {
  const rows: [string, string[]][] = [
    ['a__iexact', ['case', 'same']],
    ['a__contains', ['inner', 'same']],
    ['a__icontains', ['case', 'head', 'inner', 'same', 'tail']],
    ['a__startswith', ['same']],
    ['a__istartswith', ['case', 'head', 'same']],
    ['a__endswith', ['same']],
    ['a__iendswith', ['case', 'same', 'tail']],
  ];
  for (const [key, expected] of rows) {
    test(`${key}: F('b')`, { skip }, async () => {
      assert.deepEqual(await labels({ [key]: F('b') }), expected);
    });
  }

  test('the F side is text, never a pattern: "." matches only a dot', { skip }, async () => {
    assert.deepEqual(await labels({ a__contains: F('b'), label: 'dot' }), []);
    assert.deepEqual(await labels({ b__contains: F('b'), label: 'dot' }), ['dot']);
  });

  test('a null or missing side never matches, as a NULL never LIKEs', { skip }, async () => {
    const all = await labels({ b__icontains: F('a') });
    assert.ok(!all.includes('nullb') && !all.includes('nob'), String(all));
    assert.deepEqual(await labels({ label__in: ['nullb', 'nob'], a__iendswith: F('b') }), []);
  });

  test('a text lookup with F on a field that is not text, or with arithmetic, is a FieldError', () => {
    assert.throws(() => untyped({ n__contains: F('b') }), FieldError);
    assert.throws(() => Pair.objects.filter({ a__contains: F('n') }), /compares two String fields/);
    assert.throws(() => Pair.objects.filter({ a__contains: F('b').plus(1) }), /no arithmetic/);
    assert.throws(() => untyped({ a__regex: F('b') }), /F\(\) compares with exact, ne, gt/);
  });
});

describe(`F in lists on ${server.name}`, () => {
  test('in: plain values stay an indexable $in, each F an $expr beside it', { skip }, async () => {
    assert.deepEqual(await labels({ n__in: [9, F('m')] }), ['case', 'dot', 'inner']);
    assert.deepEqual(untyped({ n__in: ['9', F('m')] }).toMongo().filter, {
      $or: [{ n: { $in: [9] } }, { $expr: { $eq: ['$n', '$m'] } }],
    });
  });

  test('range with F for one bound or both', { skip }, async () => {
    assert.deepEqual(await labels({ n__range: [F('m'), 8] }), ['dot', 'inner', 'same']);
    assert.deepEqual(await labels({ n__range: [F('m'), F('m').times(5)] }), ['case', 'dot', 'inner', 'same', 'tail']);
  });

  test('a list holding F after another lookup is refused as before', () => {
    assert.throws(() => untyped({ n__range: [F('m')] }), /two values/);
  });
});

describe(`F mod and pow on ${server.name}`, () => {
  test("mod: Django's %, by a number or by another field", { skip }, async () => {
    assert.deepEqual(await labels({ m: F('n').mod(5) }), ['dot', 'inner', 'same']);
    assert.deepEqual(await labels({ n: F('n').mod(F('m')) }), ['empty', 'head', 'nob', 'nullb']);
    assert.deepEqual(Pair.objects.filter({ m: F('n').mod(5) }).toMongo().filter, {
      $expr: { $eq: ['$m', { $mod: ['$n', 5] }] },
    });
  });

  test("pow: Django's **", { skip }, async () => {
    assert.deepEqual(await labels({ n: F('m').pow(2) }), ['case', 'dot', 'tail']);
    assert.deepEqual(await labels({ n__gt: F('m').pow(2).minus(F('m')) }), ['case', 'dot', 'same', 'tail']);
  });
});
