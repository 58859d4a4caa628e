// Ported from MongoEngine's tests/queryset/test_queryset.py: the update cases
// (MongoEngine's update keys, positions, the positional operator, upserts).
// MongoEngine's `update_one(...)` on a collection of one document is
// djongoose's `update(...)` on that document; `doc.reload()` reads it again.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DjongooseError, FieldError, ValidationError } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { blogOfPosts, define, embedded, person, taggedPost, votedPost } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

/** An update whose keys the typed API refuses (positions, `S`, lookups): sent as data. */
type Loose = Record<string, unknown>;

peer.case('TestQueryset.test_update_update_has_a_value', async () => {
  // MongoEngine raises OperationError for an empty update; Django sends
  // nothing and answers 0, and djongoose follows Django (#12 §2.7).
  const Person = await person(conn);
  const author = await Person.objects.create({ name: 'Test User' });
  assert.equal(await Person.objects.filter({ pk: author._id }).update({}), 0);
  assert.equal((await Person.findById(author._id).lean())?.name, 'Test User');
});

peer.case('TestQueryset.test_update_array_position', async () => {
  const Blog = await blogOfPosts(conn);
  const post1 = { comments: [{ name: 'testa' }, { name: 'testb' }] };
  const post2 = { comments: [{ name: 'testb' }, { name: 'testb' }] };
  await Blog.objects.bulkCreate([{ posts: [post1, post2] }, { posts: [post2, post1] }]);
  await Blog.objects.update({ set__posts__1__comments__0__name: 'testc' } as Loose as never);
  assert.equal(await Blog.objects.filter({ posts__1__comments__0__name: 'testc' } as never).count(), 2);
  await Blog.deleteMany({});
  const [first] = await Blog.objects.bulkCreate([{ posts: [post1, post2] }, { posts: [post2, post1] }]);
  await Blog.objects.filter({ pk: first!._id }).update({ set__posts__1__comments__1__name: 'testc' } as Loose as never);
  assert.equal(await Blog.objects.filter({ posts__1__comments__1__name: 'testc' } as never).count(), 1);
  // A position on a field that is not a list is refused.
  await assert.rejects(
    Blog.objects.update({ set__posts__1__comments__0__name__1: 'asdf' } as Loose as never),
    FieldError,
  );
});

peer.case('TestQueryset.test_update_using_positional_operator', { gap: 'positionalUpdates' }, async () => {
  const BlogPost = await votedPost(conn);
  await BlogPost.create({
    title: 'ABC',
    comments: [
      { by: 'joe', votes: 3 },
      { by: 'jane', votes: 7 },
    ],
  });
  await BlogPost.objects.filter({ comments__by: 'jane' }).update({ inc__comments__S__votes: 1 } as Loose as never);
  const post = await BlogPost.objects.first();
  assert.equal(post?.comments?.[1]?.by, 'jane');
  assert.equal(post?.comments?.[1]?.votes, 8);
});

peer.case(
  'TestQueryset.test_update_using_positional_operator_matches_first',
  { gap: 'positionalUpdates' },
  async () => {
    const Simple = await define<{ x?: unknown[] }>(conn, 'Simple', { x: [mongoose.Schema.Types.Mixed] });
    await Simple.create({ x: [1, 2, 3, 2] });
    await Simple.objects.filter({ x: 2 } as never).update({ inc__x__S: 1 } as Loose as never);
    assert.deepEqual((await Simple.objects.lean().first())?.x, [1, 3, 3, 2]);
    await Simple.deleteMany({});
    await Simple.objects.bulkCreate([
      { x: [1, 2, 3, 4] },
      { x: [2, 3, 4, 5] },
      { x: [3, 4, 5, 6] },
      { x: [4, 5, 6, 7] },
    ]);
    await Simple.objects.filter({ x: 3 } as never).update({ set__x__S: 0 } as Loose as never);
    assert.deepEqual(
      (await Simple.objects.lean()).map((s) => s.x),
      [
        [1, 2, 0, 4],
        [2, 0, 4, 5],
        [0, 4, 5, 6],
        [4, 5, 6, 7],
      ],
    );
    // $unset of "x.$" leaves null in place of the item.
    await Simple.deleteMany({});
    await Simple.create({ x: [1, 2, 3, 4, 3, 2, 3, 4] });
    await Simple.objects.filter({ x: 3 } as never).update({ unset__x__S: 1 } as Loose as never);
    assert.deepEqual((await Simple.objects.lean().first())?.x, [1, 2, null, 4, 3, 2, 3, 4]);
    // A positional operator twice in one key is refused.
    await Simple.deleteMany({});
    await Simple.create({ x: [{ test: [1, 2, 3, 4] }] });
    // MongoEngine's assertRaises wraps the whole call: filter and update.
    await assert.rejects(
      async () => Simple.objects.filter({ x__test: 2 } as never).update({ set__x__S__test__S: 3 } as Loose as never),
      DjongooseError,
    );
  },
);

peer.case(
  'TestQueryset.test_update_using_positional_operator_embedded_document',
  { gap: 'positionalUpdates' },
  async () => {
    const vote = embedded({ score: Number });
    const BlogPost = await define<{ title?: string; comments?: { by?: string; votes?: { score?: number } }[] }>(
      conn,
      'BlogPost',
      { title: String, comments: [embedded({ by: String, votes: vote })] },
    );
    await BlogPost.create({
      title: 'ABC',
      comments: [
        { by: 'joe', votes: { score: 3 } },
        { by: 'jane', votes: { score: 7 } },
      ],
    });
    await BlogPost.objects
      .filter({ comments__by: 'joe' })
      .update({ set__comments__S__votes: { score: 4 } } as Loose as never);
    const post = await BlogPost.objects.first();
    assert.equal(post?.comments?.[0]?.by, 'joe');
    assert.equal(post?.comments?.[0]?.votes?.score, 4);
  },
);

peer.case('TestQueryset.test_update_min_max', async () => {
  const Scores = await define<{ high_score?: number; low_score?: number }>(conn, 'Scores', {
    high_score: Number,
    low_score: Number,
  });
  const scores = await Scores.objects.create({ high_score: 800, low_score: 200 });
  const one = Scores.objects.filter({ pk: scores._id });
  await one.update({ min__low_score: 150 });
  assert.equal((await Scores.objects.get({ pk: scores._id })).low_score, 150);
  await one.update({ min__low_score: 250 });
  assert.equal((await Scores.objects.get({ pk: scores._id })).low_score, 150);
  await one.update({ max__high_score: 1000 });
  assert.equal((await Scores.objects.get({ pk: scores._id })).high_score, 1000);
  await one.update({ max__high_score: 500 });
  assert.equal((await Scores.objects.get({ pk: scores._id })).high_score, 1000);
});

peer.case('TestQueryset.test_update_multiple', async () => {
  const Product = await define<{ item?: string; price?: number }>(conn, 'Product', { item: String, price: Number });
  await Product.objects.create({ item: 'ABC', price: 10.99 });
  const product = await Product.objects.create({ item: 'ABC', price: 10.99 });
  await Product.objects.filter({ pk: product._id }).update({ mul__price: 1.25 });
  assert.equal((await Product.objects.get({ pk: product._id })).price, 13.7375);
  const unknown = await Product.objects.create({ item: 'Unknown' });
  await Product.objects.filter({ pk: unknown._id }).update({ mul__price: 100 });
  assert.equal((await Product.objects.get({ pk: unknown._id })).price, 0);
});

peer.case('TestQueryset.test_updates_can_have_match_operators', { gap: 'pullConditions' }, async () => {
  const Post = await define<{
    title?: string;
    tags?: string[];
    comments?: { content?: string; name?: string; vote?: number }[];
  }>(conn, 'Post', {
    title: { type: String, required: true },
    tags: [String],
    comments: [embedded({ content: String, name: { type: String, maxlength: 120 }, vote: Number })],
  });
  await Post.create({
    title: 'Fun with MongoEngine',
    tags: ['mongodb', 'mongoengine'],
    comments: [
      { content: 'very funny indeed', name: 'John S', vote: 1 },
      { content: 'kind of funny', name: 'Mark P', vote: 0 },
    ],
  });
  await Post.objects.update({ pull__comments__vote__lt: 1 } as Loose as never);
  assert.equal((await Post.objects.first())?.comments?.length, 1);
});

peer.case('TestQueryset.test_mapfield_update', async () => {
  // MongoEngine's MapField is Mongoose's Map.
  const Club = await define<{ members?: Map<string, { gender?: string; age?: number }> }>(conn, 'Club', {
    members: { type: Map, of: embedded({ gender: String, age: Number }) },
  });
  await Club.create({ members: { John: { gender: 'M', age: 13 } } });
  await Club.objects.update({ set__members: { John: { gender: 'F', age: 14 } } } as Loose as never);
  const club = await Club.objects.first();
  assert.equal(club?.members?.get('John')?.gender, 'F');
  assert.equal(club?.members?.get('John')?.age, 14);
});

peer.case('TestQueryset.test_dictfield_update', async () => {
  const Club = await define<{ members?: Record<string, { gender?: string; age?: number }> }>(conn, 'Club', {
    members: mongoose.Schema.Types.Mixed,
  });
  await Club.create({ members: { John: { gender: 'M', age: 13 } } });
  await Club.objects.update({ set__members: { John: { gender: 'F', age: 14 } } });
  const club = await Club.objects.lean().first();
  assert.equal(club?.members?.['John']?.gender, 'F');
  assert.equal(club?.members?.['John']?.age, 14);
});

peer.case('TestQueryset.test_update_results', async () => {
  // Document.update(upsert=True, full_result=True) is pymongo's raw result;
  // the QuerySet part: update() answers how many matched.
  const Person = await person(conn);
  await Person.objects.bulkCreate([
    { name: 'Bob', age: 25 },
    { name: 'Bob', age: 20 },
  ]);
  assert.equal(await Person.objects.filter({ name: 'Bob' }).update({ set__name: 'bobby' }), 2);
  assert.equal(await Person.objects.filter({ name: 'bobby' }).count(), 2);
});

peer.case('TestQueryset.test_update_validate', async () => {
  // MongoEngine's update(..., upsert=True) is update() here; the refusal comes first.
  const Doc = await define<{ str_f?: string; dt_f?: Date; ed_f?: { str_f?: string } }>(conn, 'Doc', {
    str_f: String,
    dt_f: Date,
    ed_f: embedded({ str_f: String }),
  });
  await Doc.create({});
  await assert.rejects(Doc.objects.update({ str_f: 1 } as Loose as never), ValidationError);
  await assert.rejects(Doc.objects.update({ dt_f: 'datetime' } as Loose as never), ValidationError);
  await assert.rejects(Doc.objects.update({ ed_f__str_f: 1 } as Loose as never), ValidationError);
});

/** update(changes, { upsert: true }), with the changes loosely typed. */
function upsert(qs: { update: (changes: never) => Promise<number> }, changes: Loose): Promise<number> {
  return (qs.update as unknown as (c: Loose, o: Loose) => Promise<number>).call(qs, changes, { upsert: true });
}

peer.case('TestQueryset.test_upsert', async () => {
  const Person = await person(conn);
  await upsert(Person.objects.filter({ pk: new mongoose.Types.ObjectId(), name: 'Bob', age: 30 }), {});
  const bob = await Person.objects.first();
  assert.equal(bob?.name, 'Bob');
  assert.equal(bob?.age, 30);
});

peer.case('TestQueryset.test_upsert_one', async () => {
  // MongoEngine's upsert_one() with no changes is getOrCreate on the filter.
  const Person = await person(conn);
  const [bob] = await Person.objects.getOrCreate({ name: 'Bob', age: 30 });
  assert.equal(bob.name, 'Bob');
  assert.equal(bob.age, 30);
  bob.name = 'Bobby';
  await bob.save();
  const [bobby, created] = await Person.objects.getOrCreate({ name: 'Bobby', age: 30 });
  assert.equal(created, false);
  assert.equal(bobby.name, 'Bobby');
  assert.equal(bobby.age, 30);
  assert.equal(String(bobby._id), String(bob._id));
});

peer.case('TestQueryset.test_set_on_insert', async () => {
  const Person = await person(conn);
  await upsert(Person.objects.filter({ pk: new mongoose.Types.ObjectId() }), {
    set__name: 'Bob',
    set_on_insert__age: 30,
  });
  const bob = await Person.objects.first();
  assert.equal(bob?.name, 'Bob');
  assert.equal(bob?.age, 30);
});

peer.case('TestQueryset.test_rename', async () => {
  const Person = await person(conn);
  await Person.objects.create({ name: 'Foo', age: 11 });
  let bob = await Person.collection.findOne({});
  assert.equal(bob?.['age'], 11);
  await Person.objects.filter({ name: 'Foo' }).update({ rename__age: 'person_age' });
  bob = await Person.collection.findOne({});
  assert.ok(!('age' in bob!));
  assert.equal(bob?.['person_age'], 11);
});

peer.case('TestQueryset.test_save_and_only_on_fields_with_default', async () => {
  const embed = embedded({ field: Number });
  const B = await define<{ field?: number; embed?: { field?: number }; embed_no_default?: { field?: number } }>(
    conn,
    'B',
    {
      field: { type: Number, default: 1 },
      embed: { type: embed, default: () => ({}) },
      embed_no_default: embed,
    },
  );
  const record = await B.create({ field: 2, embed: { field: 2 }, embed_no_default: { field: 2 } });
  const check = async () => {
    const reloaded = await B.findById(record._id);
    assert.equal(reloaded?.field, 2);
    assert.equal(reloaded?.embed_no_default?.field, 2);
    assert.equal(reloaded?.embed?.field, 2);
  };
  await check();
  const clone = await B.objects.only('_id').first();
  await clone!.save();
  await check();
});

peer.case('TestQueryset.test_update_intfield_operator', async () => {
  const BlogPost = await taggedPost(conn);
  const post = await BlogPost.create({ hits: 5 });
  const hits = async () => (await BlogPost.findById(post._id))?.hits;
  await BlogPost.objects.update({ set__hits: 10 });
  assert.equal(await hits(), 10);
  await BlogPost.objects.update({ inc__hits: 1 });
  assert.equal(await hits(), 11);
  await BlogPost.objects.update({ dec__hits: 1 });
  assert.equal(await hits(), 10);
  await BlogPost.objects.update({ dec__hits: -1 });
  assert.equal(await hits(), 11);
});

peer.case('TestQueryset.test_update_decimalfield_operator', { gap: 'decimal128' }, async () => {
  const BlogPost = await define<{ review?: mongoose.Types.Decimal128 }>(conn, 'BlogPost', {
    review: mongoose.Schema.Types.Decimal128,
  });
  const post = await BlogPost.create({ review: 3.5 });
  const review = async () => Number((await BlogPost.findById(post._id))?.review?.toString());
  await BlogPost.objects.update({ inc__review: 0.1 } as Loose as never);
  assert.equal(await review(), 3.6);
  await BlogPost.objects.update({ dec__review: 0.1 } as Loose as never);
  assert.equal(await review(), 3.5);
  await BlogPost.objects.update({ inc__review: mongoose.Types.Decimal128.fromString('0.12') } as Loose as never);
  assert.equal(await review(), 3.62);
  await BlogPost.objects.update({ dec__review: mongoose.Types.Decimal128.fromString('0.12') } as Loose as never);
  assert.equal(await review(), 3.5);
});

peer.case('TestQueryset.test_update_listfield_operator', async () => {
  const BlogPost = await taggedPost(conn);
  const post = await BlogPost.create({ tags: ['test'] });
  const tags = async () => (await BlogPost.findById(post._id).lean())?.tags ?? [];
  await BlogPost.objects.update({ push__tags: 'mongo' });
  assert.ok((await tags()).includes('mongo'));
  await BlogPost.objects.update({ push_all__tags: ['db', 'nosql'] });
  assert.ok((await tags()).includes('db'));
  assert.ok((await tags()).includes('nosql'));
  const kept = (await tags()).slice(0, -1);
  await BlogPost.objects.update({ pop__tags: 1 });
  assert.deepEqual(await tags(), kept);
  await BlogPost.objects.update({ add_to_set__tags: 'unique' });
  await BlogPost.objects.update({ add_to_set__tags: 'unique' });
  assert.equal((await tags()).filter((t) => t === 'unique').length, 1);
});

peer.case('TestQueryset.test_update_unset', async () => {
  const BlogPost = await taggedPost(conn);
  const post = await BlogPost.create({ title: 'garbage' });
  assert.notEqual(post.title, undefined);
  await BlogPost.objects.update({ unset__title: 1 });
  assert.equal((await BlogPost.findById(post._id))?.title, undefined);
  const raw = await BlogPost.collection.findOne({});
  assert.ok(!('title' in raw!));
});

peer.case(
  'TestQueryset.test_update_push_with_position',
  // MongoEngine's push__tags__0 of a list pushes its items: push_all__tags__0 here, as push__ of a
  // list on a list of strings is refused (the value is checked against the field, #12 §2.17).
  { gap: 'pushPosition' },
  async () => {
    const BlogPost = await taggedPost(conn);
    const post = await BlogPost.objects.create({ slug: 'test' });
    const one = BlogPost.objects.filter({ pk: post._id });
    const tags = async () => (await BlogPost.findById(post._id).lean())?.tags;
    await one.update({ push__tags: 'code' });
    await one.update({ push_all__tags__0: ['mongodb', 'python'] } as Loose as never);
    assert.deepEqual(await tags(), ['mongodb', 'python', 'code']);
    await one.update({ set__tags__2: 'java' } as Loose as never);
    assert.deepEqual(await tags(), ['mongodb', 'python', 'java']);
    await one.update({ push__tags__0: 'scala' } as Loose as never);
    assert.deepEqual(await tags(), ['scala', 'mongodb', 'python', 'java']);
  },
);

peer.case('TestQueryset.test_update_push_list_of_list', { gap: 'nestedArrays' }, async () => {
  const BlogPost = await define<{ slug?: string; tags?: unknown[] }>(conn, 'BlogPost', {
    slug: String,
    tags: [mongoose.Schema.Types.Mixed],
  });
  const post = await BlogPost.create({ slug: 'test' });
  await BlogPost.objects.filter({ slug: 'test' }).update({ push__tags: ['value1', 123] } as Loose as never);
  assert.deepEqual((await BlogPost.findById(post._id).lean())?.tags, [['value1', 123]]);
});
