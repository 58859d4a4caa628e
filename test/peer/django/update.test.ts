// Ported from Django's tests/update/tests.py (current main). Each case keeps
// Django's test name and expected results; the models are ./models/update.ts.
// A reverse manager (`a1.b_set`) is the filter it stands for
// (`B.objects.filter({ a: a1 })`); a foreign key is an ObjectId.
import assert from 'node:assert/strict';
import type mongoose from 'mongoose';
import { F, FieldError, Max, NotSupportedError } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { updateModels } from './models/update.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const models = updateModels(conn);
for (const model of Object.values(models)) await ready(model);
const { DataPoint, RelatedPoint, A, B, D, Foo, Bar } = models;

async function clear(): Promise<void> {
  for (const model of Object.values(models) as mongoose.Model<unknown>[]) await model.deleteMany({});
}

// ---------------------------------------------------------------- SimpleTest

/** SimpleTest.setUpTestData: a1 with 20 B and 20 D, a2 with none. */
async function simple() {
  await clear();
  const a1 = await A.objects.create({});
  const a2 = await A.objects.create({});
  await B.objects.bulkCreate(Array.from({ length: 20 }, () => ({ a: a1._id })));
  await D.objects.bulkCreate(Array.from({ length: 20 }, () => ({ a: a1._id })));
  return { a1, a2 };
}

peer.case('SimpleTest.test_nonempty_update', async () => {
  const { a1 } = await simple();
  assert.equal(await B.objects.filter({ a: a1._id }).update({ y: 100 }), 20);
  assert.equal(await B.objects.filter({ y: 100 }).count(), 20);
});

peer.case('SimpleTest.test_empty_update', async () => {
  const { a2 } = await simple();
  assert.equal(await B.objects.filter({ a: a2._id }).update({ y: 100 }), 0);
  assert.equal(await B.objects.filter({ y: 100 }).count(), 0);
});

peer.case('SimpleTest.test_nonempty_update_with_inheritance', async () => {
  const { a1 } = await simple();
  assert.equal(await D.objects.filter({ a: a1._id }).update({ y: 100 }), 20);
  assert.equal(await D.objects.filter({ y: 100 }).count(), 20);
});

peer.case('SimpleTest.test_empty_update_with_inheritance', async () => {
  const { a2 } = await simple();
  assert.equal(await D.objects.filter({ a: a2._id }).update({ y: 100 }), 0);
  assert.equal(await D.objects.filter({ y: 100 }).count(), 0);
});

peer.case('SimpleTest.test_foreign_key_update_with_id', async () => {
  const { a1, a2 } = await simple();
  assert.equal(await D.objects.filter({ a: a1._id }).update({ a: a2._id }), 20);
  assert.equal(await D.objects.filter({ a: a2._id }).count(), 20);
});

// ---------------------------------------------------------------- AdvancedTests

/** AdvancedTests.setUpTestData */
async function advanced() {
  await clear();
  const d0 = await DataPoint.objects.create({ name: 'd0', value: 'apple' });
  const d2 = await DataPoint.objects.create({ name: 'd2', value: 'banana' });
  const d3 = await DataPoint.objects.create({ name: 'd3', value: 'banana', is_active: false });
  const r1 = await RelatedPoint.objects.create({ name: 'r1', data: d3._id });
  return { d0, d2, d3, r1 };
}

const ids = (docs: { _id: unknown }[]) => docs.map((d) => String(d._id));

peer.case('AdvancedTests.test_update', async () => {
  const { d0 } = await advanced();
  assert.equal(await DataPoint.objects.filter({ value: 'apple' }).update({ name: 'd1' }), 1);
  assert.deepEqual(ids(await DataPoint.objects.filter({ value: 'apple' })), ids([d0]));
  assert.equal((await DataPoint.objects.get({ value: 'apple' })).name, 'd1');
});

peer.case('AdvancedTests.test_update_multiple_objects', async () => {
  await advanced();
  assert.equal(await DataPoint.objects.filter({ value: 'banana' }).update({ value: 'pineapple' }), 2);
  assert.equal((await DataPoint.objects.get({ name: 'd2' })).value, 'pineapple');
});

peer.case('AdvancedTests.test_update_fk', async () => {
  const { d0, r1 } = await advanced();
  assert.equal(await RelatedPoint.objects.filter({ name: 'r1' }).update({ data: d0._id }), 1);
  assert.deepEqual(ids(await RelatedPoint.objects.filter({ data: d0._id })), ids([r1]));
});

peer.case('AdvancedTests.test_update_fk (filter across the reference)', async () => {
  const { d0, r1 } = await advanced();
  await RelatedPoint.objects.filter({ name: 'r1' }).update({ data: d0._id });
  assert.deepEqual(ids(await RelatedPoint.objects.filter({ data__name: 'd0' } as never)), ids([r1]));
});

// The document itself as the value, as Django's update(data=self.d0): its key is stored.
peer.case('AdvancedTests.test_update_fk (a document as the value)', async () => {
  const { d0, r1 } = await advanced();
  assert.equal(await RelatedPoint.objects.filter({ name: 'r1' }).update({ data: d0 } as never), 1);
  assert.deepEqual(ids(await RelatedPoint.objects.filter({ data: d0._id })), ids([r1]));
});

peer.case('AdvancedTests.test_update_multiple_fields', async () => {
  await advanced();
  assert.equal(
    await DataPoint.objects.filter({ value: 'apple' }).update({ value: 'fruit', another_value: 'peach' }),
    1,
  );
  const d = await DataPoint.objects.get({ name: 'd0' });
  assert.equal(d.value, 'fruit');
  assert.equal(d.another_value, 'peach');
});

peer.case('AdvancedTests.test_update_all', async () => {
  await advanced();
  assert.equal(await DataPoint.objects.update({ value: 'thing' }), 3);
  // Django's values('value').distinct(): the distinct values of one field.
  assert.deepEqual(await DataPoint.objects.distinct('value'), ['thing']);
  assert.deepEqual(await DataPoint.objects.values('value').orderBy('name'), [
    { value: 'thing' },
    { value: 'thing' },
    { value: 'thing' },
  ]);
});

// Django's UPDATE with no columns is never sent, and update() answers 0.
peer.case('AdvancedTests.test_update_all (no fields: nothing sent, 0)', async () => {
  await advanced();
  assert.equal(await DataPoint.objects.update({}), 0);
  assert.equal(await DataPoint.objects.filter({ value: 'apple' }).update({}), 0);
  assert.deepEqual(await DataPoint.objects.orderBy('name').valuesList('value', { flat: true }), [
    'apple',
    'banana',
    'banana',
  ]);
});

// Django raises TypeError; djongoose's NotSupportedError (README: slicing).
peer.case('AdvancedTests.test_update_slice_fail', async () => {
  await advanced();
  await assert.rejects(
    async () => DataPoint.objects.all().slice(0, 2).update({ another_value: 'another thing' }),
    (err: unknown) => err instanceof NotSupportedError && /slice/.test(err.message) && /update\(\)/.test(err.message),
  );
  assert.equal(await DataPoint.objects.filter({ another_value: 'another thing' }).count(), 0);
});

// Django's to_field is the `toField` option beside `ref`: Bar.foo stores Foo's `target`.
peer.case('AdvancedTests.test_update_respects_to_field', async () => {
  await clear();
  const aFoo = await Foo.objects.create({ target: 'aaa' });
  const bFoo = await Foo.objects.create({ target: 'bbb' });
  const bar = await Bar.objects.create({ foo: aFoo as never });
  assert.equal(bar.foo, aFoo.target);
  const barQs = Bar.objects.filter({ pk: bar._id });
  assert.equal((await barQs.first())?.foo, aFoo.target);
  await barQs.update({ foo: bFoo } as never);
  assert.equal((await barQs.first())?.foo, bFoo.target);
});

peer.case('AdvancedTests.test_update_annotated_queryset (trivial annotation)', async () => {
  await advanced();
  assert.equal(await DataPoint.objects.annotate({ alias: F('value') }).update({ another_value: 'foo' }), 3);
});

peer.case(
  'AdvancedTests.test_update_annotated_queryset (annotation in filter)',
  { gap: 'fieldPathValues' },
  async () => {
    await advanced();
    const qs = DataPoint.objects.annotate({ alias: F('value') }).filter({ alias: 'apple' } as never);
    assert.equal(await qs.update({ another_value: 'foo' }), 1);
  },
);

peer.case('AdvancedTests.test_update_annotated_queryset (F of the annotation)', async () => {
  await advanced();
  const qs = DataPoint.objects.annotate({ alias: F('value') });
  assert.equal(await qs.update({ another_value: F('alias') } as never), 3);
  assert.deepEqual(await DataPoint.objects.orderBy('name').valuesList('another_value', { flat: true }), [
    'apple',
    'banana',
    'banana',
  ]);
});

// Django: "Aggregate functions are not allowed in this query (another_value=Max(...))."
peer.case('AdvancedTests.test_update_annotated_queryset (aggregate annotation)', async () => {
  await advanced();
  await assert.rejects(
    async () => DataPoint.objects.annotate({ max: Max('value') }).update({ another_value: F('max') } as never),
    FieldError,
  );
  assert.equal(await DataPoint.objects.filter({ another_value: '' }).count(), 3);
});

// Django's ~F is F(...).not().
peer.case('AdvancedTests.test_update_negated_f', async () => {
  await advanced();
  const pairs = async () =>
    (await DataPoint.objects.valuesList('name', 'is_active')).map(([name, active]) => `${name}:${active}`).sort();
  await DataPoint.objects.update({ is_active: F('is_active').not() });
  assert.deepEqual(await pairs(), ['d0:false', 'd2:false', 'd3:true']);
  await DataPoint.objects.update({ is_active: F('is_active').not() });
  assert.deepEqual(await pairs(), ['d0:true', 'd2:true', 'd3:false']);
});

// Django: TypeError "Cannot negate non-conditional expressions.", before anything is sent.
peer.case('AdvancedTests.test_updating_non_conditional_field', async () => {
  await advanced();
  await assert.rejects(
    async () => DataPoint.objects.update({ is_active: F('name').not() }),
    (err: unknown) => err instanceof FieldError && /Cannot negate non-conditional expressions/.test(err.message),
  );
});
