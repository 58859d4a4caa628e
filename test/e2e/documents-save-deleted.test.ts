// Django's save() of a document deleted meanwhile inserts it again (its
// UPDATE matched nothing); under the manager plugin, Mongoose's save() does
// the same instead of raising DocumentNotFoundError, except where Django
// raises too (force_update, update_fields, deferred fields). A model without
// the plugin keeps Mongoose's behaviour.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface NoteRaw {
  title?: string;
  views?: number;
}

const conn = await openTestDatabase(import.meta.url);
const managedSchema = new mongoose.Schema<NoteRaw>({ title: String, views: { type: Number, min: 0 } });
managedSchema.plugin(manager);
const Note = await ready(conn.model<NoteRaw, Managed<NoteRaw>>('SaveNote', managedSchema));
const Bare = await ready(conn.model<NoteRaw>('SaveBare', new mongoose.Schema<NoteRaw>({ title: String })));

beforeEach(async () => {
  await Promise.all([Note.deleteMany({}), Bare.deleteMany({})]);
});

describe(`save() of a document deleted meanwhile on ${server.name}`, () => {
  test('inserts it again, whole, with its _id and the changes made since', async () => {
    const note = await Note.objects.create({ title: 'a', views: 1 });
    await Note.objects.filter({ pk: note._id }).delete();
    note.views = 2;
    await note.save();
    assert.equal(note.isNew, false);
    const stored = await Note.findById(note._id).lean().orFail();
    assert.deepEqual([stored.title, stored.views], ['a', 2]);
    // And it is an ordinary saved document again: the next save updates it.
    note.title = 'b';
    await note.save();
    assert.equal((await Note.findById(note._id).lean().orFail()).title, 'b');
    assert.equal(await Note.countDocuments(), 1);
  });

  test('validation runs on the insert as on any new document', async () => {
    const note = await Note.objects.create({ title: 'a' });
    await Note.deleteMany({});
    note.views = -1;
    await assert.rejects(note.save(), mongoose.Error.ValidationError);
    assert.equal(await Note.countDocuments(), 0);
  });

  test('forceUpdate (Django’s force_update), pathsToSave and an only() document keep DocumentNotFoundError', async () => {
    const note = await Note.objects.create({ title: 'a', views: 1 });
    const partial = await Note.objects.only('title').get({ pk: note._id });
    await Note.deleteMany({});
    note.title = 'b';
    await assert.rejects(note.save({ forceUpdate: true }), mongoose.Error.DocumentNotFoundError);
    await assert.rejects(note.save({ pathsToSave: ['title'] }), mongoose.Error.DocumentNotFoundError);
    partial.title = 'c';
    await assert.rejects(partial.save(), mongoose.Error.DocumentNotFoundError);
    assert.equal(await Note.countDocuments(), 0);
  });

  test('a model without the manager plugin keeps Mongoose’s DocumentNotFoundError', async () => {
    const doc = await Bare.create({ title: 'a' });
    await Bare.deleteMany({});
    doc.title = 'b';
    await assert.rejects(doc.save(), mongoose.Error.DocumentNotFoundError);
    assert.equal(await Bare.countDocuments(), 0);
  });
});
