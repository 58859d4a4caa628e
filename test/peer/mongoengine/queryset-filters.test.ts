// Ported from MongoEngine's tests/queryset/test_queryset.py: the cases about
// finding documents (filters, lookups, get/first). Each keeps MongoEngine's
// test name and expected results; `Person.objects(age=20)` becomes
// `Person.objects.filter({ age: 20 })`.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DoesNotExist, MultipleObjectsReturned, Q, ValidationError } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { blogOfPosts, define, embedded, person } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

/** MongoEngine's Document equality: same class and same primary key. */
function same(a: { _id?: unknown } | null | undefined, b: { _id?: unknown } | null | undefined): boolean {
  return a != null && b != null && String(a._id) === String(b._id);
}

peer.case('TestQueryset.test_cannot_perform_joins_references', async () => {
  // MongoEngine raises InvalidQueryError: it has no joins. Django follows the
  // reference, and djongoose follows Django (#12 §3): the filter is answered.
  const Person = await person(conn);
  const BlogPost = await define<{ author?: mongoose.Types.ObjectId }>(conn, 'BlogPost', {
    author: { type: mongoose.Schema.Types.ObjectId, ref: Person.modelName },
  });
  const test = await Person.objects.create({ name: 'test' });
  const other = await Person.objects.create({ name: 'other' });
  await BlogPost.objects.bulkCreate([{ author: test._id }, { author: other._id }]);
  const found = await BlogPost.objects.filter({ author__name: 'test' } as never);
  assert.equal(found.length, 1);
  assert.equal(String(found[0]!.author), String(test._id));
});

peer.case('TestQueryset.test_find', async () => {
  const Person = await person(conn);
  const userA = await Person.objects.create({ name: 'User A', age: 20 });
  const userB = await Person.objects.create({ name: 'User B', age: 30 });
  const people = Person.objects.all();
  assert.equal(await people.count(), 2);
  const results = await people;
  assert.ok(results[0] instanceof Person);
  assert.ok(results[0]!._id instanceof mongoose.Types.ObjectId);
  assert.ok(same(results[0], userA));
  assert.equal(results[0]!.name, 'User A');
  assert.equal(results[0]!.age, 20);
  assert.ok(same(results[1], userB));
  assert.equal(results[1]!.name, 'User B');
  assert.equal(results[1]!.age, 30);

  const twenty = Person.objects.filter({ age: 20 });
  assert.equal(await twenty.count(), 1);
  const [found] = await twenty;
  assert.ok(same(found, userA));
  assert.equal(found!.name, 'User A');
  assert.equal(found!.age, 20);
});

peer.case('TestQueryset.test_find_one', async () => {
  // MongoEngine's objects[0] is slice(0, 1); with_id(pk) is get({ pk }).
  const Person = await person(conn);
  const person1 = await Person.create({ name: 'User A', age: 20 });
  await Person.create({ name: 'User B', age: 30 });
  let found = await Person.objects.first();
  assert.ok(found instanceof Person);
  assert.equal(found.name, 'User A');
  assert.equal(found.age, 20);
  found = await Person.objects.filter({ age: 30 }).first();
  assert.equal(found?.name, 'User B');
  found = await Person.objects.filter({ age__lt: 30 }).first();
  assert.equal(found?.name, 'User A');
  assert.equal((await Person.objects.all().slice(0, 1))[0]?.name, 'User A');
  assert.equal((await Person.objects.all().slice(1, 2))[0]?.name, 'User B');
  assert.deepEqual(await Person.objects.all().slice(2, 3), []);
  found = await Person.objects.get({ pk: person1._id });
  assert.equal(found.name, 'User A');
});

peer.case('TestQueryset.test_get_no_document_exists_raises_doesnotexist', async () => {
  const Person = await person(conn);
  assert.equal(await Person.objects.count(), 0);
  await assert.rejects(Person.objects.get(), DoesNotExist);
  await assert.rejects(Person.objects.get(), Person.DoesNotExist);
});

peer.case('TestQueryset.test_get_multiple_match_raises_multipleobjectsreturned', async () => {
  // MongoEngine's message is "2 or more items returned, instead of 1";
  // Django's, which djongoose gives, says how many.
  const Person = await person(conn);
  assert.equal(await Person.objects.count(), 0);
  const person1 = await Person.create({ name: 'User A', age: 20 });
  assert.ok(same(await Person.objects.get(), person1));
  await Person.create({ name: 'User B', age: 20 });
  const person3 = await Person.create({ name: 'User C', age: 30 });
  await assert.rejects(Person.objects.get(), MultipleObjectsReturned);
  await assert.rejects(Person.objects.get(), Person.MultipleObjectsReturned);
  await assert.rejects(Person.objects.get({ age__lt: 30 }), MultipleObjectsReturned);
  await assert.rejects(Person.objects.filter({ age__lt: 30 }).get(), /it returned 2!/);
  assert.ok(same(await Person.objects.get({ age: 30 }), person3));
});

peer.case('TestQueryset.test_find_array_position', async () => {
  const Blog = await blogOfPosts(conn);
  await Blog.objects.create({ tags: ['a', 'b'] });
  const count = (filter: Record<string, unknown>) => Blog.objects.filter(filter as never).count();
  assert.equal(await count({ tags__0: 'a' }), 1);
  assert.equal(await count({ tags__0: 'b' }), 0);
  assert.equal(await count({ tags__1: 'a' }), 0);
  assert.equal(await count({ tags__1: 'b' }), 1);
  await Blog.deleteMany({});
  const post1 = { comments: [{ name: 'testa' }, { name: 'testb' }] };
  const post2 = { comments: [{ name: 'testb' }, { name: 'testb' }] };
  const blog1 = await Blog.objects.create({ posts: [post1, post2] });
  const blog2 = await Blog.objects.create({ posts: [post2, post1] });
  assert.ok(same(await Blog.objects.filter({ posts__0__comments__0__name: 'testa' } as never).get(), blog1));
  assert.ok(same(await Blog.objects.filter({ posts__0__comments__0__name: 'testb' } as never).get(), blog2));
  assert.equal(await count({ posts__1__comments__1__name: 'testb' }), 2);
  assert.equal(await count({ posts__1__comments__1__name: 'testa' }), 0);
  assert.equal(await count({ posts__0__comments__1__name: 'testa' }), 0);
});

peer.case('TestQueryset.test_none', async () => {
  // MongoEngine's update_one and modify have no djongoose counterpart on a
  // QuerySet; update, first and the fetches are ported.
  const A = await define<{ s?: string }>(conn, 'A', { s: String });
  await A.create({});
  assert.equal(await A.objects.count(), 1);
  assert.equal(await A.objects.none().update({ s: '1' }), 0);
  assert.equal(await A.objects.filter({ s: '1' }).count(), 0);
  assert.equal(await A.objects.none().first(), undefined);
  assert.deepEqual(await A.objects.none(), []);
  assert.deepEqual(await A.objects.none().all(), []);
  assert.deepEqual(await A.objects.none().slice(0, 1), []);
  assert.deepEqual(await A.objects.none().slice(1), []);
  assert.deepEqual(await A.objects.none().slice(0, 5), []);
});

peer.case('TestQueryset.test_chaining', async () => {
  // MongoEngine's ref__in=<QuerySet> is a subquery: here the ids are read first.
  const A = await define<{ s?: string }>(conn, 'A', { s: String });
  const B = await define<{ ref?: mongoose.Types.ObjectId; boolfield?: boolean }>(conn, 'B', {
    ref: { type: mongoose.Schema.Types.ObjectId, ref: A.modelName },
    boolfield: { type: Boolean, default: false },
  });
  const a1 = await A.create({ s: 'test1' });
  const a2 = await A.create({ s: 'test2' });
  await B.create({ ref: a1._id, boolfield: true });
  const q1 = B.objects.filter({ ref__in: [a1._id, a2._id], ref: a1._id }).toMongo().filter;
  const q2 = B.objects
    .filter({ ref__in: [a1._id, a2._id] })
    .filter({ ref: a1._id })
    .toMongo().filter;
  assert.deepEqual(await B.countDocuments(q1), await B.countDocuments(q2));
  assert.equal(await B.countDocuments(q1), 1);
  const aIds = (await A.objects.filter({ s: 'test1' }).valuesList('_id', { flat: true })) as mongoose.Types.ObjectId[];
  const query = B.objects.filter({ ref__in: aIds }).filter({ boolfield: true });
  assert.equal(await query.count(), 1);
});

peer.case('TestQueryset.test_regex_query_shortcuts', async () => {
  const Person = await person(conn);
  let guido = await Person.create({ name: 'Guido van Rossum' });
  const first = (filter: Record<string, string>) => Person.objects.filter(filter as never).first();
  assert.ok(same(await first({ name__contains: 'van' }), guido));
  assert.equal(await first({ name__contains: 'Van' }), undefined);
  assert.ok(same(await first({ name__icontains: 'Van' }), guido));
  assert.ok(same(await first({ name__startswith: 'Guido' }), guido));
  assert.equal(await first({ name__startswith: 'guido' }), undefined);
  assert.ok(same(await first({ name__istartswith: 'guido' }), guido));
  assert.ok(same(await first({ name__endswith: 'Rossum' }), guido));
  assert.equal(await first({ name__endswith: 'rossuM' }), undefined);
  assert.ok(same(await first({ name__iendswith: 'rossuM' }), guido));
  assert.ok(same(await first({ name__exact: 'Guido van Rossum' }), guido));
  assert.equal(await first({ name__exact: 'Guido van rossum' }), undefined);
  assert.equal(await first({ name__exact: 'Guido van Rossu' }), undefined);
  assert.ok(same(await first({ name__iexact: 'gUIDO VAN rOSSUM' }), guido));
  assert.equal(await first({ name__iexact: 'gUIDO VAN rOSSU' }), undefined);
  assert.ok(same(await first({ name__wholeword: 'Guido' }), guido));
  assert.equal(await first({ name__wholeword: 'rossum' }), undefined);
  assert.equal(await first({ name__wholeword: 'Rossu' }), undefined);
  assert.ok(same(await first({ name__iwholeword: 'rOSSUM' }), guido));
  assert.equal(await first({ name__iwholeword: 'rOSSU' }), undefined);
  assert.ok(same(await first({ name__regex: '^[Guido].*[Rossum]$' }), guido));
  assert.equal(await first({ name__regex: '^[guido].*[rossum]$' }), undefined);
  assert.equal(await first({ name__regex: '^[uido].*[Rossum]$' }), undefined);
  assert.ok(same(await first({ name__iregex: '^[guido].*[rossum]$' }), guido));
  assert.equal(await first({ name__iregex: '^[Uido].*[Rossum]$' }), undefined);
  guido = await Person.create({ name: "Guido van Rossum [.'Geek']" });
  assert.ok(same(await first({ name__icontains: "[.'Geek" }), guido));
});

peer.case('TestQueryset.test_not', async () => {
  // MongoEngine's name__not__iexact modifier is Q(...).not() in djongoose (Django's ~Q).
  const Person = await person(conn);
  const alice = await Person.create({ name: 'Alice', age: 25 });
  assert.ok(same(await Person.objects.filter({ name__iexact: 'alice' }).first(), alice));
  assert.equal(await Person.objects.filter(Q({ name__iexact: 'alice' }).not()).first(), undefined);
});

peer.case('TestQueryset.test_filter_chaining', async () => {
  // The queryset_manager `published` is a filter on is_published here.
  const Blog = await define<{ _id: string }>(conn, 'Blog', { _id: String });
  const BlogPost = await define<{
    blog?: string;
    title?: string;
    is_published?: boolean;
    published_date?: Date;
  }>(conn, 'BlogPost', {
    blog: { type: String, ref: Blog.modelName },
    title: String,
    is_published: Boolean,
    published_date: Date,
  });
  const blogs = await Blog.objects.bulkCreate([{ _id: '1' }, { _id: '2' }, { _id: '3' }]);
  for (const [i, blog] of blogs.entries()) {
    await BlogPost.objects.create({
      blog: blog._id,
      title: `Blog Post #${i + 1}`,
      is_published: true,
      published_date: new Date(Date.UTC(2010, 0, 5 + i)),
    });
  }
  const published = BlogPost.objects.filter({ is_published: true });
  assert.equal(await published.filter({ published_date__lt: new Date(Date.UTC(2010, 0, 7)) }).count(), 2);
  const posts = BlogPost.objects.filter({ blog__in: ['1', '2'] }).filter({ blog: '3' });
  assert.equal(await posts.count(), 0);
});

peer.case('TestQueryset.test_filter_chaining_with_regex', async () => {
  const Person = await person(conn);
  await Person.create({ name: 'Guido van Rossum' });
  const people = Person.objects
    .filter({ name__startswith: 'Gui' })
    .exclude({ name__endswith: 'tum' })
    .filter({ name__icontains: 'VAN' })
    .filter({ name__regex: '^Guido' })
    .filter({ name__wholeword: 'Guido' })
    .filter({ name__wholeword: 'van' });
  assert.equal(await people.count(), 1);
});

peer.case('TestQueryset.test_find_embedded', async () => {
  const BlogPost = await define<{ content?: string; author?: { name?: string } }>(conn, 'BlogPost', {
    content: String,
    author: embedded({ name: String }),
  });
  await BlogPost.objects.create({ author: { name: 'Test User' }, content: 'Had a good coffee today...' });
  let result = await BlogPost.objects.first();
  assert.equal(result?.author?.name, 'Test User');
  result = await BlogPost.objects.get({ author__name: 'Test User' });
  assert.equal(result.author?.name, 'Test User');
  result = await BlogPost.objects.get({ author: { name: 'Test User' } });
  assert.equal(result.author?.name, 'Test User');
  // A string cannot stand for the embedded document: MongoEngine's InvalidQueryError is a ValidationError.
  await assert.rejects(BlogPost.objects.get({ author: 'Test User' } as never), ValidationError);
});

peer.case('TestQueryset.test_find_empty_embedded', async () => {
  const BlogPost = await define<{ content?: string; author?: { name?: string } }>(conn, 'BlogPost', {
    content: String,
    author: embedded({ name: String }),
  });
  await BlogPost.objects.create({ content: 'Anonymous post...' });
  const result = await BlogPost.objects.get({ author__isnull: true });
  assert.equal(result.author, undefined);
});

peer.case('TestQueryset.test_find_dict_item', async () => {
  const BlogPost = await define<{ info?: Record<string, unknown> }>(conn, 'BlogPost', {
    info: mongoose.Schema.Types.Mixed,
  });
  const post = await BlogPost.create({ info: { title: 'test' } });
  const found = await BlogPost.objects.filter({ info__title: 'test' } as never).first();
  assert.ok(same(found, post));
});
