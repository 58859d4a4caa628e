// Django's values() with no fields: every field of the model, the primary key
// among them, and nothing else. Mongoose's version key (`__v`, or the
// schema's own name for it) is bookkeeping, not a field. Ported from Django's
// tests/lookup/tests.py, expectations kept.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface ArticleRaw {
  headline: string;
  pub_date: Date;
  slug?: string;
}

const conn = await openTestDatabase(import.meta.url);

function articleModel(name: string, options: mongoose.SchemaOptions<ArticleRaw> = {}) {
  const schema = new mongoose.Schema<ArticleRaw>(
    { headline: { type: String, required: true }, pub_date: Date, slug: String },
    options,
  );
  schema.plugin(manager);
  return conn.model<ArticleRaw, Managed<ArticleRaw>>(name, schema);
}

const Article = await ready(articleModel('Article'));
const Renamed = await ready(articleModel('Renamed', { versionKey: 'revision' }));
const a5 = await Article.create({ headline: 'Article 5', pub_date: new Date('2005-08-01T09:00:00Z'), slug: 'a5' });
const r5 = await Renamed.create({ headline: 'Article 5', pub_date: new Date('2005-08-01T09:00:00Z'), slug: 'a5' });

describe(`values() with no fields on ${server.name}`, () => {
  test('LookupTests.test_values_no_field_names', async () => {
    // If you don't specify field names to values(), all are returned.
    assert.deepEqual(await Article.objects.filter({ pk: a5._id }).values(), [
      { _id: a5._id, headline: 'Article 5', pub_date: new Date('2005-08-01T09:00:00Z'), slug: 'a5' },
    ]);
  });

  test('valuesList() with no fields leaves out the version key too', async () => {
    // The column order is the stored key order, which differs by server
    // (mongo-java-server puts _id last), so the columns are compared as a set.
    const rows = await Article.objects.filter({ pk: a5._id }).valuesList();
    assert.equal(rows.length, 1);
    const texts = (row: readonly unknown[]) => row.map((v) => (v instanceof Date ? v.toISOString() : String(v))).sort();
    assert.deepEqual(texts(rows[0] as unknown[]), texts([a5._id, 'Article 5', new Date('2005-08-01T09:00:00Z'), 'a5']));
  });

  test("a schema's own version key name is left out, and its fields kept", async () => {
    const [row] = await Renamed.objects.values();
    assert.equal(Object.hasOwn(row as object, 'revision'), false);
    assert.deepEqual(row, {
      _id: r5._id,
      headline: 'Article 5',
      pub_date: new Date('2005-08-01T09:00:00Z'),
      slug: 'a5',
    });
  });

  test('named fields give those fields only, as before', async () => {
    assert.deepEqual(await Article.objects.filter({ pk: a5._id }).values('headline'), [{ headline: 'Article 5' }]);
  });
});
