// `check`'s drift report and ENFORCE_SCHEMA's strict reads read the same
// schema shape (core/schema-shape.ts), so they give the same verdict on the
// same stored documents, against a real server: a base-model document of a
// discriminated collection (no `__t`, no `__v`), discriminator documents,
// and documents that truly lack a field or hold an unknown one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { check, type CheckReport } from '../../cli/check.js';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { server } from '../helpers/server.js';
import { schemaModeConnections, migrationError } from '../helpers/schema-modes.js';

const { strict, raw } = await schemaModeConnections(import.meta.url);

interface Verdict {
  readonly missing: readonly string[];
  readonly unknown: readonly string[];
}

/** What `check` says of one document: the fields whose samples hold its _id. */
function checkVerdict(report: CheckReport, model: string, id: unknown): Verdict {
  const drift = report.models.find((m) => m.model === model);
  assert.ok(drift, `no report for ${model}`);
  const of = (fields: readonly { field: string; sampleIds: readonly unknown[] }[]) =>
    fields.filter((f) => f.sampleIds.some((s) => String(s) === String(id))).map((f) => f.field);
  return { missing: of(drift.missing), unknown: of(drift.unknown) };
}

/** What a strict read says of the same document. */
async function strictVerdict(read: () => PromiseLike<unknown>): Promise<Verdict> {
  const failed = await Promise.resolve()
    .then(read)
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  if (failed === undefined) return { missing: [], unknown: [] };
  const err = await migrationError(() => Promise.reject(failed));
  return { missing: err.details.missing ?? [], unknown: err.details.unknown ?? [] };
}

describe(`check and strict reads agree on a discriminated collection, on ${server.name}`, () => {
  const schema = new mongoose.Schema({ headline: String, rating: Number }, { collection: 'agree_entry' });
  schema.plugin(enforceSchema);
  const Entry = strict.model('AgreeEntry', schema);
  const Review = Entry.discriminator('AgreeReview', new mongoose.Schema({ stars: Number }));
  const Notice = Entry.discriminator('AgreeNotice', new mongoose.Schema({ until: Date }), { value: 'notice' });

  const cases = [
    { name: 'a base document without __t or __v', doc: { headline: 'Hey Jude', rating: 5 }, expect: {} },
    {
      name: 'a discriminator document',
      doc: { __t: 'AgreeReview', headline: 'Abbey Road', rating: 4, stars: 5 },
      expect: {},
    },
    {
      name: 'a document of a discriminator stored under its { value }',
      doc: { __t: 'notice', headline: 'Closed', rating: null, until: new Date('2026-01-01'), __v: 0 },
      expect: {},
    },
    { name: 'a base document truly missing a field', doc: { headline: 'Let It Be' }, expect: { missing: ['rating'] } },
    {
      name: 'a discriminator document missing its own field',
      doc: { __t: 'AgreeReview', headline: 'Help!', rating: 3 },
      expect: { missing: ['stars'] },
    },
    {
      name: "a base document holding a discriminator's field",
      doc: { headline: 'Stray', rating: 1, stars: 2 },
      expect: { unknown: ['stars'] },
    },
  ] as const;

  test('the same verdict, document by document, and the expected one', async () => {
    // What migrate does, before the models are used.
    await raw('agree_entry').insertMany(cases.map((c) => ({ ...c.doc })));
    const stored = await raw('agree_entry').find().toArray();
    const report = await check(strict, [Entry, Review, Notice], { sampleSize: 100 });
    for (const c of cases) {
      const id = stored.find((d) => d['headline'] === c.doc.headline)?._id;
      const expected: Verdict = { missing: [], unknown: [], ...c.expect };
      const fromCheck = checkVerdict(report, 'AgreeEntry', id);
      assert.deepEqual(fromCheck, expected, `check on ${c.name}`);
      assert.deepEqual(await strictVerdict(() => Entry.find({ _id: id }).lean()), expected, `strict read on ${c.name}`);
    }
  });

  test("a discriminator model's check reads its own documents only, as its strict reads do", async () => {
    const report = await check(strict, [Review, Notice], { sampleSize: 100 });
    const ofReview = report.models.find((m) => m.model === 'AgreeReview');
    assert.equal(ofReview?.scanned, 2);
    assert.deepEqual(
      ofReview?.missing.map((f) => [f.field, f.count]),
      [['stars', 1]],
    );
    assert.deepEqual(ofReview?.unknown, []);
    assert.equal(report.models.find((m) => m.model === 'AgreeNotice')?.drifted, 0);
    const err = await migrationError(() => Review.find().lean());
    assert.deepEqual(err.details.missing, ['stars']);
    assert.deepEqual(
      await Notice.find()
        .lean()
        .then((docs) => docs.length),
      1,
    );
  });
});
