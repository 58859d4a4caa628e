// distinct() in lax mode (#12 §2.19): a match that lacks the field is a null,
// as valuesList(field, { flat: true }) reads it and djongo's GROUP BY groups
// it, where MongoDB's distinct command leaves it out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enforceSchema } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entrySchema, type EntryRaw } from '../helpers/models.js';
import type { Managed } from '../../index.js';

const conn = await openTestDatabase(import.meta.url);
const schema = entrySchema();
schema.plugin(enforceSchema, { strict: false });
const Entry = await ready(conn.model<EntryRaw, Managed<EntryRaw>>('LaxEntry', schema));
// Written around the model, as documents saved before a field existed.
await Entry.collection.insertMany([
  { headline: 'Hey Jude', rating: 5, blog: { name: 'Beatles Blog' } },
  { headline: 'Abbey Road', rating: 4, blog: { name: 'Beatles Blog' } },
  { headline: 'Untitled', blog: {} },
  { headline: 'Draft' },
]);

/** Sorted with null first, as sets to compare. */
const sorted = (values: unknown[]): unknown[] =>
  [...values].sort((a, b) => (a === null ? -1 : b === null ? 1 : String(a).localeCompare(String(b))));

describe(`distinct() in lax mode on ${server.name}`, () => {
  test('a match lacking the field gives null, the same values valuesList shows', async () => {
    const flat = await Entry.objects.valuesList('rating', { flat: true });
    assert.deepEqual(sorted([...new Set(flat)]), [null, 4, 5]);
    assert.deepEqual(sorted(await Entry.objects.distinct('rating')), [null, 4, 5]);
    // Through an embedded document: a missing parent or a missing field.
    assert.deepEqual(sorted(await Entry.objects.distinct('blog__name')), [null, 'Beatles Blog']);
    assert.deepEqual(sorted([...new Set(await Entry.objects.valuesList('blog__name', { flat: true }))]), [
      null,
      'Beatles Blog',
    ]);
  });

  test('null only when a match lacks it, and once with stored nulls', async () => {
    assert.deepEqual(sorted(await Entry.objects.filter({ rating__gte: 4 }).distinct('rating')), [4, 5]);
    assert.deepEqual(await Entry.objects.filter({ headline: 'Draft' }).distinct('rating'), [null]);
    await Entry.collection.insertOne({ headline: 'Stored null', rating: null });
    const values = await Entry.objects.distinct('rating');
    assert.deepEqual(sorted(values), [null, 4, 5]);
    await Entry.collection.deleteOne({ headline: 'Stored null' });
  });
});
