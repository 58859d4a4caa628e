// F's negation, bitwise operations, Value (a constant first) and date
// arithmetic, against a real server: in filters and annotations (`$expr` and
// `$addFields`, which FerretDB v1.24 cannot evaluate), and in updates (a
// pipeline update, evaluated per document where the server runs none). Type
// errors are refused before anything is sent.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, Value, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready } from '../helpers/server.js';
import type { Capability } from '../harness/capabilities.js';

interface ThingRaw {
  label: string;
  active?: boolean | null;
  n?: number | null;
  m?: number;
  at?: Date;
}

const conn = await openTestDatabase(import.meta.url);
const schema = new mongoose.Schema<ThingRaw>({ label: String, active: Boolean, n: Number, m: Number, at: Date });
schema.plugin(manager);
const Thing = await ready(conn.model<ThingRaw, Managed<ThingRaw>>('Thing', schema));
const day = (d: number) => new Date(Date.UTC(2024, 0, d));

beforeEach(async () => {
  await Thing.deleteMany({});
  await Thing.insertMany([
    { label: 'a', active: true, n: 42, m: 2, at: day(1) },
    { label: 'b', active: false, n: -42, m: 3, at: day(2) },
    { label: 'c', active: null, n: null, m: 1, at: day(3) },
  ]);
});

const rows = async () => Thing.objects.orderBy('label').valuesList('label', 'active', 'n');
const firstLacking = (...capabilities: Capability[]) =>
  capabilities.map((c) => lacks(c)).find((reason) => reason !== false) ?? false;

describe('filters', { skip: lacks('exprComparison') }, () => {
  test('a negated Boolean F holds where the field is false; null never matches', async () => {
    assert.deepEqual(await Thing.objects.filter(F('active').not()).valuesList('label', { flat: true }), ['b']);
    assert.deepEqual(await Thing.objects.filter(F('active')).valuesList('label', { flat: true }), ['a']);
    assert.deepEqual(
      await Thing.objects.exclude(F('active').not()).orderBy('label').valuesList('label', { flat: true }),
      ['a', 'c'],
    );
  });

  test('Value first, shifts and a Date operand compare as Django computes them', async () => {
    // 84 / 42 = 2: a's m; -42 >> 2 = -11 (floor), 42 << 1 = 84.
    assert.deepEqual(
      await Thing.objects.filter({ m: Value(84).dividedBy(F('n')) }).valuesList('label', { flat: true }),
      ['a'],
    );
    assert.deepEqual(
      await Thing.objects.filter({ n__lt: F('n').bitrightshift(2) }).valuesList('label', { flat: true }),
      ['b'],
    );
    assert.deepEqual(
      await Thing.objects.filter({ m__lt: F('n').bitleftshift(1) }).valuesList('label', { flat: true }),
      ['a'],
    );
    // The last day of 2023 plus m days: after a's and b's dates, before c's.
    const due = Value(day(0)).plus(F('m').times(86_400_000));
    assert.deepEqual(await Thing.objects.filter({ at__gte: due }).valuesList('label', { flat: true }), ['c']);
    assert.deepEqual(await Thing.objects.filter({ at__lt: due }).orderBy('label').valuesList('label', { flat: true }), [
      'a',
      'b',
    ]);
  });
});

test(
  'annotations: not keeps null, shifts floor, Value goes first',
  { skip: firstLacking('fieldPathValues', 'arithmeticExpressions', 'conditionalExpressions') },
  async () => {
    const got = await Thing.objects
      .annotate({ off: F('active').not(), half: F('n').bitrightshift(1), share: Value(84).dividedBy(F('n')) })
      .orderBy('label')
      .valuesList('label', 'off', 'half', 'share');
    assert.deepEqual(got, [
      ['a', false, 21, 2],
      ['b', true, -21, -2],
      ['c', null, null, null],
    ]);
  },
);

describe('updates', () => {
  test('not() flips Booleans and keeps null', async () => {
    await Thing.objects.update({ active: F('active').not() });
    assert.deepEqual(await rows(), [
      ['a', false, 42],
      ['b', true, -42],
      ['c', null, null],
    ]);
  });

  test('bitand, bitor, bitxor and the shifts, null giving null', async () => {
    const after = async (f: ReturnType<typeof F>) => {
      await Thing.objects.update({ n: f });
      const got = (await rows()).map((r) => r[2]);
      await Thing.objects.filter({ label: 'a' }).update({ n: 42 });
      await Thing.objects.filter({ label: 'b' }).update({ n: -42 });
      return got;
    };
    assert.deepEqual(await after(F('n').bitand(56)), [40, 16, null]);
    assert.deepEqual(await after(F('n').bitor(48)), [58, -10, null]);
    assert.deepEqual(await after(F('n').bitxor(48)), [26, -26, null]);
    assert.deepEqual(await after(F('n').bitxor(null)), [null, null, null]);
    assert.deepEqual(await after(F('n').bitleftshift(2)), [168, -168, null]);
    assert.deepEqual(await after(F('n').bitrightshift(2)), [10, -11, null]);
    assert.deepEqual(await after(F('n').bitleftshift(F('m'))), [168, -336, null]);
  });

  test('Value first: division, remainder and power', async () => {
    await Thing.objects.filter({ label__in: ['a', 'b'] }).update({ m: Value(84).dividedBy(F('n')) });
    await Thing.objects.filter({ label: 'a' }).update({ n: Value(69).mod(F('n')) });
    await Thing.objects.filter({ label: 'b' }).update({ n: Value(2).pow(F('m')) });
    const got = await Thing.objects.orderBy('label').valuesList('n', 'm');
    assert.deepEqual(got, [
      [27, 2],
      [0.25, -2],
      [null, 1],
    ]);
  });

  test("a Date field's own plus is date arithmetic, not $inc", async () => {
    await Thing.objects.update({ at: F('at').plus(3_600_000) });
    const got = await Thing.objects.orderBy('label').valuesList('at', { flat: true });
    assert.deepEqual(
      got.map((d) => (d as Date).toISOString()),
      ['2024-01-01T01:00:00.000Z', '2024-01-02T01:00:00.000Z', '2024-01-03T01:00:00.000Z'],
    );
  });
});

describe('refusals, before anything is sent', () => {
  test('text arithmetic, a negated number and a non-Boolean filter are FieldErrors; nothing is written', async () => {
    const before = await rows();
    await assert.rejects(
      async () => Thing.objects.update({ label: F('label').plus(F('at')), m: 5 }),
      (err: unknown) => err instanceof FieldError && /label/.test(err.message) && /at/.test(err.message),
    );
    await assert.rejects(
      async () => Thing.objects.update({ active: F('n').not() }),
      /Cannot negate non-conditional expressions/,
    );
    await assert.rejects(async () => Thing.objects.update({ m: F('at').times(2) }), FieldError);
    assert.throws(() => Thing.objects.filter(F('n')), /Cannot filter against a non-conditional expression/);
    assert.deepEqual(await rows(), before);
    assert.deepEqual(await Thing.objects.orderBy('label').valuesList('m', { flat: true }), [2, 3, 1]);
  });

  test('an operand from a request (a string, an object) never becomes a field path or an operator', () => {
    for (const operand of ['$label', { $literal: 1 }, '5']) {
      assert.throws(() => F('n').plus(operand as never), FieldError);
      assert.throws(() => Value(operand as never), FieldError);
    }
  });
});
