// dates() and datetimes() against a real server: distinct UTC-truncated
// dates of a Date field, ordered, nulls left out, a non-date field refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
await Entry.insertMany([
  { headline: 'a', rating: 5, pub_date: new Date('2024-01-03T10:20:30.400Z') }, // a Wednesday
  { headline: 'b', rating: 4, pub_date: new Date('2024-01-03T10:20:59Z') },
  { headline: 'c', rating: 3, pub_date: new Date('2023-12-31T23:00:00Z') }, // a Sunday
  { headline: 'd', rating: 2 },
]);
const utc = (...p: [number, number, number, number?, number?, number?]) => new Date(Date.UTC(...p));

describe(`dates() and datetimes() on ${server.name}`, () => {
  test('each kind truncates in UTC, distinct and ascending; DESC reverses', async () => {
    assert.deepEqual(await Entry.objects.dates('pub_date', 'year'), [utc(2023, 0, 1), utc(2024, 0, 1)]);
    assert.deepEqual(await Entry.objects.dates('pub_date', 'month', 'DESC'), [utc(2024, 0, 1), utc(2023, 11, 1)]);
    // ISO weeks start on Monday: Sunday 2023-12-31 is in the week of 2023-12-25.
    assert.deepEqual(await Entry.objects.dates('pub_date', 'week'), [utc(2023, 11, 25), utc(2024, 0, 1)]);
    assert.deepEqual(await Entry.objects.datetimes('pub_date', 'minute'), [
      utc(2023, 11, 31, 23, 0),
      utc(2024, 0, 3, 10, 20),
    ]);
    assert.equal(await Entry.objects.datetimes('pub_date', 'second').count(), 3);
  });

  test('filters apply, and a slice after dates() slices the dates', async () => {
    assert.deepEqual(await Entry.objects.filter({ rating__gte: 4 }).dates('pub_date', 'day'), [utc(2024, 0, 3)]);
    assert.deepEqual(await Entry.objects.dates('pub_date', 'day').slice(1, 2), [utc(2024, 0, 3)]);
  });

  test('a field that is not a Date, or a kind the method does not take, is a FieldError', () => {
    assert.throws(() => Entry.objects.dates('headline', 'year'), {
      name: 'FieldError',
      message: /^'headline' isn't a DateField, TimeField, or DateTimeField\./,
    });
    assert.throws(() => Entry.objects.dates('pub_date', 'hour' as 'day'), FieldError);
    assert.throws(() => Entry.objects.dates('pub_date', 'day', 'UP' as 'ASC'), FieldError);
  });
});
