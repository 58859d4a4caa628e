// Aliases in the schema's shape: a field answers to its stored key and to
// each of its `alias` names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { shapeOf } from '../../core/schema-shape.js';
import { resolveKey } from '../../manager/resolve.js';
import '../../manager/builtin-lookups.js';

const schema = new mongoose.Schema({
  n: { type: String, alias: 'name' },
  rank: { type: Number, alias: ['position', 'place'] },
  tags: [String],
});

test('a field is named by its key and by its aliases', () => {
  const shape = shapeOf(schema);
  assert.deepEqual(shape.field('n')?.aliases, ['name']);
  assert.equal(shape.named('name')?.key, 'n');
  assert.equal(shape.named('place')?.key, 'rank');
  assert.equal(shape.named('n')?.key, 'n');
  assert.equal(shape.field('name'), undefined, 'field() reads stored keys only');
});

test('resolveKey stores the key a filter names by alias, and positions after arrays', () => {
  assert.equal(resolveKey(schema, 'Toy', 'position__gte').path, 'rank');
  const first = resolveKey(schema, 'Toy', 'tags__0__startswith');
  assert.equal(first.path, 'tags.0');
  assert.equal(first.schemaType?.instance, 'String');
  assert.deepEqual(first.lookups, ['startswith']);
});
