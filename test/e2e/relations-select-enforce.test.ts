// selectRelated's referenced documents keep the referenced model's
// ENFORCE_SCHEMA, whether they come by $lookup (one aggregate) or by
// populate (servers without $lookup): strict raises MigrationError for a
// drifted author, lax reads its missing field as null, hydrated and lean.
// Each outcome is compared with what populate() of the same book gives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { MigrationError, manager, type Managed } from '../../index.js';
import { enforceSchema } from '../../plugins/index.js';
import { openTestDatabase, server } from '../helpers/server.js';

const conn = await openTestDatabase(import.meta.url);
const { ObjectId } = mongoose.Schema.Types;

interface AuthorRaw {
  name?: string;
  age?: number | null;
}
interface BookRaw {
  title?: string;
  author?: mongoose.Types.ObjectId | null;
}

function models(strict: boolean) {
  const tag = strict ? 'Strict' : 'Lax';
  const author = new mongoose.Schema<AuthorRaw>({ name: String, age: Number }, { versionKey: false });
  author.plugin(enforceSchema, { strict });
  author.plugin(manager);
  const book = new mongoose.Schema<BookRaw>(
    { title: String, author: { type: ObjectId, ref: `Se${tag}Author` } },
    { versionKey: false },
  );
  book.plugin(manager);
  return {
    Author: conn.model<AuthorRaw, Managed<AuthorRaw>>(`Se${tag}Author`, author),
    Book: conn.model<BookRaw, Managed<BookRaw>>(`Se${tag}Book`, book),
  };
}

/** A book whose author was stored without `age` (by djongo, before the field existed). */
async function seed(m: ReturnType<typeof models>) {
  await m.Author.createCollection();
  await m.Book.createCollection();
  const authorId = new mongoose.Types.ObjectId();
  await m.Author.collection.insertOne({ _id: authorId, name: 'Old' });
  await m.Book.collection.insertOne({ title: 'T', author: authorId });
}

async function outcome(read: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: JSON.parse(JSON.stringify(await read())) as unknown };
  } catch (err) {
    return { error: err instanceof MigrationError ? 'MigrationError' : String(err) };
  }
}

describe(`selectRelated keeps the referenced model's ENFORCE_SCHEMA on ${server.name}`, () => {
  test('strict: a drifted referenced document raises MigrationError, hydrated and lean, as populate does', async () => {
    const m = models(true);
    await seed(m);
    const viaPopulate = await outcome(() => m.Book.findOne({ title: 'T' }).populate('author'));
    assert.deepEqual(viaPopulate, { error: 'MigrationError' });
    assert.deepEqual(await outcome(() => m.Book.objects.selectRelated('author').get({ title: 'T' })), viaPopulate);
    const leanPopulate = await outcome(() => m.Book.findOne({ title: 'T' }).populate('author').lean());
    assert.deepEqual(
      await outcome(async () => (await m.Book.objects.selectRelated('author').filter({ title: 'T' }).lean())[0]),
      leanPopulate,
    );
  });

  test('lax: the referenced document reads its missing field as null, hydrated and lean', async () => {
    const m = models(false);
    await seed(m);
    const hydrated = await m.Book.objects.selectRelated('author').get({ title: 'T' });
    const author = hydrated.author as unknown as { name: string; age: unknown };
    assert.equal(author.name, 'Old');
    assert.equal(author.age, null);
    const lean = (await m.Book.objects.selectRelated('author').filter({ title: 'T' }).lean())[0] as unknown as {
      author: { name: string; age?: unknown };
    };
    const leanPopulate = (await m.Book.findOne({ title: 'T' }).populate('author').lean()) as unknown as {
      author: { name: string; age?: unknown };
    };
    assert.deepEqual(lean.author, leanPopulate.author);
    assert.equal(lean.author.age, null);
  });
});
