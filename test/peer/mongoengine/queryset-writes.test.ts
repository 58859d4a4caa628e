// Ported from MongoEngine's tests/queryset/test_queryset.py: inserting,
// deleting, and the list updates (push, pull, add_to_set, pop) on lists of
// embedded documents. MongoEngine's `insert(docs)` is `bulkCreate(docs)`,
// its NotUniqueError Django's IntegrityError.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import {
  RawUpdate,
  DjongooseError,
  FieldError,
  IntegrityError,
  NotSupportedError,
  Q,
  Raw,
  ValidationError,
  type QNode,
} from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { blogOfPosts, define, embedded, nestedSite, person, site, taggedPost } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

/** An update whose keys the typed API refuses (lookups, __raw__): sent as data. */
type Loose = Record<string, unknown>;

peer.case('TestQueryset.test_bulk_insert', async () => {
  // MongoEngine's insert of a document that has an id raises OperationError
  // before sending; Django's bulk_create sends it, and the duplicate key is
  // an IntegrityError. djongoose follows Django.
  const Blog = await blogOfPosts(conn, true);
  assert.equal(await Blog.objects.count(), 0);
  const post1 = { comments: [{ name: 'testa' }, { name: 'testb' }] };
  const post2 = { comments: [{ name: 'testb' }, { name: 'testb' }] };
  const many = Array.from({ length: 99 }, (_, i) => ({ title: String(i), posts: [post1, post2] }));
  await Blog.objects.bulkCreate(many);
  assert.equal(await Blog.objects.count(), 99);
  await Blog.deleteMany({});
  const [blog1, blog2] = await Blog.objects.bulkCreate([
    { title: 'code', posts: [post1, post2] },
    { title: 'mongodb', posts: [post2, post1] },
  ]);
  assert.equal(blog1?.title, 'code');
  assert.equal(blog2?.title, 'mongodb');
  assert.equal(await Blog.objects.count(), 2);
  const existing = await Blog.objects.first();
  await assert.rejects(Blog.objects.bulkCreate([existing!]), IntegrityError);
  await Blog.objects.bulkCreate([new Blog({ title: 'code123', _id: new mongoose.Types.ObjectId() })]);
  assert.equal(await Blog.objects.count(), 3);
  await Blog.deleteMany({});
  const post3 = { comments: [{ name: 'testa' }, { name: 'testa' }] };
  await Blog.objects.bulkCreate([
    { title: 'foo', posts: [post1, post2] },
    { title: 'bar', posts: [post2, post3] },
  ]);
  await assert.rejects(Blog.objects.bulkCreate([{ title: 'bar' }]), IntegrityError);
  assert.equal(await Blog.objects.count(), 2);
});

peer.case('TestQueryset.test_bulk_insert_different_class_fails', async () => {
  const Blog = await define<object>(conn, 'Blog', {});
  const Author = await define<object>(conn, 'Author', {});
  await assert.rejects(
    Blog.objects.bulkCreate([new Author({}) as never]),
    (err: Error) => err instanceof DjongooseError || err instanceof ValidationError,
  );
  assert.equal(await Blog.objects.count(), 0);
});

peer.case('TestQueryset.test_bulk_insert_with_wrong_type', async () => {
  // djongoose's bulkCreate takes plain objects as well as documents, so
  // MongoEngine's refusal of {"name": "garbage"} does not apply; a string does.
  const Blog = await define<{ name?: string }>(conn, 'Blog', { name: String });
  await Blog.create({ name: 'test' });
  await assert.rejects(Blog.objects.bulkCreate(['HELLO WORLD'] as never), ValidationError);
  assert.equal(await Blog.objects.count(), 1);
});

peer.case('TestQueryset.test_bulk_insert_with_wrong_type (a string, not a list)', async () => {
  const Blog = await define<{ name?: string }>(conn, 'Blog', { name: String });
  await assert.rejects(
    Blog.objects.bulkCreate('HELLO WORLD' as never),
    (err: Error) => err instanceof ValidationError || err instanceof FieldError,
  );
  assert.equal(await Blog.objects.count(), 0);
});

peer.case('TestQueryset.test_bulk_insert_update_input_document_ids', async () => {
  const Comment = await define<{ idx?: number }>(conn, 'Comment', { idx: Number });
  const comments = Array.from({ length: 20 }, (_, idx) => new Comment({ idx }));
  const returned = await Comment.objects.bulkCreate(comments);
  for (const com of comments) assert.ok(com._id instanceof mongoose.Types.ObjectId);
  const input = new Map(comments.map((c) => [String(c._id), c.idx]));
  const saved = new Map(returned.map((c) => [String(c._id), c.idx]));
  assert.deepEqual(input, saved);
  assert.equal(await Comment.objects.count(), 20);
});

peer.case('TestQueryset.test_bulk_insert_accepts_doc_with_ids', async () => {
  const Comment = await define<{ _id: number }>(conn, 'Comment', { _id: Number });
  await Comment.objects.bulkCreate([new Comment({ _id: 0 }), new Comment({ _id: 1 })]);
  assert.deepEqual(await Comment.objects.orderBy('pk').valuesList('pk', { flat: true }), [0, 1]);
});

peer.case('TestQueryset.test_insert_raise_if_duplicate_in_constraint', async () => {
  const Comment = await define<{ _id: number }>(conn, 'Comment', { _id: Number });
  await Comment.objects.bulkCreate([{ _id: 0 }]);
  await assert.rejects(Comment.objects.bulkCreate([{ _id: 0 }]), IntegrityError);
});

peer.case('TestQueryset.test_repeated_iteration', async () => {
  const Person = await person(conn);
  await Person.create({ name: 'Person 1' });
  await Person.create({ name: 'Person 2' });
  const queryset = Person.objects.all();
  const ids = (people: { _id: unknown }[]) => people.map((p) => String(p._id));
  const people1 = ids(await queryset);
  const people2 = ids(await queryset);
  // An iteration cut short does not spoil the next one.
  for await (const p of queryset.iterator()) {
    assert.ok(p);
    break;
  }
  const people3: string[] = [];
  for await (const p of queryset.iterator()) people3.push(String(p._id));
  assert.equal(people1.length, 2);
  assert.deepEqual(people1, people2);
  assert.deepEqual(people1, people3);
});

peer.case('TestQueryset.test_delete', async () => {
  const Person = await person(conn);
  await Person.objects.bulkCreate([
    { name: 'User A', age: 20 },
    { name: 'User B', age: 30 },
    { name: 'User C', age: 40 },
  ]);
  assert.equal(await Person.objects.count(), 3);
  await Person.objects.filter({ age__lt: 30 }).delete();
  assert.equal(await Person.objects.count(), 2);
  await Person.objects.all().delete();
  assert.equal(await Person.objects.count(), 0);
});

peer.case('TestQueryset.test_delete_with_limits', async () => {
  // MongoEngine deletes the slice (8 left). Django refuses to delete a sliced
  // QuerySet, and djongoose follows Django: NotSupportedError, nothing deleted.
  const Log = await define<object>(conn, 'Log', {});
  await Log.objects.bulkCreate(Array.from({ length: 10 }, () => ({})));
  await assert.rejects(Log.objects.all().slice(3, 5).delete(), NotSupportedError);
  assert.equal(await Log.objects.count(), 10);
});

peer.case('TestQueryset.test_reference_field_find', async () => {
  const Person = await person(conn);
  const BlogPost = await define<{ content?: string; author?: mongoose.Types.ObjectId }>(conn, 'BlogPost', {
    content: String,
    author: { type: mongoose.Schema.Types.ObjectId, ref: Person.modelName },
  });
  const me = await Person.create({ name: 'Test User' });
  await BlogPost.create({ content: 'test 123', author: me._id });
  assert.equal(await BlogPost.objects.filter({ author: me as never }).count(), 1);
  assert.equal(await BlogPost.objects.filter({ author: me._id }).count(), 1);
  assert.equal(await BlogPost.objects.filter({ author: String(me._id) }).count(), 1);
  assert.equal(await BlogPost.objects.filter({ author__in: [me as never] }).count(), 1);
  assert.equal(await BlogPost.objects.filter({ author__in: [me._id] }).count(), 1);
  assert.equal(await BlogPost.objects.filter({ author__in: [String(me._id)] }).count(), 1);
});

peer.case('TestQueryset.test_update_push_and_pull_add_to_set', async () => {
  const BlogPost = await taggedPost(conn);
  const post = await BlogPost.create({ slug: 'test' });
  const tags = async () => (await BlogPost.findById(post._id).lean())?.tags;
  await BlogPost.objects.filter({ pk: post._id }).update({ push__tags: 'code' });
  assert.deepEqual(await tags(), ['code']);
  await BlogPost.objects.filter({ pk: post._id }).update({ push_all__tags: ['mongodb', 'code'] });
  assert.deepEqual(await tags(), ['code', 'mongodb', 'code']);
  await BlogPost.objects.filter({ slug: 'test' }).update({ pull__tags: 'code' });
  assert.deepEqual(await tags(), ['mongodb']);
  await BlogPost.objects.filter({ slug: 'test' }).update({ pull_all__tags: ['mongodb', 'code'] });
  assert.deepEqual(await tags(), []);
});

peer.case(
  'TestQueryset.test_update_push_and_pull_add_to_set (__raw__ $addToSet)',
  // MongoEngine's __raw__ update is djongoose's __raw__: RawUpdate(...), which only code can build.
  async () => {
    const BlogPost = await taggedPost(conn);
    const post = await BlogPost.create({ slug: 'test', tags: [] });
    await BlogPost.objects.filter({ slug: 'test' }).update({
      __raw__: RawUpdate({ $addToSet: { tags: { $each: ['code', 'mongodb', 'code'] } } }),
    } as Loose as never);
    assert.deepEqual((await BlogPost.findById(post._id).lean())?.tags, ['code', 'mongodb']);
  },
);

peer.case(
  'TestQueryset.test_aggregation_update',
  // __raw__=[...] is RawUpdate([...]) here: a plain array may come from a request.
  async () => {
    const BlogPost = await taggedPost(conn);
    const post = await BlogPost.create({ slug: 'test' });
    await BlogPost.objects
      .filter({ slug: 'test' })
      .update({ __raw__: RawUpdate([{ $set: { slug: { $concat: ['$slug', ' ', '$slug'] } } }]) } as Loose as never);
    assert.equal((await BlogPost.findById(post._id))?.slug, 'test test');
    await BlogPost.objects.filter({ slug: 'test test' }).update({
      __raw__: RawUpdate([
        { $set: { slug: { $concat: ['$slug', ' ', 'it'] } } },
        { $set: { slug: { $concat: ['When', ' ', '$slug'] } } },
      ]),
    } as Loose as never);
    assert.equal((await BlogPost.findById(post._id))?.slug, 'When test test it');
  },
);

peer.case('TestQueryset.test_combination_of_mongoengine_and__raw__ (update)', async () => {
  const BlogPost = await define<{ slug?: string; foo?: string }>(conn, 'BlogPost', { slug: String, foo: String });
  const post = await BlogPost.create({ slug: 'test', foo: 'bar' });
  await BlogPost.objects
    .filter({ slug: 'test' })
    .update({ foo: 'baz', __raw__: RawUpdate({ $set: { slug: 'test test' } }) } as Loose as never);
  const reloaded = await BlogPost.findById(post._id);
  assert.equal(reloaded?.slug, 'test test');
  assert.equal(reloaded?.foo, 'baz');
});

peer.case('TestQueryset.test_combination_of_mongoengine_and__raw__ (filter)', async () => {
  // MongoEngine's __raw__ filter key is djongoose's Raw(...) (a request can never build it).
  const BlogPost = await define<{ slug?: string; foo?: string }>(conn, 'BlogPost', { slug: String, foo: String });
  await BlogPost.create({ slug: 'test test', foo: 'baz' });
  const count = (q: QNode) => BlogPost.objects.filter(q).count();
  assert.equal(await count(Q({ foo: 'baz' }).and(Raw({ slug: 'test test' }))), 1);
  assert.equal(await count(Q({ foo__ne: 'bar' }).and(Raw({ slug: { $ne: 'test' } }))), 1);
  assert.equal(await count(Q({ foo: 'baz' }).and(Raw({ slug: { $ne: 'test test' } }))), 0);
  assert.equal(await count(Q({ foo__ne: 'baz' }).and(Raw({ slug: 'test test' }))), 0);
  assert.equal(await count(Q({ foo__ne: 'baz' }).and(Raw({ slug: { $ne: 'test test' } }))), 0);
});

peer.case('TestQueryset.test_add_to_set_each', async () => {
  const Item = await define<{ name?: string; description?: string; parents?: mongoose.Types.ObjectId[] }>(
    conn,
    'Item',
    {
      name: { type: String, required: true },
      description: { type: String, maxlength: 50 },
      parents: [{ type: mongoose.Schema.Types.ObjectId }],
    },
  );
  const item = await Item.create({ name: 'test item' });
  const parent1 = await Item.create({ name: 'parent 1' });
  const parent2 = await Item.create({ name: 'parent 2' });
  await Item.objects.filter({ pk: item._id }).update({ add_to_set__parents: [parent1._id, parent2._id, parent1._id] });
  const reloaded = await Item.findById(item._id).lean();
  assert.deepEqual(reloaded?.parents?.map(String), [String(parent1._id), String(parent2._id)]);
});

peer.case('TestQueryset.test_pull_nested', async () => {
  const Site = await site(conn);
  const s = await Site.create({ name: 'test', collaborators: [{ user: 'Esteban' }] });
  await Site.objects.filter({ pk: s._id }).update({ pull__collaborators__user: 'Esteban' } as Loose as never);
  assert.deepEqual((await Site.objects.lean().first())?.collaborators, []);
  await assert.rejects(
    Site.objects.filter({ pk: s._id }).update({ pull_all__collaborators__user: ['Ross'] } as Loose as never),
    FieldError,
  );
});

peer.case('TestQueryset.test_pull_from_nested_embedded', { gap: 'pullConditions' }, async () => {
  const Site = await nestedSite(conn);
  const s = await Site.create({
    name: 'test',
    collaborators: { helpful: [{ name: 'Esteban' }], unhelpful: [{ name: 'Frank' }] },
  });
  const one = Site.objects.filter({ pk: s._id });
  await one.update({ pull__collaborators__helpful: { name: 'Esteban' } } as Loose as never);
  assert.deepEqual((await Site.objects.lean().first())?.collaborators?.helpful, []);
  await one.update({ pull__collaborators__unhelpful: { name: 'Frank' } } as Loose as never);
  assert.deepEqual((await Site.objects.lean().first())?.collaborators?.unhelpful, []);
  await assert.rejects(one.update({ pull_all__collaborators__helpful__name: ['Ross'] } as Loose as never), FieldError);
});

peer.case('TestQueryset.test_pull_from_nested_embedded_using_in_nin', { gap: 'pullConditions' }, async () => {
  const Site = await nestedSite(conn);
  const s = await Site.create({
    name: 'test',
    collaborators: {
      helpful: [{ name: 'Esteban' }, { name: 'Frank' }],
      unhelpful: [{ name: 'Harry' }, { name: 'John' }],
    },
  });
  const one = Site.objects.filter({ pk: s._id });
  await one.update({ pull__collaborators__helpful__name__in: ['Esteban'] } as Loose as never);
  assert.deepEqual((await Site.objects.lean().first())?.collaborators?.helpful, [{ name: 'Frank' }]);
  await one.update({ pull__collaborators__unhelpful__name__nin: ['John'] } as Loose as never);
  assert.deepEqual((await Site.objects.lean().first())?.collaborators?.unhelpful, [{ name: 'John' }]);
});

peer.case('TestQueryset.test_pull_from_nested_mapfield', { gap: 'pullConditions' }, async () => {
  // MongoEngine's MapField(ListField(EmbeddedDocumentField)) is a Mongoose Map of lists.
  const collaborator = embedded({ user: String });
  const Site = await define<{ name?: string; collaborators?: Map<string, { user?: string }[]> }>(conn, 'Site', {
    name: { type: String, maxlength: 75, unique: true, required: true },
    collaborators: { type: Map, of: [collaborator] },
  });
  const s = await Site.create({
    name: 'test',
    collaborators: { helpful: [{ user: 'Esteban' }], unhelpful: [{ user: 'Frank' }] },
  });
  const one = Site.objects.filter({ pk: s._id });
  await one.update({ pull__collaborators__helpful__user: 'Esteban' } as Loose as never);
  assert.deepEqual((await Site.collection.findOne({}))?.['collaborators']?.helpful, []);
  await one.update({ pull__collaborators__unhelpful: { user: 'Frank' } } as Loose as never);
  assert.deepEqual((await Site.collection.findOne({}))?.['collaborators']?.unhelpful, []);
  await assert.rejects(one.update({ pull_all__collaborators__helpful__user: ['Ross'] } as Loose as never), FieldError);
});

peer.case('TestQueryset.test_pull_in_genericembedded_field', async () => {
  // A GenericEmbeddedDocumentField list is a list of Mixed values here.
  const Bar = await define<{ foos?: unknown[] }>(conn, 'Bar', { foos: [mongoose.Schema.Types.Mixed] });
  const bar = await Bar.create({ foos: [{ name: 'bar' }] });
  await Bar.objects.filter({ pk: bar._id }).update({ pull__foos: { name: 'bar' } } as Loose as never);
  assert.equal((await Bar.findById(bar._id).lean())?.foos?.length, 0);
});

peer.case('TestQueryset.test_update_one_check_return_with_full_result', async () => {
  // full_result (pymongo's UpdateResult) has no counterpart; update() answers how many matched.
  const BlogTag = await define<{ name: string }>(conn, 'BlogTag', { name: { type: String, required: true } });
  await BlogTag.create({ name: 'garbage' });
  assert.equal(await BlogTag.objects.update({ name: 'new' }), 1);
  assert.equal(await BlogTag.objects.filter({ name: 'new' }).count(), 1);
});

peer.case('TestQueryset.test_update_one_pop_generic_reference', async () => {
  const BlogTag = await define<{ name: string }>(conn, 'BlogTag', { name: { type: String, required: true } });
  const BlogPost = await define<{ slug?: string; tags: mongoose.Types.ObjectId[] }>(conn, 'BlogPost', {
    slug: String,
    tags: { type: [{ type: mongoose.Schema.Types.ObjectId, ref: BlogTag.modelName }], required: true },
  });
  const tag1 = await BlogTag.create({ name: 'code' });
  const tag2 = await BlogTag.create({ name: 'mongodb' });
  await BlogPost.create({ slug: 'test', tags: [tag1._id] });
  const post = await BlogPost.create({ slug: 'test-2', tags: [tag1._id, tag2._id] });
  assert.equal(post.tags.length, 2);
  await BlogPost.objects.filter({ slug: 'test-2' }).update({ pop__tags: -1 });
  assert.equal((await BlogPost.findById(post._id))?.tags.length, 1);
});

peer.case('TestQueryset.test_editting_embedded_objects', async () => {
  const BlogPost = await define<{ slug?: string; tags: { name: string }[] }>(conn, 'BlogPost', {
    slug: String,
    tags: { type: [embedded({ name: { type: String, required: true } })], required: true },
  });
  await BlogPost.create({ slug: 'test', tags: [{ name: 'code' }] });
  const post = await BlogPost.create({ slug: 'test-2', tags: [{ name: 'code' }, { name: 'mongodb' }] });
  assert.equal(post.tags.length, 2);
  await BlogPost.objects.filter({ slug: 'test-2' }).update({ set__tags__0__name: 'python' } as Loose as never);
  assert.equal((await BlogPost.findById(post._id))?.tags[0]?.name, 'python');
  await BlogPost.objects.filter({ slug: 'test-2' }).update({ pop__tags: -1 });
  assert.equal((await BlogPost.findById(post._id))?.tags.length, 1);
});

peer.case('TestQueryset.test_set_list_embedded_documents', { gap: 'positionalUpdates' }, async () => {
  const Message = await define<{ title?: string; authors?: { name?: string }[] }>(conn, 'Message', {
    title: String,
    authors: [embedded({ name: String })],
  });
  const message = await Message.create({ title: 'hello', authors: [{ name: 'Harry' }] });
  await Message.objects
    .filter({ authors__name: 'Harry' })
    .update({ set__authors__S: { name: 'Ross' } } as Loose as never);
  assert.equal((await Message.findById(message._id))?.authors?.[0]?.name, 'Ross');
  await Message.objects
    .filter({ authors__name: 'Ross' })
    .update({ set__authors: [{ name: 'Harry' }, { name: 'Ross' }, { name: 'Adam' }] });
  const names = (await Message.findById(message._id).lean())?.authors?.map((a) => a.name);
  assert.deepEqual(names, ['Harry', 'Ross', 'Adam']);
});

peer.case('TestQueryset.test_set_generic_embedded_documents', async () => {
  // MongoEngine passes upsert=True to a document that exists: the update alone is ported.
  const User = await define<{ username?: string; bar?: { name?: string } }>(conn, 'User', {
    username: String,
    bar: mongoose.Schema.Types.Mixed,
  });
  await User.create({ username: 'abc' });
  await User.objects.filter({ username: 'abc' }).update({ set__bar: { name: 'test' } });
  assert.equal((await User.objects.filter({ username: 'abc' }).lean().first())?.bar?.name, 'test');
});

peer.case('TestQueryset.test_reload_embedded_docs_instance', async () => {
  // MongoEngine's embedded._instance is Mongoose's subdocument ownerDocument().
  const Doc = await define<{ embedded?: { val?: number } }>(conn, 'Doc', { embedded: embedded({ val: Number }) });
  const doc = await Doc.create({ embedded: { val: 0 } });
  const reloaded = await Doc.objects.get({ pk: doc._id });
  const sub = reloaded.embedded as unknown as mongoose.Types.Subdocument;
  assert.equal(String(sub.ownerDocument()._id), String(doc._id));
});

peer.case('TestQueryset.test_reload_list_embedded_docs_instance', async () => {
  const Doc = await define<{ embedded?: { val?: number }[] }>(conn, 'Doc', { embedded: [embedded({ val: Number })] });
  const doc = await Doc.create({ embedded: [{ val: 0 }] });
  const reloaded = await Doc.objects.get({ pk: doc._id });
  const sub = reloaded.embedded?.[0] as unknown as mongoose.Types.Subdocument;
  assert.equal(String(sub.ownerDocument()._id), String(doc._id));
});
