// The shared checks of core/values.ts, on the inputs a request body, a
// settings object or a server error may bring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mongo } from 'mongoose';
import { checkOptionKeys, describe, isDuplicateKey, isPlainObject, isRecord } from '../../core/values.js';

class Reported extends Error {}
const report = (key: string, hint: string): never => {
  throw new Reported(`${key}|${hint}`);
};

test('isPlainObject takes only what JSON.parse builds; isRecord any non-array object', () => {
  for (const value of [{}, JSON.parse('{"__proto__": 1}') as unknown, Object.create(null) as unknown]) {
    assert.equal(isPlainObject(value), true);
    assert.equal(isRecord(value), true);
  }
  for (const value of [new Date(), new mongo.ObjectId(), new Map()]) {
    assert.equal(isPlainObject(value), false);
    assert.equal(isRecord(value), true);
  }
  for (const value of [null, undefined, [], 'a', 1]) {
    assert.equal(isPlainObject(value), false);
    assert.equal(isRecord(value), false);
  }
});

test('isDuplicateKey reads the server code, whatever class carries it', () => {
  assert.equal(isDuplicateKey(new mongo.MongoServerError({ code: 11000, errmsg: 'E11000' })), true);
  assert.equal(isDuplicateKey({ code: 11000 }), true);
  assert.equal(isDuplicateKey(new mongo.MongoServerError({ code: 11001, errmsg: 'other' })), false);
  assert.equal(isDuplicateKey('11000'), false);
  assert.equal(isDuplicateKey(null), false);
});

test('checkOptionKeys passes accepted keys and reports the first other one with a hint', () => {
  assert.doesNotThrow(() => checkOptionKeys({ field: 'id' }, ['field'], report));
  assert.throws(() => checkOptionKeys({ field: 'id', feild: 1 }, ['field'], report), {
    message: 'feild| Did you mean "field"?',
  });
  assert.throws(() => checkOptionKeys({ zzzzzz: 1 }, ['field'], report), { message: 'zzzzzz|' });
  assert.throws(() => checkOptionKeys({ base_url: '/m/' }, ['baseUrl'], report, { base_url: 'baseUrl' }), {
    message: 'base_url| Did you mean "baseUrl"?',
  });
});

test('checkOptionKeys reads aliases as own keys only: "constructor" is no alias', () => {
  assert.throws(() => checkOptionKeys({ constructor: 1 }, ['collection'], report, { bucket: 'collection' }), {
    message: 'constructor|',
  });
});

test('describe names the kind and a shortened value, one wording for every message', () => {
  assert.equal(describe([7]), 'the array [7]');
  assert.equal(describe({ n: 7 }), 'the object {"n":7}');
  assert.equal(describe('five'), 'the string "five"');
  assert.equal(describe('x'.repeat(100)), `the string "${'x'.repeat(36)}...`);
  assert.equal(describe(mongo.Long.fromBigInt(2n ** 60n)), 'the Long 1152921504606846976');
  assert.equal(describe(new mongo.ObjectId('65a000000000000000000001')), 'the ObjectId 65a000000000000000000001');
  assert.equal(describe(new Date(0)), 'the Date 1970-01-01T00:00:00.000Z');
  assert.equal(describe(new Date(Number.NaN)), 'an invalid Date');
  assert.equal(describe(new Map()), 'an instance of Map');
  assert.equal(describe(null), 'null');
  assert.equal(describe(undefined), 'undefined');
  assert.equal(describe(true), 'true');
  assert.equal(describe(Number.NaN), 'the number NaN');
  assert.equal(describe(10n), 'the bigint 10n');
  assert.equal(
    describe(() => 1),
    'a function',
  );
  assert.equal(describe(Symbol('s')), 'a symbol');
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  assert.equal(describe(cycle), 'the object {…}');
  assert.equal(describe([1n]), 'the array […]', 'JSON cannot show a bigint');
  // A request body's {"_bsontype": ...} is data, not a BSON value.
  assert.equal(describe(JSON.parse('{"_bsontype":"Long"}')), 'the object {"_bsontype":"Long"}');
});

test('describe({ contents: false }) never shows what an array or object holds', () => {
  const uri = 'mongodb://ann:s3cret@db.example.com';
  assert.equal(describe([uri], { contents: false }), 'an array');
  assert.equal(describe({ password: 's3cret' }, { contents: false }), 'an object');
  assert.equal(describe(5, { contents: false }), 'the number 5', 'scalars are still shown');
});
