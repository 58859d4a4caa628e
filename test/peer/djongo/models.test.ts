// Ported from djongo's tests/djongo_tests/test_project/xtest_app/tests/test_models.py
// (djongo's history, before it deleted tests/): EmbeddedField, nested
// EmbeddedField, ArrayField and JSONField, each created, read back and
// validated. Django's `clean_fields()` is Mongoose's `validate()`.
//
// One deliberate difference: Django's fields default to null=False, so djongo
// expects a missing embedded value to fail validation with default options.
// djongoose's fields are optional unless `null: false` (djongo's save() never
// enforced presence, so old documents may lack any field; see fields/options.ts).
// Those cases pass `{ null: false }` and say so in their title.
import assert from 'node:assert/strict';
import mongoose, { type Schema } from 'mongoose';
import { ArrayField, EmbeddedField, JSONField, abstractModel, manager, type Managed } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const db = conn.db!;

type Definition = Record<string, unknown>;
type Plain = Record<string, unknown>;
let models = 0;

/** djongo's ModelUnderTest: `headline` and a `blog` field made by the case. */
async function modelUnderTest(blog: Definition, extra: Definition = {}) {
  models += 1;
  const schema = new mongoose.Schema({ headline: { type: String, maxlength: 255 }, blog, ...extra });
  schema.plugin(manager);
  return ready(conn.model<Plain, Managed<Plain>>(`ModelUnderTest${models}`, schema, `mut_${models}`));
}

const namedBlog = (name: Definition = { type: String, maxlength: 100 }): Schema => abstractModel({ name });

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** djongo's verify(): create, then get by headline; the two are the same document and value. */
async function verify(
  Model: Awaited<ReturnType<typeof modelUnderTest>>,
  values: Plain,
): Promise<{ created: Plain; stored: Plain }> {
  const created = await Model.objects.create(values);
  const fetched = await Model.objects.get({ headline: values['headline'] as string });
  assert.equal(String(fetched._id), String(created._id));
  const stored = (await db
    .collection(Model.collection.collectionName)
    .findOne({ _id: created._id as mongoose.Types.ObjectId }))!;
  return { created: created.toObject() as Plain, stored: stored as Plain };
}

async function invalid(Model: Awaited<ReturnType<typeof modelUnderTest>>, values: Plain): Promise<void> {
  await assert.rejects(new Model(values).validate(), (err: Error) => err.name === 'ValidationError');
}

const headline = { headline: 'entry_headline' };

// --- TestEmbeddedField: EmbeddedField(model_container=NamedBlog)

peer.case('TestEmbeddedField.test_default_options', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog()));
  const { stored } = await verify(Model, { ...headline, blog: { name: 'blog_name' } });
  assert.deepEqual(stored['blog'], { name: 'blog_name' });
});

peer.case('TestEmbeddedField.test_fake_extra_value', async () => {
  // A key the embedded model lacks is not stored.
  const Model = await modelUnderTest(EmbeddedField(namedBlog()));
  const { stored } = await verify(Model, { ...headline, blog: { name: 'blog_name', fake_name: 'fake_name' } });
  assert.deepEqual(stored['blog'], { name: 'blog_name' });
});

peer.case('TestEmbeddedField.test_missing_value (null: false given)', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog(), { null: false }));
  await invalid(Model, headline);
});

peer.case('TestEmbeddedField.test_null_true', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog(), { null: true, blank: true }));
  await new Model({ ...headline, blog: null }).validate();
});

peer.case('TestEmbeddedField.test_null_false', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog(), { null: false }));
  await invalid(Model, { ...headline, blog: null });
});

peer.case('TestEmbeddedField.test_db_column', async () => {
  // db_column='other_blog': Mongoose stores the path under its own name; `alias` is the attribute name.
  models += 1;
  const schema = new mongoose.Schema({
    headline: String,
    other_blog: { ...EmbeddedField(namedBlog()), alias: 'blog' },
  });
  schema.plugin(manager);
  const Model = await ready(conn.model<Plain, Managed<Plain>>(`ModelUnderTest${models}`, schema, `mut_${models}`));
  await Model.objects.create({ ...headline, blog: { name: 'blog_name' } } as Plain);
  assert.equal(await db.collection(`mut_${models}`).countDocuments({ other_blog: { $exists: true } }), 1);
});

peer.case('TestEmbeddedField.test_db_default', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog(), { default: { name: 'blog_name' } }));
  const { created, stored } = await verify(Model, headline);
  assert.deepEqual(plain(created['blog']), { name: 'blog_name' });
  assert.deepEqual(stored['blog'], { name: 'blog_name' });
});

// --- TestEmbeddedInternalField: the embedded model's own field options

peer.case('TestEmbeddedInternalField.test_null_false', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog({ type: String, maxlength: 100, required: true })));
  await invalid(Model, { ...headline, blog: { name: null } });
});

peer.case('TestEmbeddedInternalField.test_null_true', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog({ type: String, maxlength: 100 })));
  await new Model({ ...headline, blog: { name: null } }).validate();
});

peer.case('TestEmbeddedInternalField.test_missing_value', async () => {
  const Model = await modelUnderTest(EmbeddedField(namedBlog({ type: String, maxlength: 100, required: true })));
  await invalid(Model, { ...headline, blog: {} });
});

// --- TestNestedEmbeddedField: an embedded model holding another

function nestedBlog(nested: Parameters<typeof EmbeddedField>[1] = {}): Schema {
  return abstractModel({
    name: { type: String, maxlength: 100 },
    nested_blog: EmbeddedField(namedBlog({ type: String, maxlength: 100, required: true }), nested),
  });
}
const nestedValue = (): Plain => ({ name: 'blog_name', nested_blog: { name: 'nested_blog_name' } });

peer.case('TestNestedEmbeddedField.test_default_options', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog()));
  const { stored } = await verify(Model, { ...headline, blog: nestedValue() });
  assert.deepEqual(stored['blog'], nestedValue());
});

peer.case('TestNestedEmbeddedField.test_fake_extra_value', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog()));
  const blog = nestedValue();
  (blog['nested_blog'] as Plain)['fake_name'] = 'fake name';
  const { stored } = await verify(Model, { ...headline, blog });
  assert.deepEqual(stored['blog'], nestedValue());
});

peer.case('TestNestedEmbeddedField.test_missing_inner_value', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog()));
  await invalid(Model, { ...headline, blog: { name: 'blog_name', nested_blog: {} } });
});

peer.case('TestNestedEmbeddedField.test_missing_value (null: false given)', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog({ null: false })));
  await invalid(Model, { ...headline, blog: { name: 'blog_name' } });
});

peer.case('TestNestedEmbeddedField.test_null_true', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog({ null: true, blank: true })));
  await new Model({ ...headline, blog: { name: 'blog_name', nested_blog: null } }).validate();
});

peer.case('TestNestedEmbeddedField.test_null_false', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog({ null: false })));
  await invalid(Model, { ...headline, blog: { name: 'blog_name', nested_blog: null } });
});

peer.case('TestNestedEmbeddedField.test_db_default', async () => {
  const Model = await modelUnderTest(EmbeddedField(nestedBlog({ default: { name: 'nested_blog_name' } })));
  const { stored } = await verify(Model, { ...headline, blog: { name: 'blog_name' } });
  assert.deepEqual(stored['blog'], nestedValue());
});

// --- TestArrayField: ArrayField(model_container=NamedBlog)

const blogs = (): Plain[] => [{ name: 'blog_name1' }, { name: 'blog_name2' }];

peer.case('TestArrayField.test_default_options', async () => {
  const Model = await modelUnderTest(ArrayField(namedBlog()));
  const { stored } = await verify(Model, { ...headline, blog: blogs() });
  assert.deepEqual(stored['blog'], blogs());
});

peer.case('TestArrayField.test_fake_extra_value', async () => {
  const Model = await modelUnderTest(ArrayField(namedBlog()));
  const blog = blogs();
  blog[0]!['fake_name'] = 'fake_name';
  const { stored } = await verify(Model, { ...headline, blog });
  assert.deepEqual(stored['blog'], blogs());
});

peer.case('TestArrayField.test_missing_value (null: false given)', async () => {
  const Model = await modelUnderTest(ArrayField(namedBlog(), { null: false }));
  await invalid(Model, headline);
});

peer.case('TestArrayField.test_null_true', async () => {
  const Model = await modelUnderTest(ArrayField(namedBlog(), { null: true, blank: true }));
  await new Model({ ...headline, blog: null }).validate();
});

peer.case('TestArrayField.test_null_false', async () => {
  const Model = await modelUnderTest(ArrayField(namedBlog(), { null: false }));
  await invalid(Model, { ...headline, blog: null });
});

peer.case('TestArrayField.test_db_column', async () => {
  models += 1;
  const schema = new mongoose.Schema({ headline: String, other_blog: { ...ArrayField(namedBlog()), alias: 'blog' } });
  schema.plugin(manager);
  const Model = await ready(conn.model<Plain, Managed<Plain>>(`ModelUnderTest${models}`, schema, `mut_${models}`));
  await Model.objects.create({ ...headline, blog: blogs() } as Plain);
  assert.equal(await db.collection(`mut_${models}`).countDocuments({ other_blog: { $exists: true } }), 1);
});

peer.case('TestArrayField.test_db_default', async () => {
  const Model = await modelUnderTest(ArrayField(namedBlog(), { default: blogs() }));
  const { stored } = await verify(Model, headline);
  assert.deepEqual(stored['blog'], blogs());
});

// --- TestJsonField

peer.case('TestJsonField.test_default_options', async () => {
  const Model = await modelUnderTest(JSONField());
  const { stored } = await verify(Model, { ...headline, blog: { name: 'blog_name' } });
  assert.deepEqual(stored['blog'], { name: 'blog_name' });
});
