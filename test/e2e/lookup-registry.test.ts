// The lookup registry against a real server: a registration reaches a model
// already queried, and the numeric lookups match the right documents on
// every numeric type (each row matches some seeded documents, not all).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registerLookup, type FilterInput } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';
import { measureModel, type MeasureRaw } from '../helpers/numeric-models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);
const Measure = await ready(measureModel(conn));

// FerretDB v1.24 closes the connection on an insert of a Decimal128: price is left out there.
const noDecimal = lacks('decimal128');
const withPrice = (row: MeasureRaw, price: string): MeasureRaw =>
  noDecimal ? row : { ...row, price: price as unknown as MeasureRaw['price'] };
// `big` past 2^53, where a double would lose the last digit (…993 is odd, …992 even).
await Measure.insertMany([
  withPrice({ name: 'a', count: 3, ratio: 3 as unknown as MeasureRaw['ratio'], big: 9007199254740993n }, '3'),
  withPrice({ name: 'b', count: 4, ratio: 4.5 as unknown as MeasureRaw['ratio'], big: 4n }, '4.5'),
  withPrice({ name: 'c', count: 7, ratio: 7 as unknown as MeasureRaw['ratio'], big: 9007199254740992n }, '7'),
]);

async function names(filter: FilterInput): Promise<string[]> {
  return (await Measure.objects.filter(filter).orderBy('name').valuesList('name', { flat: true })) as string[];
}

describe(`lookup registry on ${server.name}`, () => {
  test('a lookup registered after a JSON key was queried applies to it', async () => {
    const before = await Entry.objects.filter({ data__label__ne_ci_e2e: 'APPLE' }).count();
    assert.equal(before, 0, 'unregistered, data.label.ne_ci_e2e is a path no document has');
    registerLookup('*', {
      name: 'ne_ci_e2e',
      compile: (t, v) => ({ [t.path]: { $exists: true, $not: new RegExp(`^${String(v)}$`, 'i') } }),
    });
    assert.deepEqual(await Entry.objects.filter({ data__label__ne_ci_e2e: 'APPLE' }).toMongo().filter, {
      'data.label': { $exists: true, $not: /^APPLE$/i },
    });
    assert.equal(await Entry.objects.filter({ data__label__ne_ci_e2e: 'APPLE' }).count(), 0);
    assert.equal(await Entry.objects.filter({ data__label__ne_ci_e2e: 'EMI' }).count(), 1);
  });
});

describe(`numeric lookups on each numeric type on ${server.name}`, () => {
  test('the seeded fields hold the BSON type of their schema type', async () => {
    const typed: FilterInput = { count__type: 'int', ratio__type: 'double', big__type: 'long' };
    assert.deepEqual(await names(typed), ['a', 'b', 'c']);
  });

  test('the decimal field holds Decimal128', { skip: noDecimal }, async () => {
    assert.deepEqual(await names({ price__type: 'decimal' }), ['a', 'b', 'c']);
  });

  // 4.5 is no whole number: $mod truncates it to 4 (MongoDB's rule), and 4.5 % 2 is not 1 either.
  const rows: [string, FilterInput, string[]][] = [
    ['Int32 mod', { count__mod: [2, 1] }, ['a', 'c']],
    ['Int32 gt', { count__gt: 3 }, ['b', 'c']],
    ['Int32 lte', { count__lte: 4 }, ['a', 'b']],
    ['Double mod', { ratio__mod: [2, 1] }, ['a', 'c']],
    ['Double gt', { ratio__gt: 4 }, ['b', 'c']],
    ['Double range', { ratio__range: [4, 5] }, ['b']],
    ['BigInt mod', { big__mod: [2, 1] }, ['a']],
    ['BigInt gt', { big__gt: 9007199254740992n }, ['a']],
    ['BigInt lt', { big__lt: 5 }, ['b']],
  ];
  for (const [name, filter, expected] of rows) {
    test(name, async () => {
      assert.ok(expected.length > 0 && expected.length < 3, 'each row must match some, not all');
      assert.deepEqual(await names(filter), expected);
    });
  }

  const decimalRows: [string, FilterInput, string[]][] = [
    ['Decimal128 mod', { price__mod: [2, 1] }, ['a', 'c']],
    ['Decimal128 gt', { price__gt: '4' }, ['b', 'c']],
    ['Decimal128 lt', { price__lt: 4.5 }, ['a']],
  ];
  for (const [name, filter, expected] of decimalRows) {
    test(name, { skip: noDecimal }, async () => {
      assert.deepEqual(await names(filter), expected);
    });
  }
});
