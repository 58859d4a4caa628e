// Django's empty Q is no condition at all, negated or not: `exclude()` with
// no arguments and `~Q()` leave a query as it was (an empty Q is falsy, so
// Query.add_q and Q._combine never add it). Ported from what Django's
// queries tests rely on: `Note.objects.exclude()` is every note.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Q } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
await Entry.insertMany([
  { headline: 'a', rating: 5 },
  { headline: 'b', rating: 3 },
  { headline: 'c', rating: 1 },
]);

const headlines = async (qs: PromiseLike<{ headline?: string | null }[]>): Promise<string[]> =>
  (await qs).map((e) => e.headline ?? '').sort();

describe(`an empty Q on ${server.name}`, () => {
  test('exclude() with no filters excludes nothing', async () => {
    assert.deepEqual(await headlines(Entry.objects.exclude()), ['a', 'b', 'c']);
    assert.equal(await Entry.objects.exclude().count(), 3);
    assert.deepEqual(await headlines(Entry.objects.filter({ rating__gte: 3 }).exclude()), ['a', 'b']);
  });

  test('a negated empty Q adds no condition, alone, and-ed or or-ed', async () => {
    assert.deepEqual(await headlines(Entry.objects.filter(Q().not())), ['a', 'b', 'c']);
    assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 3 }), Q().not())), ['a', 'b']);
    assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 3 }).and(Q().not()))), ['a', 'b']);
    assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 5 }).or(Q().not()))), ['a']);
    assert.deepEqual(await headlines(Entry.objects.exclude(Q().not(), { rating__gte: 5 })), ['b', 'c']);
  });

  test('a negated non-empty Q still negates', async () => {
    assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 3 }).not())), ['c']);
    assert.deepEqual(await headlines(Entry.objects.exclude({ rating__gte: 3 })), ['c']);
  });
});
