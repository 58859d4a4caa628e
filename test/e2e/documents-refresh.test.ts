// Django's Model.refresh_from_db() on documents (refreshFromDb): what
// Django's ModelRefreshTests (test/peer/django/basic-refresh.test.ts) leave
// out: setters, modified flags, deferred fields, a deleted document, the
// typed errors for bad options and fields, and that nothing is written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  DoesNotExist,
  FieldError,
  DjongooseError,
  manager,
  refreshFromDb,
  type DjongooseDocument,
  type Managed,
} from '../../index.js';
import { commandsDuring } from '../helpers/commands.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface NoteRaw {
  title?: string;
  slug?: string;
  meta?: { views?: number };
  count?: number;
}
type Note = HydratedDocument<NoteRaw, DjongooseDocument<NoteRaw>>;

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const schema = new mongoose.Schema<NoteRaw>({
  title: String,
  // A setter that must not run again on values read back from the database.
  slug: { type: String, set: (v: string) => `${v}!` },
  meta: { views: Number },
  count: Number,
});
schema.plugin(manager);
const NoteModel = await ready(conn.model<NoteRaw, Managed<NoteRaw>>('RefreshNote', schema));
const note = async (fields: NoteRaw) => (await NoteModel.objects.create(fields)) as Note;

describe(`refreshFromDb on ${server.name}`, () => {
  test('reloads stored values without setters and leaves nothing modified', async () => {
    const n = await note({ title: 'a', slug: 'x', meta: { views: 1 }, count: 1 });
    assert.equal(n.slug, 'x!');
    await NoteModel.updateOne({ _id: n._id }, { $set: { title: 'b', 'meta.views': 2 }, $unset: { count: 1 } });
    n.title = 'local';
    n.set('meta.views', 9);
    await n.refreshFromDb();
    assert.deepEqual([n.title, n.slug, n.meta?.views, n.count], ['b', 'x!', 2, undefined]);
    assert.deepEqual(n.modifiedPaths(), []);
    assert.equal(n.isNew, false);
  });

  test('fields reloads only those; others keep their local (modified) values', async () => {
    const n = await note({ title: 'a', count: 1 });
    await NoteModel.updateOne({ _id: n._id }, { $set: { title: 'b', count: 2 } });
    n.count = 5;
    await refreshFromDb(n, { fields: ['title'] });
    assert.equal(n.title, 'b');
    assert.equal(n.count, 5);
    assert.deepEqual(n.modifiedPaths(), ['count']);
  });

  test('a document loaded with only() reloads only its loaded fields, in one query', async () => {
    const n = await note({ title: 'a', count: 1 });
    const partial = (await NoteModel.objects.only('title').get({ pk: n._id })) as Note;
    await NoteModel.updateOne({ _id: n._id }, { $set: { title: 'b', count: 2 } });
    const sent = await commandsDuring(conn, () => partial.refresh_from_db());
    assert.equal(sent.length, 1);
    assert.equal(partial.title, 'b');
    assert.equal(partial.isSelected('count'), false);
    assert.equal(partial.count, undefined);
  });

  test('a document deleted meanwhile raises DoesNotExist and keeps its values', async () => {
    const n = await note({ title: 'gone' });
    await NoteModel.deleteOne({ _id: n._id });
    await assert.rejects(
      n.refreshFromDb(),
      (err: unknown) => err instanceof DoesNotExist && /RefreshNote/.test(err.message),
    );
    assert.equal(n.title, 'gone');
  });

  test('bad options and fields are typed errors naming what is accepted, and send nothing', async () => {
    const n = await note({ title: 'a' });
    const sent = await commandsDuring(conn, async () => {
      await assert.rejects(
        n.refreshFromDb({ feilds: ['title'] } as never),
        (err: unknown) =>
          err instanceof DjongooseError && /'feilds'/.test(err.message) && /fields, fromQueryset/.test(err.message),
      );
      await assert.rejects(
        n.refreshFromDb({ fields: ['titel'] }),
        (err: unknown) =>
          err instanceof FieldError && /"titel"/.test(err.message) && /Choices are: pk, .*title/.test(err.message),
      );
      await assert.rejects(
        n.refreshFromDb({ fields: ['meta__views'] }),
        (err: unknown) => err instanceof FieldError && /Found "__" in fields argument/.test(err.message),
      );
      await assert.rejects(
        n.refreshFromDb({ fields: 'title' } as never),
        (err: unknown) => err instanceof FieldError && /list of field names/.test(err.message),
      );
      await assert.rejects(
        n.refreshFromDb({ fromQueryset: NoteModel.find() } as never),
        (err: unknown) => err instanceof DjongooseError && /takes a QuerySet/.test(err.message),
      );
    });
    assert.equal(sent.length, 0);
  });

  test('fromQueryset: its filters apply, so a document outside it does not exist there', async () => {
    const n = await note({ title: 'a', count: 1 });
    const qs = NoteModel.objects.filter({ count__gte: 10 });
    await assert.rejects(n.refreshFromDb({ fromQueryset: qs }), DoesNotExist);
    await NoteModel.updateOne({ _id: n._id }, { $set: { count: 10 } });
    await n.refreshFromDb({ from_queryset: qs });
    assert.equal(n.count, 10);
  });
});
