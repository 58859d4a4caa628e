// Ported from Django's tests/expressions/tests.py (current main): the
// temporal cases (FTimeDeltaTests), ValueTests.test_update_UUIDField_using_Value
// and CombinedExpressionTests.test_mixed_char_date_with_annotate. The models
// are ./models/expressions.ts. Django's DurationField is a Number of
// milliseconds here, and a timedelta the same count: MongoDB adds
// milliseconds to a date, and gives the difference of two dates in
// milliseconds. Experiment's Meta.ordering is an explicit orderBy('name').
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, Value, type FExpression } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { expressionsModels, type ExperimentRaw } from './models/expressions.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const models = expressionsModels(conn);
for (const model of Object.values(models)) await ready(model);
const { Experiment } = models;

async function clear(): Promise<void> {
  for (const model of Object.values(models) as mongoose.Model<unknown>[]) await model.deleteMany({});
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** FTimeDeltaTests.setUpTestData: six experiments whose deltas and delays strictly increase. */
async function timeDeltas() {
  await clear();
  const sday = new Date(Date.UTC(2010, 5, 25));
  const stime = new Date(Date.UTC(2010, 5, 25, 12, 15, 30, 747));
  const at = (d: Date, ms: number) => new Date(d.getTime() + ms);
  const deltas = [0, 253, 44 * SECOND, 21 * HOUR + 8 * 60 * SECOND, 10 * DAY, 90 * DAY];
  // [name, assigned, start, end, estimated_time]
  const rows: [string, Date, Date, Date, number][] = [
    ['e0', sday, stime, at(stime, deltas[0]!), deltas[0]!],
    ['e1', sday, at(stime, DAY), at(stime, DAY + deltas[1]!), deltas[1]!],
    ['e2', at(sday, -3 * DAY), stime, at(stime, deltas[2]!), HOUR],
    ['e3', sday, at(stime, 4 * DAY), at(stime, 4 * DAY + deltas[3]!), deltas[3]!],
    ['e4', at(sday, -10 * DAY), stime, at(stime, deltas[4]!), deltas[4]! - DAY],
    ['e5', sday, at(stime, 30 * DAY), at(stime, 30 * DAY + deltas[5]!), deltas[5]!],
  ];
  const delays: number[] = [];
  const daysLong: number[] = [];
  for (const [name, assigned, start, end, estimated_time] of rows) {
    const completed = midnight(end);
    await Experiment.objects.create({ name, assigned, start, end, completed, estimated_time });
    delays.push(start.getTime() - assigned.getTime());
    daysLong.push(completed.getTime() - assigned.getTime());
  }
  const expnames = await Experiment.objects.orderBy('name').valuesList('name', { flat: true });
  return { sday, stime, deltas, delays, daysLong, expnames };
}

const names = async (qs: PromiseLike<ExperimentRaw[]>) => (await qs).map((e) => e.name);
const filtered = (filter: Record<string, unknown>) => names(Experiment.objects.filter(filter as never).orderBy('name'));
const excluded = (filter: Record<string, unknown>) =>
  names(Experiment.objects.exclude(filter as never).orderBy('name'));

peer.case('FTimeDeltaTests.test_multiple_query_compilation', async () => {
  await timeDeltas();
  const qs = Experiment.objects.filter({ end__lt: F('start').plus(HOUR) });
  assert.deepEqual(qs.toMongo(), qs.toMongo());
});

peer.case('FTimeDeltaTests.test_query_clone', { gap: 'exprComparison' }, async () => {
  await timeDeltas();
  const qs = Experiment.objects.filter({ end__lt: F('start').plus(HOUR) });
  const qs2 = qs.all();
  assert.deepEqual(await names(qs), await names(qs2));
});

peer.case('FTimeDeltaTests.test_delta_add', { gap: 'exprComparison' }, async () => {
  const { deltas, expnames } = await timeDeltas();
  for (const [i, delta] of deltas.entries()) {
    assert.deepEqual(await filtered({ end__lt: F('start').plus(delta) }), expnames.slice(0, i));
    assert.deepEqual(await filtered({ end__lte: F('start').plus(delta) }), expnames.slice(0, i + 1));
  }
});

peer.case('FTimeDeltaTests.test_delta_subtract', { gap: 'exprComparison' }, async () => {
  const { deltas, expnames } = await timeDeltas();
  for (const [i, delta] of deltas.entries()) {
    assert.deepEqual(await filtered({ start__gt: F('end').minus(delta) }), expnames.slice(0, i));
    assert.deepEqual(await filtered({ start__gte: F('end').minus(delta) }), expnames.slice(0, i + 1));
  }
});

peer.case('FTimeDeltaTests.test_exclude', { gap: 'exprComparison' }, async () => {
  const { deltas, expnames } = await timeDeltas();
  for (const [i, delta] of deltas.entries()) {
    assert.deepEqual(await excluded({ end__lt: F('start').plus(delta) }), expnames.slice(i));
    assert.deepEqual(await excluded({ end__lte: F('start').plus(delta) }), expnames.slice(i + 1));
  }
});

peer.case('FTimeDeltaTests.test_date_comparison', { gap: 'exprComparison' }, async () => {
  const { daysLong, expnames } = await timeDeltas();
  for (const [i, days] of daysLong.entries()) {
    assert.deepEqual(await filtered({ completed__lt: F('assigned').plus(days) }), expnames.slice(0, i));
    assert.deepEqual(await filtered({ completed__lte: F('assigned').plus(days) }), expnames.slice(0, i + 1));
  }
});

peer.case(
  'FTimeDeltaTests.test_datetime_and_durationfield_addition_with_filter',
  { gap: 'exprComparison' },
  async () => {
    await timeDeltas();
    const testSet = await filtered({ end: F('start').plus(F('estimated_time')) });
    assert.ok(testSet.length > 0);
    const all = await Experiment.objects.orderBy('name');
    assert.deepEqual(
      testSet,
      all.filter((e) => e.end.getTime() === e.start.getTime() + e.estimated_time).map((e) => e.name),
    );
  },
);

peer.case(
  'FTimeDeltaTests.test_datetime_and_duration_field_addition_with_annotate_and_no_output_field',
  { gap: 'arithmeticExpressions' },
  async () => {
    await timeDeltas();
    const testSet = await Experiment.objects.annotate({ estimated_end: F('start').plus(F('estimated_time')) });
    assert.equal(testSet.length, 6);
    for (const e of testSet) {
      const end = (e as unknown as { estimated_end: Date }).estimated_end;
      assert.equal(new Date(end).getTime(), e.start.getTime() + e.estimated_time);
    }
  },
);

peer.case(
  'FTimeDeltaTests.test_datetime_subtraction_with_annotate_and_no_output_field',
  { gap: 'arithmeticExpressions' },
  async () => {
    await timeDeltas();
    const testSet = await Experiment.objects.annotate({ calculated_duration: F('end').minus(F('start')) });
    assert.equal(testSet.length, 6);
    for (const e of testSet) {
      const duration = (e as unknown as { calculated_duration: number }).calculated_duration;
      assert.equal(duration, e.end.getTime() - e.start.getTime());
    }
  },
);

peer.case('FTimeDeltaTests.test_mixed_comparisons1', { gap: 'exprComparison' }, async () => {
  const { delays, expnames } = await timeDeltas();
  for (const [i, delay] of delays.entries()) {
    assert.deepEqual(await filtered({ assigned__gt: F('start').minus(delay) }), expnames.slice(0, i));
    assert.deepEqual(await filtered({ assigned__gte: F('start').minus(delay) }), expnames.slice(0, i + 1));
  }
});

peer.case('FTimeDeltaTests.test_mixed_comparisons2', { gap: 'exprComparison' }, async () => {
  const { delays, expnames } = await timeDeltas();
  for (const [i, exact] of delays.entries()) {
    const delay = Math.floor(exact / DAY) * DAY;
    assert.deepEqual(await filtered({ start__lt: F('assigned').plus(delay) }), expnames.slice(0, i));
    assert.deepEqual(await filtered({ start__lte: F('assigned').plus(delay).plus(DAY) }), expnames.slice(0, i + 1));
  }
});

// F('start').plus(ms) on a date is date arithmetic ($add in a pipeline update), never $inc, which
// every server refuses on a date ("Cannot apply $inc to a value of non-numeric type").
peer.case('FTimeDeltaTests.test_delta_update', async () => {
  const { deltas } = await timeDeltas();
  for (const delta of deltas) {
    const before = await Experiment.objects.orderBy('name');
    await Experiment.objects.update({ start: F('start').plus(delta), end: F('end').plus(delta) });
    const after = await Experiment.objects.orderBy('name');
    assert.deepEqual(
      after.map((e) => e.start.getTime()),
      before.map((e) => e.start.getTime() + delta),
    );
    assert.deepEqual(
      after.map((e) => e.end.getTime()),
      before.map((e) => e.end.getTime() + delta),
    );
    assert.deepEqual(
      after.map((e) => e.end.getTime() - e.start.getTime()),
      before.map((e) => e.end.getTime() - e.start.getTime()),
    );
  }
});

// Django: DatabaseError; here FieldError before anything is sent (a Date only takes plus and minus).
peer.case('FTimeDeltaTests.test_invalid_operator', { gap: 'exprComparison' }, async () => {
  await timeDeltas();
  await assert.rejects(async () => Experiment.objects.filter({ start: F('start').times(0) }));
});

// Django's Value(None, output_field=DurationField()) is a null operand.
peer.case('FTimeDeltaTests.test_durationfield_add', { gap: 'exprComparison' }, async () => {
  await timeDeltas();
  assert.deepEqual(await filtered({ start: F('start').plus(F('estimated_time')) }), ['e0']);
  assert.deepEqual(await filtered({ end__lt: F('start').plus(F('estimated_time')) }), ['e2']);
  assert.deepEqual(await filtered({ end__gte: F('start').plus(F('estimated_time')).plus(HOUR) }), ['e4']);
  const shifted = await Experiment.objects.annotate({ shifted: F('start').plus(null) }).first();
  assert.equal((shifted as unknown as { shifted: Date | null }).shifted, null);
});

// Django's ExpressionWrapper(..., output_field=DurationField()) only names the type:
// here the milliseconds themselves. Decimal('2') is the number 2.
peer.case('FTimeDeltaTests.test_durationfield_multiply_divide', { gap: 'arithmeticExpressions' }, async () => {
  await timeDeltas();
  await Experiment.objects.update({ scalar: 2 });
  const tests: [number | FExpression, number][] = [
    [2, 2],
    [F('scalar'), 2],
    [3.2, 3.2],
  ];
  for (const [expr, scalar] of tests) {
    const qs = await Experiment.objects.annotate({
      multiplied: F('estimated_time').times(expr),
      divided: F('estimated_time').dividedBy(expr),
    });
    assert.equal(qs.length, 6);
    for (const e of qs) {
      const { multiplied, divided } = e as unknown as { multiplied: number; divided: number };
      assert.equal(multiplied, e.estimated_time * scalar);
      assert.equal(divided, e.estimated_time / scalar);
    }
  }
});

peer.case('FTimeDeltaTests.test_duration_expressions', { gap: 'arithmeticExpressions' }, async () => {
  const { deltas } = await timeDeltas();
  for (const delta of deltas) {
    const qs = await Experiment.objects.annotate({ duration: F('estimated_time').plus(delta) });
    assert.equal(qs.length, 6);
    for (const obj of qs) assert.equal((obj as unknown as { duration: number }).duration, obj.estimated_time + delta);
  }
});

peer.case('FTimeDeltaTests.test_date_subtraction', { gap: 'arithmeticExpressions' }, async () => {
  await timeDeltas();
  const queryset = Experiment.objects.annotate({ completion_duration: F('completed').minus(F('assigned')) });
  const set = async (filter: Record<string, unknown>) =>
    new Set((await queryset.filter(filter as never)).map((e) => e.name));
  assert.deepEqual(await set({ completion_duration__gte: 5 * DAY }), new Set(['e3', 'e4', 'e5']));
  assert.deepEqual(await set({ completion_duration__gte: 120 * DAY }), new Set(['e5']));
  assert.deepEqual(await set({ completion_duration__lt: 5 * DAY }), new Set(['e0', 'e1', 'e2']));
});

// Django's Value(None, output_field=DateTimeField()) and Value(None, output_field=DurationField())
// are both a null operand.
peer.case('FTimeDeltaTests.test_datetime_subtraction', { gap: 'exprComparison' }, async () => {
  await timeDeltas();
  assert.deepEqual(await filtered({ estimated_time__gt: F('end').minus(F('start')) }), ['e2']);
  assert.deepEqual(await filtered({ estimated_time__lt: F('end').minus(F('start')) }), ['e4']);
  const difference = await Experiment.objects.annotate({ difference: F('start').minus(null) }).first();
  assert.equal((difference as unknown as { difference: number | null }).difference, null);
});

// Django's `self.stime + F('estimated_time')`: a date operand, first.
peer.case('FTimeDeltaTests.test_duration_with_datetime', { gap: 'exprComparison' }, async () => {
  const { stime } = await timeDeltas();
  const overEstimate = Experiment.objects
    .exclude({ name: 'e1' })
    .filter({ completed__gt: Value(stime).plus(F('estimated_time')) })
    .orderBy('name');
  assert.deepEqual(await names(overEstimate), ['e3', 'e4', 'e5']);
});

peer.case('FTimeDeltaTests.test_date_minus_duration', { gap: 'exprComparison' }, async () => {
  await timeDeltas();
  assert.deepEqual(await filtered({ assigned__lt: F('completed').minus(4 * DAY) }), ['e3', 'e4', 'e5']);
});

peer.case('FTimeDeltaTests.test_negative_timedelta_update', async () => {
  await timeDeltas();
  const experiments = Experiment.objects
    .filter({ name: 'e0' })
    .annotate({ start_sub_seconds: F('start').plus(-30 * SECOND) })
    .annotate({ start_sub_minutes: F('start_sub_seconds').plus(-30 * 60 * SECOND) })
    .annotate({ start_sub_hours: F('start_sub_minutes').plus(-2 * HOUR) })
    .annotate({ new_start: F('start_sub_hours').plus(-2 * DAY) });
  await experiments.update({ start: F('new_start') } as never);
  // Django subtracts 30 µs too; BSON dates hold milliseconds.
  assert.equal((await Experiment.objects.get({ name: 'e0' })).start.getTime(), Date.UTC(2010, 5, 23, 9, 45, 0, 747));
});

// ---------------------------------------------------------------- ValueTests

// Django's Value(uuid.UUID(...), output_field=UUIDField()) is the driver's UUID itself.
peer.case('ValueTests.test_update_UUIDField_using_Value', async () => {
  await clear();
  const { UUID } = models;
  await UUID.objects.create({});
  await UUID.objects.update({ uuid: new mongoose.mongo.UUID('12345678901234567890123456789012') as never });
  assert.equal(String((await UUID.objects.get()).uuid), '12345678-9012-3456-7890-123456789012');
});

// ---------------------------------------------------------------- CombinedExpressionTests

// Django: FieldError "Cannot infer type of '+' expression involving these types: CharField, DateField."
peer.case('CombinedExpressionTests.test_mixed_char_date_with_annotate', async () => {
  await timeDeltas();
  await assert.rejects(
    async () => Experiment.objects.annotate({ nonsense: F('name').plus(F('assigned')) }),
    (err: unknown) => err instanceof FieldError && /name/.test(err.message) && /assigned/.test(err.message),
  );
});
