// Django's text lookups on a Date field (its text `2005-07-28 00:00:00`) and
// on an ObjectId (its hex), run on the server: the prefix forms are ranges
// any server runs; contains and the like need $regexMatch.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';

interface PostRaw {
  title?: string;
  at?: Date | null;
}
const conn = await openTestDatabase(import.meta.url);
const schema = new mongoose.Schema<PostRaw>({ title: String, at: Date });
schema.plugin(manager);
const Post = conn.model<PostRaw, Managed<PostRaw>>('TxPost', schema);
await Post.init();
const [p1, p2, p3] = await Post.insertMany([
  { title: 'p1', at: new Date('2005-07-28T09:15:00Z') },
  { title: 'p2', at: new Date('2005-12-31T23:59:59.500Z') },
  { title: 'p3', at: new Date('2006-01-01T00:00:00Z') },
  { title: 'none', at: null },
]);
const titles = async (filter: Record<string, unknown>) =>
  (await Post.objects.filter(filter as never)).map((p) => p.title).sort();

describe(`text lookups on a Date field, on ${server.name}`, () => {
  test('startswith, istartswith and iexact over the text', async () => {
    assert.deepEqual(await titles({ at__startswith: '2005' }), ['p1', 'p2']);
    assert.deepEqual(await titles({ at__startswith: '2005-1' }), ['p2']);
    assert.deepEqual(await titles({ at__istartswith: '2005-07-28 09:1' }), ['p1']);
    assert.deepEqual(await titles({ at__iexact: '2005-12-31 23:59:59' }), ['p2']);
    assert.deepEqual(await titles({ at__startswith: '2005-13' }), []);
  });

  test('contains and endswith read the text', { skip: lacks('regexMatchText') }, async () => {
    assert.deepEqual(await titles({ at__contains: '-12-' }), ['p2']);
    assert.deepEqual(await titles({ at__endswith: '00:00' }), ['p3']);
  });
});

describe(`text lookups on an ObjectId field, on ${server.name}`, () => {
  test('iexact and istartswith over the hex, any case', async () => {
    assert.deepEqual(await titles({ pk__iexact: String(p1!._id).toUpperCase() }), ['p1']);
    assert.deepEqual(await titles({ pk__iexact: 'not-an-id' }), []);
    const hex = String(p3!._id);
    const found = await titles({ pk__istartswith: hex.slice(0, 20).toUpperCase() });
    assert.ok(found.includes('p3'));
    assert.deepEqual(await titles({ pk__startswith: hex }), ['p3']);
  });

  test('contains reads the hex', { skip: lacks('regexMatchText') }, async () => {
    assert.deepEqual(await titles({ pk__icontains: String(p2!._id).slice(4, 22).toUpperCase() }), ['p2']);
  });
});
