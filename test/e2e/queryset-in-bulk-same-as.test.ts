// QuerySet.inBulk (Django's in_bulk on any QuerySet, the manager's through
// it) and doc.sameAs (Django's == between instances).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, NotSupportedError, manager, type DjongooseDocument, type Managed } from '../../index.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { commandsDuring } from '../helpers/commands.js';
import { openTestDatabase, server } from '../helpers/server.js';

interface NoteRaw {
  title?: string;
  slug?: string;
  rank?: number;
}
interface TicketRaw {
  id?: number;
  title?: string;
}

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const noteSchema = new mongoose.Schema<NoteRaw>({ title: String, slug: { type: String, unique: true }, rank: Number });
noteSchema.plugin(manager);
const Note = conn.model<NoteRaw, Managed<NoteRaw>>('IbNote', noteSchema);
const ticketSchema = new mongoose.Schema<TicketRaw>({ title: String });
ticketSchema.plugin(autoIncrement);
ticketSchema.plugin(manager);
const Ticket = conn.model<TicketRaw, Managed<TicketRaw>>('IbTicket', ticketSchema);
await Promise.all([Note.init(), Ticket.init()]);
const [a, b, c] = await Note.insertMany([
  { title: 'a', slug: 'sa', rank: 1 },
  { title: 'b', slug: 'sb', rank: 2 },
  { title: 'c', slug: 'sc', rank: 3 },
]);

describe(`QuerySet.inBulk on ${server.name}`, () => {
  test('keys the QuerySet’s own matches by the primary key or a unique field', async () => {
    const ranked = Note.objects.filter({ rank__gte: 2 });
    const byId = await ranked.inBulk([a!._id, b!._id]);
    assert.deepEqual(Object.keys(byId), [String(b!._id)]);
    const bySlug = await ranked.inBulk(undefined, { fieldName: 'slug' });
    assert.deepEqual(Object.keys(bySlug).sort(), ['sb', 'sc']);
    assert.equal(bySlug['sc']?.title, 'c');
    const lean = await Note.objects.lean().in_bulk(['sa'], { fieldName: 'slug' });
    assert.equal(lean['sa']?.title, 'a');
    assert.deepEqual(Object.keys(await Note.objects.inBulk([c!._id])), [String(c!._id)]);
  });

  test('a slice, values() rows and a field that is not unique are refused before anything is sent', async () => {
    const sent = await commandsDuring(conn, async () => {
      await assert.rejects(
        async () => Note.objects.orderBy('rank').slice(0, 2).inBulk([a!._id]),
        (err: unknown) =>
          err instanceof NotSupportedError && err.message.startsWith("Cannot use 'limit' or 'offset' with in_bulk()."),
      );
      await assert.rejects(async () => Note.objects.values('title').inBulk([a!._id]), NotSupportedError);
      await assert.rejects(
        async () => Note.objects.all().inBulk(undefined, { fieldName: 'rank' }),
        (err: unknown) => err instanceof FieldError && /must be a unique field but 'rank' isn't/.test(err.message),
      );
    });
    assert.deepEqual(sent, []);
  });

  test('an empty list of ids is {} with no round trip, as Django', async () => {
    const sent = await commandsDuring(conn, async () => {
      assert.deepEqual(await Note.objects.filter({ rank: 1 }).inBulk([]), {});
    });
    assert.deepEqual(sent, []);
  });
});

describe(`doc.sameAs on ${server.name}`, () => {
  const same = (x: unknown, y: unknown) => (x as DjongooseDocument<unknown>).sameAs(y);

  test('documents read twice are the same; other models, other ids and non-documents are not', async () => {
    const again = await Note.findById(a!._id);
    assert.equal(same(a, again), true);
    assert.equal(same(a, b), false);
    assert.equal(same(a, { _id: a!._id }), false);
    assert.equal(same(a, a!._id), false);
    const other = new Ticket({ title: 'x' });
    other.set('_id', a!._id);
    assert.equal(same(a, other), false);
  });

  test('an autoIncrement model compares its integer id, not _id; unsaved, only itself', async () => {
    await Ticket.deleteMany({});
    const saved = await Ticket.objects.create({ title: 't' });
    const copy = new Ticket({ id: saved.id, title: 'other' });
    assert.notEqual(String(copy._id), String(saved._id));
    assert.equal(same(saved, copy), true);
    // Mongoose's equals() is left as it is: it compares _id.
    assert.equal(saved.equals(copy), false);
    const fresh = new Ticket({ title: 'n' });
    assert.equal(same(fresh, fresh), true);
    assert.equal(same(new Ticket({ title: 'n' }), fresh), false);
  });
});
