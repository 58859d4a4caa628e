// F() of an annotation in update() (issue 12 §2.12), Django's
// `annotate(alias=F('value')).update(another_value=F('alias'))`: an update
// sees stored fields only, so an annotation that is an F() expression is
// inlined, through chains of annotate() calls; an aggregate one is a
// FieldError, as in Django. The update is a pipeline: where the server lacks
// pipeline updates, djongoose computes it (PIPELINE_UPDATES 'auto'). What is
// compiled is checked in test/unit/annotations.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, Max, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';

interface PointRaw {
  name?: string;
  value?: string;
  another_value?: string;
  start?: Date;
}
let sent = 0;
const schema = new mongoose.Schema<PointRaw>({ name: String, value: String, another_value: String, start: Date });
schema.pre(/^(updateMany|updateOne|findOneAndUpdate)$/, function countSent() {
  sent += 1;
});
schema.plugin(manager);
const Point = await ready(
  (await openTestDatabase(import.meta.url)).model<PointRaw, Managed<PointRaw>>('Point', schema),
);

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const START = new Date(Date.UTC(2010, 5, 25, 12, 15, 30, 747));

async function points() {
  await Point.deleteMany({});
  await Point.create([
    { name: 'd0', value: 'apple', another_value: '', start: START },
    { name: 'd2', value: 'banana', another_value: '' },
  ]);
  sent = 0;
}

test(`F of an annotation in update() on ${server.name}: the annotation is inlined, so the stored value is copied`, async () => {
  // Django's AdvancedTests.test_update_annotated_queryset.
  await points();
  assert.equal(await Point.objects.annotate({ alias: F('value') }).update({ another_value: F('alias') } as never), 2);
  const after = await Point.objects.orderBy('name').valuesList('another_value', { flat: true });
  assert.deepEqual(after, ['apple', 'banana']);
});

test(`F of an annotation of annotations in update() on ${server.name}: a chain of annotate() calls is inlined`, async () => {
  // Django's FTimeDeltaTests.test_negative_timedelta_update.
  await points();
  const shifted = Point.objects
    .filter({ name: 'd0' })
    .annotate({ start_sub_seconds: F('start').plus(-30 * SECOND) })
    .annotate({ start_sub_minutes: F('start_sub_seconds').plus(-30 * 60 * SECOND) })
    .annotate({ start_sub_hours: F('start_sub_minutes').plus(-2 * HOUR) })
    .annotate({ new_start: F('start_sub_hours').plus(-2 * DAY) });
  assert.equal(await shifted.update({ start: F('new_start') } as never), 1);
  const d0 = await Point.objects.get({ name: 'd0' });
  assert.equal(d0.start?.getTime(), Date.UTC(2010, 5, 23, 9, 45, 0, 747));
  assert.equal((await Point.objects.get({ name: 'd2' })).start, undefined, 'the filter holds');
});

test(
  `F of an annotation in another annotate() on ${server.name}: it reads the earlier annotation's value`,
  { skip: lacks('arithmeticExpressions') },
  async () => {
    await points();
    const rows = await Point.objects
      .filter({ name: 'd0' })
      .annotate({ earlier: F('start').plus(-DAY) })
      .annotate({ later: F('earlier').plus(-HOUR) })
      .values('later');
    assert.deepEqual(
      rows.map((r) => (r['later'] as Date).getTime()),
      [START.getTime() - DAY - HOUR],
    );
  },
);

test(`an aggregate annotation in update() on ${server.name}: FieldError, nothing sent`, async () => {
  await points();
  await assert.rejects(
    async () => Point.objects.annotate({ top: Max('value') }).update({ another_value: F('top') } as never),
    (e: unknown) => e instanceof FieldError && /Aggregate functions are not allowed in update\(\)/.test(e.message),
  );
  assert.equal(sent, 0, 'nothing sent');
});
