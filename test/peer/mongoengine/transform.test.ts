// Ported from MongoEngine's tests/queryset/test_transform.py, which checks
// what transform.query() and transform.update() compile keys to. djongoose's
// counterparts are a QuerySet's toMongo().filter and compileUpdate(); each
// case asserts the compiled form and runs it against the server. Where
// djongoose compiles to another but equivalent form (`$and` of two conditions
// instead of one merged object, `$unset: ''` for `1`, `$pullAll` of one value
// for `$pull`), the case says so and checks, on the server, that both forms
// have the same effect.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { compileUpdate, FieldError, Q, Raw, ValidationError, type Managed, type QNode } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { define, embedded } from './models/queryset.js';
import { mainDoc, transformDoc } from './models/transform.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

type Loose = Record<string, unknown>;

/** transform.query(): the filter a QuerySet sends. */
function query<T>(model: Managed<T>, filter: Loose | QNode): Record<string, unknown> {
  return model.objects.filter(filter as never).toMongo().filter;
}

/** transform.update(): the update compileUpdate makes for the model. */
function update<T>(model: Managed<T>, changes: Loose): unknown {
  return compileUpdate({ schema: model.schema, modelName: model.modelName }, changes);
}

/** The ids a raw filter matches, sorted: for comparing two forms of one filter. */
async function matching<T>(model: Managed<T>, filter: Record<string, unknown>): Promise<string[]> {
  return (await model.collection.find(filter).toArray()).map((d) => String(d._id)).sort();
}

/**
 * Applies djongoose's update to one copy of `seed` and MongoEngine's raw
 * update to another, and compares the two documents (without their ids).
 */
async function sameEffect<T>(
  model: Managed<T>,
  seed: Loose,
  changes: Loose,
  theirs: Record<string, unknown>,
): Promise<Loose> {
  const inserted = await model.collection.insertMany([structuredClone(seed), structuredClone(seed)]);
  const mine = inserted.insertedIds[0]!;
  const other = inserted.insertedIds[1]!;
  await model.objects.filter({ pk: mine } as never).update(changes as never);
  await model.collection.updateOne({ _id: other }, theirs);
  const [a, b] = await Promise.all([model.collection.findOne({ _id: mine }), model.collection.findOne({ _id: other })]);
  const ours: Loose = { ...a, _id: undefined };
  const expected: Loose = { ...b, _id: undefined };
  assert.deepEqual(ours, expected);
  await model.collection.deleteMany({ _id: { $in: [mine, other] } });
  return ours;
}

peer.case('TestTransform.test_transform_str_datetime', async () => {
  // MongoEngine passes {"$ne": …} through as an operator; by Django's rule
  // (#12 §2: operator objects as values are data) it is a value, which a
  // String field cannot take. The date__ne lookup compiles as MongoEngine's.
  const Doc = await transformDoc(conn);
  await Doc.create({ date: '2015-12-01T00:00:00' });
  await Doc.create({ date: '2016-01-01T00:00:00' });
  assert.throws(() => query(Doc, { date: { $ne: '2015-12-01T00:00:00' } }), ValidationError);
  const filter = query(Doc, { date__ne: '2015-12-01T00:00:00' });
  assert.deepEqual(filter, { date: { $ne: '2015-12-01T00:00:00' } });
  assert.equal(await Doc.objects.filter({ date__ne: '2015-12-01T00:00:00' }).count(), 1);
});

peer.case('TestTransform.test_transform_query', async () => {
  const Doc = await transformDoc(conn);
  await Doc.objects.bulkCreate([
    { name: 'test', age: 30, friend: { age: 30 } },
    { name: 'Mark', age: 20, friend: { age: 10 } },
    { name: 'Tom', age: 60 },
  ]);
  assert.deepEqual(query(Doc, { name: 'test', age: 30 }), { name: 'test', age: 30 });
  assert.deepEqual(query(Doc, { age__lt: 30 }), { age: { $lt: 30 } });
  // MongoEngine merges two lookups on one field into one object; djongoose
  // joins them with $and. Same documents.
  const between = query(Doc, { age__gt: 20, age__lt: 50 });
  assert.deepEqual(await matching(Doc, between), await matching(Doc, { age: { $gt: 20, $lt: 50 } }));
  assert.equal((await matching(Doc, between)).length, 1);
  assert.deepEqual(query(Doc, { age: 20, age__gt: 50 }), { $and: [{ age: 20 }, { age: { $gt: 50 } }] });
  assert.deepEqual(query(Doc, { friend__age__gte: 30 }), { 'friend.age': { $gte: 30 } });
  assert.deepEqual(query(Doc, { name__exists: true }), { name: { $exists: true } });
  // MongoEngine's __raw__ key is Raw(...), and-ed with the other conditions.
  assert.deepEqual(query(Doc, Q({ name__in: ['Tom'] }).and(Raw({ name: 'Mark' }))), {
    $and: [{ name: { $in: ['Tom'] } }, { name: 'Mark' }],
  });
  assert.equal(await Doc.objects.filter(Q({ name__in: ['Tom'] }).and(Raw({ name: 'Mark' }))).count(), 0);
  assert.equal(await Doc.objects.filter({ friend__age__gte: 30 }).count(), 1);
});

peer.case('TestTransform.test_transform_update', async () => {
  // A Mixed field (MongoEngine's DictField) takes a document at a dotted path.
  const Doc = await transformDoc(conn);
  const other = new mongoose.Types.ObjectId();
  const value = { _id: other };
  assert.deepEqual(update(Doc, { set__dictField__test: value }), { $set: { 'dictField.test': value } });
  assert.deepEqual(update(Doc, { set_on_insert__dictField__test: value }), {
    $setOnInsert: { 'dictField.test': value },
  });
  // push__ sends one value through $each, so a document is never read as an operator.
  assert.deepEqual(update(Doc, { push__dictField__test: value }), { $push: { 'dictField.test': { $each: [value] } } });
  await sameEffect(
    Doc,
    { dictField: { test: [] } },
    { push__dictField__test: value },
    { $push: { 'dictField.test': value } },
  );
  // MongoEngine's $unset value is 1, djongoose's ''; MongoDB ignores it.
  assert.ok('dictField.test' in (update(Doc, { unset__dictField__test: 1 }) as { $unset: Loose }).$unset);
  await sameEffect(
    Doc,
    { dictField: { test: 1, keep: 2 } },
    { unset__dictField__test: 1 },
    { $unset: { 'dictField.test': 1 } },
  );
});

peer.case('TestTransform.test_transform_update (pull__foo__in)', async () => {
  const Doc = await transformDoc(conn);
  assert.deepEqual(update(Doc, { pull__foo__in: ['a'] }), { $pull: { foo: { $in: ['a'] } } });
  await sameEffect(Doc, { foo: ['a', 'b'] }, { pull__foo__in: ['a'] }, { $pull: { foo: { $in: ['a'] } } });
});

peer.case('TestTransform.test_transform_update_push', async () => {
  // MongoEngine's push__tags of a list pushes the list as one element; on a
  // list of strings that stores an array among strings. djongoose checks the
  // value against the field (a String), as #12 §2.17 asks of updates.
  const Doc = await transformDoc(conn);
  assert.throws(() => update(Doc, { push__tags: ['mongo', 'db'] }), ValidationError);
  assert.deepEqual(update(Doc, { push_all__tags: ['mongo', 'db'] }), { $push: { tags: { $each: ['mongo', 'db'] } } });
  await sameEffect(
    Doc,
    { tags: ['x'] },
    { push_all__tags: ['mongo', 'db'] },
    { $push: { tags: { $each: ['mongo', 'db'] } } },
  );
});

peer.case('TestTransform.test_transform_update_no_operator_default_to_set', async () => {
  const Doc = await transformDoc(conn);
  assert.deepEqual(update(Doc, { tags: ['mongo', 'db'] }), { $set: { tags: ['mongo', 'db'] } });
  await sameEffect(Doc, { tags: ['x'] }, { tags: ['mongo', 'db'] }, { $set: { tags: ['mongo', 'db'] } });
});

peer.case('TestTransform.test_query_field_name', async () => {
  // MongoEngine's db_field is the stored name: Mongoose's path, with the attribute as its alias.
  const comment = new mongoose.Schema({ commentContent: { type: String, alias: 'content' } }, { _id: false });
  const BlogPost = await define<{ postTitle?: string; title?: string; postComments?: { commentContent?: string }[] }>(
    conn,
    'BlogPost',
    {
      postTitle: { type: String, alias: 'title' },
      postComments: { type: [comment], alias: 'comments' },
    },
  );
  const post = await BlogPost.create({ title: 'Post 1', comments: [{ content: 'test' }] } as never);
  assert.equal((await BlogPost.collection.findOne({}))?.['postTitle'], 'Post 1');
  assert.deepEqual(query(BlogPost, { title: 'Post 1' }), { postTitle: 'Post 1' });
  assert.equal(await BlogPost.objects.filter({ title: 'Post 1' } as never).count(), 1);
  // An object value (an ObjectId) is compared through $eq, so it can never read as an operator; same effect.
  assert.deepEqual(query(BlogPost, { pk: post._id }), { _id: { $eq: post._id } });
  assert.equal(await BlogPost.objects.filter({ pk: post._id }).count(), 1);
  assert.deepEqual(query(BlogPost, { comments__content: 'test' }), { 'postComments.commentContent': 'test' });
  assert.equal(await BlogPost.objects.filter({ comments__content: 'test' } as never).count(), 1);
});

peer.case('TestTransform.test_query_pk_field_name', async () => {
  // A primary key named title: Mongoose's _id with the alias title.
  const BlogPost = await define<{ _id: string; title?: string }>(conn, 'BlogPost', {
    _id: { type: String, alias: 'title' },
  });
  await BlogPost.create({ _id: 'Post 1' });
  assert.ok('_id' in query(BlogPost, { pk: 'Post 1' }));
  assert.equal(await BlogPost.objects.filter({ pk: 'Post 1' }).count(), 1);
  assert.ok('_id' in query(BlogPost, { title: 'Post 1' }));
  assert.equal(await BlogPost.objects.filter({ title: 'Post 1' } as never).count(), 1);
});

peer.case('TestTransform.test_chaining', async () => {
  const A = await define<{ _id: mongoose.Types.ObjectId }>(conn, 'A', {});
  const B = await define<{ a?: mongoose.Types.ObjectId }>(conn, 'B', {
    a: { type: mongoose.Schema.Types.ObjectId, ref: A.modelName },
  });
  const a1 = await A.create({});
  const a2 = await A.create({});
  await B.create({ a: a1._id });
  const q1 = query(B, { a__in: [a1._id, a2._id], a: a1._id });
  const q2 = B.objects
    .filter({ a__in: [a1._id, a2._id] })
    .filter({ a: a1._id })
    .toMongo().filter;
  assert.deepEqual(q1, q2);
  assert.equal(
    await B.objects
      .filter({ a__in: [a1._id, a2._id] })
      .filter({ a: a1._id })
      .count(),
    1,
  );
});

peer.case('TestTransform.test_raw_query_and_Q_objects', async () => {
  const Foo = await define<{ name?: string; a?: string; b?: string; c?: string }>(conn, 'Foo', {
    name: String,
    a: String,
    b: String,
    c: String,
  });
  await Foo.objects.bulkCreate([
    { name: 'bar', a: '1', c: '1' },
    { name: 'baz', b: '1', c: '2' },
  ]);
  assert.deepEqual(query(Foo, Raw({ $nor: [{ name: 'bar' }] })), { $nor: [{ name: 'bar' }] });
  assert.equal(await Foo.objects.filter(Raw({ $nor: [{ name: 'bar' }] })).count(), 1);
  const q1 = { $or: [{ a: '1' }, { b: '1' }] };
  assert.deepEqual(query(Foo, Raw(q1).and(Q({ c: '1' }))), { $or: [{ a: '1' }, { b: '1' }], c: '1' });
  assert.equal(await Foo.objects.filter(Raw(q1).and(Q({ c: '1' }))).count(), 1);
});

peer.case('TestTransform.test_raw_and_merging', async () => {
  const Doc = await define<object>(conn, 'Doc', {});
  const raw = {
    deleted: false,
    scraped: 'yes',
    $nor: [{ 'views.extracted': 'no' }, { 'attachments.views.extracted': 'no' }],
  };
  assert.deepEqual(query(Doc, Raw(raw)), raw);
  await Doc.collection.insertMany([
    { deleted: false, scraped: 'yes', views: { extracted: 'yes' } },
    { deleted: false, scraped: 'yes', views: { extracted: 'no' } },
  ]);
  assert.equal(await Doc.objects.filter(Raw(raw)).count(), 1);
});

peer.case('TestTransform.test_type', async () => {
  // A DynamicField is a Mixed field. The driver stores 7 as a 32-bit int, as pymongo does.
  const Doc = await define<{ df?: unknown }>(conn, 'Doc', { df: mongoose.Schema.Types.Mixed });
  await Doc.create({ df: true });
  await Doc.create({ df: 7 });
  await Doc.create({ df: 'df' });
  assert.deepEqual(query(Doc, { df__type: 8 }), { df: { $type: 8 } });
  assert.equal(await Doc.objects.filter({ df__type: 1 }).count(), 0);
  assert.equal(await Doc.objects.filter({ df__type: 8 }).count(), 1);
  assert.equal(await Doc.objects.filter({ df__type: 2 }).count(), 1);
  assert.equal(await Doc.objects.filter({ df__type: 16 }).count(), 1);
});

peer.case('TestTransform.test_embedded_field_name_like_operator', async () => {
  // MongoEngine escapes a field named like an operator with a trailing "__"
  // (item__type__); Django resolves a field before a lookup, so djongoose
  // reads item__type as the field.
  const Doc = await define<{ item?: { type?: string; name?: string } }>(conn, 'Doc', {
    item: embedded({ type: String, name: String }),
  });
  const doc = await Doc.create({ item: { type: 'axe', name: 'Heroic axe' } });
  assert.deepEqual(query(Doc, { item__type: 'axe' }), { 'item.type': 'axe' });
  assert.equal(await Doc.objects.filter({ item__type: 'axe' }).count(), 1);
  assert.equal(await Doc.objects.filter({ item__name: 'Heroic axe' }).count(), 1);
  await Doc.objects.filter({ pk: doc._id }).update({ set__item__type: 'sword' });
  assert.equal(await Doc.objects.filter({ item__type: 'sword' }).count(), 1);
  assert.equal(await Doc.objects.filter({ item__type: 'axe' }).count(), 0);
});

peer.case('TestTransform.test_regular_field_named_like_operator', async () => {
  const SimpleDoc = await define<{ size?: string; type?: string }>(conn, 'SimpleDoc', { size: String, type: String });
  await SimpleDoc.create({ type: 'ok', size: 'ok' });
  assert.deepEqual(query(SimpleDoc, { type: 'testtype' }), { type: 'testtype' });
  assert.equal(await SimpleDoc.objects.filter({ type: 'ok' }).count(), 1);
  assert.equal(await SimpleDoc.objects.filter({ size: 'ok' }).count(), 1);
  assert.deepEqual(update(SimpleDoc, { set__type: 'testtype' }), { $set: { type: 'testtype' } });
  await SimpleDoc.objects.update({ set__type: 'testtype' });
  await SimpleDoc.objects.update({ set__size: 'testsize' });
  const s = await SimpleDoc.objects.first();
  assert.equal(s?.type, 'testtype');
  assert.equal(s?.size, 'testsize');
});

peer.case('TestTransform.test_update_pull_for_list_fields', { gap: 'pullConditions' }, async () => {
  // An embedded value in a pull is matched field by field ({ word: { $eq: … } }),
  // so that it is read literally; MongoEngine sends the document. A scalar is
  // pulled through $pullAll, MongoEngine's through $pull. Same effect.
  const MainDoc = await mainDoc(conn);
  const word = { word: 'abc', index: 1 };
  const pulled = update(MainDoc, { pull__content__text: word }) as { $pull: Loose };
  assert.deepEqual(Object.keys(pulled.$pull), ['content.text']);
  const seed = { content: { heading: ['xyz', 'uvw'], text: [word, { word: 'def', index: 2 }] } };
  const after = await sameEffect(MainDoc, seed, { pull__content__text: word }, { $pull: { 'content.text': word } });
  assert.deepEqual(after['content'], { heading: ['xyz', 'uvw'], text: [{ word: 'def', index: 2 }] });
  await sameEffect(MainDoc, seed, { pull__content__heading: 'xyz' }, { $pull: { 'content.heading': 'xyz' } });
});

peer.case('TestTransform.test_update_pull_for_list_fields (__in, __nin)', async () => {
  const MainDoc = await mainDoc(conn);
  assert.deepEqual(update(MainDoc, { pull__content__text__word__in: ['foo', 'bar'] }), {
    $pull: { 'content.text': { word: { $in: ['foo', 'bar'] } } },
  });
  assert.deepEqual(update(MainDoc, { pull__content__text__word__nin: ['foo', 'bar'] }), {
    $pull: { 'content.text': { word: { $nin: ['foo', 'bar'] } } },
  });
});

peer.case('TestTransform.test_transform_embedded_document_list_fields', async () => {
  // MongoEngine sends the $elemMatch objects as operators. By Django's rule
  // (#12 §2: operator objects as values are data) and djongoose's own
  // (a value never becomes an operator), the value is refused: it could come
  // from JSON.parse. Its djongoose form is drinks__match (Q(...) for lookups), written in code.
  const Shop = await define<{ drinks?: { _id?: string }[] }>(conn, 'Shop', {
    drinks: [new mongoose.Schema({ _id: String }, { strict: false })],
  });
  await Shop.objects.create({ drinks: [{ _id: 'drink_1' }, { _id: 'drink_2' }] });
  const fromJson = JSON.parse(
    '{ "drinks__all": [{ "$elemMatch": { "_id": "drink_1" } }, { "$elemMatch": { "_id": "drink_2" } }] }',
  ) as Loose;
  await assert.rejects(
    async () => Shop.objects.filter(fromJson as never).count(),
    (err: Error) => err instanceof FieldError || err instanceof ValidationError,
  );
});
