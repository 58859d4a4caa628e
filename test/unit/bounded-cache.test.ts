// BoundedCache: least recently used goes first, by count and by bytes, and an
// entry too big is never kept.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedCache } from '../../core/bounded-cache.js';

const bytesOf = (key: string, value: string) => key.length + value.length;

describe('BoundedCache', () => {
  test('keeps at most maxEntries, dropping the least recently used; a get counts as a use', () => {
    const cache = new BoundedCache<string, string>({ maxEntries: 2, maxBytes: 1000, sizeOf: bytesOf });
    cache.set('a', '1');
    cache.set('b', '2');
    assert.equal(cache.get('a'), '1');
    cache.set('c', '3');
    assert.deepEqual([cache.get('a'), cache.get('b'), cache.get('c')], ['1', undefined, '3']);
    assert.equal(cache.size, 2);
  });

  test('a key used in every round survives any number of new keys', () => {
    const cache = new BoundedCache<string, string>({ maxEntries: 10, maxBytes: 1000, sizeOf: bytesOf });
    cache.set('hot', '1');
    for (let i = 0; i < 1000; i++) {
      assert.equal(cache.get('hot'), '1', `round ${i}`);
      cache.set(`cold${i}`, '1');
    }
    assert.equal(cache.get('cold0'), undefined);
    assert.equal(cache.size, 10);
  });

  test('keeps at most maxBytes, and never an entry above maxEntryBytes', () => {
    const cache = new BoundedCache<string, string>({
      maxEntries: 100,
      maxBytes: 10,
      maxEntryBytes: 6,
      sizeOf: bytesOf,
    });
    cache.set('a', '1234');
    cache.set('b', '1234');
    assert.equal(cache.bytes, 10);
    cache.set('c', '12');
    assert.equal(cache.get('a'), undefined, 'the oldest went to make room');
    assert.equal(cache.bytes, 8);
    cache.set('d', '1234567');
    assert.equal(cache.get('d'), undefined, 'too big to keep');
    assert.equal(cache.bytes, 8);
  });

  test('setting a key again replaces it and its size; delete and clear forget', () => {
    const cache = new BoundedCache<string, string>({ maxEntries: 10, maxBytes: 100, sizeOf: bytesOf });
    cache.set('a', '1');
    cache.set('a', '12345');
    assert.equal(cache.get('a'), '12345');
    assert.equal(cache.bytes, 6);
    cache.delete('a');
    assert.equal(cache.bytes, 0);
    cache.set('b', '1');
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.get('b'), undefined);
  });

  test('any sequence of operations: within both bounds, and what it returns is the last value set', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.string({ maxLength: 3 }),
        value: fc.string({ maxLength: 12 }),
      }),
      fc.record({ kind: fc.constant('get' as const), key: fc.string({ maxLength: 3 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), (ops, maxEntries) => {
        const cache = new BoundedCache<string, string>({
          maxEntries,
          maxBytes: 30,
          maxEntryBytes: 12,
          sizeOf: bytesOf,
        });
        const model = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'set') {
            cache.set(o.key, o.value);
            model.set(o.key, o.value);
          } else if (o.kind === 'delete') {
            cache.delete(o.key);
            model.delete(o.key);
          } else {
            const got = cache.get(o.key);
            if (got !== undefined) assert.equal(got, model.get(o.key));
          }
          assert.ok(cache.size <= maxEntries && cache.bytes <= 30 && cache.bytes >= 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
