// mongo_<snake_case> ↔ driver method names, and how the passthrough proxy
// behaves, on a driver collection that never connects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { driverMethodName, mongoPassthrough } from '../../manager/passthrough.js';
import { UnknownMongoMethod } from '../../core/errors.js';

test('the tricky names map to their driver methods', () => {
  const cases: Record<string, string> = {
    mongo_aggregate: 'aggregate',
    mongo_insert_one: 'insertOne',
    mongo_find_one_and_update: 'findOneAndUpdate',
    mongo_estimated_document_count: 'estimatedDocumentCount',
    mongo_count_documents: 'countDocuments',
    mongo_list_search_indexes: 'listSearchIndexes',
    mongo_drop_indexes: 'dropIndexes',
    mongo_initialize_unordered_bulk_op: 'initializeUnorderedBulkOp',
  };
  for (const [snake, camel] of Object.entries(cases)) assert.equal(driverMethodName(snake), camel, snake);
});

test('names that are not mongo_ + lowercase snake_case map to nothing', () => {
  for (const name of [
    'mongo_',
    'mongo_Find',
    'mongo_insertOne',
    'mongo_find__one',
    'mongo_find_',
    'mongo__find',
    'mongo_find_2',
    'mongo_2find',
    'find',
    'Mongo_find',
    'mongo-find',
    ' mongo_find',
  ]) {
    assert.equal(driverMethodName(name), undefined, name);
  }
});

test('every method of the driver Collection has a mongo_ name that maps back to it', () => {
  const methods = Object.getOwnPropertyNames(mongoose.mongo.Collection.prototype).filter((n) => n !== 'constructor');
  assert.ok(methods.length > 30, `only ${methods.length} methods`);
  for (const method of methods) {
    const snake = `mongo_${method.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    assert.equal(driverMethodName(snake), method, snake);
  }
});

test('any camelCase identifier round-trips through its snake_case name', () => {
  const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
  const camel = fc
    .tuple(word, fc.array(word, { maxLength: 4 }))
    .map(([head, rest]) => head + rest.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''));
  fc.assert(
    fc.property(camel, (name) => {
      assert.equal(driverMethodName(`mongo_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`), name);
    }),
  );
});

// A MongoClient does not connect until an operation runs, and none does here.
const collection = new mongoose.mongo.MongoClient('mongodb://127.0.0.1:1').db('blog').collection('entry');
const p = mongoPassthrough(() => collection);
const loose = p as unknown as Record<string | symbol, unknown>;

test('mongo_ methods are bound to the collection', () => {
  const { mongo_find: find } = p;
  assert.equal(find({ headline: 'Hey Jude' }).namespace.toString(), 'blog.entry');
  assert.equal(typeof p.mongo_find_one_and_update, 'function');
});

test('the proxy is safe to await, spread, list and inspect', async () => {
  assert.equal(await p, p);
  assert.deepEqual({ ...p }, {});
  assert.deepEqual(Object.keys(p), []);
  assert.equal(JSON.stringify(p), '{}');
  assert.equal(util.inspect(p), '{}');
  for (const key of ['then', 'toJSON', 'constructor', 'find', Symbol.iterator, Symbol.toPrimitive]) {
    assert.equal(loose[key], undefined, String(key));
  }
});

test('`in` is true exactly for the mongo_ names of driver methods', () => {
  assert.ok('mongo_find' in p);
  assert.ok('mongo_estimated_document_count' in p);
  for (const name of ['mongo_frobnicate', 'mongo_insertOne', 'mongo_collection_name', 'mongo_to_string', 'find']) {
    assert.ok(!(name in p), name);
  }
  assert.ok(!(Symbol.iterator in p));
});

test('an unknown mongo_ name throws UnknownMongoMethod naming it, its driver method and the closest names', () => {
  assert.throws(
    () => loose['mongo_insert_onee'],
    (err: unknown) => {
      assert.ok(err instanceof UnknownMongoMethod);
      assert.equal(err.name, 'UnknownMongoMethod');
      assert.equal(err.attempted, 'mongo_insert_onee');
      assert.equal(err.driverMethod, 'insertOnee');
      assert.deepEqual(err.suggestions, ['mongo_insert_one']);
      assert.match(err.message, /"mongo_insert_onee".*insertOnee\(\).*Did you mean "mongo_insert_one"\?/);
      return true;
    },
  );
  assert.throws(() => loose['mongo_insertOne'], {
    name: 'UnknownMongoMethod',
    message: /"mongo_insertOne": it is not "mongo_" followed by a lowercase snake_case .*"mongo_insert_one"/,
  });
  assert.throws(() => loose['mongo_frobnicate'], {
    message: /frobnicate\(\)\. Choices are: mongo_aggregate, .*mongo_find_one_and_update, .*mongo_watch\.$/,
  });
});

test('getters and Object.prototype methods are not passthroughs', () => {
  for (const name of ['mongo_collection_name', 'mongo_db_name', 'mongo_constructor', 'mongo_to_string']) {
    assert.throws(() => loose[name], UnknownMongoMethod, name);
  }
});
