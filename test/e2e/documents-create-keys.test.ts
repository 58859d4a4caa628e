// create() and bulkCreate() with a key that is no field: Django's
// "Article() got unexpected keyword arguments: 'foo'", where Mongoose's
// strict mode would drop the key silently. Typed, naming the keys and the
// fields accepted, and nothing written. A `strict: false` schema keeps
// extra keys, as it asks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface ItemRaw {
  name?: string;
  size?: { w?: number };
}
const conn = await openTestDatabase(import.meta.url);
const strictSchema = new mongoose.Schema<ItemRaw>({ name: String, size: { w: Number } });
strictSchema.virtual('label').set(function (this: { name?: string }, v: string) {
  this.name = v;
});
strictSchema.plugin(manager);
const Item = await ready(conn.model<ItemRaw, Managed<ItemRaw>>('CreateKeysItem', strictSchema));
const laxSchema = new mongoose.Schema<ItemRaw>({ name: String }, { strict: false });
laxSchema.plugin(manager);
const Lax = await ready(conn.model<ItemRaw, Managed<ItemRaw>>('CreateKeysLax', laxSchema));

const create = (fields: object) => Item.objects.create(fields as never);

describe(`create() with unknown keys on ${server.name}`, () => {
  test('create() names the unknown keys and the fields, and writes nothing', async () => {
    await Item.deleteMany({});
    await assert.rejects(
      create({ name: 'a', nmae: 'b', colour: 'red' }),
      (err: unknown) =>
        err instanceof FieldError &&
        err.message.startsWith("CreateKeysItem() got unexpected keyword arguments: 'nmae', 'colour'.") &&
        /Fields of CreateKeysItem: .*name/.test(err.message),
    );
    await assert.rejects(
      create({ 'size.h': 1 }),
      (err: unknown) => err instanceof FieldError && /'size\.h'/.test(err.message),
    );
    assert.equal(await Item.countDocuments(), 0);
  });

  test('fields, nested paths and virtuals with setters are accepted', async () => {
    await Item.deleteMany({});
    const a = await create({ label: 'via virtual', size: { w: 2 }, 'size.w': 3 });
    assert.equal(a.name, 'via virtual');
    assert.equal((await Item.objects.get({ pk: a._id })).size?.w, 3);
  });

  test('bulkCreate names the item, and writes none of the batch', async () => {
    await Item.deleteMany({});
    await assert.rejects(
      Item.objects.bulkCreate([{ name: 'ok' }, { name: 'x', foo: 1 } as never]),
      (err: unknown) =>
        err instanceof FieldError && /\(bulkCreate item 1\) got unexpected keyword argument: 'foo'/.test(err.message),
    );
    assert.equal(await Item.countDocuments(), 0);
  });

  test('a strict: false schema keeps extra keys', async () => {
    await Lax.deleteMany({});
    const doc = await Lax.objects.create({ name: 'a', extra: 1 } as never);
    assert.equal((await Lax.collection.findOne({ _id: doc._id }))?.extra, 1);
  });
});
