// The one reading of a schema (core/schema-shape.ts), with no server: what
// each kind of path becomes, the known keys, the declarations plugins make,
// and that a shape is frozen, built once, and rebuilt when the schema changes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import {
  autoFieldOf,
  familyOf,
  fieldsAlong,
  mapValue,
  nestedLevel,
  primaryKeyOf,
  registerAutoField,
  setPrimaryKey,
  shapeOf,
  type FieldShape,
  type SchemaShape,
} from '../../core/schema-shape.js';
import { JSONField } from '../../fields/json.js';
import { ValidationError } from '../../core/errors.js';
import { resolveKey } from '../../manager/resolve.js';

const { Schema } = mongoose;
const commentSchema = new Schema({ author: String, score: mongoose.Schema.Types.Int32 });
const blogSchema = new Schema({ name: String }, { _id: false });

function entrySchema(): mongoose.Schema {
  return new Schema({
    headline: String,
    rating: { type: Number, default: 3 },
    views: mongoose.Schema.Types.Int32,
    big: BigInt,
    tags: [String],
    blog: blogSchema,
    comments: [commentSchema],
    meta: { source: String, deep: { level: Number } },
    extra: mongoose.Schema.Types.Mixed,
    data: JSONField(),
    counts: { type: Map, of: Number },
    author: { type: mongoose.Schema.Types.ObjectId, ref: 'Author' },
    readers: [{ type: mongoose.Schema.Types.ObjectId, ref: 'Reader' }],
  });
}

function field(level: { field(key: string): FieldShape | undefined }, key: string): FieldShape {
  const found = level.field(key);
  assert.ok(found, `no field ${key}`);
  return found;
}

describe('shapeOf: fields', () => {
  const shape = shapeOf(entrySchema());

  test('each path gets its kind', () => {
    const kinds = Object.fromEntries(shape.fields.map((f) => [f.key, f.kind]));
    assert.deepEqual(kinds, {
      headline: 'scalar',
      rating: 'scalar',
      views: 'scalar',
      big: 'scalar',
      tags: 'scalarArray',
      blog: 'embedded',
      comments: 'embeddedArray',
      meta: 'nested',
      extra: 'mixed',
      data: 'mixed',
      counts: 'map',
      author: 'scalar',
      readers: 'scalarArray',
      _id: 'scalar',
    });
  });

  test("instances and families follow Mongoose's types", () => {
    assert.equal(field(shape, 'views').instance, 'Int32');
    for (const key of ['rating', 'views', 'big']) assert.equal(field(shape, key).family, 'Numeric', key);
    assert.equal(field(shape, 'headline').family, undefined);
    assert.equal(field(shape, 'tags').element?.instance, 'String');
    assert.equal(field(shape, 'counts').element?.instance, 'Number');
    assert.equal(familyOf('Decimal128'), 'Numeric');
    assert.equal(familyOf('Double'), 'Numeric');
    assert.equal(familyOf('toString'), undefined);
  });

  test('defaults: declared ones, and the ones Mongoose gives arrays and _id', () => {
    assert.equal(field(shape, 'rating').hasDefault, true);
    assert.equal(field(shape, 'rating').defaultValue, 3);
    assert.equal(field(shape, 'tags').hasDefault, true);
    assert.equal(field(shape, '_id').hasDefault, true);
    assert.equal(field(shape, 'headline').hasDefault, false);
  });

  test('refs, JSON and file marks', () => {
    assert.equal(field(shape, 'author').ref, 'Author');
    assert.equal(field(shape, 'readers').ref, 'Reader');
    assert.equal(field(shape, 'data').json, true);
    assert.equal(field(shape, 'extra').json, false);
    assert.ok(shape.fields.every((f) => !f.file));
  });

  test('embedded and nested children, with paths from the root', () => {
    const comments = field(shape, 'comments').child as SchemaShape;
    assert.equal(comments.schema, commentSchema);
    assert.equal(field(comments, 'author').path, 'comments.author');
    assert.equal(field(comments, 'score').family, 'Numeric');
    const meta = field(shape, 'meta').child;
    assert.equal(meta?.schema, shape.schema);
    assert.equal(meta?.prefix, 'meta.');
    assert.equal(field(field(meta!, 'deep').child!, 'level').path, 'meta.deep.level');
    assert.equal(nestedLevel(shape, 'meta.deep.')?.fields[0]?.path, 'meta.deep.level');
    assert.equal(nestedLevel(shape, 'headline.'), undefined);
  });

  test('casts a filter value by the type, the element type for arrays', () => {
    assert.equal(field(shape, 'rating').cast('4', 'Entry.rating'), 4);
    assert.equal(field(shape, 'tags').cast(5, 'Entry.tags'), '5');
    const obj = { any: 'thing' };
    assert.equal(field(shape, 'extra').cast(obj, 'Entry.extra'), obj);
    assert.throws(
      () => field(shape, 'rating').cast('many', 'Entry.rating'),
      (err: unknown) =>
        err instanceof ValidationError && /Entry\.rating: cannot cast the string "many" to Number/.test(err.message),
    );
  });
});

describe('shapeOf: known keys, primary key and auto field', () => {
  test('_id, the version key and the discriminator key are known, not expected', () => {
    const schema = new Schema({ headline: String }, { versionKey: 'rev', discriminatorKey: 'kind' });
    const shape = shapeOf(schema);
    assert.deepEqual(shape.knownKeys, ['_id', 'rev', 'kind']);
    assert.deepEqual(
      shape.expected.map((f) => f.key),
      ['headline'],
    );
    assert.ok(shape.known.has('kind') && shape.known.has('rev') && shape.known.has('headline'));
    assert.ok(!shape.known.has('other'));
  });

  test("a discriminator's base gains the key as a path, still not expected; the child knows its value", () => {
    const base = new Schema({ headline: String });
    const Base = mongoose.model(`ShapeBase${Date.now()}`, base);
    const Child = Base.discriminator('ShapeChild', new Schema({ stars: Number }), { value: 'star' });
    assert.ok(shapeOf(base).field('__t'), 'the base schema has the __t path');
    assert.ok(!shapeOf(base).expected.some((f) => f.key === '__t'));
    assert.equal(shapeOf(base).discriminatorValue, undefined);
    assert.equal(shapeOf(Child.schema).discriminatorValue, 'star');
    mongoose.deleteModel(Base.modelName);
  });

  test('primary key and auto field: one record, read through the shape', () => {
    const schema = new Schema({ headline: String });
    assert.equal(shapeOf(schema).primaryKey, '_id');
    assert.equal(primaryKeyOf(schema), '_id');
    setPrimaryKey(schema, 'entry_no');
    registerAutoField(schema, 'entry_no');
    assert.equal(shapeOf(schema).primaryKey, 'entry_no');
    assert.equal(shapeOf(schema).autoField, 'entry_no');
    assert.equal(primaryKeyOf(schema), 'entry_no');
    assert.equal(autoFieldOf(schema), 'entry_no');
  });
});

describe('shapeOf: one frozen shape per schema', () => {
  test('built once: the same object each time', () => {
    const schema = entrySchema();
    const shape = shapeOf(schema);
    assert.equal(shapeOf(schema), shape);
    const comments = field(shape, 'comments');
    assert.equal(comments.child, comments.child);
  });

  test('frozen: shape, fields, children and lists', () => {
    const shape = shapeOf(entrySchema());
    assert.ok(Object.isFrozen(shape));
    assert.ok(Object.isFrozen(shape.fields) && Object.isFrozen(shape.expected) && Object.isFrozen(shape.knownKeys));
    for (const f of shape.fields) assert.ok(Object.isFrozen(f), f.key);
    assert.ok(Object.isFrozen(field(shape, 'meta').child));
    assert.ok(Object.isFrozen(field(shape, 'comments').child));
    assert.throws(() => {
      (shape as { primaryKey: string }).primaryKey = 'x';
    }, TypeError);
  });

  test('rebuilt after setPrimaryKey, and after a plugin adds a path', () => {
    const schema = new Schema({ headline: String });
    const before = shapeOf(schema);
    setPrimaryKey(schema, 'headline');
    const after = shapeOf(schema);
    assert.notEqual(after, before);
    assert.equal(after.primaryKey, 'headline');
    schema.add({ id: Number });
    const grown = shapeOf(schema);
    assert.notEqual(grown, after);
    assert.equal(grown.field('id')?.instance, 'Number');
    assert.equal(grown.primaryKey, 'headline');
  });

  test('resolution is a view: `pk` follows setPrimaryKey, even after the key was resolved', () => {
    const schema = new Schema({ headline: String, entry_no: Number });
    assert.equal(resolveKey(schema, 'Entry', 'pk').path, '_id');
    setPrimaryKey(schema, 'entry_no');
    assert.equal(resolveKey(schema, 'Entry', 'pk').path, 'entry_no');
    assert.equal(resolveKey(schema, 'Entry', 'pk').field, shapeOf(schema).field('entry_no'));
  });

  test('a schema that holds itself is read lazily, one level at a time', () => {
    const node = new Schema({ label: String });
    node.add({ children: [node] });
    const shape = shapeOf(node);
    const children = field(shape, 'children').child as SchemaShape;
    assert.equal(field(children, 'label').path, 'children.label');
    assert.equal(field(field(children, 'children').child!, 'label').path, 'children.children.label');
  });
});

describe('a Map field holds a value of its value type at any key', () => {
  const collaborator = new mongoose.Schema({ user: String }, { _id: false });
  const inner = new mongoose.Schema({ scores: { type: Map, of: Number } }, { _id: false });
  const schema = new mongoose.Schema({
    collaborators: { type: Map, of: [collaborator] },
    grid: { type: Map, of: { type: Map, of: Number } },
    team: inner,
  });

  test('the value at a key is a field named by the key, at the dotted path', () => {
    const map = shapeOf(schema).field('collaborators') as FieldShape;
    assert.equal(map.kind, 'map');
    const value = mapValue(schema, map, 'helpful');
    assert.equal(value?.kind, 'embeddedArray');
    assert.equal(value?.key, 'helpful');
    assert.equal(value?.path, 'collaborators.helpful');
    assert.equal(value?.child?.field('user')?.instance, 'String');
    assert.equal(mapValue(schema, shapeOf(schema).field('team') as FieldShape, 'x'), undefined, 'not a Map');
  });

  test('fieldsAlong walks into Maps, Maps of Maps, and Maps inside embedded documents', () => {
    const kinds = (path: string) => fieldsAlong(shapeOf(schema), path).map((f) => `${f.key}:${f.kind}`);
    assert.deepEqual(kinds('collaborators.helpful.user'), [
      'collaborators:map',
      'helpful:embeddedArray',
      'user:scalar',
    ]);
    assert.deepEqual(kinds('grid.a.b'), ['grid:map', 'a:map', 'b:scalar']);
    assert.deepEqual(kinds('team.scores.a'), ['team:embedded', 'scores:map', 'a:scalar']);
  });
});
