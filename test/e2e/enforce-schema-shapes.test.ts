// ENFORCE_SCHEMA strict reads of documents whose shape is not the base
// model's, against a real server: discriminator documents (their own fields
// and key belong to them, not to the base) and aggregation rows after stages
// that keep the document's shape.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { manager, type Managed } from '../../plugins/manager-plugin.js';
import { lacks, server } from '../helpers/server.js';
import { schemaModeConnections, migrationError } from '../helpers/schema-modes.js';

const { strict, raw } = await schemaModeConnections(import.meta.url);

interface EntryRaw {
  headline?: string | null;
  rating?: number | null;
}
interface ReviewRaw extends EntryRaw {
  stars?: number | null;
}

// What migrate does, before the models exist.
await raw('disc_entry').db.createCollection('disc_entry');

describe(`enforceSchema, strict, discriminators, on ${server.name}`, () => {
  const schema = new mongoose.Schema<EntryRaw>({ headline: String, rating: Number }, { collection: 'disc_entry' });
  schema.plugin(manager);
  schema.plugin(enforceSchema);
  const Entry = strict.model<EntryRaw, Managed<EntryRaw>>('DiscEntry', schema);
  const Review = Entry.discriminator<ReviewRaw, Managed<ReviewRaw>>('Review', new mongoose.Schema({ stars: Number }));
  const Notice = Entry.discriminator<EntryRaw & { until?: Date | null }>(
    'Notice',
    new mongoose.Schema({ until: Date }),
    { value: 'notice' },
  );

  test('documents the strict models wrote read back through the base and the discriminator', async () => {
    await Entry.create({ headline: 'Hey Jude', rating: 5 });
    await Review.create({ headline: 'Abbey Road', stars: 5 });
    await Notice.create({ headline: 'Closed', until: new Date('2026-01-01') });
    const stored = await raw('disc_entry').findOne({ headline: 'Abbey Road' });
    assert.deepEqual(Object.keys(stored ?? {}).sort(), ['__t', '__v', '_id', 'headline', 'rating', 'stars']);

    assert.equal((await Entry.find().lean()).length, 3);
    assert.equal((await Entry.find()).length, 3);
    assert.equal((await Entry.objects.values()).length, 3);
    assert.deepEqual(await Entry.objects.order_by('headline').valuesList('headline', { flat: true }), [
      'Abbey Road',
      'Closed',
      'Hey Jude',
    ]);
    assert.equal((await Entry.aggregate([{ $match: {} }])).length, 3);
    assert.equal((await Review.find().lean()).length, 1);
    assert.deepEqual(await Review.objects.values('stars'), [{ stars: 5 }]);
    assert.equal((await Review.aggregate([{ $match: { stars: 5 } }])).length, 1);
    assert.equal((await Notice.findOne().lean())?.headline, 'Closed');
  });

  test("a discriminator's fields are unknown on a document of the base or of another discriminator", async () => {
    await raw('disc_entry').insertOne({ headline: 'Stray', rating: 1, stars: 3 });
    for (const read of [
      () => Entry.find().lean(),
      () => Entry.objects.values(),
      () => Entry.aggregate([{ $match: {} }]),
      () => Entry.find(),
    ]) {
      const err = await migrationError(read);
      assert.deepEqual(err.details.unknown, ['stars']);
      assert.equal(err.model, 'DiscEntry');
    }
    await raw('disc_entry').deleteOne({ headline: 'Stray' });

    await raw('disc_entry').insertOne({ __t: 'notice', headline: 'Mixed', rating: null, until: null, stars: 1 });
    const err = await migrationError(() => Entry.find().lean());
    assert.equal(err.model, 'Notice');
    assert.deepEqual(err.details.unknown, ['stars']);
    await raw('disc_entry').deleteOne({ headline: 'Mixed' });

    await raw('disc_entry').insertOne({ __t: 'Review', headline: 'No stars', rating: null });
    const missing = await migrationError(() => Entry.aggregate([{ $match: {} }]));
    assert.equal(missing.model, 'Review');
    assert.deepEqual(missing.details.missing, ['stars']);
    await migrationError(() => Review.find().lean());
    await raw('disc_entry').deleteOne({ headline: 'No stars' });
  });
});

describe(`enforceSchema, strict, discriminators and migrate, on ${server.name}`, () => {
  test("a strict model's discriminator creates neither the collection nor indexes", async () => {
    const schema = new mongoose.Schema<EntryRaw>({ headline: String }, { collection: 'disc_unmigrated' });
    schema.plugin(enforceSchema);
    schema.index({ headline: 1 });
    const Base = strict.model<EntryRaw>('DiscUnmigrated', schema);
    const Child = Base.discriminator('DiscUnmigratedChild', new mongoose.Schema({ stars: Number }));
    await Promise.all([Base.init(), Child.init()]);
    const names = (await raw('x').db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    assert.ok(!names.includes('disc_unmigrated'), `created: ${names.join(', ')}`);
    await assert.rejects(Child.create({ headline: 'x', stars: 1 }), /djongoose migrate/);
  });
});

describe(`enforceSchema, strict, aggregation stages, on ${server.name}`, () => {
  const schema = new mongoose.Schema<EntryRaw>({ headline: String, rating: Number }, { collection: 'agg_entry' });
  schema.plugin(enforceSchema);
  const Entry = strict.model<EntryRaw>('AggEntry', schema);

  // Stages after which the rows are still the model's documents: each is
  // checked, with what the stage added or left out taken into account. The
  // drifted document, { headline, legacy }, lacks rating and holds legacy.
  const everything = { missing: ['rating'], unknown: ['legacy'] };
  const keepShape: [string, mongoose.PipelineStage[], typeof everything, string | false][] = [
    ['$unset', [{ $unset: 'headline' }], everything, false],
    ['$unset of the missing field', [{ $unset: ['rating'] }], { missing: [], unknown: ['legacy'] }, false],
    ['$sample', [{ $sample: { size: 5 } }], everything, lacks('sample')],
    ['$replaceRoot $$ROOT', [{ $replaceRoot: { newRoot: '$$ROOT' } }], everything, lacks('replaceRoot')],
    ['$replaceWith $$ROOT', [{ $replaceWith: '$$ROOT' }], everything, lacks('replaceWith')],
    [
      '$lookup',
      [{ $lookup: { from: 'agg_blog', localField: 'headline', foreignField: 'name', as: 'blogs' } }],
      everything,
      lacks('lookup'),
    ],
    [
      '$project with a computed field',
      [{ $project: { headline: 1, rating: 1, total: { $sum: '$rating' } } }],
      { missing: ['rating'], unknown: [] },
      false,
    ],
    [
      '$match, $sort, $skip, $limit, $addFields',
      [{ $match: {} }, { $sort: { headline: 1 } }, { $skip: 0 }, { $limit: 9 }, { $addFields: { n: 1 } }],
      everything,
      false,
    ],
  ];

  test('rows of documents that agree with the model pass every shape-keeping stage', async () => {
    await raw('agg_entry').insertOne({ headline: 'Yesterday', rating: 5 });
    await raw('agg_blog').insertOne({ name: 'Yesterday' });
    for (const [label, pipeline, , skip] of keepShape) {
      if (skip) continue;
      const rows = await Entry.aggregate(pipeline);
      assert.equal(rows.length, 1, label);
    }
  });

  for (const [label, pipeline, expected, skip] of keepShape) {
    test(`a drifted document raises after ${label}`, { skip }, async () => {
      await raw('agg_entry').deleteMany({ legacy: true });
      await raw('agg_entry').insertOne({ headline: 'Hey Jude', legacy: true });
      const err = await migrationError(() => Entry.aggregate(pipeline));
      assert.equal(err.model, 'AggEntry', label);
      assert.deepEqual({ missing: err.details.missing, unknown: err.details.unknown }, expected, label);
    });
  }

  test('stages that make rows of another shape are not checked (documented)', async () => {
    await raw('agg_entry').deleteMany({ legacy: true });
    await raw('agg_entry').insertOne({ headline: 'Hey Jude', legacy: true });
    const rows = await Entry.aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]);
    assert.deepEqual(rows, [{ _id: null, n: 2 }]);
  });
});
