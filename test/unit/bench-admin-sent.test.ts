// The bench's "same query" check (test/bench/admin-sent.ts): a filter's
// top-level grouping does not count, anything else does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ungrouped } from '../bench/admin-sent.js';

test('a top-level $and and one object with the same conditions are the same query', () => {
  const grouped = { $and: [{ 'blog.name': /blog 7/i }, { id: { $gte: 2 } }, { id: { $lte: 8 } }] };
  const merged = { id: { $gte: 2, $lte: 8 }, 'blog.name': /blog 7/i };
  assert.deepEqual(ungrouped(grouped), ungrouped(merged));
  assert.deepEqual(ungrouped({ $and: [{ $and: [{ a: 1 }] }, { b: 2 }] }), ungrouped({ b: 2, a: 1 }));
});

test('different bounds, values, operators or alternatives are different queries', () => {
  assert.notDeepEqual(ungrouped({ id: { $gte: 2 } }), ungrouped({ id: { $gte: 3 } }));
  assert.notDeepEqual(ungrouped({ id: { $gte: 2 } }), ungrouped({ id: { $gt: 2 } }));
  assert.notDeepEqual(ungrouped({ headline: 'x' }), ungrouped({ headline: /x/i }));
  assert.notDeepEqual(ungrouped({ a: 1 }), ungrouped({ a: 1, b: 2 }));
  assert.notDeepEqual(ungrouped({ $or: [{ a: 1 }, { b: 2 }] }), ungrouped({ $or: [{ a: 1 }, { b: 3 }] }));
});
