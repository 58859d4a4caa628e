// Deleting in the admin goes through djongoose's QuerySet.delete(), so
// Django's onDelete applies: CASCADE removes the documents that refer to the
// deleted one, and PROTECT refuses the delete with the ProtectedError's
// message as the page's notice, nothing deleted. Through AdminJS's API
// controller (the delete and bulkDelete actions), read back from the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type Types } from 'mongoose';
import AdminJS, { ApiController, type ActionRequest } from 'adminjs';
import { Database, Resource } from '../../admin/index.js';
import { manager, type Managed } from '../../index.js';
import { openTestDatabase, ready } from '../helpers/server.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);
const { ObjectId } = mongoose.Schema.Types;

interface Named {
  name: string;
}
interface Book {
  title: string;
  shelf?: Types.ObjectId | null;
  publisher?: Types.ObjectId | null;
}
function managed<T>(name: string, definition: mongoose.SchemaDefinition<T>) {
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager);
  return conn.model<T, Managed<T>>(name, schema);
}
const Shelf = managed<Named>('Shelf', { name: String });
const Publisher = managed<Named>('Publisher', { name: String });
const Book = managed<Book>('Book', {
  title: String,
  shelf: { type: ObjectId, ref: 'Shelf', onDelete: 'CASCADE' },
  publisher: { type: ObjectId, ref: 'Publisher', onDelete: 'PROTECT' },
});
for (const model of [Shelf, Publisher, Book]) await ready(model);

const admin = new AdminJS({ resources: [Shelf, Publisher, Book] });
const api = new ApiController({ admin }, { email: 'admin@example.com' });

async function deleteRecord(
  resourceId: string,
  recordId: string,
): Promise<{ notice?: { type: string; message: string } }> {
  return (await api.recordAction(
    { params: { resourceId, action: 'delete', recordId }, method: 'post', payload: {} } as unknown as ActionRequest,
    {},
  )) as unknown as { notice?: { type: string; message: string } };
}

test('delete: CASCADE removes the books on the deleted shelf, and only those', async () => {
  const [top, low] = await Shelf.objects.bulkCreate([{ name: 'top' }, { name: 'low' }]);
  await Book.objects.bulkCreate([
    { title: 'A', shelf: top!._id },
    { title: 'B', shelf: top!._id },
    { title: 'C', shelf: low!._id },
  ]);
  const res = await deleteRecord('Shelf', String(top!._id));
  assert.equal(res.notice?.type, 'success');
  assert.deepEqual(await Shelf.objects.valuesList('name', { flat: true }), ['low']);
  assert.deepEqual(await Book.objects.orderBy('title').valuesList('title', { flat: true }), ['C']);
});

test('delete: PROTECT refuses with the ProtectedError as the notice; nothing is deleted', async () => {
  const emi = await Publisher.objects.create({ name: 'EMI' });
  await Book.objects.create({ title: 'Revolver', publisher: emi._id });
  const res = await deleteRecord('Publisher', String(emi._id));
  assert.equal(res.notice?.type, 'error', JSON.stringify(res));
  assert.match(res.notice?.message ?? '', /Cannot delete .*Publisher.*protected references: 'Book\.publisher'/);
  assert.equal(await Publisher.objects.count(), 1);
  assert.equal(await Book.objects.filter({ title: 'Revolver' }).count(), 1);
});

test('bulk delete: a protected record among the selected refuses the whole selection, as Django; nothing is deleted', async () => {
  const [sony, free] = await Publisher.objects.bulkCreate([{ name: 'Sony' }, { name: 'Free' }]);
  await Book.objects.create({ title: 'Thriller', publisher: sony!._id });
  const res = (await api.bulkAction(
    {
      params: { resourceId: 'Publisher', action: 'bulkDelete' },
      query: { recordIds: [free!._id, sony!._id].map(String).join(',') },
      method: 'post',
    } as unknown as ActionRequest,
    {},
  )) as unknown as { notice?: { type: string; message: string } };
  assert.equal(res.notice?.type, 'error', JSON.stringify(res));
  assert.match(res.notice?.message ?? '', /protected references/);
  assert.deepEqual(
    await Publisher.objects
      .filter({ name__in: ['Sony', 'Free'] })
      .orderBy('name')
      .valuesList('name', { flat: true }),
    ['Free', 'Sony'],
  );
});
