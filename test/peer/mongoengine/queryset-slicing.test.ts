// Ported from MongoEngine's tests/queryset/test_queryset.py: limit, skip,
// slicing, counting, iterating and ordering. MongoEngine's `limit(n)` is
// `slice(0, n)`, `skip(n)` is `slice(n)`, `qs[a:b]` is `slice(a, b)` and
// `qs[i]` is `slice(i, i + 1)`. Where MongoEngine and Django disagree about
// slices (limit(0), filtering or deleting after a slice), djongoose follows
// Django (#12 §2), and the case says so.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DjongooseError, FieldError, NotSupportedError } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { define, person } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

const ids = (docs: readonly { _id: unknown }[]) => docs.map((d) => String(d._id));

peer.case('TestQueryset.test_slicing_sets_empty_limit_skip', async () => {
  const Person = await person(conn);
  await Person.objects.bulkCreate(Array.from({ length: 5 }, (_, i) => ({ name: `User ${i}`, age: i })));
  await Person.objects.create({ name: 'User B', age: 30 });
  await Person.objects.create({ name: 'User C', age: 40 });
  assert.equal((await Person.objects.all().slice(1, 2)).length, 1);
  assert.equal((await Person.objects.all().slice(1, 1)).length, 0);
  // MongoEngine re-slices the empty [1:1] to [1:5] (four documents); Django
  // slices within a slice, and an empty one stays empty.
  assert.equal((await Person.objects.all().slice(1, 1).slice(1, 5)).length, 0);
  assert.equal((await Person.objects.all().slice(1, 6).slice(0, 4)).length, 4);
});

peer.case('TestQueryset.test_limit_0_returns_all_documents', async () => {
  // Superseded by Django's rule (#12 §2): MongoEngine's limit(0) means no
  // limit (two documents); Django's [:0] is empty, and so is slice(0, 0).
  const Person = await person(conn);
  await Person.objects.create({ name: 'User A', age: 20 });
  await Person.objects.create({ name: 'User B', age: 30 });
  assert.equal(await Person.objects.count(), 2);
  assert.deepEqual(await Person.objects.all().slice(0, 0), []);
});

peer.case('TestQueryset.test_limit_0', async () => {
  const Person = await person(conn);
  await Person.objects.create({ name: 'User A', age: 20 });
  assert.equal(await Person.objects.all().slice(0, 0).count(), 0);
});

peer.case('TestQueryset.test_limit', async () => {
  // MongoEngine's limit(0).count(with_limit_and_skip=True) == 2 is its
  // "no limit"; Django's empty slice counts 0 (#12 §2.8).
  const Person = await person(conn);
  const userA = await Person.objects.create({ name: 'User A', age: 20 });
  await Person.objects.create({ name: 'User B', age: 30 });
  let people = await Person.objects.all().slice(0, 1);
  assert.deepEqual(ids(people), ids([userA]));
  const all = Person.objects.all();
  assert.equal((await all).length, 2);
  const first = all.slice(0, 1);
  assert.equal((await all).length, 2);
  people = await first;
  assert.deepEqual(ids(people), ids([userA]));
  assert.equal(await Person.objects.all().slice(0, 0).count(), 0);
  const [only] = await Person.objects.all().slice(0, 1).only('name');
  assert.equal(String(only?._id), String(userA._id));
  assert.equal(only?.name, 'User A');
  assert.equal(only?.age, undefined);
});

peer.case('TestQueryset.test_skip', async () => {
  const Person = await person(conn);
  const userA = await Person.objects.create({ name: 'User A', age: 20 });
  const userB = await Person.objects.create({ name: 'User B', age: 30 });
  assert.deepEqual(ids(await Person.objects.all().slice(0)), ids([userA, userB]));
  assert.deepEqual(ids(await Person.objects.all().slice(1)), ids([userB]));
  const all = Person.objects.all();
  assert.equal((await all).length, 2);
  const skipped = all.slice(1);
  assert.equal((await all).length, 2);
  assert.deepEqual(ids(await skipped), ids([userB]));
  const [only] = await Person.objects.all().slice(1).only('name');
  assert.equal(String(only?._id), String(userB._id));
  assert.equal(only?.name, 'User B');
  assert.equal(only?.age, undefined);
});

peer.case('TestQueryset.test___getitem___invalid_index', async () => {
  // MongoEngine raises TypeError for objects["a"]; djongoose a FieldError for a bound that is not a number.
  const Person = await person(conn);
  assert.throws(() => Person.objects.all().slice('a' as never), FieldError);
});

peer.case('TestQueryset.test_slice', async () => {
  const Person = await person(conn);
  const userA = await Person.objects.create({ name: 'User A', age: 20 });
  const userB = await Person.objects.create({ name: 'User B', age: 30 });
  const userC = await Person.objects.create({ name: 'User C', age: 40 });
  assert.deepEqual(ids(await Person.objects.all().slice(0, 2)), ids([userA, userB]));
  assert.deepEqual(ids(await Person.objects.all().slice(1)), ids([userB, userC]));
  assert.deepEqual(ids(await Person.objects.all().slice(1, 2)), ids([userB]));
  const all = Person.objects.all();
  assert.equal((await all).length, 3);
  assert.deepEqual(ids(await all.slice(1, 2)), ids([userB]));
  const qs = Person.objects.all().slice(1, 2);
  await qs;
  const again = await qs;
  assert.equal(again.length, 1);
  assert.equal(again[0]?.name, 'User B');
  assert.deepEqual(await Person.objects.all().slice(1, 1), []);
  assert.deepEqual(await Person.objects.all().slice(80000, 80001), []);
  await Person.objects.all().delete();
  await Person.objects.bulkCreate(Array.from({ length: 55 }, (_, i) => ({ name: `A${i}`, age: i })));
  assert.equal(await Person.objects.count(), 55);
  // MongoEngine checks the slices' repr; here their contents.
  const byAge = Person.objects.orderBy('age');
  assert.deepEqual(await byAge.slice(1, 3).valuesList('name', { flat: true }), ['A1', 'A2']);
  assert.deepEqual(await byAge.slice(51, 53).valuesList('name', { flat: true }), ['A51', 'A52']);
});

peer.case('TestQueryset.test_batch_size', async () => {
  // MongoEngine's batch_size(n) is iterator({ chunkSize: n }).
  const A = await define<{ s?: string }>(conn, 'A', { s: String });
  await A.objects.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ s: String(i) })));
  let cnt = 0;
  for await (const a of A.objects.all().iterator({ chunkSize: 10 })) if (a) cnt += 1;
  assert.equal(cnt, 100);
  cnt = 0;
  for await (const a of A.objects.all().slice(91, 101).iterator({ chunkSize: 20 })) if (a) cnt += 1;
  assert.equal(cnt, 9);
});

peer.case('TestQueryset.test_batch_size (invalid batch size)', async () => {
  const A = await define<{ s?: string }>(conn, 'A', { s: String });
  await A.objects.create({ s: '0' });
  await assert.rejects(async () => {
    for await (const a of A.objects.all().iterator({ chunkSize: -1 })) assert.ok(a);
  }, DjongooseError);
});

peer.case('TestQueryset.test_count_limit_and_skip', async () => {
  const Post = await define<{ title?: string }>(conn, 'Post', { title: String });
  await Post.objects.bulkCreate(Array.from({ length: 10 }, (_, i) => ({ title: `Post ${i}` })));
  assert.equal(await Post.objects.all().slice(5, 10).count(), 5);
  assert.equal(await Post.objects.count(), 10);
});

peer.case('TestQueryset.test_count_and_none', async () => {
  const MyDoc = await define<object>(conn, 'MyDoc', {});
  await MyDoc.objects.bulkCreate(Array.from({ length: 10 }, () => ({})));
  assert.equal(await MyDoc.objects.count(), 10);
  assert.equal(await MyDoc.objects.none().count(), 0);
});

peer.case('TestQueryset.test_count_list_embedded', async () => {
  const A = await define<{ b?: { c?: string }[] }>(conn, 'A', {
    b: [new mongoose.Schema({ c: String }, { _id: false })],
  });
  assert.equal(await A.objects.filter({ b: [{ c: 'c' }] } as never).count(), 0);
});

peer.case('TestQueryset.test_call_after_limits_set', async () => {
  // MongoEngine's posts() re-runs the sliced QuerySet: Django's all() on it.
  const Post = await define<{ title?: string }>(conn, 'Post', { title: String });
  await Post.objects.bulkCreate([{ title: 'Post 1' }, { title: 'Post 2' }]);
  const posts = Post.objects.all().slice(0, 1);
  assert.equal((await posts.all()).length, 1);
});

peer.case('TestQueryset.test_order_then_filter', async () => {
  const NumberDoc = await define<{ n?: number }>(conn, 'Number', { n: Number });
  const n2 = await NumberDoc.objects.create({ n: 2 });
  const n1 = await NumberDoc.objects.create({ n: 1 });
  assert.deepEqual(ids(await NumberDoc.objects.all()), ids([n2, n1]));
  assert.deepEqual(ids(await NumberDoc.objects.orderBy('n')), ids([n1, n2]));
  assert.deepEqual(ids(await NumberDoc.objects.orderBy('n').filter()), ids([n1, n2]));
});

peer.case('TestQueryset.test_clone', async () => {
  // MongoEngine's clone() is Django's all(): a new QuerySet with the same query.
  const NumberDoc = await define<{ n?: number }>(conn, 'Number', { n: Number });
  await NumberDoc.objects.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ n: i + 1 })));
  let test = NumberDoc.objects.all();
  let test2 = test.all();
  assert.notEqual(test, test2);
  assert.equal(await test.count(), await test2.count());
  test = test.filter({ n__gt: 11 });
  test2 = test.all();
  assert.notEqual(test, test2);
  assert.equal(await test.count(), await test2.count());
  test = test.slice(0, 10);
  test2 = test.all();
  assert.notEqual(test, test2);
  assert.equal(await test.count(), await test2.count());
  assert.equal(await test2.count(), 10);
});

peer.case('TestQueryset.test_delete_count', async () => {
  // MongoEngine's skip(1).delete() deletes all but one; Django refuses to
  // delete a slice, and djongoose follows Django (NotSupportedError).
  const Person = await person(conn);
  const three = () => Person.objects.bulkCreate([1, 2, 3].map((i) => ({ name: `User ${i}`, age: i * 10 })));
  await three();
  assert.equal(await Person.objects.all().delete(), 3);
  await three();
  await assert.rejects(Person.objects.all().slice(1).delete(), NotSupportedError);
  assert.equal(await Person.objects.count(), 3);
  await Person.objects.all().delete();
  assert.equal(await Person.objects.all().delete(), 0);
});

peer.case('TestQueryset.test_create_count', async () => {
  const Person = await person(conn);
  await Person.objects.create({ name: 'Foo' });
  await Person.objects.create({ name: 'Bar' });
  await Person.objects.create({ name: 'Baz' });
  assert.equal(await Person.objects.count(), 3);
  await Person.objects.create({ name: 'Foo_1' });
  assert.equal(await Person.objects.count(), 4);
});

peer.case('TestQueryset.test_cursor_in_an_if_stmt', async () => {
  // Python's bool(queryset) is exists().
  const Test = await define<{ test_field?: string }>(conn, 'Test', { test_field: String });
  assert.equal(await Test.objects.exists(), false);
  await Test.create({ test_field: 'test' });
  assert.equal(await Test.objects.exists(), true);
});

peer.case('TestQueryset.test_nested_queryset_iterator', async () => {
  const names = ['Alice', 'Bob', 'Chuck', 'David', 'Eric', 'Francis', 'George'];
  const User = await define<{ name?: string }>(conn, 'User', { name: String });
  for (const name of names) await User.create({ name });
  const users = User.objects.all().orderBy('name');
  assert.equal(await users.count(), 7);
  let outer = 0;
  let innerTotal = 0;
  for await (const outerUser of users.iterator()) {
    assert.equal(outerUser.name, names[outer]);
    outer += 1;
    assert.equal(await users.count(), 7);
    let inner = 0;
    for await (const innerUser of users.iterator()) {
      assert.equal(innerUser.name, names[inner]);
      inner += 1;
      innerTotal += 1;
    }
    assert.equal(inner, 7);
  }
  assert.equal(outer, 7);
  assert.equal(innerTotal, 49);
});

peer.case('TestQueryset.test_len_during_iteration', async () => {
  const Data = await define<object>(conn, 'Data', {});
  await Data.objects.bulkCreate(Array.from({ length: 300 }, () => ({})));
  const records = Data.objects.all().slice(0, 250);
  assert.equal((await records).length, 250);
  let i = -1;
  for await (const r of records.iterator()) {
    i += 1;
    assert.ok(r);
    if (i === 58) assert.equal((await records).length, 250);
  }
  assert.equal(i, 249);
});

peer.case('TestQueryset.test_iteration_within_iteration', async () => {
  const Data = await define<object>(conn, 'Data', {});
  await Data.objects.bulkCreate(Array.from({ length: 300 }, () => ({})));
  const qs = Data.objects.all().slice(0, 250);
  let i = -1;
  let j = -1;
  for await (const doc of qs.iterator()) {
    i += 1;
    assert.ok(doc);
    j = -1;
    if (i % 50 !== 0) continue; // 250 × 250 reads would be slow; every 50th outer step iterates fully.
    for await (const doc2 of qs.iterator()) {
      j += 1;
      assert.ok(doc2);
    }
    assert.equal(j, 249);
  }
  assert.equal(i, 249);
});

peer.case('TestQueryset.test_order_by', async () => {
  // MongoEngine's "+age" is Django's "age"; order_by("") is order_by().
  const Person = await person(conn);
  await Person.create({ name: 'User B', age: 40 });
  await Person.create({ name: 'User A', age: 20 });
  await Person.create({ name: 'User C', age: 30 });
  const names = async (...keys: string[]) => (await Person.objects.orderBy(...(keys as never[]))).map((p) => p.name);
  const ages = async (...keys: string[]) => (await Person.objects.orderBy(...(keys as never[]))).map((p) => p.age);
  assert.deepEqual(await names('-age'), ['User B', 'User C', 'User A']);
  assert.deepEqual(await names('age'), ['User A', 'User C', 'User B']);
  assert.deepEqual(await ages('-name'), [30, 40, 20]);
  assert.deepEqual(await ages(), [40, 20, 30]);
});

const postSchema = { title: String, published_date: { type: Date, required: false } };

peer.case('TestQueryset.test_order_by_optional', async () => {
  const BlogPost = await define<{ title?: string; published_date?: Date | null }>(conn, 'BlogPost', postSchema);
  const p3 = await BlogPost.objects.create({ title: 'Blog Post #3', published_date: new Date(Date.UTC(2010, 0, 6)) });
  const p2 = await BlogPost.objects.create({ title: 'Blog Post #2', published_date: new Date(Date.UTC(2010, 0, 5)) });
  const p4 = await BlogPost.objects.create({ title: 'Blog Post #4', published_date: new Date(Date.UTC(2010, 0, 7)) });
  const p1 = await BlogPost.objects.create({ title: 'Blog Post #1', published_date: null });
  const expected = ids([p1, p2, p3, p4]);
  assert.deepEqual(ids(await BlogPost.objects.orderBy('published_date')), expected);
  assert.deepEqual(ids(await BlogPost.objects.orderBy('-published_date')), expected.reverse());
});

peer.case('TestQueryset.test_order_by_list', async () => {
  const BlogPost = await define<{ title?: string; published_date?: Date }>(conn, 'BlogPost', postSchema);
  const p1 = await BlogPost.objects.create({ title: 'A', published_date: new Date(Date.UTC(2010, 0, 6)) });
  const p2 = await BlogPost.objects.create({ title: 'B', published_date: new Date(Date.UTC(2010, 0, 6)) });
  const p3 = await BlogPost.objects.create({ title: 'C', published_date: new Date(Date.UTC(2010, 0, 7)) });
  const expected = ids([p1, p2, p3]);
  assert.deepEqual(ids(await BlogPost.objects.orderBy('published_date', 'title')), expected);
  assert.deepEqual(ids(await BlogPost.objects.orderBy('-published_date', '-title')), expected.reverse());
});

peer.case('TestQueryset.test_order_by_chaining', async () => {
  const Person = await person(conn);
  await Person.create({ name: 'User B', age: 40 });
  await Person.create({ name: 'User A', age: 20 });
  await Person.create({ name: 'User C', age: 30 });
  const onlyAge = await Person.objects.orderBy('-age').only('age');
  assert.deepEqual(
    onlyAge.map((p) => p.name),
    [undefined, undefined, undefined],
  );
  assert.deepEqual(
    onlyAge.map((p) => p.age),
    [40, 30, 20],
  );
  const ages = async (qs: PromiseLike<{ age?: number }[]>) => (await qs).map((p) => p.age);
  assert.deepEqual(await ages(Person.objects.all().orderBy('-age').slice(0, 10)), [40, 30, 20]);
  // MongoEngine orders after limit(10) / skip(0); Django refuses to reorder a slice.
  assert.throws(() => Person.objects.all().slice(0, 10).orderBy('-age'), NotSupportedError);
  assert.throws(() => Person.objects.all().slice(0).orderBy('-age'), NotSupportedError);
});

peer.case('TestQueryset.test_clear_ordering', async () => {
  // MongoEngine watches the find command; here the query djongoose would send.
  // Its default ordering (meta "ordering") has no djongoose counterpart.
  const BlogPost = await define<{ title?: string; published_date?: Date }>(conn, 'BlogPost', postSchema);
  const qs = BlogPost.objects.filter({ title: 'whatever' });
  assert.deepEqual(qs.orderBy('published_date').toMongo().sort, { published_date: 1 });
  const cleared = qs.orderBy('published_date').orderBy().toMongo().sort;
  assert.ok(cleared === undefined || Object.keys(cleared).length === 0, `sort ${JSON.stringify(cleared)}`);
  assert.equal(await qs.orderBy('published_date').orderBy().first(), undefined);
});

peer.case('TestQueryset.test_confirm_order_by_reference_wont_work', { gap: 'lookup' }, async () => {
  // MongoEngine cannot order by a reference's field and keeps insertion order.
  // Django follows the reference: by age, descending.
  const Person = await person(conn);
  const Author = await define<{ author?: mongoose.Types.ObjectId }>(conn, 'Author', {
    author: { type: mongoose.Schema.Types.ObjectId, ref: Person.modelName },
  });
  for (const [name, age] of [
    ['User A', 20],
    ['User B', 40],
    ['User C', 30],
  ] as const) {
    const p = await Person.create({ name, age });
    await Author.create({ author: p._id });
  }
  const authors = await Author.objects.orderBy('-author__age' as never);
  const names = await Promise.all(authors.map(async (a) => (await Person.findById(a.author))?.name));
  assert.deepEqual(names, ['User B', 'User C', 'User A']);
});

peer.case('TestQueryset.test_order_works_with_custom_db_field_names', async () => {
  const NumberDoc = await define<{ number?: number; n?: number }>(conn, 'Number', {
    number: { type: Number, alias: 'n' },
  });
  const n2 = await NumberDoc.create({ n: 2 });
  const n1 = await NumberDoc.create({ n: 1 });
  assert.deepEqual(ids(await NumberDoc.objects.all()), ids([n2, n1]));
  assert.deepEqual(ids(await NumberDoc.objects.orderBy('n' as never)), ids([n1, n2]));
});

peer.case('TestQueryset.test_order_works_with_primary', async () => {
  const NumberDoc = await define<{ _id: number }>(conn, 'Number', { _id: Number });
  for (const n of [1, 2, 3]) await NumberDoc.create({ _id: n });
  assert.deepEqual(
    (await NumberDoc.objects.orderBy('-pk')).map((n) => n._id),
    [3, 2, 1],
  );
  assert.deepEqual(
    (await NumberDoc.objects.orderBy('_id')).map((n) => n._id),
    [1, 2, 3],
  );
});

peer.case('TestQueryset.test_in_operator_on_non_iterable', async () => {
  // MongoEngine's TypeError is djongoose's FieldError ("needs a list of values").
  const User = await define<{ name?: string }>(conn, 'User', { name: String });
  const BlogPost = await define<{ content?: string; authors?: mongoose.Types.ObjectId[] }>(conn, 'BlogPost', {
    content: String,
    authors: [{ type: mongoose.Schema.Types.ObjectId, ref: User.modelName }],
  });
  const author = await User.objects.create({ name: 'Test User' });
  const post = await BlogPost.objects.create({ content: 'Had a good coffee today...', authors: [author._id] });
  assert.deepEqual(ids(await BlogPost.objects.filter({ authors__in: [author._id] })), ids([post]));
  await assert.rejects(BlogPost.objects.filter({ authors__in: author._id as never }).count(), FieldError);
  await assert.rejects(BlogPost.objects.filter({ authors__in: author as never }).count(), FieldError);
});
