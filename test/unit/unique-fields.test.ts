import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { isUniquePath } from '../../manager/unique-fields.js';
import { setPrimaryKey } from '../../manager/resolve.js';

test('isUniquePath: the primary key, unique: true, and single-field unique indexes without a partial filter', () => {
  const schema = new mongoose.Schema({
    id: Number,
    slug: { type: String, unique: true },
    code: String,
    a: Number,
    b: Number,
    c: String,
    plain: { type: String, index: true },
  });
  schema.index({ code: 1 }, { unique: true });
  schema.index({ a: 1, b: 1 }, { unique: true });
  schema.index({ c: 1 }, { unique: true, partialFilterExpression: { a: { $gt: 0 } } });
  assert.equal(isUniquePath(schema, '_id'), true);
  assert.equal(isUniquePath(schema, 'slug'), true);
  assert.equal(isUniquePath(schema, 'code'), true);
  assert.equal(isUniquePath(schema, 'a'), false);
  assert.equal(isUniquePath(schema, 'b'), false);
  assert.equal(isUniquePath(schema, 'c'), false);
  assert.equal(isUniquePath(schema, 'plain'), false);
  assert.equal(isUniquePath(schema, 'id'), false);
  setPrimaryKey(schema, 'id');
  assert.equal(isUniquePath(schema, 'id'), true);
});
