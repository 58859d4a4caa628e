// Django's text lookups on a number field match its text form: on SQL,
// CAST(field AS text) REGEXP / LIKE. Here a `$regexMatch` on `$toString` of
// the field, inside `$expr`: Mongoose's own "Can't use $regex with Number"
// must never surface. Ported from Django's tests/lookup/tests.py, its
// expectations kept; the cases that run the query need $regexMatch, which
// neither emulator has (capability regexMatchText), so they are skipped
// there, and the compiled filter is checked on every server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, ValidationError, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { measureModel } from '../helpers/numeric-models.js';

interface SeasonRaw {
  year: number;
  gt?: number;
}

const conn = await openTestDatabase(import.meta.url);
const seasonSchema = new mongoose.Schema<SeasonRaw>({ year: { type: Number, required: true }, gt: Number });
seasonSchema.plugin(manager);
const Season = await ready(conn.model<SeasonRaw, Managed<SeasonRaw>>('Season', seasonSchema));
const Measure = await ready(measureModel(conn));

const s2013 = await Season.create({ year: 2013, gt: 444 });
await Season.create({ year: 2014, gt: 1444 });
await Season.create({ year: 2015, gt: 45 });
await Measure.create([
  { name: 'a', count: 444, ratio: new mongoose.Types.Double(1.5), big: 44n },
  { name: 'b', count: 7, ratio: new mongoose.Types.Double(2), big: 4n },
]);

const years = async (qs: PromiseLike<SeasonRaw[]>): Promise<number[]> => (await qs).map((s) => s.year).sort();
const names = async (qs: PromiseLike<{ name: string }[]>): Promise<string[]> => (await qs).map((m) => m.name).sort();

const textOf = (path: string, regex: string, options: string) => ({
  $expr: { $regexMatch: { input: { $toString: `$${path}` }, regex: { $literal: regex }, options } },
});

describe(`text lookups on a number field, on ${server.name}`, () => {
  test('LookupTests.test_regex_non_string', { skip: lacks('regexMatchText') }, async () => {
    // A regex lookup does not fail on non-string fields.
    const found = await Season.objects.filter({ gt__regex: '^444$' });
    assert.deepEqual(
      found.map((s) => String(s._id)),
      [String(s2013._id)],
    );
  });

  test(
    'contains, startswith, endswith and iregex match the number as text',
    { skip: lacks('regexMatchText') },
    async () => {
      assert.deepEqual(await years(Season.objects.filter({ gt__contains: '44' })), [2013, 2014]);
      assert.deepEqual(await years(Season.objects.filter({ gt__startswith: 4 })), [2013, 2015]);
      assert.deepEqual(await years(Season.objects.filter({ gt__iendswith: '44' })), [2013, 2014]);
      assert.deepEqual(await years(Season.objects.filter({ gt__iregex: '^1' })), [2014]);
      assert.deepEqual(await years(Season.objects.exclude({ gt__regex: '4$' })), [2015]);
    },
  );

  test('the whole numeric family takes them', { skip: lacks('regexMatchText') }, async () => {
    assert.deepEqual(await names(Measure.objects.filter({ count__regex: '^4+$' })), ['a']);
    assert.deepEqual(await names(Measure.objects.filter({ ratio__contains: '.5' })), ['a']);
    assert.deepEqual(await names(Measure.objects.filter({ big__iexact: 44 })), ['a']);
  });

  test('the filter compares the text form with $regexMatch', () => {
    assert.deepEqual(Season.objects.filter({ gt__regex: '^444$' }).toMongo().filter, textOf('gt', '^444$', ''));
    assert.deepEqual(Season.objects.filter({ gt__iregex: '^4' }).toMongo().filter, textOf('gt', '^4', 'i'));
    assert.deepEqual(Season.objects.filter({ gt__contains: '4.4' }).toMongo().filter, textOf('gt', '4\\.4', ''));
    assert.deepEqual(Season.objects.filter({ gt__istartswith: 44 }).toMongo().filter, textOf('gt', '^44', 'i'));
    assert.deepEqual(Season.objects.filter({ gt__endswith: '4' }).toMongo().filter, textOf('gt', '4\\z', ''));
    assert.deepEqual(Measure.objects.filter({ price__regex: '0$' }).toMongo().filter, textOf('price', '0$', ''));
  });

  test('a pattern is data: one that names a field stays a literal', () => {
    // In an aggregation expression a bare "$year" would read the field.
    assert.deepEqual(Season.objects.filter({ gt__regex: '$year' }).toMongo().filter, textOf('gt', '$year', ''));
  });

  test('bad patterns are typed errors, naming what is accepted', () => {
    assert.throws(
      () => Season.objects.filter({ gt__regex: '(' }).toMongo(),
      (err: unknown) =>
        err instanceof FieldError && /gt__regex: "\(" is not a valid regular expression/.test(err.message),
    );
    // As a request could send them (JSON, qs): never an operator, never cast.
    for (const value of [{ $gt: '' }, ['4'], null, true] as unknown as string[]) {
      assert.throws(
        () => Season.objects.filter({ gt__contains: value }).toMongo(),
        (err: unknown) => err instanceof ValidationError && /gt__contains takes a string/.test(err.message),
      );
      assert.throws(
        () => Season.objects.filter({ gt__iregex: value }).toMongo(),
        (err: unknown) => err instanceof ValidationError && /gt__iregex takes a string/.test(err.message),
      );
    }
  });
});
