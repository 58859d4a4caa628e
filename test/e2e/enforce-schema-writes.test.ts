// ENFORCE_SCHEMA strict writes against a real server: a write whose filter
// matches a document that disagrees with the model raises MigrationError
// before anything is sent to change it. After each refused call the stored
// documents are read back through the plain driver, unchanged.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { MigrationError } from '../../core/errors.js';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { manager, type Managed } from '../../plugins/manager-plugin.js';
import { server } from '../helpers/server.js';
import { schemaModeConnections } from '../helpers/schema-modes.js';
import { commandsDuring } from '../helpers/commands.js';

const { lax, strict, raw } = await schemaModeConnections(import.meta.url);

interface EntryRaw {
  headline?: string | null;
  rating?: number | null;
}

function entrySchema(collection: string) {
  const schema = new mongoose.Schema<EntryRaw>({ headline: String, rating: Number }, { collection });
  schema.plugin(manager);
  schema.plugin(enforceSchema);
  return schema;
}

/** Every stored document, sorted by headline, as the plain driver reads it. */
async function snapshot(collection: string): Promise<unknown[]> {
  return raw(collection).find().sort({ headline: 1 }).toArray();
}

async function refused(label: string, write: () => PromiseLike<unknown>): Promise<MigrationError> {
  const err = await Promise.resolve()
    .then(write)
    .then(
      (result: unknown) => assert.fail(`${label}: expected MigrationError, got ${JSON.stringify(result)}`),
      (e: unknown) => e,
    );
  assert.ok(err instanceof MigrationError, `${label}: expected MigrationError, got ${String(err)}`);
  return err;
}

const COLLECTION = 'write_entry';
await raw(COLLECTION).db.createCollection(COLLECTION); // what migrate does
// Hey Jude lacks rating (saved before the model had it); Let It Be holds a
// field the model does not know; Yesterday agrees with the model.
await raw(COLLECTION).insertMany([
  { headline: 'Hey Jude' },
  { headline: 'Let It Be', rating: 4, legacy: true },
  { headline: 'Yesterday', rating: 5 },
]);
const Entry = strict.model<EntryRaw, Managed<EntryRaw>>('WriteEntry', entrySchema(COLLECTION));

describe(`enforceSchema, strict writes, on ${server.name}`, () => {
  // Each write targets one drifted document; each must raise and leave every
  // stored document as it was.
  const writes = (headline: string): [string, () => PromiseLike<unknown>][] => [
    ['findOneAndUpdate', () => Entry.findOneAndUpdate({ headline }, { $inc: { rating: 1 } })],
    [
      'findOneAndUpdate new',
      () => Entry.findOneAndUpdate({ headline }, { $inc: { rating: 1 } }, { returnDocument: 'after' }),
    ],
    ['findOneAndUpdate lean', () => Entry.findOneAndUpdate({ headline }, { rating: 1 }).lean()],
    ['findOneAndReplace', () => Entry.findOneAndReplace({ headline }, { headline: 'gone', rating: 1 })],
    ['findOneAndDelete', () => Entry.findOneAndDelete({ headline })],
    ['findByIdAndDelete', async () => Entry.findByIdAndDelete((await raw(COLLECTION).findOne({ headline }))?._id)],
    ['updateOne', () => Entry.updateOne({ headline }, { $inc: { rating: 1 } })],
    ['updateMany', () => Entry.updateMany({ headline }, { rating: 1 })],
    ['replaceOne', () => Entry.replaceOne({ headline }, { headline: 'gone', rating: 1 })],
    ['deleteOne', () => Entry.deleteOne({ headline })],
    ['deleteMany', () => Entry.deleteMany({ headline })],
    ['objects.update', () => Entry.objects.filter({ headline }).update({ rating: 1 })],
    ['objects.delete', () => Entry.objects.filter({ headline }).delete()],
    [
      'bulkWrite updateOne',
      () => Entry.bulkWrite([{ updateOne: { filter: { headline }, update: { $inc: { rating: 1 } } } }]),
    ],
    [
      'bulkWrite replaceOne',
      () => Entry.bulkWrite([{ replaceOne: { filter: { headline }, replacement: { headline: 'x' } } }]),
    ],
    ['bulkWrite deleteMany', () => Entry.bulkWrite([{ deleteMany: { filter: { headline } } }])],
    [
      // The first operation alone would go through: none is sent.
      'bulkWrite, drifted second',
      () =>
        Entry.bulkWrite([
          { updateOne: { filter: { headline: 'Yesterday' }, update: { rating: 1 } } },
          { deleteOne: { filter: { headline } } },
        ]),
    ],
  ];

  test('a write matching a document that lacks a model field raises before writing', async () => {
    const before = await snapshot(COLLECTION);
    for (const [label, write] of writes('Hey Jude')) {
      const err = await refused(label, write);
      assert.equal(err.model, 'WriteEntry', label);
      assert.deepEqual(err.details.missing, ['rating'], label);
      assert.deepEqual(await snapshot(COLLECTION), before, `${label}: nothing was written`);
    }
  });

  test('a write matching a document with an unknown field raises before writing', async () => {
    const before = await snapshot(COLLECTION);
    for (const [label, write] of writes('Let It Be')) {
      const err = await refused(label, write);
      assert.deepEqual(err.details.unknown, ['legacy'], label);
      assert.deepEqual(await snapshot(COLLECTION), before, `${label}: nothing was written`);
    }
  });

  test('a filter matching several documents is refused when any of them disagrees', async () => {
    const before = await snapshot(COLLECTION);
    const all = { headline: { $in: ['Yesterday', 'Hey Jude'] } };
    await refused('updateMany', () => Entry.updateMany(all, { $inc: { rating: 1 } }));
    await refused('deleteMany', () => Entry.deleteMany(all));
    await refused('objects.delete', () => Entry.objects.all().delete());
    // Sorted so that the drifted document is the one findOneAndUpdate takes.
    await refused('findOneAndUpdate sorted', () =>
      Entry.findOneAndUpdate(all, { $inc: { rating: 1 } }, { sort: { headline: 1 } }),
    );
    assert.deepEqual(await snapshot(COLLECTION), before);
  });

  test('writes to documents that agree with the model go through', async () => {
    const updated = await Entry.findOneAndUpdate(
      { headline: 'Yesterday' },
      { $inc: { rating: 1 } },
      { returnDocument: 'after' },
    );
    assert.equal(updated?.rating, 6);
    assert.equal((await Entry.updateOne({ headline: 'Yesterday' }, { rating: 5 })).modifiedCount, 1);
    assert.equal(await Entry.objects.filter({ headline: 'Yesterday' }).update({ rating: 3 }), 1);
    assert.equal((await raw(COLLECTION).findOne({ headline: 'Yesterday' }))?.['rating'], 3);
    // Sorted so that the agreeing document comes first: only it is read and written.
    const first = await Entry.findOneAndUpdate(
      { headline: { $in: ['Yesterday', 'Hey Jude'] } },
      { rating: 5 },
      { sort: { headline: -1 }, returnDocument: 'after' },
    ).lean();
    assert.equal(first?.headline, 'Yesterday');
    // A filter that matches nothing writes nothing and raises nothing; an upsert inserts.
    assert.equal(await Entry.findOneAndDelete({ headline: 'Penny Lane' }), null);
    assert.equal((await Entry.deleteMany({ headline: 'Penny Lane' })).deletedCount, 0);
    await Entry.updateOne({ headline: 'Penny Lane' }, { rating: 2 }, { upsert: true });
    assert.equal((await raw(COLLECTION).findOne({ headline: 'Penny Lane' }))?.['rating'], 2);
    await Entry.findOneAndDelete({ headline: 'Penny Lane' });
    assert.equal(await raw(COLLECTION).findOne({ headline: 'Penny Lane' }), null);
  });

  test('an update that would remove a model field, or rename one to an unknown name, raises before writing', async () => {
    const before = await snapshot(COLLECTION);
    const yesterday = { headline: 'Yesterday' };
    const updates: [string, () => PromiseLike<unknown>, { missing: string[]; unknown: string[] }][] = [
      [
        'updateOne $unset',
        () => Entry.updateOne(yesterday, { $unset: { rating: 1 } }),
        { missing: ['rating'], unknown: [] },
      ],
      [
        // The case that used to write, then raise: the document returned lacks rating.
        'findOneAndUpdate $unset, returnDocument after',
        () => Entry.findOneAndUpdate(yesterday, { $unset: { rating: '' } }, { returnDocument: 'after' }),
        { missing: ['rating'], unknown: [] },
      ],
      [
        'updateMany $rename',
        () => Entry.updateMany(yesterday, { $rename: { rating: 'stars' } }),
        { missing: ['rating'], unknown: ['stars'] },
      ],
      [
        'objects.update unset__',
        () => Entry.objects.filter(yesterday).update({ unset__rating: true }),
        { missing: ['rating'], unknown: [] },
      ],
      [
        // Mongoose keeps unknown paths with strict: false: the document returned would hold one.
        'findOneAndUpdate strict: false',
        () => Entry.findOneAndUpdate(yesterday, { $set: { legacy: 1 } }, { strict: false, returnDocument: 'after' }),
        { missing: [], unknown: ['legacy'] },
      ],
      [
        'bulkWrite strict: false',
        () =>
          Entry.bulkWrite([{ updateOne: { filter: yesterday, update: { $set: { legacy: 1 } } } }], { strict: false }),
        { missing: [], unknown: ['legacy'] },
      ],
      [
        'bulkWrite $unset',
        () => Entry.bulkWrite([{ updateOne: { filter: yesterday, update: { $unset: { rating: 1 } } } }]),
        { missing: ['rating'], unknown: [] },
      ],
    ];
    for (const [label, write, expected] of updates) {
      const err = await refused(label, write);
      assert.deepEqual({ missing: err.details.missing, unknown: err.details.unknown }, expected, label);
      assert.match(err.message, /nothing was written/, label);
      assert.deepEqual(await snapshot(COLLECTION), before, `${label}: nothing was written`);
    }
  });

  test('a replacement stores null in the fields it leaves out, as a strict save does', async () => {
    const replaces: [string, () => PromiseLike<unknown>][] = [
      ['replaceOne', () => Entry.replaceOne({ headline: 'Yesterday' }, { headline: 'Yesterday' })],
      ['findOneAndReplace', () => Entry.findOneAndReplace({ headline: 'Yesterday' }, { headline: 'Yesterday' })],
      [
        'bulkWrite replaceOne',
        () =>
          Entry.bulkWrite([
            { replaceOne: { filter: { headline: 'Yesterday' }, replacement: { headline: 'Yesterday' } } },
          ]),
      ],
    ];
    for (const [label, replace] of replaces) {
      await raw(COLLECTION).updateOne({ headline: 'Yesterday' }, { $set: { rating: 5 } });
      await replace();
      const stored = await raw(COLLECTION).findOne({ headline: 'Yesterday' });
      assert.ok(stored && 'rating' in stored && stored['rating'] === null, `${label}: ${JSON.stringify(stored)}`);
      assert.equal((await Entry.findOne({ headline: 'Yesterday' }).lean())?.rating, null, `${label}: reads back`);
    }
    await raw(COLLECTION).updateOne({ headline: 'Yesterday' }, { $set: { rating: 5 } });
  });

  test('the check reads only the documents the write would change', async () => {
    // findOneAndUpdate and updateOne read one document (the filter, the sort), not every match.
    const LaxChecked = lax.model<EntryRaw>('WriteEntryLax', entrySchema(COLLECTION));
    const sent = await commandsDuring(lax, () =>
      LaxChecked.findOneAndUpdate({ headline: 'Yesterday' }, { rating: 5 }).setOptions({ enforceSchema: true }),
    );
    const finds = sent.filter((c) => c.name === 'find');
    assert.equal(finds.length, 1, JSON.stringify(sent.map((c) => c.name)));
    assert.equal(finds[0]?.command['limit'], 1);
    // The write is pinned to the document checked, so a concurrent change cannot swap in another.
    const yesterday = await raw(COLLECTION).findOne({ headline: 'Yesterday' });
    const write = sent.find((c) => c.name === 'findAndModify');
    assert.match(JSON.stringify(write?.command['query']), new RegExp(String(yesterday?._id)));
  });

  test('a lax model writes drifted documents as before; a query option makes one write strict', async () => {
    const LaxEntry = lax.model<EntryRaw>('WriteEntryLaxToo', entrySchema(COLLECTION));
    const before = await snapshot(COLLECTION);
    await refused('enforceSchema: true', () =>
      LaxEntry.updateOne({ headline: 'Hey Jude' }, { rating: 1 }).setOptions({ enforceSchema: true }),
    );
    assert.deepEqual(await snapshot(COLLECTION), before);
    await Entry.updateOne({ headline: 'Hey Jude' }, { $set: { rating: 1 } }).setOptions({ enforceSchema: false });
    assert.equal((await raw(COLLECTION).findOne({ headline: 'Hey Jude' }))?.['rating'], 1);
    await raw(COLLECTION).updateOne({ headline: 'Hey Jude' }, { $unset: { rating: '' } });
  });
});
