// F() of an annotation in update() (issue 12 §2.12), Django's
// `annotate(alias=F('value')).update(another_value=F('alias'))`: an update
// sees stored fields only, so an annotation that is an F() expression is
// inlined, through chains of annotate() calls; an aggregate one is a
// FieldError, as in Django. The update is a pipeline, which neither emulator
// runs (capability pipelineUpdates): there the test checks the update that is
// sent (caught by a Mongoose pre hook, as it leaves the QuerySet) and runs its
// stage as $addFields in an aggregation, which both emulators run, to check
// that it computes Django's values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { F, FieldError, Max, NotSupportedError, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import type { Capability } from '../harness/capabilities.js';

interface PointRaw {
  name?: string;
  value?: string;
  another_value?: string;
  start?: Date;
}
const sent: unknown[] = [];
const schema = new mongoose.Schema<PointRaw>({ name: String, value: String, another_value: String, start: Date });
schema.pre('updateMany', function recordUpdate() {
  sent.push(this.getUpdate());
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
  sent.length = 0;
}

/**
 * Runs `qs.update(changes)`; where the server lacks pipeline updates, checks
 * the server refused it with nothing written, then applies the stage that was
 * sent as $addFields to the documents `match` finds, where the server
 * computes `needs` there.
 */
async function update(
  qs: { update(changes: never): Promise<number> },
  changes: Record<string, unknown>,
  needs: readonly Capability[],
  match: Record<string, unknown> = {},
) {
  if (!lacks('pipelineUpdates')) return qs.update(changes as never);
  const before = JSON.stringify(await Point.find({}).lean());
  await assert.rejects(qs.update(changes as never), NotSupportedError);
  assert.equal(JSON.stringify(await Point.find({}).lean()), before, 'nothing written');
  if (needs.some((c) => lacks(c))) return undefined;
  const [update] = sent as [[{ $set: Record<string, unknown> }]];
  const rows = await Point.aggregate<PointRaw & { _id: mongoose.Types.ObjectId }>([
    { $match: match },
    { $addFields: update[0].$set },
  ]);
  for (const row of rows) await Point.collection.replaceOne({ _id: row._id }, row);
  return rows.length;
}

/** Why the values cannot be checked on this server, or false. */
function valuesGap(needs: readonly Capability[]): string | false {
  if (!lacks('pipelineUpdates')) return false;
  const gap = needs.map((c) => lacks(c)).find((reason) => reason !== false);
  return gap === undefined ? false : `${lacks('pipelineUpdates')}, and the $addFields replay: ${gap}`;
}

const COPY: Capability[] = ['fieldPathValues'];
const DATES: Capability[] = ['fieldPathValues', 'arithmeticExpressions'];

test(`F of an annotation in update() on ${server.name}: the annotation is inlined into the update sent`, async () => {
  await points();
  await update(Point.objects.annotate({ alias: F('value') }), { another_value: F('alias') }, COPY);
  assert.deepEqual(sent[0], [{ $set: { another_value: '$value' } }]);
});

test(
  `F of an annotation in update() on ${server.name}: the stored value is copied`,
  { skip: valuesGap(COPY) },
  async () => {
    // Django's AdvancedTests.test_update_annotated_queryset.
    await points();
    assert.equal(await update(Point.objects.annotate({ alias: F('value') }), { another_value: F('alias') }, COPY), 2);
    const after = await Point.objects.orderBy('name').valuesList('another_value', { flat: true });
    assert.deepEqual(after, ['apple', 'banana']);
  },
);

// Django's FTimeDeltaTests.test_negative_timedelta_update.
const shifted = () =>
  Point.objects
    .filter({ name: 'd0' })
    .annotate({ start_sub_seconds: F('start').plus(-30 * SECOND) })
    .annotate({ start_sub_minutes: F('start_sub_seconds').plus(-30 * 60 * SECOND) })
    .annotate({ start_sub_hours: F('start_sub_minutes').plus(-2 * HOUR) })
    .annotate({ new_start: F('start_sub_hours').plus(-2 * DAY) });

test(`F of an annotation of annotations in update() on ${server.name}: a chain of annotate() calls is inlined`, async () => {
  await points();
  await update(shifted(), { start: F('new_start') }, DATES);
  assert.deepEqual(sent[0], [
    {
      $set: { start: { $add: [{ $add: [{ $add: [{ $add: ['$start', -30000] }, -1800000] }, -7200000] }, -172800000] } },
    },
  ]);
});

test(
  `F of an annotation of annotations in update() on ${server.name}: the date is moved back`,
  { skip: valuesGap(DATES) },
  async () => {
    await points();
    assert.equal(await update(shifted(), { start: F('new_start') }, DATES, { name: 'd0' }), 1);
    const d0 = await Point.objects.get({ name: 'd0' });
    assert.equal(d0.start?.getTime(), Date.UTC(2010, 5, 23, 9, 45, 0, 747));
    assert.equal((await Point.objects.get({ name: 'd2' })).start, undefined, 'the filter holds');
  },
);

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
  assert.equal(sent.length, 0);
});
