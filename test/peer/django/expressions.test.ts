// Ported from Django's tests/expressions/tests.py (current main): the
// F()-in-filter, F()-in-update and pattern cases (BasicExpressionsTests,
// IterableLookupInnerExpressionsTests, ExpressionsTests,
// NegatedExpressionTests). The arithmetic cases are in
// expressions-numeric.test.ts, the temporal ones in
// expressions-temporal.test.ts; the models are ./models/expressions.ts.
//
// Django's `F('a') + 2` is `F('a').plus(2)`; its operator precedence becomes
// the order of the calls. An F() compared with a field compiles to `$expr`,
// which FerretDB v1 lacks (exprComparison); an update from another field is a
// pipeline update, which neither emulator runs (pipelineUpdates) and djongoose
// then computes per document (PIPELINE_UPDATES 'auto').
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, Sum, type FExpression } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { expressionsModels } from './models/expressions.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const models = expressionsModels(conn);
for (const model of Object.values(models)) await ready(model);
const { Company, Employee, Number } = models;

async function clear(): Promise<void> {
  for (const model of Object.values(models) as mongoose.Model<unknown>[]) await model.deleteMany({});
}

const ids = (docs: readonly { _id: unknown }[]) => docs.map((d) => String(d._id));
const sortedIds = (docs: readonly { _id: unknown }[]) => ids(docs).sort();

// An F across a reference in a filter reads the ids through $lookup and compares in $expr.
const F_ACROSS = { gap: ['lookup', 'exprComparison'] } as const;

// ---------------------------------------------------------------- BasicExpressionsTests

/** BasicExpressionsTests.setUpTestData */
async function basic() {
  await clear();
  const joe = await Employee.objects.create({ firstname: 'Joe', lastname: 'Smith', salary: 10 });
  const exampleInc = await Company.objects.create({
    name: 'Example Inc.',
    num_employees: 2300,
    num_chairs: 5,
    ceo: joe._id,
  });
  const frank = await Employee.objects.create({ firstname: 'Frank', lastname: 'Meyer', salary: 20 });
  const foobarLtd = await Company.objects.create({
    name: 'Foobar Ltd.',
    num_employees: 3,
    num_chairs: 4,
    based_in_eu: true,
    ceo: frank._id,
  });
  const max = await Employee.objects.create({ firstname: 'Max', lastname: 'Mustermann', salary: 30 });
  const gmbh = await Company.objects.create({ name: 'Test GmbH', num_employees: 32, num_chairs: 1, ceo: max._id });
  return { exampleInc, foobarLtd, gmbh, max };
}

/** BasicExpressionsTests.setUp: self.company_query */
const companyQuery = () =>
  Company.objects.values('name', 'num_employees', 'num_chairs').orderBy('name', 'num_employees', 'num_chairs');

// F('ceo__salary') in annotate reads across the reference ($lookup); what fails is the Sum of an expression.
peer.case('BasicExpressionsTests.test_annotate_values_aggregate', { gap: 'lookup' }, async () => {
  await basic();
  const companies = await Company.objects
    .annotate({ salaries: F('ceo__salary') })
    .aggregate({ result: Sum(F('salaries').plus(F('num_employees'))) });
  assert.equal((companies as { result?: unknown }).result, 2395);
});

peer.case('BasicExpressionsTests.test_filter_inter_attribute', { gap: 'exprComparison' }, async () => {
  await basic();
  assert.deepEqual(await companyQuery().filter({ num_employees__gt: F('num_chairs') }), [
    { num_chairs: 5, name: 'Example Inc.', num_employees: 2300 },
    { num_chairs: 1, name: 'Test GmbH', num_employees: 32 },
  ]);
});

peer.case('BasicExpressionsTests.test_update', async () => {
  await basic();
  await companyQuery().update({ num_chairs: F('num_employees') });
  assert.deepEqual(await companyQuery(), [
    { num_chairs: 2300, name: 'Example Inc.', num_employees: 2300 },
    { num_chairs: 3, name: 'Foobar Ltd.', num_employees: 3 },
    { num_chairs: 32, name: 'Test GmbH', num_employees: 32 },
  ]);
});

peer.case('BasicExpressionsTests.test_arithmetic', async () => {
  await basic();
  await companyQuery().update({ num_chairs: F('num_employees').plus(2) });
  assert.deepEqual(await companyQuery(), [
    { num_chairs: 2302, name: 'Example Inc.', num_employees: 2300 },
    { num_chairs: 5, name: 'Foobar Ltd.', num_employees: 3 },
    { num_chairs: 34, name: 'Test GmbH', num_employees: 32 },
  ]);
});

// Django's F('num_employees') + 2 * F('num_employees').
peer.case('BasicExpressionsTests.test_order_of_operations', async () => {
  await basic();
  await companyQuery().update({ num_chairs: F('num_employees').plus(F('num_employees').times(2)) });
  assert.deepEqual(await companyQuery(), [
    { num_chairs: 6900, name: 'Example Inc.', num_employees: 2300 },
    { num_chairs: 9, name: 'Foobar Ltd.', num_employees: 3 },
    { num_chairs: 96, name: 'Test GmbH', num_employees: 32 },
  ]);
});

// Django's (F('num_employees') + 2) * F('num_employees').
peer.case('BasicExpressionsTests.test_parenthesis_priority', async () => {
  await basic();
  await companyQuery().update({ num_chairs: F('num_employees').plus(2).times(F('num_employees')) });
  assert.deepEqual(await companyQuery(), [
    { num_chairs: 5294600, name: 'Example Inc.', num_employees: 2300 },
    { num_chairs: 15, name: 'Foobar Ltd.', num_employees: 3 },
    { num_chairs: 1088, name: 'Test GmbH', num_employees: 32 },
  ]);
});

peer.case('BasicExpressionsTests.test_update_with_fk', async () => {
  await basic();
  assert.equal(await Company.objects.update({ point_of_contact: F('ceo') }), 3);
  for (const c of await Company.objects.all()) assert.equal(String(c.point_of_contact), String(c.ceo));
});

// Django's Value(None) is the literal null.
peer.case('BasicExpressionsTests.test_update_with_none', async () => {
  await basic();
  await Number.objects.create({ integer: 1n, float: 1.0 });
  await Number.objects.create({ integer: 2n });
  await Number.objects.filter({ float__isnull: false }).update({ float: null });
  assert.deepEqual(await Number.objects.valuesList('float', { flat: true }), [null, null]);
});

peer.case('BasicExpressionsTests.test_filter_with_join', F_ACROSS, async () => {
  await basic();
  await Company.objects.update({ point_of_contact: F('ceo') });
  const c = (await Company.objects.orderBy('pk').first())!;
  const guido = await Employee.objects.create({ firstname: 'Guido', lastname: 'van Rossum' });
  c.point_of_contact = guido._id;
  await c.save();
  const same = { ceo__firstname: F('point_of_contact__firstname') } as never;
  assert.deepEqual((await Company.objects.filter(same)).map((x) => x.name).sort(), ['Foobar Ltd.', 'Test GmbH']);
  await Company.objects.exclude(same).update({ name: 'foo' });
  assert.equal((await Company.objects.exclude(same).get()).name, 'foo');
  // Django: "Joined field references are not permitted in this query"
  await assert.rejects(
    async () => Company.objects.exclude(same).update({ name: F('point_of_contact__lastname') } as never),
    FieldError,
  );
});

// Django's `obj.num_employees = F('num_employees') + 4; obj.save()`.
peer.case('BasicExpressionsTests.test_object_update', async () => {
  const { gmbh } = await basic();
  gmbh.set('num_employees', F('num_employees').plus(4));
  await gmbh.save();
  assert.equal((await Company.objects.get({ pk: gmbh._id })).num_employees, 36);
});

// Django: "Aggregate functions are not allowed in this query (num_employees=Max(Value(1)))."
peer.case('BasicExpressionsTests.test_object_create_with_aggregate', async () => {
  const { max } = await basic();
  await assert.rejects(
    Company.objects.create({
      name: 'Company',
      num_employees: Sum('num_chairs') as never,
      num_chairs: 1,
      ceo: max._id,
    }),
    (err: unknown) =>
      (err instanceof FieldError || err instanceof mongoose.Error.ValidationError) && /num_employees/.test(err.message),
  );
  assert.equal(await Company.objects.count(), 3);
});

// Django: F on a foreign key of a document is refused, and a joined F on save is a FieldError.
peer.case('BasicExpressionsTests.test_object_update_fk', async () => {
  const { gmbh } = await basic();
  const testGmbh = await Company.objects.get({ pk: gmbh._id });
  testGmbh.set('name', F('ceo__lastname'));
  await assert.rejects(
    testGmbh.save(),
    (err: unknown) => err instanceof FieldError && /join|relation|ceo/i.test(err.message),
  );
});

// Django: ValueError "F() expressions can only be used to update, not to insert."
peer.case('BasicExpressionsTests.test_object_update_unsaved_objects', async () => {
  const { max } = await basic();
  const acme = new Company({ name: 'The Acme Widget Co.', num_employees: 12, num_chairs: 5, ceo: max._id });
  acme.set('num_employees', F('num_employees').plus(16));
  await assert.rejects(
    acme.save(),
    (err: unknown) =>
      (err instanceof FieldError || err instanceof mongoose.Error.ValidationError) && /num_employees/.test(err.message),
  );
  assert.equal(await Company.objects.count(), 3);
});

peer.case('BasicExpressionsTests.test_ticket_11722_iexact_lookup', { gap: 'exprComparison' }, async () => {
  await clear();
  await Employee.objects.create({ firstname: 'John', lastname: 'Doe' });
  const test = await Employee.objects.create({ firstname: 'Test', lastname: 'test' });
  assert.deepEqual(ids(await Employee.objects.filter({ firstname__iexact: F('lastname') } as never)), ids([test]));
});

// MongoDB compares case-sensitively: Django's answer for a backend without case-insensitive LIKE.
peer.case('BasicExpressionsTests.test_ticket_16731_startswith_lookup', { gap: 'exprComparison' }, async () => {
  await clear();
  await Employee.objects.create({ firstname: 'John', lastname: 'Doe' });
  const e2 = await Employee.objects.create({ firstname: 'Jack', lastname: 'Jackson' });
  const e3 = await Employee.objects.create({ firstname: 'Jack', lastname: 'jackson' });
  assert.deepEqual(ids(await Employee.objects.filter({ lastname__startswith: F('firstname') } as never)), ids([e2]));
  const qs = Employee.objects.filter({ lastname__istartswith: F('firstname') } as never).orderBy('pk');
  assert.deepEqual(ids(await qs), ids([e2, e3]));
});

peer.case('BasicExpressionsTests.test_incorrect_field_in_F_expression', async () => {
  await basic();
  await assert.rejects(
    async () => Employee.objects.filter({ firstname: F('nope') }),
    (err: unknown) => err instanceof FieldError && /Cannot resolve keyword "?'?nope/.test(err.message),
  );
});

// Django reads ceo__pk as the stored reference itself, with no join.
peer.case('BasicExpressionsTests.test_incorrect_joined_field_in_F_expression', async () => {
  await basic();
  await assert.rejects(
    async () => Company.objects.filter({ ceo__pk: F('point_of_contact__nope') }),
    (err: unknown) => err instanceof FieldError && /Cannot resolve keyword "?'?nope/.test(err.message),
  );
});

// ---------------------------------------------------------------- IterableLookupInnerExpressionsTests

/** IterableLookupInnerExpressionsTests.setUpTestData */
async function iterable() {
  await clear();
  const ceo = await Employee.objects.create({ firstname: 'Just', lastname: 'Doit', salary: 30 });
  const make = (name: string, num_employees: number, num_chairs: number) =>
    Company.objects.create({ name, num_employees, num_chairs, ceo: ceo._id });
  return {
    c5020: await make('5020 Ltd', 50, 20),
    c5040: await make('5040 Ltd', 50, 40),
    c5050: await make('5050 Ltd', 50, 50),
    c5060: await make('5060 Ltd', 50, 60),
    c99300: await make('99300 Ltd', 99, 300),
  };
}

peer.case(
  'IterableLookupInnerExpressionsTests.test_in_lookup_allows_F_expressions_and_expressions_for_integers',
  { gap: ['exprComparison', 'arithmeticExpressions'] },
  async () => {
    const { c5040, c5050, c5060 } = await iterable();
    const chairs = (n: number): FExpression => (n < 0 ? F('num_chairs').minus(-n) : F('num_chairs').plus(n));
    const inList = (...list: FExpression[]) => Company.objects.filter({ num_employees__in: list } as never);
    assert.deepEqual(ids(await inList(chairs(-10))), ids([c5060]));
    assert.deepEqual(sortedIds(await inList(chairs(-10), chairs(10))), sortedIds([c5040, c5060]));
    assert.deepEqual(
      sortedIds(await inList(chairs(-10), F('num_chairs'), chairs(10))),
      sortedIds([c5040, c5050, c5060]),
    );
  },
);

peer.case(
  'IterableLookupInnerExpressionsTests.test_range_lookup_allows_F_expressions_and_expressions_for_integers',
  { gap: ['exprComparison', 'arithmeticExpressions'] },
  async () => {
    const { c5020, c5040, c5050, c5060, c99300 } = await iterable();
    const range = (low: number | FExpression, high: number | FExpression) =>
      Company.objects.filter({ num_employees__range: [low, high] } as never);
    assert.deepEqual(sortedIds(await range(F('num_chairs'), 100)), sortedIds([c5020, c5040, c5050]));
    assert.deepEqual(
      sortedIds(await range(F('num_chairs').minus(10), F('num_chairs').plus(10))),
      sortedIds([c5040, c5050, c5060]),
    );
    assert.deepEqual(sortedIds(await range(F('num_chairs').minus(10), 100)), sortedIds([c5020, c5040, c5050, c5060]));
    assert.deepEqual(sortedIds(await range(1, 100)), sortedIds([c5020, c5040, c5050, c5060, c99300]));
  },
);

// Django's namedtuple is a tuple; here the two-item array.
peer.case('IterableLookupInnerExpressionsTests.test_range_lookup_namedtuple', async () => {
  const { c99300 } = await iterable();
  assert.deepEqual(ids(await Company.objects.filter({ num_employees__range: [51, 100] })), ids([c99300]));
});

peer.case(
  'IterableLookupInnerExpressionsTests.test_range_lookup_allows_F_expressions_and_expressions_for_dates',
  F_ACROSS,
  async () => {
    await clear();
    const { Experiment, Result } = models;
    const start = new Date(Date.UTC(2016, 1, 3, 15));
    const end = new Date(Date.UTC(2016, 1, 5, 15));
    const experiment = (name: string) =>
      Experiment.objects.create({
        name,
        assigned: new Date(Date.UTC(2016, 1, 3)),
        start,
        end,
        completed: new Date(Date.UTC(2016, 1, 5)),
        estimated_time: end.getTime() - start.getTime(),
      });
    const e1 = await experiment('Integrity testing');
    const e2 = await experiment('Taste testing');
    const r1 = await Result.objects.create({ experiment: e1._id, result_time: new Date(Date.UTC(2016, 1, 4, 15)) });
    await Result.objects.create({ experiment: e1._id, result_time: new Date(Date.UTC(2016, 2, 10, 2)) });
    await Result.objects.create({ experiment: e2._id, result_time: new Date(Date.UTC(2016, 0, 8, 5)) });
    const within = { result_time__range: [F('experiment__start'), F('experiment__end')] } as never;
    assert.deepEqual(ids(await Result.objects.filter(within)), ids([r1]));
  },
);

// ---------------------------------------------------------------- ExpressionsTests

peer.case('ExpressionsTests.test_F_reuse', { gap: 'exprComparison' }, async () => {
  await clear();
  const f = F('pk');
  const n = await Number.objects.create({ integer: -1n });
  const joe = await Employee.objects.create({ firstname: 'Joe', lastname: 'Smith' });
  const c = await Company.objects.create({ name: 'Example Inc.', num_employees: 2300, num_chairs: 5, ceo: joe._id });
  const cQs = Company.objects.filter({ pk: f } as never);
  assert.equal(String((await cQs.get())._id), String(c._id));
  // The same F in another model's QuerySet.
  assert.equal(String((await Number.objects.filter({ pk: f } as never).get())._id), String(n._id));
  assert.equal(String((await cQs.get())._id), String(c._id));
});

/** The Employees of test_patterns_escape, in the case given. */
async function patternEmployees(lower: boolean) {
  await clear();
  const l = (s: string) => (lower ? s.toLowerCase() : s);
  await Employee.objects.bulkCreate([
    { firstname: 'Johnny', lastname: l('%John') },
    { firstname: 'Jean-Claude', lastname: l('Claud_') },
    { firstname: 'Jean-Claude', lastname: l('Claude%') },
    { firstname: 'Johnny', lastname: l('Joh\\n') },
    { firstname: 'Johnny', lastname: '_ohn' },
  ]);
  const claude = await Employee.objects.create({ firstname: 'Jean-Claude', lastname: l('Claude') });
  const john = await Employee.objects.create({ firstname: 'Johnny', lastname: l('John') });
  const johnSign = await Employee.objects.create({ firstname: '%Joh\\nny', lastname: l('%Joh\\n') });
  return { claude, john, johnSign };
}

peer.case('ExpressionsTests.test_patterns_escape', { gap: 'exprComparison' }, async () => {
  const { claude, john, johnSign } = await patternEmployees(false);
  const by = (filter: Record<string, unknown>) => Employee.objects.filter(filter as never);
  assert.deepEqual(sortedIds(await by({ firstname__contains: F('lastname') })), sortedIds([johnSign, john, claude]));
  assert.deepEqual(sortedIds(await by({ firstname__startswith: F('lastname') })), sortedIds([johnSign, john]));
  assert.deepEqual(ids(await by({ firstname__endswith: F('lastname') })), ids([claude]));
});

peer.case('ExpressionsTests.test_insensitive_patterns_escape', { gap: 'exprComparison' }, async () => {
  const { claude, john, johnSign } = await patternEmployees(true);
  const by = (filter: Record<string, unknown>) => Employee.objects.filter(filter as never);
  assert.deepEqual(sortedIds(await by({ firstname__icontains: F('lastname') })), sortedIds([johnSign, john, claude]));
  assert.deepEqual(sortedIds(await by({ firstname__istartswith: F('lastname') })), sortedIds([johnSign, john]));
  assert.deepEqual(ids(await by({ firstname__iendswith: F('lastname') })), ids([claude]));
});

// ---------------------------------------------------------------- NegatedExpressionTests

async function negatedSetup() {
  await clear();
  const ceo = await Employee.objects.create({ firstname: 'Joe', lastname: 'Smith', salary: 10 });
  const euCompany = await Company.objects.create({
    name: 'Example Inc.',
    num_employees: 2300,
    num_chairs: 5,
    ceo: ceo._id,
    based_in_eu: true,
  });
  const nonEuCompany = await Company.objects.create({
    name: 'Foobar Ltd.',
    num_employees: 3,
    num_chairs: 4,
    ceo: ceo._id,
    based_in_eu: false,
  });
  return { euCompany, nonEuCompany };
}

// Django's ~F is F(...).not().
peer.case('NegatedExpressionTests.test_filter', { gap: 'exprComparison' }, async () => {
  const { euCompany, nonEuCompany } = await negatedSetup();
  assert.deepEqual(ids(await Company.objects.filter(F('based_in_eu').not())), ids([nonEuCompany]));
  assert.deepEqual(ids(await Company.objects.filter({ based_in_eu: F('based_in_eu').not() })), []);
  assert.deepEqual(
    ids(await Company.objects.filter({ based_in_eu: F('based_in_eu').not().not() })),
    ids([euCompany, nonEuCompany]),
  );
});

peer.case('NegatedExpressionTests.test_values', { gap: 'fieldPathValues' }, async () => {
  await negatedSetup();
  assert.deepEqual(
    await Company.objects
      .annotate({ negated: F('based_in_eu').not() })
      .valuesList('name', 'negated' as never)
      .orderBy('name'),
    [
      ['Example Inc.', false],
      ['Foobar Ltd.', true],
    ],
  );
});
