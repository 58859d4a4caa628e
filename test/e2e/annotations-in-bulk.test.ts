// inBulk's fieldName must be unique, as Django's in_bulk() insists
// (LookupTests.test_in_bulk_non_unique_field): keyed by a repeated value, one
// document would silently hide another.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, manager, type Managed } from '../../index.js';
import { commandsDuring } from '../helpers/commands.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { countedEntry } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });

interface ItemRaw {
  slug?: string;
  code?: string;
  rank?: number;
  label?: string;
  meta?: { sku?: string };
}
const schema = new mongoose.Schema<ItemRaw>({
  slug: { type: String, unique: true },
  code: String,
  rank: Number,
  label: String,
  meta: new mongoose.Schema({ sku: { type: String, unique: true } }, { _id: false }),
});
schema.index({ code: 1 }, { unique: true });
schema.index({ rank: 1, label: 1 }, { unique: true });
schema.plugin(manager);
const Item = await ready(conn.model<ItemRaw, Managed<ItemRaw>>('Item', schema));
// A partial unique index leaves the documents outside it free to repeat a
// value. FerretDB v1.24 cannot build one ("partialFilterExpression is not
// implemented yet"), and inBulk reads only the schema: the index is declared, not built.
const partial = new mongoose.Schema<ItemRaw>({ label: String, rank: Number }, { autoIndex: false });
partial.index({ label: 1 }, { unique: true, partialFilterExpression: { rank: { $gt: 0 } } });
partial.plugin(manager);
const Partial = conn.model<ItemRaw, Managed<ItemRaw>>('PartialItem', partial);
await Item.insertMany([
  { slug: 'a', code: 'A', rank: 1, label: 'x', meta: { sku: 's1' } },
  { slug: 'b', code: 'B', rank: 1, label: 'y', meta: { sku: 's2' } },
]);

describe(`inBulk(ids, { fieldName }) on ${server.name}`, () => {
  test('a unique field, a single-field unique index, an embedded unique field and the primary key key the result', async () => {
    assert.deepEqual(Object.keys(await Item.objects.inBulk(['a', 'b'], { fieldName: 'slug' })).sort(), ['a', 'b']);
    assert.deepEqual(Object.keys(await Item.objects.inBulk(['A'], { fieldName: 'code' })), ['A']);
    assert.deepEqual(Object.keys(await Item.objects.inBulk(['s2'], { fieldName: 'meta__sku' })), ['s2']);
    const [first] = await Item.objects.orderBy('slug');
    assert.deepEqual(Object.keys(await Item.objects.inBulk([first?._id], { fieldName: 'pk' })), [String(first?._id)]);
    const Counted = await ready(countedEntry(conn, 'CountedForBulk'));
    const made = await Counted.objects.create({ headline: 'one' });
    assert.deepEqual(Object.keys(await Counted.objects.inBulk([made.id], { fieldName: 'id' })), [String(made.id)]);
  });

  test('a field that is not unique is a FieldError naming it, and nothing is sent', async () => {
    // rank repeats (1, 1): keyed by it, one document would hide the other.
    // rank+label is unique only as a pair; Partial's label index is partial.
    for (const [model, field] of [
      [Item, 'rank'],
      [Item, 'label'],
      [Partial, 'label'],
    ] as const) {
      const sent = await commandsDuring(conn, async () => {
        await assert.rejects(model.objects.inBulk([1], { fieldName: field }), (err: unknown) => {
          assert.ok(err instanceof FieldError);
          assert.match(
            err.message,
            new RegExp(`in_bulk\\(\\)'s field_name must be a unique field but '${field}' isn't`),
          );
          assert.match(err.message, /unique: true/);
          return true;
        });
      });
      assert.deepEqual(sent, []);
    }
  });
});
