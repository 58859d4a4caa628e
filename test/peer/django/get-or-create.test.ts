// Ported from Django's tests/get_or_create/tests.py (current main). Each case
// keeps Django's test name and expected results; the models are
// ./models/get-or-create.ts. Django's keyword arguments become the lookup
// object, and `defaults=` the second argument. A NOT NULL column left out is
// Mongoose's `required` check here, so Django's IntegrityError for it is
// Mongoose's ValidationError naming the field; a duplicate key is
// djongoose's IntegrityError, as in Django.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, IntegrityError, MultipleObjectsReturned, manager, type Managed } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { getOrCreateModels } from './models/get-or-create.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const models = getOrCreateModels(conn);
for (const model of Object.values(models)) await ready(model);
const { Person, DefaultPerson, ManualPrimaryKeyTest, Tag, Thing, Journalist } = models;

const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

async function clear(): Promise<void> {
  for (const model of [
    Person,
    DefaultPerson,
    ManualPrimaryKeyTest,
    Tag,
    Thing,
    models.Author,
  ] as mongoose.Model<unknown>[]) {
    await model.deleteMany({});
  }
}

/** GetOrCreateTests.setUpTestData */
async function withLennon(): Promise<void> {
  await clear();
  await Person.objects.create({ first_name: 'John', last_name: 'Lennon', birthday: day(1940, 10, 9) });
}

/** An object whose every read throws: Django's `lazy(raise_exception, object)()`. */
function lazyRaising(): Record<string, unknown> {
  return new Proxy(
    {},
    {
      get: () => assert.fail('defaults were evaluated'),
      ownKeys: () => assert.fail('defaults were evaluated'),
      getOwnPropertyDescriptor: () => assert.fail('defaults were evaluated'),
      has: () => assert.fail('defaults were evaluated'),
    },
  );
}

// Django 5.0's `create_defaults` is updateOrCreate's third argument; Django's
// property with a setter is a Mongoose virtual with a setter.

// ---------------------------------------------------------------- GetOrCreateTests

peer.case('GetOrCreateTests.test_get_or_create_method_with_get', async () => {
  await withLennon();
  const [, created] = await Person.objects.getOrCreate(
    { first_name: 'John', last_name: 'Lennon' },
    { birthday: day(1940, 10, 9) },
  );
  assert.equal(created, false);
  assert.equal(await Person.objects.count(), 1);
});

peer.case('GetOrCreateTests.test_get_or_create_method_with_create', async () => {
  await withLennon();
  const [, created] = await Person.objects.getOrCreate(
    { first_name: 'George', last_name: 'Harrison' },
    { birthday: day(1943, 2, 25) },
  );
  assert.equal(created, true);
  assert.equal(await Person.objects.count(), 2);
});

peer.case('GetOrCreateTests.test_get_or_create_redundant_instance', async () => {
  await withLennon();
  await Person.objects.getOrCreate({ first_name: 'George', last_name: 'Harrison' }, { birthday: day(1943, 2, 25) });
  const [, created] = await Person.objects.getOrCreate(
    { first_name: 'George', last_name: 'Harrison' },
    { birthday: day(1943, 2, 25) },
  );
  assert.equal(created, false);
  assert.equal(await Person.objects.count(), 2);
});

peer.case('GetOrCreateTests.test_get_or_create_invalid_params', async () => {
  await withLennon();
  await assert.rejects(
    Person.objects.getOrCreate({ first_name: 'Tom', last_name: 'Smith' }),
    (err: unknown) => err instanceof mongoose.Error.ValidationError && /birthday/.test(err.message),
  );
  assert.equal(await Person.objects.count(), 1);
});

peer.case('GetOrCreateTests.test_get_or_create_with_pk_property', async () => {
  await clear();
  const [thing, created] = await Thing.objects.getOrCreate({ pk: 1 } as never);
  assert.equal(created, true);
  assert.equal(thing.id, 1);
  assert.equal((await Thing.objects.getOrCreate({ pk: 1 } as never))[1], false);
});

peer.case('GetOrCreateTests.test_get_or_create_with_model_property_defaults', async () => {
  await clear();
  const [t] = await Thing.objects.getOrCreate({ pk: 1 } as never, { capitalized_name_property: 'annie' } as never);
  assert.equal(t.name, 'Annie');
  assert.equal((await Thing.objects.get({ pk: 1 } as never)).name, 'Annie');
});

peer.case('GetOrCreateTests.test_defaults_exact', async () => {
  await withLennon();
  const [obj, created] = await Person.objects.getOrCreate(
    { first_name: 'George', last_name: 'Harrison', defaults__exact: 'testing' },
    { birthday: day(1943, 2, 25), defaults: 'testing' },
  );
  assert.equal(created, true);
  assert.equal(obj.defaults, 'testing');
  const [obj2, createdAgain] = await Person.objects.getOrCreate(
    { first_name: 'George', last_name: 'Harrison', defaults__exact: 'testing' },
    { birthday: day(1943, 2, 25), defaults: 'testing' },
  );
  assert.equal(createdAgain, false);
  assert.equal(String(obj2._id), String(obj._id));
});

peer.case('GetOrCreateTests.test_callable_defaults', async () => {
  await withLennon();
  const [obj, created] = await Person.objects.getOrCreate(
    { first_name: 'George' },
    { last_name: 'Harrison', birthday: () => day(1943, 2, 25) },
  );
  assert.equal(created, true);
  assert.equal(obj.birthday.getTime(), Date.UTC(1943, 1, 25));
  assert.equal((await Person.objects.get({ first_name: 'George' })).birthday.getTime(), Date.UTC(1943, 1, 25));
});

// The value a callable returns is still checked against its field.
peer.case('GetOrCreateTests.test_callable_defaults (its result is checked against the field)', async () => {
  await withLennon();
  await assert.rejects(
    Person.objects.getOrCreate({ first_name: 'G', last_name: 'H' }, { birthday: (() => ({ $gt: 1 })) as never }),
    (err: unknown) => err instanceof mongoose.Error.ValidationError && /birthday/.test(err.message),
  );
  assert.equal(await Person.objects.count(), 1);
});

peer.case('GetOrCreateTests.test_callable_defaults_not_called', async () => {
  await withLennon();
  const [, created] = await Person.objects.getOrCreate(
    { first_name: 'John', last_name: 'Lennon' },
    {
      birthday: () => {
        throw new assert.AssertionError({ message: 'called' });
      },
    },
  );
  assert.equal(created, false);
});

// `defaults` is read only when the document is created.
peer.case('GetOrCreateTests.test_defaults_not_evaluated_unless_needed', async () => {
  await withLennon();
  const [, created] = await Person.objects.getOrCreate({ first_name: 'John' }, lazyRaising() as never);
  assert.equal(created, false);
});

// ---------------------------------------------------------------- GetOrCreateTestsWithManualPKs

async function withFirstPk(): Promise<void> {
  await clear();
  await ManualPrimaryKeyTest.objects.create({ _id: 1, data: 'Original' });
}

peer.case('GetOrCreateTestsWithManualPKs.test_create_with_duplicate_primary_key', async () => {
  await withFirstPk();
  await assert.rejects(ManualPrimaryKeyTest.objects.getOrCreate({ pk: 1, data: 'Different' } as never), IntegrityError);
  assert.equal((await ManualPrimaryKeyTest.objects.get({ pk: 1 } as never)).data, 'Original');
});

peer.case('GetOrCreateTestsWithManualPKs.test_savepoint_rollback', async () => {
  await withFirstPk();
  await Tag.objects.create({ text: 'foo' });
  // pk 123456789 does not exist, so a tag is created, and its text collides.
  await assert.rejects(Tag.objects.getOrCreate({ pk: 123456789 }, { text: 'foo' }), IntegrityError);
  await Tag.objects.create({ text: 'bar' });
  assert.deepEqual(await Tag.objects.orderBy('text').valuesList('text', { flat: true }), ['bar', 'foo']);
});

// A duplicate key on create and bulkCreate is IntegrityError too, naming the index and never the value.
peer.case('GetOrCreateTestsWithManualPKs.test_savepoint_rollback (create and bulkCreate)', async () => {
  await withFirstPk();
  const secret = 'secret-tag@example.com';
  await Tag.objects.create({ text: secret });
  // FerretDB's duplicate-key message names no index: the fields are named where the server says them.
  const named = (err: unknown) =>
    err instanceof IntegrityError &&
    !err.message.includes(secret) &&
    err.message.startsWith('GetOrCreateTag: duplicate key on ') &&
    (err.fields.length === 0 || err.fields.join() === 'text') &&
    err.message.includes(err.fields.length === 0 ? 'a unique index' : 'the unique index of text');
  await assert.rejects(Tag.objects.create({ text: secret }), named);
  await assert.rejects(Tag.objects.bulkCreate([{ text: secret }]), named);
  assert.equal(await Tag.objects.count(), 1);
});

peer.case('GetOrCreateTestsWithManualPKs.test_get_or_create_empty', async () => {
  await clear();
  const [person, created] = await DefaultPerson.objects.getOrCreate();
  assert.equal(created, true);
  assert.equal(person.first_name, 'Anonymous');
  const [again, createdAgain] = await DefaultPerson.objects.get_or_create();
  assert.equal(createdAgain, false);
  assert.equal(String(again._id), String(person._id));
  // Django's get() with no filter: several documents are MultipleObjectsReturned.
  await DefaultPerson.objects.create({ first_name: 'Second' });
  await assert.rejects(DefaultPerson.objects.getOrCreate(), MultipleObjectsReturned);
  assert.equal(await DefaultPerson.objects.count(), 2);
});

peer.case('GetOrCreateTestsWithManualPKs.test_get_or_create_empty (updateOrCreate)', async () => {
  await clear();
  const [p, created] = await Person.objects.updateOrCreate(undefined, {
    first_name: 'John',
    last_name: 'Lennon',
    birthday: day(1940, 10, 9),
  });
  assert.equal(created, true);
  const [q, createdAgain] = await Person.objects.updateOrCreate(undefined, { first_name: 'Paul', last_name: 'Lennon' });
  assert.equal(createdAgain, false);
  assert.equal(String(q._id), String(p._id));
  assert.equal((await Person.objects.get()).first_name, 'Paul');
});

// ---------------------------------------------------------------- UpdateOrCreateTests

peer.case('UpdateOrCreateTests.test_update', async () => {
  await clear();
  await Person.objects.create({ first_name: 'John', last_name: 'Lennon', birthday: day(1940, 10, 9) });
  const [p, created] = await Person.objects.updateOrCreate(
    { first_name: 'John', last_name: 'Lennon' },
    { birthday: day(1940, 10, 10) },
  );
  assert.equal(created, false);
  assert.equal(p.first_name, 'John');
  assert.equal(p.last_name, 'Lennon');
  assert.equal(p.birthday.getTime(), day(1940, 10, 10).getTime());
  assert.equal((await Person.objects.get({ first_name: 'John' })).birthday.getTime(), day(1940, 10, 10).getTime());
});

peer.case('UpdateOrCreateTests.test_create', async () => {
  await clear();
  const [p, created] = await Person.objects.updateOrCreate(
    { first_name: 'John', last_name: 'Lennon' },
    { birthday: day(1940, 10, 10) },
  );
  assert.equal(created, true);
  assert.equal(p.first_name, 'John');
  assert.equal(p.last_name, 'Lennon');
  assert.equal(p.birthday.getTime(), day(1940, 10, 10).getTime());
});

peer.case('UpdateOrCreateTests.test_create_twice', async () => {
  await clear();
  const lookup = { first_name: 'John', last_name: 'Lennon' };
  let [p, created] = await Person.objects.updateOrCreate(
    lookup,
    { birthday: day(1950, 2, 2) },
    { birthday: day(1940, 10, 10) },
  );
  assert.equal(created, true);
  assert.equal(p.birthday.getTime(), day(1940, 10, 10).getTime());
  // The same statement again: no new Person, but the birthday is updated.
  [p, created] = await Person.objects.updateOrCreate(
    lookup,
    { birthday: day(1950, 2, 2) },
    { birthday: day(1940, 10, 10) },
  );
  assert.equal(created, false);
  assert.equal(p.birthday.getTime(), day(1950, 2, 2).getTime());
});

peer.case('UpdateOrCreateTests.test_integrity', async () => {
  await clear();
  await assert.rejects(
    Person.objects.updateOrCreate({ first_name: 'Tom', last_name: 'Smith' }),
    (err: unknown) => err instanceof mongoose.Error.ValidationError && /birthday/.test(err.message),
  );
  assert.equal(await Person.objects.count(), 0);
});

peer.case('UpdateOrCreateTests.test_manual_primary_key_test', async () => {
  await clear();
  await ManualPrimaryKeyTest.objects.create({ _id: 1, data: 'Original' });
  await assert.rejects(
    ManualPrimaryKeyTest.objects.updateOrCreate({ pk: 1, data: 'Different' } as never),
    IntegrityError,
  );
  assert.equal((await ManualPrimaryKeyTest.objects.get({ pk: 1 } as never)).data, 'Original');
});

peer.case('UpdateOrCreateTests.test_with_pk_property', async () => {
  await clear();
  const [thing, created] = await Thing.objects.updateOrCreate({ pk: 1 } as never);
  assert.equal(created, true);
  assert.equal(thing.id, 1);
});

peer.case('UpdateOrCreateTests.test_update_or_create_with_model_property_defaults', async () => {
  await clear();
  const [t] = await Thing.objects.updateOrCreate({ pk: 1 } as never, { capitalized_name_property: 'annie' } as never);
  assert.equal(t.name, 'Annie');
});

peer.case('UpdateOrCreateTests.test_defaults_exact', async () => {
  await clear();
  let [obj, created] = await Person.objects.updateOrCreate(
    { first_name: 'George', last_name: 'Harrison', defaults__exact: 'testing' },
    { birthday: day(1943, 2, 25), defaults: 'testing' },
  );
  assert.equal(created, true);
  assert.equal(obj.defaults, 'testing');
  [obj, created] = await Person.objects.updateOrCreate(
    { first_name: 'George', last_name: 'Harrison', defaults__exact: 'testing' },
    { birthday: day(1943, 2, 25), defaults: 'another testing' },
  );
  assert.equal(created, false);
  assert.equal(obj.defaults, 'another testing');
});

peer.case('UpdateOrCreateTests.test_create_defaults_exact', async () => {
  await clear();
  const lookup = { first_name: 'George', last_name: 'Harrison', create_defaults__exact: 'testing' };
  let [obj, created] = await Person.objects.updateOrCreate(
    lookup,
    {},
    { birthday: day(1943, 2, 25), create_defaults: 'testing' },
  );
  assert.equal(created, true);
  assert.equal(obj.create_defaults, 'testing');
  [obj, created] = await Person.objects.updateOrCreate(
    lookup,
    {},
    { birthday: day(1943, 2, 25), create_defaults: 'another testing' },
  );
  assert.equal(created, false);
  assert.equal(obj.create_defaults, 'testing');
});

peer.case('UpdateOrCreateTests.test_create_callable_default', async () => {
  await clear();
  const [obj, created] = await Person.objects.updateOrCreate(
    { first_name: 'George', last_name: 'Harrison' },
    { birthday: () => day(1943, 2, 25) },
  );
  assert.equal(created, true);
  assert.equal(obj.birthday.getTime(), Date.UTC(1943, 1, 25));
});

peer.case('UpdateOrCreateTests.test_create_callable_create_defaults', async () => {
  await clear();
  const [obj, created] = await Person.objects.updateOrCreate(
    { first_name: 'George', last_name: 'Harrison' },
    {},
    { birthday: () => day(1943, 2, 25) },
  );
  assert.equal(created, true);
  assert.equal(obj.birthday.getTime(), Date.UTC(1943, 1, 25));
});

peer.case('UpdateOrCreateTests.test_update_callable_default', async () => {
  await clear();
  await Person.objects.updateOrCreate({ first_name: 'George', last_name: 'Harrison', birthday: day(1942, 2, 25) });
  const [obj, created] = await Person.objects.updateOrCreate(
    { first_name: 'George' },
    { last_name: () => 'NotHarrison' },
  );
  assert.equal(created, false);
  assert.equal(obj.last_name, 'NotHarrison');
  assert.equal((await Person.objects.get({ first_name: 'George' })).last_name, 'NotHarrison');
});

peer.case('UpdateOrCreateTests.test_defaults_not_evaluated_unless_needed', async () => {
  await withLennon();
  const [, created] = await Person.objects.getOrCreate({ first_name: 'John' }, lazyRaising() as never);
  assert.equal(created, false);
});

// Django's multi-table child; here a discriminator, whose base fields are its own.
peer.case('UpdateOrCreateTests.test_mti_update_non_local_concrete_fields', async () => {
  await clear();
  const created = await Journalist.objects.create({ name: 'Jane', specialty: 'Politics' });
  const [journalist, wasCreated] = await Journalist.objects.updateOrCreate({ pk: created._id }, { name: 'John' });
  assert.equal(wasCreated, false);
  assert.equal(journalist.name, 'John');
  assert.equal((await Journalist.objects.get({ pk: created._id })).name, 'John');
});

// ---------------------------------------------------------------- UpdateOrCreateTestsWithManualPKs

peer.case('UpdateOrCreateTestsWithManualPKs.test_create_with_duplicate_primary_key', async () => {
  await clear();
  await ManualPrimaryKeyTest.objects.create({ _id: 1, data: 'Original' });
  await assert.rejects(
    ManualPrimaryKeyTest.objects.updateOrCreate({ pk: 1, data: 'Different' } as never),
    IntegrityError,
  );
  assert.equal((await ManualPrimaryKeyTest.objects.get({ pk: 1 } as never)).data, 'Original');
});

// ---------------------------------------------------------------- InvalidCreateArgumentsTests

// Django: "Invalid field name(s) for model Thing: 'nonexistent'." djongoose's
// FieldError names the field, the choices and the closest match.
const invalidDefault = (name: string) => (err: unknown) =>
  err instanceof FieldError && err.message.includes(`"${name}"`);
// Django: "Cannot resolve keyword 'nonexistent' into field. Choices are: id, name, tags"
const badKeyword = (name: string) => (err: unknown) =>
  err instanceof FieldError && err.message.includes(name) && /id, name, pk, tags/.test(err.message);

/** The two creating methods, under one call: their type parameters differ (updateOrCreate takes createDefaults). */
interface Creating {
  getOrCreate(lookup?: never, defaults?: never): Promise<unknown>;
  updateOrCreate(lookup?: never, defaults?: never): Promise<unknown>;
}

for (const method of ['getOrCreate', 'updateOrCreate'] as const) {
  const call = (objects: Creating, lookup: object, defaults?: object) =>
    objects[method](lookup as never, defaults as never);
  const django = method === 'getOrCreate' ? 'get_or_create' : 'update_or_create';
  peer.case(`InvalidCreateArgumentsTests.test_${django}_with_invalid_defaults`, async () => {
    await clear();
    await assert.rejects(call(Thing.objects, { name: 'a' }, { nonexistent: 'b' }), invalidDefault('nonexistent'));
    // On Person, the message lists the choices, and a near miss is named with its closest field.
    await assert.rejects(
      call(Person.objects, { first_name: 'a', last_name: 'b' }, { nonexistent: 'b' }),
      (err: unknown) =>
        err instanceof FieldError &&
        err.message.includes('"nonexistent"') &&
        err.message.includes('Choices are: _id, birthday, create_defaults, defaults, first_name, last_name, pk.'),
    );
    await assert.rejects(
      call(Person.objects, { first_name: 'a', last_name: 'b' }, { birthdy: new Date() }),
      (err: unknown) => err instanceof FieldError && /Did you mean "birthday"\?/i.test(err.message),
    );
    assert.equal(await Thing.objects.count(), 0);
    assert.equal(await Person.objects.count(), 0);
  });

  peer.case(`InvalidCreateArgumentsTests.test_${django}_with_invalid_kwargs`, async () => {
    await clear();
    await assert.rejects(call(Thing.objects, { name: 'a', nonexistent: 'b' }), badKeyword('nonexistent'));
    assert.equal(await Thing.objects.count(), 0);
  });
}

// A non-strict schema takes unknown paths on save, and still refuses them in defaults.
peer.case('InvalidCreateArgumentsTests.test_get_or_create_with_invalid_defaults (non-strict schema)', async () => {
  const schema = new mongoose.Schema({ name: String }, { strict: false });
  schema.plugin(manager);
  const Loose = conn.model<{ name?: string }, Managed<{ name?: string }>>('GetOrCreateLooseThing', schema);
  await Loose.deleteMany({});
  await assert.rejects(Loose.objects.getOrCreate({ name: 'a' }, { nonexistent: 'b' } as never), FieldError);
  assert.equal(await Loose.objects.count(), 0);
});

peer.case('InvalidCreateArgumentsTests.test_update_or_create_with_invalid_create_defaults', async () => {
  await clear();
  await assert.rejects(
    Thing.objects.updateOrCreate({ name: 'a' }, {}, { nonexistent: 'b' } as never),
    invalidDefault('nonexistent'),
  );
});

peer.case('InvalidCreateArgumentsTests.test_multiple_invalid_fields', async () => {
  await clear();
  // The lookup's bad keyword is reported, not the one in defaults.
  await assert.rejects(
    Thing.objects.updateOrCreate({ name: 'a', nonexistent: 'b' } as never, { invalid: 'c' } as never),
    badKeyword('nonexistent'),
  );
});

peer.case('InvalidCreateArgumentsTests.test_property_attribute_without_setter_defaults', async () => {
  await clear();
  await assert.rejects(
    Thing.objects.updateOrCreate({ name: 'a' }, { name_in_all_caps: 'FRANK' } as never),
    invalidDefault('name_in_all_caps'),
  );
  assert.equal(await Thing.objects.count(), 0);
});

peer.case('InvalidCreateArgumentsTests.test_property_attribute_without_setter_kwargs', async () => {
  await clear();
  await assert.rejects(
    Thing.objects.updateOrCreate({ name_in_all_caps: 'FRANK' } as never, { name: 'Frank' }),
    badKeyword('name_in_all_caps'),
  );
  assert.equal(await Thing.objects.count(), 0);
});
