// Ported from Django's tests/update/tests.py: update() is a manager method
// too, for every document of a model, and an update with nothing to change
// changes nothing and answers 0 (Django's UPDATE with no columns is never sent).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));

describe(`update on the manager on ${server.name}`, () => {
  test('AdvancedTests.test_update_all: update() is also a manager method', async () => {
    await Entry.deleteMany({});
    await Entry.insertMany([
      { headline: 'a', rating: 1 },
      { headline: 'b', rating: 2 },
      { headline: 'c', rating: 3 },
    ]);
    assert.equal(await Entry.objects.update({ headline: 'thing' }), 3);
    assert.deepEqual(await Entry.objects.orderBy('rating').valuesList('headline', { flat: true }), [
      'thing',
      'thing',
      'thing',
    ]);
    assert.equal(await Entry.objects.update({ inc__rating: 10 }), 3);
    assert.deepEqual(await Entry.objects.orderBy('rating').valuesList('rating', { flat: true }), [11, 12, 13]);
  });

  test('an update with no changes changes nothing and answers 0, as Django', async () => {
    await Entry.deleteMany({});
    await Entry.insertMany([{ headline: 'a', rating: 1 }]);
    assert.equal(await Entry.objects.update({}), 0);
    assert.equal(await Entry.objects.filter({ headline: 'a' }).update({}), 0);
    assert.deepEqual(await Entry.objects.valuesList('headline', { flat: true }), ['a']);
  });
});
