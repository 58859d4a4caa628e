// The private Mongoose members Section B of core/mongoose-internals.ts
// reads, asserted on real Mongoose documents, schemas and models (no
// server): each test fails if an upgrade moves or reshapes the member, and
// checks what the wrapper makes of it. What needs a server (a cursor's
// transform, populate's clones, a GridFS read) is in
// test/e2e/mongoose-internals.test.ts. The sources are also searched here,
// so that no private member is read outside the adapter, and the adapter's
// examples are type-checked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type Document } from 'mongoose';
import {
  addCursorTransform,
  addOperatorCaster,
  discriminatorOf,
  documentValues,
  hasNoSetters,
  hasVirtualSetter,
  isSubdocument,
  markPopulatedMissing,
  mongooseVersionOf,
  schemaTypeSuperArgs,
  selectedOf,
  selectsEverything,
  setValueUncast,
  skipAutoCreate,
  type SchemaTypeConstructorArgs,
} from '../../core/mongoose-internals.js';
import { selection } from '../../plugins/enforce-schema/plan.js';
import { FileField, GridFSStorage } from '../../index.js';

// A connection that never connects: models compile, nothing is sent.
const conn = mongoose.createConnection();
const blogSchema = new mongoose.Schema({ name: String }, { _id: false });
const entrySchema = new mongoose.Schema({
  headline: String,
  description: String,
  id: Number,
  slug: { type: String, set: (v: string) => v.trim() },
  count: mongoose.Schema.Types.Int32,
  blog: blogSchema,
  comments: [new mongoose.Schema({ author: String })],
});
const Entry = conn.model('Entry', entrySchema);

/** A private member, read the way only a test may. */
function member(target: object, name: string): unknown {
  return (target as Record<string, unknown>)[name];
}

describe('documentValues (doc._doc)', () => {
  test('is the live object the document keeps its values in', () => {
    const doc = new Entry({ headline: 'a' });
    const own = documentValues(doc);
    assert.equal(own, member(doc, '_doc'));
    assert.equal((own as { headline?: unknown }).headline, 'a');
    doc.headline = 'b';
    assert.equal((own as { headline?: unknown }).headline, 'b', 'the same object, not a copy');
    assert.notEqual(doc.toObject(), own);
  });

  test('Model.hydrate() of it makes a document over those values (what populate clones do)', () => {
    const doc = Entry.hydrate({ _id: new mongoose.Types.ObjectId(), headline: 'a' });
    const clone = Entry.hydrate(documentValues(doc));
    assert.equal(clone.headline, 'a');
    assert.equal(String(clone._id), String(doc._id));
  });
});

describe('isSubdocument ($isSubdocument)', () => {
  const entry = new Entry({ blog: { name: 'b' }, comments: [{ author: 'c' }] });
  const blog = entry.blog as unknown as Document;
  const comment = entry.comments[0] as unknown as Document;

  test('Mongoose flags single nested and array subdocuments, not top-level documents', () => {
    assert.equal(member(blog, '$isSubdocument'), true);
    assert.equal(member(comment, '$isSubdocument'), true);
    assert.notEqual(member(entry, '$isSubdocument'), true);
  });

  test('the wrapper agrees with the flag and with the public fallback (instanceof Subdocument)', () => {
    for (const [doc, expected] of [
      [entry, false],
      [blog, true],
      [comment, true],
    ] as const) {
      assert.equal(isSubdocument(doc), expected);
      assert.equal(doc instanceof mongoose.Types.Subdocument, expected);
    }
  });
});

describe('setValueUncast ($__setValue) and hasNoSetters (SchemaType setters)', () => {
  test('$__setValue is a method of every document, and puts the value as it is', () => {
    const doc = new Entry();
    assert.equal(typeof member(doc, '$__setValue'), 'function');
    assert.equal(setValueUncast(doc, 'id', 5), true);
    assert.equal(doc.get('id'), 5);
    assert.equal(setValueUncast(doc, 'id', '7'), true);
    assert.equal(doc.get('id'), '7', 'not cast: only for values that need no cast');
  });

  test('does nothing and says so on an object without $__setValue', () => {
    const notADocument = {} as unknown as Document;
    assert.equal(setValueUncast(notADocument, 'id', 5), false);
    assert.deepEqual(notADocument, {});
  });

  test('setters is the list of a SchemaType’s setters', () => {
    assert.deepEqual(member(entrySchema.path('id'), 'setters'), []);
    assert.equal((member(entrySchema.path('slug'), 'setters') as unknown[]).length, 1);
    assert.equal(hasNoSetters(entrySchema.path('id')), true);
    assert.equal(hasNoSetters(entrySchema.path('slug')), false);
    assert.equal(hasNoSetters(undefined), false);
  });

  test('a FileField has its own setter, so it is never put uncast', () => {
    const storage = new GridFSStorage({ collection: 'internals' });
    const schema = new mongoose.Schema({ avatar: { type: FileField, storage } });
    assert.equal(hasNoSetters(schema.path('avatar')), false);
  });
});

describe('hasVirtualSetter (VirtualType setters, getters, options)', () => {
  const schema = new mongoose.Schema({ name: String, owner: mongoose.Schema.Types.ObjectId });
  schema
    .virtual('title')
    .get(function (this: { name?: string }) {
      return this.name;
    })
    .set(function (this: { name?: string }, v: string) {
      this.name = v.toUpperCase();
    });
  schema.virtual('shout').get(function (this: { name?: string }) {
    return this.name?.toUpperCase();
  });
  schema.virtual('bare');
  schema.virtual('people', { ref: 'Person', localField: 'owner', foreignField: '_id' });
  const Virtuals = conn.model('InternalsVirtuals', schema);

  test('setters, getters and options are the lists and options of a VirtualType', () => {
    const title = schema.virtualpath('title')!;
    assert.equal((member(title, 'setters') as unknown[]).length, 1);
    assert.equal((member(title, 'getters') as unknown[]).length, 1);
    assert.deepEqual(member(schema.virtualpath('shout')!, 'setters'), []);
    assert.equal((member(schema.virtualpath('people')!, 'options') as { ref?: unknown }).ref, 'Person');
  });

  test('true exactly when doc.set(name) runs a setter that keeps the value', () => {
    assert.equal(hasVirtualSetter(schema, 'title'), true);
    assert.equal(hasVirtualSetter(schema, 'bare'), true);
    assert.equal(hasVirtualSetter(schema, 'shout'), false);
    assert.equal(hasVirtualSetter(schema, 'people'), false);
    assert.equal(hasVirtualSetter(schema, 'name'), false, 'a field is no virtual');
    assert.equal(hasVirtualSetter(schema, 'nope'), false);
    const doc = new Virtuals({ name: 'a' });
    doc.set('title', 'annie');
    doc.set('shout', 'IGNORED');
    doc.set('bare', 5);
    assert.equal(doc.get('name'), 'ANNIE');
    assert.equal(doc.get('shout'), 'ANNIE', 'a getter-only virtual takes nothing');
    assert.equal(doc.get('bare'), 5);
    // Once a document exists, the bare virtual holds Mongoose's default getter and setter: still true.
    assert.equal(hasVirtualSetter(schema, 'bare'), true);
  });
});

describe('selectedOf (doc.$__.selected)', () => {
  test('a hydrated document keeps its projection object at $__.selected', () => {
    const projection = { headline: 1 };
    const doc = Entry.hydrate({ _id: new mongoose.Types.ObjectId(), headline: 'a' }, projection);
    assert.deepEqual((member(doc, '$__') as { selected?: unknown }).selected, projection);
    const selected = selectedOf(doc, selection);
    assert.equal(selected('headline'), true);
    assert.equal(selected('description'), false);
  });

  test('builds the predicate once per projection object', () => {
    const docs = [1, 2].map(() => Entry.hydrate({ _id: new mongoose.Types.ObjectId() }, { headline: 1 }));
    // Two documents of one query share the projection object: make them so.
    const projection = (member(docs[0]!, '$__') as { selected: unknown }).selected;
    (member(docs[1]!, '$__') as { selected: unknown }).selected = projection;
    let built = 0;
    const build = (p: unknown) => (built++, selection(p));
    assert.equal(selectedOf(docs[0]!, build), selectedOf(docs[1]!, build));
    assert.equal(built, 1);
  });

  test('a document loaded without a projection has every path selected', () => {
    const selected = selectedOf(new Entry(), selection);
    assert.equal(selected('description'), true);
    assert.equal(selectsEverything(selected), true);
    const projected = Entry.hydrate({ _id: new mongoose.Types.ObjectId() }, { headline: 1 });
    assert.equal(selectsEverything(selectedOf(projected, selection)), false);
  });
});

describe('skipAutoCreate (model.$init)', () => {
  test('Model.init() returns model.$init, which compiling a model sets', async () => {
    const Skipped = conn.model('Skipped', new mongoose.Schema({ name: String }));
    assert.ok(member(Skipped, '$init') instanceof Promise);
    skipAutoCreate(Skipped as unknown as mongoose.Model<never>);
    const init = Skipped.init();
    assert.equal(init, member(Skipped, '$init'));
    // Resolves at once, with no server: nothing was created.
    await init;
  });
});

describe('discriminatorOf (schema.discriminatorMapping)', () => {
  const Base = conn.model('Base', new mongoose.Schema({ headline: String }));
  const Review = Base.discriminator('Review', new mongoose.Schema({ stars: Number }));
  const Photo = Base.discriminator('Photo', new mongoose.Schema({ url: String }), { value: 'pic' });

  test('Mongoose records each discriminator’s stored value on its schema', () => {
    assert.deepEqual(member(Review.schema, 'discriminatorMapping'), { key: '__t', value: 'Review', isRoot: false });
    assert.deepEqual(member(Photo.schema, 'discriminatorMapping'), { key: '__t', value: 'pic', isRoot: false });
  });

  test('the wrapper finds the model a raw document belongs to', () => {
    const base = Base as unknown as mongoose.Model<never>;
    assert.equal(discriminatorOf(base, { __t: 'Review' }), Review);
    assert.equal(discriminatorOf(base, { __t: 'pic' }), Photo);
    assert.equal(discriminatorOf(base, { __t: 'Photo' }), Base, 'the stored value, not the name');
    assert.equal(discriminatorOf(base, { headline: 'x' }), Base);
  });
});

describe('addCursorTransform (aggregate.options.cursor)', () => {
  test('an aggregation made a cursor keeps its cursor options at options.cursor', () => {
    const aggregate = Entry.aggregate([{ $match: {} }]);
    assert.equal(member(aggregate.options, 'cursor'), undefined);
    addCursorTransform(aggregate, (row) => row);
    assert.equal(member(aggregate.options, 'cursor'), undefined, 'not a cursor: left alone');
    aggregate.option({ cursor: { batchSize: 5 } } as mongoose.AggregateOptions);
    assert.deepEqual(member(aggregate.options, 'cursor'), { batchSize: 5 });
  });

  test('runs ours before the caller’s own, and passes a for-await wrapper through', () => {
    const aggregate = Entry.aggregate([{ $match: {} }]);
    const seen: string[] = [];
    aggregate.option({ cursor: { transform: (row: { n: string }) => (seen.push(`theirs ${row.n}`), row) } } as never);
    addCursorTransform(aggregate, (row) => (seen.push(`ours ${(row as { n: string }).n}`), row));
    const transform = (member(aggregate.options, 'cursor') as { transform: (row: unknown) => unknown }).transform;
    transform({ _id: 1, n: 'a' });
    const wrapper = { value: { _id: 2, n: 'b' }, done: false };
    assert.equal(transform(wrapper), wrapper);
    // The caller's transform after a wrapper is Mongoose's own, which takes the wrapper.
    assert.deepEqual(seen, ['ours a', 'theirs a', 'ours b', 'theirs undefined']);
  });
});

describe('schemaTypeSuperArgs (the SchemaType constructor’s parentSchema)', () => {
  const received: unknown[] = [];
  class Probe extends mongoose.Schema.Types.String {
    constructor(...args: SchemaTypeConstructorArgs) {
      super(...schemaTypeSuperArgs(...args));
      received.push(args[3]);
    }
  }
  Object.defineProperty(Probe, 'schemaName', { value: 'InternalsProbe' });
  (mongoose.Schema.Types as unknown as Record<string, unknown>)['InternalsProbe'] = Probe;

  test('Mongoose gives a SchemaType class the schema the path is declared in, fourth', () => {
    assert.equal(mongoose.SchemaType.length, 4);
    assert.equal(mongoose.Schema.Types.String.length, 4);
    received.length = 0;
    const inner = new mongoose.Schema({ code: { type: Probe } });
    const outer = new mongoose.Schema({ code: { type: Probe }, meta: { code: { type: Probe } }, inner });
    assert.deepEqual(received, [inner, outer, outer]);
  });

  test('passed to super, it is stored as parentSchema and the instance stays String', () => {
    const schema = new mongoose.Schema({ code: { type: Probe } });
    const path = schema.path('code');
    assert.ok(path instanceof Probe);
    assert.equal(member(path, 'parentSchema'), schema);
    assert.equal(path.instance, 'String');
  });
});

describe('addOperatorCaster ($conditionalHandlers)', () => {
  test('is one table per SchemaType class, on its prototype', () => {
    const int32 = entrySchema.path('count');
    const table = member(int32, '$conditionalHandlers') as Record<string, unknown>;
    assert.equal(typeof table, 'object');
    assert.equal(typeof table['$in'], 'function');
    assert.equal(table, member(Object.getPrototypeOf(int32) as object, '$conditionalHandlers'));
    assert.equal(typeof member(entrySchema.path('id'), '$conditionalHandlers'), 'object');
  });

  test('an added caster is what Mongoose casts the operator with, on every path of the class', () => {
    const filter = { count: { $mod: [2, 1] as [number, number] } };
    // Mongoose 9 cannot cast $mod on Int32 (why manager/mod-operand.ts adds
    // it); if this starts to pass, the addition is no longer needed.
    assert.throws(() => Entry.find(filter).cast(Entry), /Cast to Int32 failed/);
    addOperatorCaster(entrySchema.path('count'), '$mod', (value) => value);
    assert.deepEqual(Entry.find(filter).cast(Entry), filter);
    const Other = conn.model('Other', new mongoose.Schema({ n: mongoose.Schema.Types.Int32 }));
    assert.deepEqual(Other.find({ n: { $mod: [3, 0] } }).cast(Other), { n: { $mod: [3, 0] } });
  });

  test('never replaces a caster Mongoose has', () => {
    const table = member(entrySchema.path('id'), '$conditionalHandlers') as Record<string, unknown>;
    const before = table['$mod'];
    assert.equal(typeof before, 'function');
    addOperatorCaster(entrySchema.path('id'), '$mod', () => 'replaced');
    assert.equal(table['$mod'], before);
  });
});

describe('mongooseVersionOf (schema.base)', () => {
  test('a schema’s base is the Mongoose instance that made it', () => {
    const schema = new mongoose.Schema({ name: String });
    assert.equal(member(schema, 'base'), mongoose);
    assert.equal(mongooseVersionOf(schema), mongoose.version);
  });

  test('another Mongoose instance’s schema names that instance', () => {
    const other = new mongoose.Mongoose();
    const schema = new other.Schema({ name: String });
    assert.equal(member(schema, 'base'), other);
    assert.equal(mongooseVersionOf(schema), other.version);
  });

  test('undefined when the object does not tell', () => {
    assert.equal(mongooseVersionOf({}), undefined);
  });
});

describe('markPopulatedMissing (doc.$populated(path, value))', () => {
  const Ref = conn.model(
    'MpmBook',
    new mongoose.Schema({ author: { type: mongoose.Schema.Types.ObjectId, ref: 'MpmAuthor' } }),
  );
  test('the path reads populated from the id, its value null, nothing modified', () => {
    const id = new mongoose.Types.ObjectId();
    const doc = Ref.hydrate({ _id: new mongoose.Types.ObjectId(), author: null });
    assert.equal(doc.populated('author'), undefined);
    markPopulatedMissing(doc, 'author', id);
    assert.equal(doc.populated('author'), id);
    assert.equal(doc.get('author'), null);
    assert.deepEqual(doc.modifiedPaths(), []);
    // depopulate() gives the id back, as after a populate that found nothing.
    doc.depopulate('author');
    assert.equal(String(doc.get('author')), String(id));
  });
});
