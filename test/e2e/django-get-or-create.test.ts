// Django's tests/get_or_create cases that djongoose got wrong, ported with
// their expectations (issue 12, §2 items 3–6), against a real server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, IntegrityError, MultipleObjectsReturned, manager, type Managed } from '../../index.js';
import { openTestDatabase } from '../helpers/server.js';
import { server } from '../helpers/server.js';

const conn = await openTestDatabase(import.meta.url);

interface PersonRaw {
  first_name: string;
  last_name: string;
  birthday?: Date;
}

let models = 0;
/** A fresh Person model (Django's get_or_create.models.Person: names and a birthday). */
async function personModel() {
  const schema = new mongoose.Schema<PersonRaw>({
    first_name: { type: String, required: true },
    last_name: { type: String, required: true },
    birthday: Date,
  });
  schema.plugin(manager);
  const Person = conn.model<PersonRaw, Managed<PersonRaw>>(`Person${models++}`, schema);
  await Person.init();
  return Person;
}

/** Django's ManualPrimaryKeyTest: an integer primary key given by the caller. */
async function manualPkModel() {
  const schema = new mongoose.Schema<{ _id: number; data?: string }>({ _id: Number, data: String });
  schema.plugin(manager);
  const Model = conn.model<{ _id: number; data?: string }, Managed<{ _id: number; data?: string }>>(
    `ManualPrimaryKeyTest${models++}`,
    schema,
  );
  await Model.init();
  return Model;
}

describe(`Django's get_or_create on ${server.name}`, () => {
  test('GetOrCreateTestsWithManualPKs.test_get_or_create_empty', async () => {
    // DefaultPerson: every field has a default, so no arguments are needed.
    const schema = new mongoose.Schema({ name: { type: String, default: 'Anonymous' } });
    schema.plugin(manager);
    const DefaultPerson = conn.model<{ name?: string }, Managed<{ name?: string }>>('DefaultPerson', schema);
    const [person, created] = await DefaultPerson.objects.getOrCreate();
    assert.equal(created, true);
    assert.equal(person.name, 'Anonymous');
    const [again, createdAgain] = await DefaultPerson.objects.get_or_create();
    assert.equal(createdAgain, false);
    assert.equal(String(again._id), String(person._id));
    // Django's get() with no filter: several documents are MultipleObjectsReturned.
    await DefaultPerson.objects.create({ name: 'Second' });
    await assert.rejects(DefaultPerson.objects.getOrCreate(), MultipleObjectsReturned);
    assert.equal(await DefaultPerson.objects.count(), 2);
  });

  test('updateOrCreate() with no arguments creates from defaults, then updates that document', async () => {
    const Person = await personModel();
    const [p, created] = await Person.objects.updateOrCreate(undefined, { first_name: 'John', last_name: 'Lennon' });
    assert.equal(created, true);
    const [q, createdAgain] = await Person.objects.updateOrCreate(undefined, {
      first_name: 'Paul',
      last_name: 'Lennon',
    });
    assert.equal(createdAgain, false);
    assert.equal(String(q._id), String(p._id));
    assert.equal((await Person.objects.get()).first_name, 'Paul');
  });

  for (const method of ['getOrCreate', 'updateOrCreate'] as const) {
    const django = method === 'getOrCreate' ? 'get_or_create' : 'update_or_create';
    test(`InvalidCreateArgumentsTests.test_${django}_with_invalid_defaults`, async () => {
      const Person = await personModel();
      await assert.rejects(
        Person.objects[method]({ first_name: 'a', last_name: 'b' }, { nonexistent: 'b' } as never),
        (err: unknown) =>
          err instanceof FieldError &&
          err.message.includes('"nonexistent"') &&
          err.message.includes('Choices are: _id, birthday, first_name, last_name, pk.'),
      );
      // A near miss is named with its closest field.
      await assert.rejects(
        Person.objects[method]({ first_name: 'a', last_name: 'b' }, { birthdy: new Date() } as never),
        (err: unknown) => err instanceof FieldError && /Did you mean "birthday"\?/i.test(err.message),
      );
      assert.equal(await Person.objects.count(), 0);
    });
  }

  test('a non-strict schema still refuses an unknown name in defaults', async () => {
    const schema = new mongoose.Schema({ name: String }, { strict: false });
    schema.plugin(manager);
    const Loose = conn.model<{ name?: string }, Managed<{ name?: string }>>('LooseThing', schema);
    await assert.rejects(Loose.objects.getOrCreate({ name: 'a' }, { nonexistent: 'b' } as never), FieldError);
    assert.equal(await Loose.objects.count(), 0);
  });

  test('GetOrCreateTests.test_callable_defaults', async () => {
    const Person = await personModel();
    const [obj, created] = await Person.objects.getOrCreate(
      { first_name: 'George' },
      { last_name: 'Harrison', birthday: () => new Date('1943-02-25') },
    );
    assert.equal(created, true);
    assert.equal(obj.birthday?.toISOString(), new Date('1943-02-25').toISOString());
    assert.equal((await Person.objects.get({ first_name: 'George' })).birthday?.getTime(), Date.UTC(1943, 1, 25));
  });

  test('GetOrCreateTests.test_callable_defaults_not_called', async () => {
    const Person = await personModel();
    await Person.objects.create({ first_name: 'John', last_name: 'Lennon', birthday: new Date('1940-10-09') });
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

  test('UpdateOrCreateTests.test_create_callable_default', async () => {
    const Person = await personModel();
    const [obj, created] = await Person.objects.updateOrCreate(
      { first_name: 'George', last_name: 'Harrison' },
      { birthday: () => new Date('1943-02-25') },
    );
    assert.equal(created, true);
    assert.equal(obj.birthday?.getTime(), Date.UTC(1943, 1, 25));
  });

  test('UpdateOrCreateTests.test_update_callable_default', async () => {
    const Person = await personModel();
    await Person.objects.updateOrCreate({
      first_name: 'George',
      last_name: 'Harrison',
      birthday: new Date('1942-02-25'),
    });
    const [obj, created] = await Person.objects.updateOrCreate(
      { first_name: 'George' },
      { last_name: () => 'NotHarrison' },
    );
    assert.equal(created, false);
    assert.equal(obj.last_name, 'NotHarrison');
    assert.equal((await Person.objects.get({ first_name: 'George' })).last_name, 'NotHarrison');
  });

  test("a callable default's result is checked against its field", async () => {
    const Person = await personModel();
    await assert.rejects(
      Person.objects.getOrCreate({ first_name: 'G', last_name: 'H' }, { birthday: (() => ({ $gt: 1 })) as never }),
      (err: unknown) => err instanceof mongoose.Error.ValidationError && /birthday/.test((err as Error).message),
    );
    assert.equal(await Person.objects.count(), 0);
  });

  test('GetOrCreateTestsWithManualPKs.test_create_with_duplicate_primary_key', async () => {
    const Model = await manualPkModel();
    await Model.objects.create({ _id: 1, data: 'Original' });
    await assert.rejects(Model.objects.getOrCreate({ _id: 1, data: 'Different' }), IntegrityError);
    assert.equal((await Model.objects.get({ _id: 1 })).data, 'Original');
  });

  test('UpdateOrCreateTests.test_manual_primary_key_test', async () => {
    const Model = await manualPkModel();
    await Model.objects.create({ _id: 1, data: 'Original' });
    await assert.rejects(Model.objects.updateOrCreate({ _id: 1, data: 'Different' }), IntegrityError);
    assert.equal((await Model.objects.get({ _id: 1 })).data, 'Original');
  });

  test('a duplicate key on create and bulkCreate is IntegrityError, naming the index and not the value', async () => {
    const schema = new mongoose.Schema({ email: { type: String, unique: true } });
    schema.plugin(manager);
    const Account = conn.model<{ email?: string }, Managed<{ email?: string }>>('Account', schema);
    await Account.init();
    const secret = 'secret-address@example.com';
    await Account.objects.create({ email: secret });
    // FerretDB's duplicate-key message names no index: the fields are named where the server says them.
    const named = (err: unknown) =>
      err instanceof IntegrityError &&
      !err.message.includes(secret) &&
      err.message.startsWith('Account: duplicate key on ') &&
      (err.fields.length === 0 || err.fields.join() === 'email') &&
      err.message.includes(err.fields.length === 0 ? 'a unique index' : 'the unique index of email');
    await assert.rejects(Account.objects.create({ email: secret }), named);
    await assert.rejects(Account.objects.bulkCreate([{ email: secret }]), named);
    assert.equal(await Account.objects.count(), 1);
  });
});
