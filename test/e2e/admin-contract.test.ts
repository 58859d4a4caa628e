// The adapter contract @adminjs/mongoose's own specs check (database,
// property, resource: count, find, findOne, findMany, create, update,
// delete, property types, errors), asked of djongoose's adapter over plain
// Mongoose models without any djongoose plugin: the User/Article/Pesel
// models of those specs. Where djongoose differs on purpose (the version key
// and embedded documents' ids are not properties; the ids come first), the
// test says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import AdminJS, { BaseRecord, Filter, ValidationError } from 'adminjs';
import { Database, Property, Resource } from '../../admin/index.js';
import { openTestDatabase, ready } from '../helpers/server.js';

AdminJS.registerAdapter({ Database, Resource });
const conn = await openTestDatabase(import.meta.url);

const NestedObject = new mongoose.Schema({ someProperty: Number });
const SubType = new mongoose.Schema({
  name: String,
  surname: String,
  age: Number,
  nestedArray: [NestedObject],
  nestedObject: NestedObject,
});
const User = conn.model(
  'User',
  new mongoose.Schema({
    email: { type: String, required: true },
    passwordHash: { type: String, required: true },
    genre: { type: String, enum: ['male', 'female'] },
    arrayed: [String],
    parent: SubType,
    family: [SubType],
  }),
);
const Pesel = conn.model('Pesel', new mongoose.Schema({ pesel: { type: String, unique: true, required: true } }));
const Article = conn.model(
  'Article',
  new mongoose.Schema({
    content: String,
    owners: [{ type: mongoose.Schema.Types.ObjectId, ref: 'User' }],
    createdBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  }),
);
await ready(User);
await ready(Pesel);
await ready(Article);

const Nested = conn.model('Nested', new mongoose.Schema({ field: { subfield: String, anotherSubField: String } }));
await ready(Nested);
const users = new Resource(User);
const articles = new Resource(Article);
let made = 0;
const makeUsers = (n: number) =>
  User.insertMany(Array.from({ length: n }, () => ({ email: `john@doe${++made}.com`, passwordHash: 'hash' })));

test('Database: every model of the connection is a resource', () => {
  const ids = new Database(conn).resources().map((r) => r.id());
  assert.deepEqual(ids.sort(), ['Article', 'Nested', 'Pesel', 'User']);
});

test('Property: enum values, lists, types, references, sub-properties, required', () => {
  const prop = (resource: Resource, path: string): Property => {
    const found = resource.property(path);
    assert.ok(found instanceof Property, path);
    return found;
  };
  assert.equal(prop(users, 'email').availableValues(), null);
  assert.deepEqual(prop(users, 'genre').availableValues(), ['male', 'female']);
  assert.equal(prop(users, 'email').isArray(), false);
  assert.equal(prop(users, 'arrayed').isArray(), true);
  assert.equal(prop(users, 'email').type(), 'string');
  assert.equal(prop(users, 'arrayed').type(), 'string');
  assert.equal(prop(users, 'family').type(), 'mixed');
  assert.equal(prop(users, 'email').reference(), null);
  assert.equal(prop(articles, 'createdBy').reference(), 'User');
  assert.equal(prop(articles, 'owners').reference(), 'User');
  assert.equal(prop(articles, 'owners').isArray(), true);
  assert.deepEqual(prop(users, 'email').subProperties(), []);
  // name, surname, age, nestedArray, nestedObject: an embedded document's own _id is not a field to edit.
  const subNames = ['name', 'surname', 'age', 'nestedArray', 'nestedObject'];
  assert.deepEqual(
    prop(users, 'parent')
      .subProperties()
      .map((p) => p.name()),
    subNames,
  );
  assert.deepEqual(
    prop(users, 'family')
      .subProperties()
      .map((p) => p.name()),
    subNames,
  );
  assert.equal(prop(users, 'family.nestedObject.someProperty').type(), 'number');
  assert.equal(prop(users, 'email').isRequired(), true);
  assert.equal(prop(users, 'genre').isRequired(), false);
});

test('Resource: name, id, properties in order with distinct positions, _id the id', () => {
  assert.equal(users.name(), 'User');
  assert.equal(users.id(), 'User');
  const props = users.properties();
  assert.deepEqual(
    props.map((p) => p.name()),
    ['_id', 'email', 'passwordHash', 'genre', 'arrayed', 'parent', 'family'],
    'the version key is no property',
  );
  const positions = props.map((p) => p.position());
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
  );
  assert.equal(new Set(positions).size, positions.length);
  assert.equal(props.filter((p) => p.isId()).length, 1);
  assert.equal(users.property('email')?.name(), 'email');
  assert.equal(users.property('nope'), null);
  const nested = new Resource(Nested);
  assert.deepEqual(
    nested
      .property('field')
      ?.subProperties()
      .map((p) => p.name()),
    ['subfield', 'anotherSubField'],
  );
});

test('count: all without a filter, none for a filter nothing matches', async () => {
  await User.deleteMany({});
  await makeUsers(12);
  assert.equal(await users.count(new Filter({}, users)), 12);
  assert.equal(await users.count(new Filter({ email: 'some-not-existing-email' }, users)), 0);
});

test('find: the first n records; by _id', async () => {
  const found = await users.find(new Filter({}, users), { limit: 5, offset: 0 });
  assert.equal(found.length, 5);
  assert.ok(found[0] instanceof BaseRecord);
  const [first] = await User.find().sort({ _id: 1 }).limit(1);
  const byId = await users.find(new Filter({ _id: first!._id.toHexString() }, users), { limit: 5, offset: 0 });
  assert.deepEqual(
    byId.map((r) => r.id()),
    [first!._id.toHexString()],
  );
  const rest = await users.find(new Filter({}, users), { limit: 5, offset: 10 });
  assert.equal(rest.length, 2);
});

test('findOne and findMany: by id; an id that is no ObjectId finds nothing', async () => {
  const [a, b] = await User.find().sort({ _id: 1 }).limit(2);
  assert.equal((await users.findOne(a!._id.toHexString()))?.param('email'), a!.email);
  assert.equal(await users.findOne('not-an-id'), null);
  assert.equal(await users.findOne(new mongoose.Types.ObjectId().toHexString()), null);
  const many = await users.findMany([a!._id.toHexString(), 'junk', b!._id.toHexString()]);
  assert.deepEqual(many.map((r) => r.param('email')).sort(), [a!.email, b!.email].sort());
});

test('create: valid params make a record; invalid ones throw AdminJS ValidationError, nothing written', async () => {
  const before = await User.countDocuments();
  const params = await users.create({ email: 'ann@example.com', passwordHash: 'x', genre: 'female' });
  assert.equal(params['email'], 'ann@example.com');
  assert.equal(await User.countDocuments(), before + 1);
  await assert.rejects(users.create({ email: '', passwordHash: '' }), (err: unknown) => {
    assert.ok(err instanceof ValidationError);
    assert.equal(err.propertyErrors['email']?.type, 'required');
    assert.equal(err.propertyErrors['passwordHash']?.type, 'required');
    return true;
  });
  await assert.rejects(users.create({ email: 'a@b.c', passwordHash: 'x', genre: 'other' }), (err: unknown) => {
    assert.ok(err instanceof ValidationError);
    assert.equal(err.propertyErrors['genre']?.type, 'enum');
    return true;
  });
  assert.equal(await User.countDocuments(), before + 1);
});

test('create: a cast error inside an embedded document is on its field, typed by the expected type', async () => {
  await assert.rejects(
    users.create({ email: 'a@a.pl', passwordHash: 'x', 'parent.age': 'not a number' }),
    (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.propertyErrors['parent.age']?.type, 'Number');
      return true;
    },
  );
  assert.equal(await User.countDocuments({ email: 'a@a.pl' }), 0);
});

test('create: a duplicate of a unique field is a "duplicate" error on that field', async () => {
  const pesels = new Resource(Pesel);
  await pesels.create({ pesel: '1' });
  await assert.rejects(pesels.create({ pesel: '1' }), (err: unknown) => {
    assert.ok(err instanceof ValidationError, String(err));
    assert.equal(err.propertyErrors['pesel']?.type, 'duplicate');
    assert.match(err.propertyErrors['pesel']?.message ?? '', /pesel must be unique/);
    return true;
  });
  assert.equal(await Pesel.countDocuments(), 1);
});

test('update: a duplicate of a unique field is a "duplicate" error on that field (FerretDB: not code 11000, found by index)', async () => {
  const pesels = new Resource(Pesel);
  const other = await pesels.create({ pesel: '2' });
  await assert.rejects(pesels.update(String(other['_id']), { pesel: '1' }), (err: unknown) => {
    assert.ok(err instanceof ValidationError, String(err));
    assert.equal(err.propertyErrors['pesel']?.type, 'duplicate');
    return true;
  });
  assert.deepEqual(
    (await Pesel.find().sort({ pesel: 1 }).lean()).map((p) => p.pesel),
    ['1', '2'],
  );
});

test('create: an empty reference is no reference; a reference is stored', async () => {
  await articles.create({ content: 'some content', createdBy: '' });
  assert.equal((await Article.findOne({ content: 'some content' }).lean())?.createdBy ?? null, null);
  const [user] = await User.find().limit(1);
  const created = await articles.create({ content: '', createdBy: user!._id.toHexString() });
  assert.equal(created['createdBy'], user!._id.toHexString());
});

test('create: empty lists and embedded documents from an emptied form', async () => {
  const before = await User.countDocuments();
  await users.create({
    email: 'john@doe.com',
    passwordHash: 'hash',
    'parent.name': 'name',
    'parent.nestedArray': '',
    'parent.nestedObject': '',
    'family.0.name': 'some string',
    'family.0.nestedArray.0': '',
    'family.1': '',
  });
  assert.equal(await User.countDocuments(), before + 1);
  const stored = await User.findOne({ email: 'john@doe.com' }).lean();
  assert.equal(stored?.parent?.name, 'name');
  assert.deepEqual(stored?.parent?.nestedArray, []);
  assert.equal(stored?.family[0]?.name, 'some string');
});

test('update: changes the record and returns its new params', async () => {
  const initial = await articles.create({ content: 'Test content' });
  const updated = await articles.update(String(initial['_id']), { content: 'Updated content' });
  assert.equal(updated['content'], 'Updated content');
  assert.equal((await Article.findById(initial['_id']).lean())?.content, 'Updated content');
});

test('delete: removes the document; an ObjectId is taken as well as its text', async () => {
  const [a, b] = await User.find().limit(2);
  const before = await User.countDocuments();
  await users.delete(a!._id.toHexString());
  await users.delete(b!._id as unknown as string);
  assert.equal(await User.countDocuments(), before - 2);
});

test('nested paths (not a sub-schema): created, filtered and edited field by field', async () => {
  const nested = new Resource(Nested);
  const created = await nested.create({ 'field.subfield': 'Alpha', 'field.anotherSubField': 'Beta' });
  assert.equal(created['field.subfield'], 'Alpha');
  assert.equal(await nested.count(new Filter({ 'field.subfield': 'alp' }, nested)), 1);
  assert.equal(await nested.count(new Filter({ 'field.subfield': 'beta' }, nested)), 0);
  await nested.update(String(created['_id']), { 'field.subfield': 'Gamma' });
  const stored = await Nested.findById(created['_id']).lean();
  assert.deepEqual(stored?.field, { subfield: 'Gamma', anotherSubField: 'Beta' });
});
