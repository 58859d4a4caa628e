// ENFORCE_SCHEMA strict upserts against a real server: an upsert that inserts
// must insert a document in order (null in every model field that neither the
// filter nor the update gives), so it never writes, then raises on its own
// result. Each inserted document is read back through the plain driver.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';
import { lacks, server } from '../helpers/server.js';
import { schemaModeConnections } from '../helpers/schema-modes.js';

const { strict, raw } = await schemaModeConnections(import.meta.url);

interface EntryRaw {
  headline?: string | null;
  rating?: number | null;
  tagline?: string | null;
  blog?: { name?: string | null; tagline?: string | null } | null;
  tags?: string[];
}

function entrySchema(collection: string, counted: boolean) {
  const schema = new mongoose.Schema<EntryRaw>(
    {
      headline: String,
      rating: Number,
      tagline: String,
      blog: new mongoose.Schema({ name: String, tagline: String }, { _id: false }),
      tags: [String],
    },
    { collection },
  );
  if (counted) schema.plugin(autoIncrement);
  schema.plugin(enforceSchema);
  return schema;
}

/** The stored document, without _id and __v, as the plain driver reads it. */
async function stored(collection: string, headline: string): Promise<Record<string, unknown> | null> {
  return raw(collection).findOne({ headline }, { projection: { _id: 0, __v: 0 } });
}

for (const counted of [false, true]) {
  const collection = counted ? 'upsert_counted' : 'upsert_entry';
  await raw(collection).db.createCollection(collection); // what migrate does
  const Entry = strict.model<EntryRaw>(counted ? 'UpsertCounted' : 'UpsertEntry', entrySchema(collection, counted));
  const id = (n: number): Record<string, number> => (counted ? { id: n } : {});

  const skip = lacks('setOnInsertNull');
  describe(`enforceSchema, strict upserts${counted ? ' with autoIncrement' : ''}, on ${server.name}`, { skip }, () => {
    test('findOneAndUpdate with upsert inserts nulls for what it does not name, and returns the document', async () => {
      const doc = await Entry.findOneAndUpdate(
        { headline: 'Hey Jude' },
        { $set: { rating: 5 } },
        { upsert: true, returnDocument: 'after' },
      );
      assert.equal(doc?.headline, 'Hey Jude');
      assert.deepEqual(await stored(collection, 'Hey Jude'), {
        headline: 'Hey Jude',
        rating: 5,
        tagline: null,
        blog: null,
        tags: [],
        ...id(1),
      });
    });

    test('updateOne with upsert: a later strict read finds the document in order', async () => {
      await Entry.updateOne({ headline: 'Let It Be' }, { $set: { 'blog.name': 'Beatles' } }, { upsert: true });
      const doc = await Entry.findOne({ headline: 'Let It Be' }).lean();
      assert.equal(doc?.blog?.name, 'Beatles');
      assert.deepEqual(await stored(collection, 'Let It Be'), {
        headline: 'Let It Be',
        blog: { name: 'Beatles', tagline: null },
        rating: null,
        tagline: null,
        tags: [],
        ...id(2),
      });
    });

    test('bulkWrite updateOne with upsert pads the same way', async () => {
      await Entry.bulkWrite([
        { updateOne: { filter: { headline: 'Yesterday' }, update: { $set: { tagline: 't' } }, upsert: true } },
      ]);
      const doc = await Entry.findOne({ headline: 'Yesterday' }).lean();
      assert.equal(doc?.tagline, 't');
      assert.deepEqual(await stored(collection, 'Yesterday'), {
        headline: 'Yesterday',
        tagline: 't',
        rating: null,
        blog: null,
        tags: [],
        ...id(3),
      });
    });

    test('an upsert that matches changes only what its update names', async () => {
      await Entry.findOneAndUpdate({ headline: 'Hey Jude' }, { $set: { tagline: 'na na' } }, { upsert: true });
      assert.deepEqual(await stored(collection, 'Hey Jude'), {
        headline: 'Hey Jude',
        rating: 5,
        tagline: 'na na',
        blog: null,
        tags: [],
        ...id(1),
      });
    });
  });
}
