// Ported from MongoEngine's tests/queryset/test_queryset.py: scalar
// (valuesList), field selection (only/defer), as_pymongo (lean), elemMatch
// (match), in_bulk, references and embedded values in queries.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { Q, Raw, type QuerySet } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { define, embedded, person, type PersonRaw } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

const ids = (docs: readonly { _id: unknown }[]) => docs.map((d) => String(d._id));

peer.case('TestQueryset.test_query_value_conversion', async () => {
  const Person = await person(conn);
  const BlogPost = await define<{ author?: mongoose.Types.ObjectId }>(conn, 'BlogPost', {
    author: { type: mongoose.Schema.Types.ObjectId, ref: Person.modelName },
  });
  const someone = await Person.create({ name: 'test', age: 30 });
  const post = await BlogPost.create({ author: someone._id });
  assert.equal(String((await BlogPost.objects.filter({ author: someone as never }).first())?._id), String(post._id));
  assert.equal(
    String((await BlogPost.objects.filter({ author__in: [someone as never] }).first())?._id),
    String(post._id),
  );
});

peer.case('TestQueryset.test_update_value_conversion', async () => {
  const Person = await person(conn);
  const Group = await define<{ members?: mongoose.Types.ObjectId[] }>(conn, 'Group', {
    members: [{ type: mongoose.Schema.Types.ObjectId, ref: Person.modelName }],
  });
  const user1 = await Person.create({ name: 'user1' });
  const user2 = await Person.create({ name: 'user2' });
  const group = await Group.create({});
  await Group.objects.filter({ pk: group._id }).update({ set__members: [user1, user2] as never });
  const reloaded = await Group.findById(group._id).populate<{ members: PersonRaw[] }>('members');
  assert.equal(reloaded?.members.length, 2);
  assert.equal(reloaded?.members[0]?.name, 'user1');
  assert.equal(reloaded?.members[1]?.name, 'user2');
});

peer.case('TestQueryset.test_bulk', async () => {
  // MongoEngine's in_bulk keys by ObjectId; djongoose's, as Django's JSON-safe form, by its text.
  const BlogPost = await define<{ title?: string }>(conn, 'BlogPost', { title: String });
  const posts = await BlogPost.objects.bulkCreate([1, 2, 3, 4, 5].map((i) => ({ title: `Post #${i}` })));
  const [p1, p2, , , p5] = posts;
  const objects = await BlogPost.objects.inBulk([p1!._id, p2!._id, p5!._id]);
  assert.equal(Object.keys(objects).length, 3);
  for (const p of [p1!, p2!, p5!]) assert.equal(objects[String(p._id)]?.title, p.title);
});

peer.case('TestQueryset.test_unset_reference', async () => {
  const Comment = await define<{ text?: string }>(conn, 'Comment', { text: String });
  const Post = await define<{ comment?: mongoose.Types.ObjectId }>(conn, 'Post', {
    comment: { type: mongoose.Schema.Types.ObjectId, ref: Comment.modelName },
  });
  const comment = await Comment.objects.create({ text: 'test' });
  const post = await Post.objects.create({ comment: comment._id });
  assert.equal(String(post.comment), String(comment._id));
  await Post.objects.update({ unset__comment: 1 });
  assert.equal((await Post.findById(post._id))?.comment, undefined);
});

peer.case('TestQueryset.test_scalar', async () => {
  const Organization = await define<{ name?: string }>(conn, 'Organization', { name: String });
  const User = await define<{ name?: string; organization?: mongoose.Types.ObjectId }>(conn, 'User', {
    name: String,
    organization: mongoose.Schema.Types.ObjectId,
  });
  const whitehouse = await Organization.create({ name: 'White House' });
  await User.create({ name: 'Bob Dole', organization: whitehouse._id });
  const userOrgs = await User.objects.valuesList('organization', { flat: true });
  assert.deepEqual(
    await Organization.objects.filter({ pk__in: userOrgs as never }).valuesList('name', { flat: true }),
    ['White House'],
  );
  const orgs = await Organization.objects.inBulk(userOrgs);
  const userMap = await User.objects.valuesList('name', 'organization');
  assert.deepEqual(
    userMap.map(([user, org]) => [user, orgs[String(org)]?.name]),
    [['Bob Dole', 'White House']],
  );
});

peer.case('TestQueryset.test_scalar_simple', async () => {
  const TestDoc = await define<{ x?: number; y?: boolean }>(conn, 'TestDoc', { x: Number, y: Boolean });
  await TestDoc.objects.bulkCreate([
    { x: 10, y: true },
    { x: 20, y: false },
    { x: 30, y: true },
  ]);
  assert.deepEqual(await TestDoc.objects.valuesList('x', 'y'), [
    [10, true],
    [20, false],
    [30, true],
  ]);
  const UserDoc = await define<{ name?: string; age?: number }>(conn, 'UserDoc', { name: String, age: Number });
  await UserDoc.objects.bulkCreate([
    { name: 'Wilson Jr', age: 19 },
    { name: 'Wilson', age: 43 },
    { name: 'Eliana', age: 37 },
    { name: 'Tayza', age: 15 },
  ]);
  assert.deepEqual(await UserDoc.objects.valuesList('name', 'age'), [
    ['Wilson Jr', 19],
    ['Wilson', 43],
    ['Eliana', 37],
    ['Tayza', 15],
  ]);
  assert.deepEqual(await UserDoc.objects.orderBy('age').valuesList('name', { flat: true }), [
    'Tayza',
    'Wilson Jr',
    'Eliana',
    'Wilson',
  ]);
});

peer.case('TestQueryset.test_scalar_embedded', async () => {
  const Person = await define<{
    profile?: { name?: string; age?: number };
    locale?: { city?: string; country?: string };
  }>(conn, 'Person', {
    profile: embedded({ name: String, age: Number }),
    locale: embedded({ city: String, country: String }),
  });
  await Person.objects.bulkCreate([
    { profile: { name: 'Wilson Jr', age: 19 }, locale: { city: 'Corumba-GO', country: 'Brazil' } },
    { profile: { name: 'Gabriel Falcao', age: 23 }, locale: { city: 'New York', country: 'USA' } },
    { profile: { name: 'Lincoln de souza', age: 28 }, locale: { city: 'Belo Horizonte', country: 'Brazil' } },
    { profile: { name: 'Walter cruz', age: 30 }, locale: { city: 'Brasilia', country: 'Brazil' } },
  ]);
  assert.deepEqual(await Person.objects.orderBy('profile__age').valuesList('profile__name', { flat: true }), [
    'Wilson Jr',
    'Gabriel Falcao',
    'Lincoln de souza',
    'Walter cruz',
  ]);
  assert.deepEqual(
    await Person.objects.orderBy('locale__city').valuesList('profile__name', 'profile__age', 'locale__city'),
    [
      ['Lincoln de souza', 28, 'Belo Horizonte'],
      ['Walter cruz', 30, 'Brasilia'],
      ['Wilson Jr', 19, 'Corumba-GO'],
      ['Gabriel Falcao', 23, 'New York'],
    ],
  );
});

peer.case('TestQueryset.test_scalar_decimal', { gap: 'decimal128' }, async () => {
  const Person = await define<{ name?: string; rating?: mongoose.Types.Decimal128 }>(conn, 'Person', {
    name: String,
    rating: mongoose.Schema.Types.Decimal128,
  });
  await Person.create({ name: 'Wilson Jr', rating: mongoose.Types.Decimal128.fromString('1.0') });
  const rows = await Person.objects.valuesList('name', 'rating');
  assert.deepEqual(
    rows.map(([name, rating]) => [name, String(rating)]),
    [['Wilson Jr', '1.0']],
  );
});

peer.case('TestQueryset.test_scalar_reference_field', async () => {
  // MongoEngine dereferences; Django's values_list gives the reference's id.
  const State = await define<{ name?: string }>(conn, 'State', { name: String });
  const Person = await define<{ name?: string; state?: mongoose.Types.ObjectId }>(conn, 'Person', {
    name: String,
    state: { type: mongoose.Schema.Types.ObjectId, ref: State.modelName },
  });
  const s1 = await State.create({ name: 'Goias' });
  await Person.create({ name: 'Wilson JR', state: s1._id });
  const rows = await Person.objects.valuesList('name', 'state');
  assert.deepEqual(
    rows.map(([name, state]) => [name, String(state)]),
    [['Wilson JR', String(s1._id)]],
  );
});

peer.case('TestQueryset.test_scalar_db_field', async () => {
  const TestDoc = await define<{ x?: number; y?: boolean }>(conn, 'TestDoc', { x: Number, y: Boolean });
  await TestDoc.objects.bulkCreate([
    { x: 10, y: true },
    { x: 20, y: false },
    { x: 30, y: true },
  ]);
  const plist = await TestDoc.objects.valuesList('x', 'y');
  assert.equal(plist.length, 3);
  assert.deepEqual(plist, [
    [10, true],
    [20, false],
    [30, true],
  ]);
});

peer.case('TestQueryset.test_scalar_primary_key', async () => {
  const SettingValue = await define<{ _id: string; value?: string }>(conn, 'SettingValue', {
    _id: String,
    value: String,
  });
  await SettingValue.create({ _id: 'test', value: 'test value' });
  assert.deepEqual(await SettingValue.objects.valuesList('pk', 'value'), [['test', 'test value']]);
});

peer.case('TestQueryset.test_scalar_cursor_behaviour', async () => {
  const Person = await person(conn);
  await Person.create({ name: 'User A', age: 20 });
  await Person.create({ name: 'User B', age: 30 });
  const names = Person.objects.valuesList('name', { flat: true });
  assert.equal(await names.count(), 2);
  assert.deepEqual(await names, ['User A', 'User B']);
  const twenty = Person.objects.filter({ age: 20 }).valuesList('name', { flat: true });
  assert.equal(await twenty.count(), 1);
  assert.deepEqual(await twenty, ['User A']);
  const flat = (qs: QuerySet<PersonRaw, unknown>) => qs.valuesList('name', { flat: true });
  assert.deepEqual(await flat(Person.objects.all().slice(0, 1)), ['User A']);
  assert.deepEqual(await flat(Person.objects.all().slice(1)), ['User B']);
  await Person.create({ name: 'User C', age: 40 });
  assert.deepEqual(await flat(Person.objects.all().slice(0, 2)), ['User A', 'User B']);
  assert.deepEqual(await flat(Person.objects.all().slice(1)), ['User B', 'User C']);
  assert.deepEqual(await flat(Person.objects.all().slice(1, 2)), ['User B']);
  assert.deepEqual(await flat(Person.objects.all().slice(1, 1)), []);
  assert.deepEqual(await Person.objects.valuesList('name', { flat: true }).slice(80000, 80001), []);
  await Person.objects.all().delete();
  await Person.objects.bulkCreate(Array.from({ length: 55 }, (_, i) => ({ name: `A${i}`, age: i })));
  assert.equal(await Person.objects.valuesList('name', { flat: true }).count(), 55);
  assert.equal(await Person.objects.orderBy('name').valuesList('name', { flat: true }).first(), 'A0');
  assert.deepEqual(await Person.objects.orderBy('age').valuesList('name', { flat: true }).slice(1, 3), ['A1', 'A2']);
  assert.deepEqual(await Person.objects.orderBy('age').valuesList('name', { flat: true }).slice(51, 53), [
    'A51',
    'A52',
  ]);
  const first = await Person.objects.orderBy('name').first();
  assert.deepEqual(await Person.objects.filter({ pk: first!._id }).valuesList('name', { flat: true }), ['A0']);
  const pks = await Person.objects.orderBy('age').valuesList('pk', { flat: true }).slice(1, 3);
  const byPk = await Person.objects.inBulk(pks);
  assert.deepEqual(
    Object.values(byPk)
      .map((p) => p.name)
      .sort(),
    ['A1', 'A2'],
  );
});

peer.case('TestQueryset.test_fields', async () => {
  // fields(x=1) is only('x'), fields(y=0) defer('y'). MongoEngine's slice__
  // and elemMatch__ projections have no djongoose counterpart (README).
  const Foo = await define<{ x?: string; y?: number; items?: { v?: string; z?: string }[] }>(conn, 'Foo', {
    x: String,
    y: Number,
    items: [embedded({ v: String, z: String })],
  });
  await Foo.objects.bulkCreate([
    { x: 'foo1', y: 1 },
    { x: 'foo2', y: 2, items: [] },
    { x: 'foo3', y: 3, items: [{ z: 'a', v: 'V' }] },
  ]);
  const withX = await Foo.objects.orderBy('y').only('x').lean();
  assert.ok(withX.every((o) => o.x !== undefined && o.y === undefined));
  const withoutY = await Foo.objects.orderBy('y').defer('y').lean();
  assert.ok(withoutY.every((o) => o.y === undefined && o.x !== undefined));
});

peer.case('TestQueryset.test_elem_match', { gap: 'elemMatchDocuments' }, async () => {
  // foo__match takes field values, or Q(...) for lookups such as color__exists;
  // MongoEngine's foo__elemMatch is the same lookup.
  const Bar = await define<{ foo?: { shape?: string; color?: string; thick?: boolean }[] }>(conn, 'Bar', {
    foo: [embedded({ shape: String, color: String, thick: Boolean })],
  });
  const b1 = await Bar.create({
    foo: [
      { shape: 'square', color: 'purple', thick: false },
      { shape: 'circle', color: 'red', thick: true },
    ],
  });
  const b2 = await Bar.create({
    foo: [
      { shape: 'square', color: 'red', thick: true },
      { shape: 'circle', color: 'purple', thick: false },
    ],
  });
  const b3 = await Bar.create({
    foo: [
      { shape: 'square', thick: true },
      { shape: 'circle', color: 'purple', thick: false },
    ],
  });
  assert.deepEqual(ids(await Bar.objects.filter({ foo__match: { shape: 'square', color: 'purple' } })), ids([b1]));
  assert.deepEqual(ids(await Bar.objects.filter({ foo__match: Q({ shape: 'square', color: 'purple' }) })), ids([b1]));
  assert.deepEqual(
    ids(await Bar.objects.filter({ foo__match: Q({ shape: 'square', color__exists: true }) })),
    ids([b1, b2]),
  );
  assert.deepEqual(
    ids(await Bar.objects.filter({ foo__match: Q({ shape: 'square', color__exists: false }) })),
    ids([b3]),
  );
});

peer.case('TestQueryset.test_dictfield_key_looks_like_a_digit', async () => {
  const MyDoc = await define<{ test?: Record<string, number> }>(conn, 'MyDoc', { test: mongoose.Schema.Types.Mixed });
  await MyDoc.create({ test: { '47': 1 } });
  assert.equal(
    (
      await MyDoc.objects
        .only('test__47' as 'test')
        .lean()
        .get()
    ).test?.['47'],
    1,
  );
});

peer.case('TestQueryset.test_as_pymongo', { gap: 'decimal128' }, async () => {
  // as_pymongo() is lean(); lean documents keep the version key, which only() leaves out.
  const User = await define<{
    _id: string;
    name?: string;
    age?: number;
    price?: mongoose.Types.Decimal128;
    last_login?: { location?: string; ip?: string };
  }>(
    conn,
    'User',
    {
      _id: String,
      name: String,
      age: Number,
      price: mongoose.Schema.Types.Decimal128,
      last_login: embedded({ location: String, ip: String }),
    },
    { versionKey: false },
  );
  await User.objects.create({
    _id: 'Bob',
    name: 'Bob Dole',
    age: 89,
    price: mongoose.Types.Decimal128.fromString('1.11'),
  });
  await User.objects.create({
    _id: 'Barak',
    name: 'Barak Obama',
    age: 51,
    price: mongoose.Types.Decimal128.fromString('2.22'),
    last_login: { location: 'White House', ip: '104.107.108.116' },
  });
  let results = (await User.objects.lean()) as Record<string, unknown>[];
  assert.deepEqual(new Set(Object.keys(results[0]!)), new Set(['_id', 'name', 'age', 'price']));
  assert.deepEqual(new Set(Object.keys(results[1]!)), new Set(['_id', 'name', 'age', 'price', 'last_login']));
  results = (await User.objects.only('_id', 'name').lean()) as Record<string, unknown>[];
  assert.deepEqual(new Set(Object.keys(results[0]!)), new Set(['_id', 'name']));
  const priced = await User.objects.only('name', 'price').lean();
  assert.equal(priced[0]?.name, 'Bob Dole');
  assert.equal(Number(String(priced[0]?.price)), 1.11);
  assert.equal(priced[1]?.name, 'Barak Obama');
  assert.equal(Number(String(priced[1]?.price)), 2.22);
  const logins = await User.objects.only('name', 'last_login').lean();
  assert.deepEqual(logins[0], { _id: 'Bob', name: 'Bob Dole' });
  assert.deepEqual(logins[1], {
    _id: 'Barak',
    name: 'Barak Obama',
    last_login: { location: 'White House', ip: '104.107.108.116' },
  });
});

peer.case('TestQueryset.test_as_pymongo_json_limit_fields', async () => {
  // MongoEngine's exclude(fields) is defer(fields); to_json has no counterpart.
  const User = await define<{ email: string; password_hash: string; password_salt: string }>(
    conn,
    'User',
    {
      email: { type: String, unique: true, required: true },
      password_hash: { type: String, required: true },
      password_salt: { type: String, required: true },
    },
    { versionKey: false },
  );
  await User.create({ email: 'ross@example.com', password_salt: 'SomeSalt', password_hash: 'SomeHash' });
  const keys = async (qs: PromiseLike<object[]>) => new Set(Object.keys((await qs)[0]!));
  assert.deepEqual(await keys(User.objects.defer('password_salt', 'password_hash').lean()), new Set(['_id', 'email']));
  assert.deepEqual(await keys(User.objects.only('email').lean()), new Set(['_id', 'email']));
});

peer.case('TestQueryset.test_only_after_count', async () => {
  const User = await define<{ name?: string; age?: number; address?: string }>(
    conn,
    'User',
    { name: String, age: Number, address: String },
    { versionKey: false },
  );
  const user = await User.create({ name: 'User', age: 50, address: 'Moscow, Russia' });
  const qs = User.objects.filter({ age: 50 });
  assert.deepEqual(await qs.only('name', 'age').lean().first(), { _id: user._id, name: 'User', age: 50 });
  assert.equal(await qs.count(), 1);
  assert.deepEqual(await qs.only('name', 'age').lean().first(), { _id: user._id, name: 'User', age: 50 });
});

peer.case('TestQueryset.test_query_generic_embedded_document', async () => {
  // A GenericEmbeddedDocumentField is a Mixed value here; __raw__ filters are Raw(...).
  const Doc = await define<{ document?: Record<string, unknown> }>(conn, 'Doc', {
    document: mongoose.Schema.Types.Mixed,
  });
  await Doc.create({ document: { a_name: 'A doc' } });
  await Doc.create({ document: { b_name: 'B doc' } });
  assert.equal(await Doc.objects.filter(Raw({ 'document.a_name': 'A doc' })).count(), 1);
  assert.equal(await Doc.objects.filter(Raw({ 'document.b_name': 'B doc' })).count(), 1);
  assert.equal(await Doc.objects.filter({ document__a_name: 'A doc' } as never).count(), 1);
  assert.equal(await Doc.objects.filter({ document__b_name: 'B doc' } as never).count(), 1);
});

peer.case('TestQueryset.test_query_reference_to_custom_pk_doc', async () => {
  const A = await define<{ _id: string }>(conn, 'A', { _id: String });
  const B = await define<{ a?: string }>(conn, 'B', { a: { type: String, ref: A.modelName } });
  const a = await A.objects.create({ _id: 'custom_id' });
  await B.objects.create({ a: a._id });
  assert.equal(await B.objects.count(), 1);
  assert.equal((await B.objects.get({ a: a as never })).a, a._id);
  assert.equal((await B.objects.get({ a: a._id })).a, a._id);
});

peer.case('TestQueryset.test_can_have_field_same_name_as_query_operator', async () => {
  const Size = await define<{ name?: string }>(conn, 'Size', { name: String });
  const Example = await define<{ size?: mongoose.Types.ObjectId }>(conn, 'Example', {
    size: { type: mongoose.Schema.Types.ObjectId, ref: Size.modelName },
  });
  const large = await Size.create({ name: 'Large' });
  await Example.create({ size: large._id });
  assert.equal(await Example.objects.filter({ size: large._id }).count(), 1);
  assert.equal(await Example.objects.filter({ size__in: [large._id] }).count(), 1);
});

peer.case('TestQueryset.test_loop_over_invalid_id_does_not_crash', async () => {
  const Person = await define<{ name?: string }>(conn, 'Person', { name: String });
  await Person.collection.insertOne({ name: 'a', id: '' });
  const people = await Person.objects.all();
  assert.equal(people.length, 1);
  for (const p of people) assert.equal(p.name, 'a');
});
