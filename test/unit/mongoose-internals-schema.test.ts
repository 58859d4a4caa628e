// Section A of core/mongoose-internals.ts: each private read of a schema or
// schema type, checked against the Mongoose installed. A Mongoose upgrade that
// renames or drops one of these members fails here, not deep in a query.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import {
  arrayElementOf,
  castForQuery,
  defaultOf,
  discriminatorValueOf,
  embeddedSchemaOf,
} from '../../core/mongoose-internals.js';

const { Schema } = mongoose;
const commentSchema = new Schema({ author: String });
const blogSchema = new Schema({ name: String });
const schema = new Schema({
  headline: String,
  rating: { type: Number, default: 3 },
  tags: [String],
  blog: blogSchema,
  comments: [commentSchema],
});

describe('embeddedSchemaOf', () => {
  test("reads Mongoose's own marks: $isSingleNested, $isMongooseDocumentArray and .schema", () => {
    const blog = schema.path('blog') as mongoose.SchemaType & Record<string, unknown>;
    const comments = schema.path('comments') as mongoose.SchemaType & Record<string, unknown>;
    assert.equal(blog['$isSingleNested'], true);
    assert.equal(comments['$isMongooseDocumentArray'], true);
    assert.equal(blog['schema'], blogSchema);
    assert.equal(comments['schema'], commentSchema);
    assert.deepEqual(embeddedSchemaOf(schema.path('blog')), { schema: blogSchema, array: false });
    assert.deepEqual(embeddedSchemaOf(schema.path('comments')), { schema: commentSchema, array: true });
  });

  test('scalars, scalar arrays and Mixed hold no schema', () => {
    for (const path of ['headline', 'tags', 'rating']) assert.equal(embeddedSchemaOf(schema.path(path)), undefined);
    assert.equal(embeddedSchemaOf(new Schema({ x: {} }).path('x')), undefined);
  });

  test('the public route agrees: instanceof Subdocument / DocumentArray', () => {
    assert.ok(schema.path('blog') instanceof mongoose.Schema.Types.Subdocument);
    assert.ok(schema.path('comments') instanceof mongoose.Schema.Types.DocumentArray);
  });

  test('a schema type of another copy of Mongoose (not instanceof ours) is read by its marks', () => {
    // What another copy's SchemaType looks like to this one: its own class, the same marks.
    const foreign = Object.assign(Object.create(null) as object, {
      instance: 'Embedded',
      $isSingleNested: true,
      schema: Object.assign(Object.create(null) as object, { instanceOfSchema: true }),
    }) as unknown as mongoose.SchemaType;
    const found = embeddedSchemaOf(foreign);
    assert.equal(found?.array, false);
    assert.equal((found?.schema as unknown as { instanceOfSchema: boolean }).instanceOfSchema, true);
  });
});

describe('arrayElementOf', () => {
  test('reads embeddedSchemaType; caster, its old name, is gone in Mongoose 9', () => {
    const tags = schema.path('tags') as mongoose.SchemaType & Record<string, unknown>;
    assert.equal(tags['caster'], undefined);
    assert.equal(arrayElementOf(schema.path('tags'))?.instance, 'String');
    assert.equal(arrayElementOf(schema.path('headline')), undefined);
  });

  test("a document array's element is Mongoose's DocumentArrayElement", () => {
    assert.equal(arrayElementOf(schema.path('comments'))?.instance, 'DocumentArrayElement');
  });
});

describe('defaultOf', () => {
  test("reads defaultValue: the user's default and the ones Mongoose adds", () => {
    const rating = schema.path('rating') as mongoose.SchemaType & Record<string, unknown>;
    assert.equal(rating['defaultValue'], 3);
    assert.deepEqual(defaultOf(schema.path('rating')), { has: true, value: 3 });
    // Arrays default to [] and _id to a new ObjectId, which options.default does not show.
    assert.equal(defaultOf(schema.path('tags')).has, true);
    assert.equal((schema.path('_id').options as { default?: unknown }).default, undefined);
    assert.equal(defaultOf(schema.path('_id')).has, true);
    assert.equal(defaultOf(schema.path('headline')).has, false);
  });
});

describe('castForQuery', () => {
  test('casts as Mongoose casts a filter value, and throws its CastError otherwise', () => {
    assert.equal(castForQuery(schema.path('rating'), '4'), 4);
    const id = new mongoose.Types.ObjectId();
    assert.ok((castForQuery(schema.path('_id'), id.toHexString()) as mongoose.Types.ObjectId).equals(id));
    assert.throws(() => castForQuery(schema.path('rating'), 'x'), mongoose.Error.CastError);
  });
});

describe('discriminatorValueOf', () => {
  test("reads schema.discriminatorMapping: a child's value, none on the base", () => {
    const base = new Schema({ headline: String });
    const Base = mongoose.model(`InternalsBase${Date.now()}`, base);
    const Child = Base.discriminator('InternalsChild', new Schema({ stars: Number }), { value: 'stars' });
    const Named = Base.discriminator('InternalsNamed', new Schema({ note: String }));
    const mapping = (Child.schema as unknown as { discriminatorMapping: Record<string, unknown> }).discriminatorMapping;
    assert.deepEqual(mapping, { key: '__t', value: 'stars', isRoot: false });
    assert.equal(discriminatorValueOf(Child.schema), 'stars');
    assert.equal(discriminatorValueOf(Named.schema), 'InternalsNamed');
    assert.equal(discriminatorValueOf(base), undefined);
    assert.equal(discriminatorValueOf(new Schema({})), undefined);
    mongoose.deleteModel(Base.modelName);
  });
});
