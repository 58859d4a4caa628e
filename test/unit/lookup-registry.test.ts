// The lookup registry: which lookups a field's type finds (its own, its
// family's, then every type's), and that a registration reaches keys resolved
// before it. No database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { compileFilter, FieldError, lookupNamesFor, registerLookup, type LookupTarget } from '../../index.js';
import { entrySchema } from '../helpers/models.js';
import { measureSchema } from '../helpers/numeric-models.js';

const tagged =
  (tag: string) =>
  (t: LookupTarget, v: unknown): Record<string, unknown> => ({ [t.path]: { [tag]: v } });

describe('a registration reaches keys resolved before it', () => {
  test('under a JSON field, a key that was a path becomes a lookup once registered', () => {
    const used = { schema: entrySchema(), modelName: 'Entry' };
    assert.deepEqual(compileFilter(used, { data__x__ne_ci_unit: 'a' }), { 'data.x.ne_ci_unit': 'a' });
    registerLookup('*', { name: 'ne_ci_unit', compile: tagged('$ne') });
    const fresh = { schema: entrySchema(), modelName: 'Entry' };
    assert.deepEqual(compileFilter(fresh, { data__x__ne_ci_unit: 'a' }), { 'data.x': { $ne: 'a' } });
    assert.deepEqual(compileFilter(used, { data__x__ne_ci_unit: 'a' }), { 'data.x': { $ne: 'a' } });
  });
});

describe('numeric lookups apply to the whole numeric family', () => {
  const scope = { schema: measureSchema(), modelName: 'Measure' };
  const c = (f: Record<string, unknown>) => compileFilter(scope, f);

  for (const field of ['count', 'ratio', 'price', 'big']) {
    test(`mod on ${String(scope.schema.path(field).instance)}`, () => {
      assert.deepEqual(c({ [`${field}__mod`]: [2, 1] }), { [field]: { $mod: [2, 1] } });
      assert.ok(lookupNamesFor(scope.schema.path(field)).includes('mod'));
    });
  }

  test('comparisons cast to the field type', () => {
    assert.deepEqual(c({ count__gt: '3' }), { count: { $gt: 3 } });
    assert.deepEqual(c({ ratio__gt: 4 }), { ratio: { $gt: new mongoose.Types.Double(4) } });
    assert.deepEqual(c({ price__lt: 7 }), { price: { $lt: mongoose.Types.Decimal128.fromString('7') } });
    assert.deepEqual(c({ big__gte: 4 }), { big: { $gte: 4n } });
  });

  test('mod is refused outside the family, naming the valid lookups', () => {
    const entry = { schema: entrySchema(), modelName: 'Entry' };
    for (const key of ['headline__mod', 'pub_date__mod', 'tags__mod']) {
      assert.throws(
        () => compileFilter(entry, { [key]: [2, 1] }),
        (e: unknown) => e instanceof FieldError && /Unsupported lookup "mod" .*Valid lookups: .*exact/.test(e.message),
      );
    }
  });

  test('a lookup registered on the family applies to each member, and not to strings', () => {
    registerLookup('Numeric', { name: 'family_unit', compile: tagged('$family') });
    for (const field of ['count', 'ratio', 'price', 'big']) {
      assert.deepEqual(c({ [`${field}__family_unit`]: 1 }), { [field]: { $family: 1 } });
    }
    assert.deepEqual(compileFilter({ schema: entrySchema(), modelName: 'Entry' }, { rating__family_unit: 1 }), {
      rating: { $family: 1 },
    });
    assert.throws(() => c({ name__family_unit: 1 }), FieldError);
  });

  test('a field type looks on itself first, then its family, then every type', () => {
    registerLookup('*', { name: 'order_unit', compile: tagged('$any') });
    registerLookup('Numeric', { name: 'order_unit', compile: tagged('$family') });
    registerLookup('Int32', { name: 'order_unit', compile: tagged('$int32') });
    assert.deepEqual(c({ count__order_unit: 1 }), { count: { $int32: 1 } });
    assert.deepEqual(c({ ratio__order_unit: 1 }), { ratio: { $family: 1 } });
    assert.deepEqual(c({ name__order_unit: 1 }), { name: { $any: 1 } });
  });
});

describe('Mongoose runs what mod compiles to on the numeric family', () => {
  const schema = measureSchema();
  const Measure = mongoose.model(`MeasureModCast${process.pid}`, schema);

  test('its own cast keeps [divisor, remainder] as numbers on every numeric type', () => {
    for (const field of ['count', 'ratio', 'price', 'big']) {
      const filter = compileFilter({ schema, modelName: 'Measure' }, { [`${field}__mod`]: [3, 2] });
      const query = Measure.find(filter);
      query.cast(Measure);
      assert.deepEqual(query.getFilter(), { [field]: { $mod: [3, 2] } }, field);
    }
  });

  test('a bad operand written by hand is a CastError naming the path', () => {
    compileFilter({ schema, modelName: 'Measure' }, { big__mod: [2, 1] });
    const byHand: Record<string, unknown> = { big: { $mod: ['x', 1] } };
    assert.throws(
      () => Measure.find(byHand).cast(Measure),
      (e: unknown) => e instanceof mongoose.Error.CastError && e.path === 'big',
    );
  });
});
