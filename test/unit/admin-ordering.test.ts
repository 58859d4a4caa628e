// A list page's order without a database: the primary key breaks ties,
// except after a field the schema declares unique on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { orderKeys, uniquePaths } from '../../admin/ordering.js';
import { adminModels } from '../helpers/admin-models.js';

test('unique paths: _id, a field unique alone; not a sparse, partial or compound unique index', () => {
  const schema = new mongoose.Schema({
    slug: { type: String, unique: true },
    code: { type: String, unique: true, sparse: true },
    title: { type: String, index: true },
    a: String,
    b: String,
    c: String,
    blog: { name: String },
  });
  schema.index({ a: 1, b: 1 }, { unique: true });
  schema.index({ c: 1 }, { unique: true, partialFilterExpression: { c: { $exists: true } } });
  schema.index({ 'blog.name': -1 }, { unique: true });
  assert.deepEqual([...uniquePaths(schema)].sort(), ['_id', 'blog.name', 'slug']);
});

test("the auto-increment id is unique: djongo's primary key index", () => {
  const { Entry } = adminModels(mongoose.createConnection());
  assert.ok(uniquePaths(Entry.schema).has('id'));
});

test('order keys: _id breaks ties in the same direction unless the path is unique', () => {
  const unique = new Set(['_id', 'id']);
  assert.deepEqual(orderKeys('rating', 'desc', unique), ['-rating', '-_id']);
  assert.deepEqual(orderKeys('blog.name', 'asc', unique), ['blog__name', '_id']);
  assert.deepEqual(orderKeys('id', 'desc', unique), ['-id']);
  assert.deepEqual(orderKeys('_id', undefined, unique), ['_id']);
});
