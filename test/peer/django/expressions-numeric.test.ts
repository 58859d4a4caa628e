// Ported from Django's tests/expressions/tests.py (current main): the
// arithmetic cases, ExpressionsNumericTests and ExpressionOperatorTests. The
// models are ./models/expressions.ts. Django's `F('a') + 15` is
// `F('a').plus(15)`; a same-field chain of one step becomes `$inc`/`$mul`,
// which every server runs, and anything else a pipeline update, which
// neither emulator runs (pipelineUpdates) and djongoose then computes per
// document (PIPELINE_UPDATES 'auto'). Python's operators with the
// constant on the left (`15 + F('a')`) are written with F first where the
// operation commutes, else with Value (`Value(640).dividedBy(F('a'))`).
// Number.integer is a BigIntegerField, a Mongoose BigInt: a Python int is
// written as a bigint (`42n`) and read back as one, compared here as a number.
import assert from 'node:assert/strict';
import type mongoose from 'mongoose';
import { F, Value, type FExpression } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { expressionsModels } from './models/expressions.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const models = expressionsModels(conn);
for (const model of Object.values(models)) await ready(model);
const { Employee, Number } = models;

async function clear(): Promise<void> {
  for (const model of Object.values(models) as mongoose.Model<unknown>[]) await model.deleteMany({});
}

/** Django's Approximate(expected, places). */
function approximately(actual: number | null | undefined, expected: number, places: number): void {
  assert.ok(typeof actual === 'number', `${actual} is not a number`);
  assert.ok(roundTo(actual - expected, places) === 0, `${actual} is not ${expected} to ${places} places`);
}
function roundTo(x: number, places: number): number {
  return Math.round(x * 10 ** places) / 10 ** places;
}

// ---------------------------------------------------------------- ExpressionsNumericTests

// Django's setUpTestData sets float from integer with a cross-field F update;
// here the numbers are stored with it, and test_fill_with_value_from_same_object
// runs that update itself.
async function numeric() {
  await clear();
  for (const integer of [-1, 42, 1337]) await Number.objects.create({ integer: BigInt(integer), float: integer });
}
const pairs = async (qs: PromiseLike<{ integer: bigint; float?: number | null }[]>) =>
  (await qs).map((n) => [globalThis.Number(n.integer), Math.round(n.float ?? NaN)]).sort((a, b) => a[0]! - b[0]!);

peer.case('ExpressionsNumericTests.test_fill_with_value_from_same_object', async () => {
  await clear();
  for (const integer of [-1n, 42n, 1337n]) await Number.objects.create({ integer });
  await Number.objects.update({ float: F('integer') });
  assert.deepEqual(await pairs(Number.objects.all()), [
    [-1, -1],
    [42, 42],
    [1337, 1337],
  ]);
});

peer.case('ExpressionsNumericTests.test_increment_value', async () => {
  await numeric();
  assert.equal(await Number.objects.filter({ integer__gt: 0 }).update({ integer: F('integer').plus(1) }), 2);
  assert.deepEqual(await pairs(Number.objects.all()), [
    [-1, -1],
    [43, 42],
    [1338, 1337],
  ]);
});

peer.case('ExpressionsNumericTests.test_filter_not_equals_other_field', { gap: 'exprComparison' }, async () => {
  await numeric();
  assert.equal(await Number.objects.filter({ integer__gt: 0 }).update({ integer: F('integer').plus(1) }), 2);
  assert.deepEqual(await pairs(Number.objects.exclude({ float: F('integer') })), [
    [43, 42],
    [1338, 1337],
  ]);
});

// Django's F('integer') + F('float') * 2.
peer.case('ExpressionsNumericTests.test_complex_expressions', async () => {
  await numeric();
  const n = await Number.objects.create({ integer: 10n, float: 123.45 });
  assert.equal(await Number.objects.filter({ pk: n._id }).update({ float: F('integer').plus(F('float').times(2)) }), 1);
  assert.equal(globalThis.Number((await Number.objects.get({ pk: n._id })).integer), 10);
  approximately((await Number.objects.get({ pk: n._id })).float, 256.9, 3);
});

// Django's `n.decimal_value = F('decimal_value') - Decimal('0.4'); n.save()`.
peer.case('ExpressionsNumericTests.test_decimal_expression', { gap: 'decimal128' }, async () => {
  await numeric();
  const n = await Number.objects.create({ integer: 1n, decimal_value: '0.5' as never });
  n.set('decimal_value', F('decimal_value').minus(0.4));
  await n.save();
  assert.equal(String((await Number.objects.get({ pk: n._id })).decimal_value), '0.1');
});

// ---------------------------------------------------------------- ExpressionOperatorTests

/** ExpressionOperatorTests.setUpTestData */
async function operators() {
  await clear();
  const n = await Number.objects.create({ integer: 42n, float: 15.5 });
  const n1 = await Number.objects.create({ integer: -42n, float: -15.5 });
  return { n, n1 };
}

/** The document after the update, its bigint `integer` as a number. */
async function updated(
  id: unknown,
  changes: Record<string, FExpression>,
): Promise<{ integer: number; float?: number | null }> {
  await Number.objects.filter({ pk: id } as never).update(changes as never);
  const { integer, float } = await Number.objects.get({ pk: id } as never);
  return { integer: globalThis.Number(integer), float };
}

peer.case('ExpressionOperatorTests.test_lefthand_addition', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').plus(15), float: F('float').plus(42.7) });
  assert.equal(got.integer, 57);
  approximately(got.float, 58.2, 3);
});

peer.case('ExpressionOperatorTests.test_lefthand_subtraction', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').minus(15), float: F('float').minus(42.7) });
  assert.equal(got.integer, 27);
  approximately(got.float, -27.2, 3);
});

peer.case('ExpressionOperatorTests.test_lefthand_multiplication', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').times(15), float: F('float').times(42.7) });
  assert.equal(got.integer, 630);
  approximately(got.float, 661.85, 3);
});

peer.case('ExpressionOperatorTests.test_lefthand_division', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').dividedBy(2), float: F('float').dividedBy(42.7) });
  assert.equal(got.integer, 21);
  approximately(got.float, 0.363, 3);
});

peer.case('ExpressionOperatorTests.test_lefthand_modulo', async () => {
  const { n } = await operators();
  assert.equal((await updated(n._id, { integer: F('integer').mod(20) })).integer, 2);
});

peer.case('ExpressionOperatorTests.test_lefthand_modulo_null', { gap: 'arithmeticExpressions' }, async () => {
  await clear();
  await Employee.objects.create({ firstname: 'John', lastname: 'Doe', salary: null });
  const qs = Employee.objects.annotate({ modsalary: F('salary').mod(20) });
  assert.equal((await qs.get()).salary, null);
});

// Django's bitand, bitor, bitxor, bitleftshift and bitrightshift are F's methods
// of the same names: $bitAnd/$bitOr/$bitXor (MongoDB 6.3+) and, for the shifts,
// a multiplication by a power of two (the floor for the right shift), in a
// pipeline update.
for (const [title, name, operand, expected, expected1] of [
  ['test_lefthand_bitwise_and', 'bitand', 56, 40, -64],
  ['test_lefthand_bitwise_left_shift_operator', 'bitleftshift', 2, 168, -168],
  ['test_lefthand_bitwise_right_shift_operator', 'bitrightshift', 2, 10, -11],
  ['test_lefthand_bitwise_or', 'bitor', 48, 58, -10],
  ['test_lefthand_bitwise_xor', 'bitxor', 48, 26, -26],
] as const) {
  peer.case(`ExpressionOperatorTests.${title}`, async () => {
    const { n, n1 } = await operators();
    // Django's test_lefthand_bitwise_and gives n1 the negated operand (bitand(-56)).
    const second = name === 'bitand' ? -operand : operand;
    await Number.objects.filter({ pk: n._id }).update({ integer: F('integer')[name](operand) });
    await Number.objects.filter({ pk: n1._id }).update({ integer: F('integer')[name](second) });
    assert.equal(globalThis.Number((await Number.objects.get({ pk: n._id })).integer), expected);
    assert.equal(globalThis.Number((await Number.objects.get({ pk: n1._id })).integer), expected1);
  });
}

peer.case('ExpressionOperatorTests.test_lefthand_bitwise_xor_null', async () => {
  await clear();
  const employee = await Employee.objects.create({ firstname: 'John', lastname: 'Doe' });
  await Employee.objects.update({ salary: F('salary').bitxor(48) });
  assert.equal((await Employee.objects.get({ pk: employee._id })).salary, null);
});

peer.case('ExpressionOperatorTests.test_lefthand_bitwise_xor_right_null', async () => {
  await clear();
  const employee = await Employee.objects.create({ firstname: 'John', lastname: 'Doe', salary: 48 });
  await Employee.objects.update({ salary: F('salary').bitxor(null) });
  assert.equal((await Employee.objects.get({ pk: employee._id })).salary, null);
});

peer.case('ExpressionOperatorTests.test_lefthand_power', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').pow(2), float: F('float').pow(1.5) });
  assert.equal(got.integer, 1764);
  approximately(got.float, 61.02, 2);
});

// 15 + F('integer'): addition commutes.
peer.case('ExpressionOperatorTests.test_right_hand_addition', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').plus(15), float: F('float').plus(42.7) });
  assert.equal(got.integer, 57);
  approximately(got.float, 58.2, 3);
});

// 15 - F('integer'): Django's Value(15) - F('integer'), in a pipeline.
peer.case('ExpressionOperatorTests.test_right_hand_subtraction', async () => {
  const { n } = await operators();
  const got = await updated(n._id, {
    integer: Value(15).minus(F('integer')),
    float: Value(42.7).minus(F('float')),
  });
  assert.equal(got.integer, -27);
  approximately(got.float, 27.2, 3);
});

peer.case('ExpressionOperatorTests.test_right_hand_multiplication', async () => {
  const { n } = await operators();
  const got = await updated(n._id, { integer: F('integer').times(15), float: F('float').times(42.7) });
  assert.equal(got.integer, 630);
  approximately(got.float, 661.85, 3);
});

// 640 / F('integer'): Django's Value(640) / F('integer'). Django's integer is a
// BigIntegerField, and SQL divides two integers as integers (640 / 42 = 15).
peer.case('ExpressionOperatorTests.test_right_hand_division', async () => {
  const { n } = await operators();
  const got = await updated(n._id, {
    integer: Value(640).dividedBy(F('integer')),
    float: Value(42.7).dividedBy(F('float')),
  });
  assert.equal(got.integer, 15);
  approximately(got.float, 2.755, 3);
});

peer.case('ExpressionOperatorTests.test_right_hand_modulo', async () => {
  const { n } = await operators();
  assert.equal((await updated(n._id, { integer: Value(69).mod(F('integer')) })).integer, 27);
});

peer.case('ExpressionOperatorTests.test_righthand_power', async () => {
  const { n } = await operators();
  const got = await updated(n._id, {
    integer: Value(2).pow(F('integer')),
    float: Value(1.5).pow(F('float')),
  });
  assert.equal(got.integer, 4398046511104);
  approximately(got.float, 536.308, 3);
});
