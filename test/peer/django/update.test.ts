// Ported from Django's tests/update/tests.py. Each case keeps Django's test
// name and expected results; the models are djongoose's test models standing
// in for Django's (an Entry with a headline and a rating).
import assert from 'node:assert/strict';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { entryModel } from '../../helpers/models.js';
import { peerSuite } from '../case.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));

peer.case('AdvancedTests.test_update_all', async () => {
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

// Django's UPDATE with no columns is never sent, and update() answers 0.
peer.case('AdvancedTests.test_update_all (no fields: nothing sent, 0)', async () => {
  await Entry.deleteMany({});
  await Entry.insertMany([{ headline: 'a', rating: 1 }]);
  assert.equal(await Entry.objects.update({}), 0);
  assert.equal(await Entry.objects.filter({ headline: 'a' }).update({}), 0);
  assert.deepEqual(await Entry.objects.valuesList('headline', { flat: true }), ['a']);
});
