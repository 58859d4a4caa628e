// djongo's fields as schema helpers: the definitions they produce, the schemas
// Mongoose builds from them, and what the manager compiles through them, with
// no database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { Schema, type SchemaType } from 'mongoose';
import { compileFilter, FieldError, ImproperlyConfigured, ValidationError } from '../../index.js';
import {
  abstractModel,
  ArrayField,
  ArrayReferenceField,
  EmbeddedField,
  GenericObjectIdField,
  isAbstract,
  JSONField,
  ObjectIdField,
  referencedBy,
  referencePaths,
  references,
} from '../../fields/index.js';
import { jsonPaths } from '../../fields/json.js';

const { ObjectId, Mixed } = mongoose.Schema.Types;

/** A connection of its own (never opened), so that models made here do not meet. */
function isolated() {
  return { conn: mongoose.createConnection() };
}

function entryModels() {
  const { conn } = isolated();
  const Blog = abstractModel({ name: String, tagline: String });
  const Comment = abstractModel({ author: String, score: Number });
  const schema = new Schema({
    blog: EmbeddedField(Blog),
    comments: ArrayField(Comment),
    tags: ArrayField(String),
    authors: ArrayReferenceField('Author'),
    data: JSONField(),
  });
  const Author = conn.model('Author', new Schema({ name: String }));
  const Entry = conn.model('Entry', schema);
  return { conn, Blog, Comment, schema, Author, Entry };
}

async function validationPaths(doc: mongoose.Document): Promise<string[]> {
  try {
    await doc.validate();
    return [];
  } catch (err) {
    if (!(err instanceof mongoose.Error.ValidationError)) throw err;
    return Object.keys(err.errors).sort();
  }
}

describe('abstractModel', () => {
  test('builds a schema with no _id, marked abstract', () => {
    const Blog = abstractModel({ name: String });
    assert.equal(Blog.path('_id'), undefined);
    assert.equal(isAbstract(Blog), true);
    assert.equal(isAbstract(new Schema({ name: String })), false);
  });

  test('marks a schema you built, taking its _id away', () => {
    const schema = new Schema({ name: String });
    assert.ok(schema.path('_id'));
    assert.equal(abstractModel(schema), schema);
    assert.equal(schema.path('_id'), undefined);
    assert.equal(abstractModel(schema), schema, 'marking twice is harmless');
    assert.equal(schema.listeners('init').length, 1);
  });

  test('conn.model() on it, or on a clone, throws ImproperlyConfigured and registers nothing', () => {
    const { conn } = isolated();
    const Blog = abstractModel({ name: String });
    for (const schema of [Blog, Blog, Blog.clone()]) {
      assert.throws(
        () => conn.model('Blog', schema),
        (e: unknown) =>
          e instanceof ImproperlyConfigured &&
          (e as Error).message.startsWith('Cannot make a model "Blog" from an abstract schema'),
      );
    }
    assert.deepEqual(conn.modelNames(), []);
  });

  test('mongoose.model() on it throws and leaves no global model behind', () => {
    const Blog = abstractModel({ name: String });
    assert.throws(() => mongoose.model('DjongooseAbstractBlog', Blog), ImproperlyConfigured);
    assert.ok(!mongoose.modelNames().includes('DjongooseAbstractBlog'));
    assert.throws(() => mongoose.model('DjongooseAbstractBlog', Blog), ImproperlyConfigured);
  });

  test('a discriminator made of it is refused too', () => {
    const { Entry } = entryModels();
    assert.throws(() => Entry.discriminator('Blogged', abstractModel({ name: String })), ImproperlyConfigured);
  });

  test('embedding it is fine: its documents have no _id', () => {
    const { Entry } = entryModels();
    const doc = new Entry({ blog: { name: 'B' }, comments: [{ author: 'ann' }] });
    assert.deepEqual(doc.toObject().blog, { name: 'B' });
    assert.deepEqual(doc.toObject().comments, [{ author: 'ann' }]);
  });
});

describe('EmbeddedField', () => {
  const Blog = abstractModel({ name: String });

  test('is a plain path definition', () => {
    assert.deepEqual(EmbeddedField(Blog), { type: Blog });
    assert.deepEqual(EmbeddedField(Blog, { required: true }), { type: Blog, required: true });
    assert.deepEqual(EmbeddedField(Blog, { null: false }), { type: Blog, required: true });
    assert.deepEqual(EmbeddedField(Blog, { null: true, default: null }), { type: Blog, default: null });
  });

  test('Mongoose builds a single embedded document path from it', () => {
    const schema = new Schema({ blog: EmbeddedField(Blog) });
    const path = schema.path('blog') as SchemaType & { schema?: Schema };
    assert.equal(path.instance, 'Embedded');
    assert.equal(path.schema, Blog);
  });

  test('optional by default; null: false and blank: false demand a value, blank: false a non-empty one', async () => {
    const { conn } = isolated();
    const M = conn.model(
      'M',
      new Schema({
        a: EmbeddedField(Blog),
        b: EmbeddedField(Blog, { null: false }),
        c: EmbeddedField(Blog, { blank: false }),
      }),
    );
    assert.deepEqual(await validationPaths(new M({})), ['b', 'c']);
    assert.deepEqual(await validationPaths(new M({ b: {}, c: {} })), ['c']);
    assert.deepEqual(await validationPaths(new M({ b: {}, c: { name: 'x' } })), []);
  });

  test('default', () => {
    const { conn } = isolated();
    const M = conn.model('M', new Schema({ blog: EmbeddedField(Blog, { default: () => ({ name: 'Untitled' }) }) }));
    assert.equal(new M().blog?.name, 'Untitled');
  });

  test('refuses what is not a Schema', () => {
    assert.throws(() => EmbeddedField({ name: String } as never), ImproperlyConfigured);
  });
});

describe('ArrayField', () => {
  const Comment = abstractModel({ author: String });

  test('of embedded documents, or of scalars', () => {
    assert.deepEqual(ArrayField(Comment), { type: [Comment] });
    assert.deepEqual(ArrayField(String, { blank: false }).type, [String]);
    const schema = new Schema({ comments: ArrayField(Comment), tags: ArrayField(String), ids: ArrayField(ObjectId) });
    const comments = schema.path('comments') as SchemaType & { schema?: Schema };
    assert.equal(comments.instance, 'Array');
    assert.equal(comments.schema, Comment);
    assert.equal((schema.path('tags') as mongoose.Schema.Types.Array).embeddedSchemaType.instance, 'String');
    assert.equal((schema.path('ids') as mongoose.Schema.Types.Array).embeddedSchemaType.instance, 'ObjectId');
  });

  test('element options apply to each element', async () => {
    const { conn } = isolated();
    const M = conn.model('M', new Schema({ tags: ArrayField({ type: String, maxlength: 3 }) }));
    assert.deepEqual(await validationPaths(new M({ tags: ['ok', 'too long'] })), ['tags.1']);
  });

  test('[] by default; null: false accepts [] but not a missing list (Django null=False), blank: false refuses []', async () => {
    const { conn } = isolated();
    const M = conn.model(
      'M',
      new Schema({
        a: ArrayField(String),
        b: ArrayField(String, { null: false }),
        c: ArrayField(Comment, { blank: false }),
      }),
    );
    const doc = new M({});
    assert.deepEqual([...doc.a], []);
    assert.equal(doc.get('b'), undefined);
    assert.deepEqual((await validationPaths(doc)).sort(), ['b', 'c']);
    assert.deepEqual(await validationPaths(new M({ b: [], c: [{ author: 'ann' }] })), []);
    assert.deepEqual(await validationPaths(new M({ b: null, c: [{ author: 'ann' }] })), ['b']);
  });

  test('refuses a type name or a value', () => {
    assert.throws(() => ArrayField('String' as never), ImproperlyConfigured);
    assert.throws(() => ArrayField(3 as never), ImproperlyConfigured);
  });
});

describe('ArrayReferenceField', () => {
  test('is an array of refs to the target primary key', () => {
    assert.deepEqual(ArrayReferenceField('Author'), { type: [{ type: ObjectId, ref: 'Author' }] });
    assert.deepEqual(ArrayReferenceField({ modelName: 'Author' }, { type: Number, null: false }), {
      type: [{ type: Number, ref: 'Author' }],
      required: true,
    });
  });

  test('referencePaths lists them, hand-written ones included', () => {
    const schema = new Schema({
      authors: ArrayReferenceField('Author'),
      editors: [{ type: ObjectId, ref: 'Author' }],
      tags: [String],
    });
    assert.deepEqual(referencePaths(schema), ['authors', 'editors']);
  });

  test('references() names the reference paths when given another', () => {
    const { Entry } = entryModels();
    const doc = new Entry();
    assert.throws(
      () => references(doc as mongoose.Document<unknown>, 'author'),
      (e: unknown) =>
        e instanceof FieldError &&
        (e as Error).message ===
          'Entry.author does not exist. Array-reference fields of Entry: authors. Did you mean "authors"?',
    );
    assert.throws(() => references(doc, 'tags'), /Entry.tags is a Array field, not an array of references/);
    assert.throws(() => referencedBy(Entry, 'comments', new mongoose.Types.ObjectId()), FieldError);
  });

  test('references() needs a model document and a registered target', () => {
    const { Entry } = entryModels();
    const embedded = new Entry({ comments: [{ author: 'ann' }] }).comments[0];
    assert.throws(() => references(embedded as never, 'authors'), FieldError);
    const { conn } = isolated();
    const Lonely = conn.model('Lonely', new Schema({ friends: ArrayReferenceField('Nobody') }));
    assert.throws(() => references(new Lonely(), 'friends'), /Nobody/);
  });

  test('on a document not saved yet, changes stay in memory for its first save', async () => {
    const { Entry, Author } = entryModels();
    const john = Author.hydrate({ _id: new mongoose.Types.ObjectId(), name: 'John' });
    const paul = Author.hydrate({ _id: new mongoose.Types.ObjectId(), name: 'Paul' });
    const entry = new Entry();
    const authors = references(entry, 'authors', Author);
    await authors.add(john, paul._id, String(john._id));
    assert.deepEqual(entry.authors.map(String), [String(john._id), String(paul._id)]);
    await authors.remove(String(john._id));
    assert.deepEqual(entry.authors.map(String), [String(paul._id)]);
    await authors.set([john, paul]);
    assert.deepEqual(entry.authors.map(String), [String(john._id), String(paul._id)]);
    await authors.clear();
    assert.deepEqual([...entry.authors], []);
    assert.deepEqual(await authors.all().count(), 0, 'an empty array is none(): no query');
  });

  test('keys are checked: saved documents of the target, or castable keys', async () => {
    const { Entry, Author, conn } = entryModels();
    const authors = references(new Entry(), 'authors', Author);
    await assert.rejects(authors.add(new Author({ name: 'new' })), /not saved yet/);
    await assert.rejects(authors.add('not-an-id'), ValidationError);
    const Other = conn.model('Other', new Schema({ n: Number }));
    await assert.rejects(authors.add(Other.hydrate({ _id: new mongoose.Types.ObjectId() })), /expected a Author/);
    assert.throws(
      () => referencedBy(Entry, 'authors', Other.hydrate({ _id: new mongoose.Types.ObjectId() })),
      /references Author, not Other/,
    );
    assert.throws(() => referencedBy(Entry, 'authors', new Author()), /not saved yet/);
  });

  test('the reverse side filters on array membership', () => {
    const { Entry } = entryModels();
    const id = new mongoose.Types.ObjectId();
    const qs = referencedBy(Entry, 'authors', String(id)).all();
    assert.deepEqual(qs.toMongo().filter, { authors: { $eq: id } });
  });
});

describe('JSONField', () => {
  test('is a Mixed path marked json', () => {
    assert.deepEqual(JSONField(), { type: Mixed, json: true });
    const fn = () => ({});
    assert.deepEqual(JSONField({ default: fn, null: false }), { type: Mixed, json: true, required: true, default: fn });
    assert.equal(new Schema({ data: JSONField() }).path('data').instance, 'Mixed');
  });

  test('jsonPaths finds JSON fields, in embedded documents too', () => {
    const Meta = abstractModel({ extra: JSONField(), note: String });
    const schema = new Schema({
      data: JSONField(),
      raw: Mixed,
      meta: EmbeddedField(Meta),
      nested: { deep: JSONField() },
    });
    assert.deepEqual(jsonPaths(schema).sort(), ['data', 'meta.extra', 'nested.deep']);
  });
});

describe('ObjectIdField and GenericObjectIdField', () => {
  test('ObjectIdField generates an id per new document, as djongo’s AutoField', () => {
    assert.deepEqual(ObjectIdField(), { type: ObjectId, auto: true });
    assert.deepEqual(ObjectIdField({ auto: false }), { type: ObjectId });
    const { conn } = isolated();
    const M = conn.model('M', new Schema({ _id: ObjectIdField(), trace: ObjectIdField({ unique: true }) }));
    const [a, b] = [new M(), new M()];
    assert.ok(a._id instanceof mongoose.Types.ObjectId);
    assert.notEqual(String(a._id), String(b._id));
    assert.ok(a.get('trace') instanceof mongoose.Types.ObjectId);
  });

  test('GenericObjectIdField has no default and casts 24-hex strings', async () => {
    assert.deepEqual(GenericObjectIdField({ null: false, index: true }), {
      type: ObjectId,
      required: true,
      index: true,
    });
    const { conn } = isolated();
    const M = conn.model('M', new Schema({ source: GenericObjectIdField() }));
    assert.equal(new M().get('source'), undefined);
    const hex = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    assert.ok(new M({ source: hex }).get('source') instanceof mongoose.Types.ObjectId);
    assert.deepEqual(await validationPaths(new M({ source: 'nope' })), ['source']);
  });
});

describe('the manager compiles filters through the fields', () => {
  const { schema } = entryModels();
  const c = (f: Record<string, unknown>) => compileFilter({ schema, modelName: 'Entry' }, f);

  test('embedded, array and JSON paths', () => {
    assert.deepEqual(c({ blog__name__startswith: 'B' }), { 'blog.name': new RegExp('^B') });
    assert.deepEqual(c({ comments__author: 'ann' }), { 'comments.author': 'ann' });
    assert.deepEqual(c({ comments__score__gte: '4' }), { 'comments.score': { $gte: 4 } });
    assert.deepEqual(c({ data__label: 'Apple', data__chart__uk__lte: 10 }), {
      'data.label': 'Apple',
      'data.chart.uk': { $lte: 10 },
    });
    assert.deepEqual(c({ tags__contains: 'rock' }), { tags: { $all: ['rock'] } });
  });

  test('reference arrays cast their keys', () => {
    const id = new mongoose.Types.ObjectId();
    assert.deepEqual(c({ authors: String(id) }), { authors: { $eq: id } });
    assert.deepEqual(c({ authors__contains: [String(id)] }), { authors: { $all: [id] } });
    assert.throws(() => c({ authors: 'nope' }), ValidationError);
  });
});
