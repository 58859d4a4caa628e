// The shared checks of core/values.ts, on the inputs a request body, a
// settings object or a server error may bring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mongo } from 'mongoose';
import { checkOptionKeys, isDuplicateKey, isPlainObject, isRecord } from '../../core/values.js';

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
