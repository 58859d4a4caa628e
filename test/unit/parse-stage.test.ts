// The parse stage, with no database (the model is made on Mongoose's default
// connection, which is never opened): keys are resolved when filter(),
// exclude() or get() is called, Q stays model-free until then, values are
// still cast when the query is compiled, and the paths orderBy and values
// name are kept from the call, not resolved again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import fc from 'fast-check';
import {
  compileFilter,
  F,
  FieldError,
  Q,
  registerLookup,
  ValidationError,
  type FilterInput,
  type QNode,
} from '../../index.js';
import { parseOrder, reverseOrder } from '../../manager/parse-names.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = entryModel(mongoose.connection, 'ParseStageUnitEntry');

// Keys built at run time, as a request's would be: the typed filter cannot see them.
const bad = (key: string, value: unknown = 1): FilterInput => ({ [key]: value });

/** Asserts that `call` throws FieldError there and then, and the message matches. */
function throwsNow(call: () => unknown, pattern: RegExp): void {
  assert.throws(call, (e: unknown) => e instanceof FieldError && pattern.test((e as Error).message));
}

describe('a bad key is a FieldError when the method is called', () => {
  test('filter, exclude and a Q given to filter, as orderBy already did', () => {
    throwsNow(() => Entry.objects.filter(bad('headlin')), /Cannot resolve keyword "headlin".*Did you mean "headline"/s);
    throwsNow(() => Entry.objects.exclude(bad('headlin')), /"headlin"/);
    throwsNow(
      () => Entry.objects.filter(Q(bad('rating__gte', 1)).or(bad('blog__nme'))),
      /"nme" into field of ParseStageUnitEntry\.blog/,
    );
    throwsNow(() => Entry.objects.filter(Q.not(Q(bad('headline')).and(bad('pk__gtx')))), /Unsupported lookup "gtx"/);
    throwsNow(() => Entry.objects.all().filter({ rating: 1 }).exclude(bad('views__lenn')), /"lenn"/);
    throwsNow(() => Entry.objects.orderBy('headlin' as 'headline'), /"headlin"/);
  });

  test('a lookup chain, an F, an embedded value and a __match Q are checked then too', () => {
    throwsNow(() => Entry.objects.filter(bad('rating__gt__year')), /cannot be followed by "year"/);
    throwsNow(() => Entry.objects.filter(bad('likes__gt', F('veiws'))), /"veiws"/);
    throwsNow(() => Entry.objects.filter(bad('likes__in', F('views'))), /F\(\) compares with/);
    throwsNow(() => Entry.objects.filter(bad('blog', { nme: 'x' })), /"nme" is not a field of the embedded value/);
    throwsNow(() => Entry.objects.filter(bad('comments__match', Q(bad('scroe__gte', 4)))), /"scroe"/);
    throwsNow(() => Entry.objects.filter(bad('comments__match', 'bob')), /__match takes an object/);
    throwsNow(() => Entry.objects.filter(bad('__raw__', {})), /"__raw__" key is refused/);
  });

  test('get() rejects with the FieldError, as an async method does', async () => {
    await assert.rejects(Entry.objects.get(bad('headlin')), FieldError);
  });

  test('values are not parsed: a value that does not cast is a ValidationError when compiled', () => {
    const qs = Entry.objects.filter(bad('rating', 'five'));
    assert.throws(() => qs.toMongo(), ValidationError);
  });
});

describe('Q is model-free', () => {
  test('its keys are resolved only against the model of the QuerySet it is given to', () => {
    const Other = mongoose.model('ParseStageOther', new mongoose.Schema({ headlin: Number }));
    const q = Q(bad('headlin__gte', 2));
    assert.deepEqual(compileFilter({ schema: Other.schema, modelName: 'Other' }, q), { headlin: { $gte: 2 } });
    throwsNow(() => Entry.objects.filter(q), /"headlin"/);
  });
});

describe('orderBy, values and valuesList keep the paths resolved when they were called', () => {
  // Under a JSON field, `data__x__<name>` is a path until a lookup `<name>` is
  // registered, and a lookup after it. Resolved again when compiling or per
  // row, the keys below would now name a lookup and be refused.
  test('a lookup registered afterwards does not change them', () => {
    const name = `kept_${process.pid}`;
    const ordered = Entry.objects.orderBy(`-data__x__${name}` as 'headline');
    const values = Entry.objects.values(`data__x__${name}` as 'headline');
    const list = Entry.objects.valuesList(`data__y__${name}` as 'headline', { flat: true });
    const filtered = Entry.objects.filter(bad(`data__x__${name}`, 'a'));
    registerLookup('*', { name, compile: (t, v) => ({ [t.path]: { $ne: v } }) });
    assert.deepEqual(ordered.toMongo().sort, { [`data.x.${name}`]: -1 });
    assert.deepEqual(values.toMongo().projection, { [`data.x.${name}`]: 1 });
    assert.deepEqual(list.toMongo().projection, { [`data.y.${name}`]: 1 });
    assert.deepEqual(filtered.toMongo().filter, { [`data.x.${name}`]: 'a' });
    // A QuerySet made now resolves the key with the new lookup.
    assert.deepEqual(Entry.objects.filter(bad(`data__x__${name}`, 'a')).toMongo().filter, { 'data.x': { $ne: 'a' } });
    throwsNow(() => Entry.objects.values(`data__x__${name}` as 'headline'), /names a lookup/);
  });

  test('last() reverses the kept terms, without resolving them again', () => {
    const scope = { schema: entrySchema(), modelName: Entry.modelName };
    const terms = parseOrder(scope, {}, ['-rating', 'blog__name']);
    assert.deepEqual(terms, [
      { key: '-rating', path: 'rating', direction: -1 },
      { key: 'blog__name', path: 'blog.name', direction: 1 },
    ]);
    assert.deepEqual(reverseOrder(terms), parseOrder(scope, {}, ['rating', '-blog__name']));
    assert.ok(terms.every((t) => Object.isFrozen(t)));
  });
});

// Parsed filters are joined as Q joins them: a QuerySet built by filter() and
// exclude() calls compiles to what the same calls on one Q tree compile to.
describe('joining parsed filters', () => {
  const leaf = fc.constantFrom<FilterInput>(
    { rating__gte: 4 },
    { headline__startswith: 'Hey' },
    { blog__name: 'Beatles Blog' },
    { views__lt: 50 },
    {},
    { rating: 3, views: 2 },
  );
  const tree: fc.Arbitrary<QNode | FilterInput> = fc.letrec<{ node: QNode | FilterInput }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('node'), fc.array(tie('node'), { maxLength: 2 })).map(([a, rest]) => Q().and(a, ...rest)),
      fc.tuple(tie('node'), tie('node')).map(([a, b]) => Q().or(a, b)),
      tie('node').map((a) => Q.not(a)),
    ),
  })).node;
  const call = fc.record({ exclude: fc.boolean(), filters: fc.array(tree, { maxLength: 3 }) });

  test('filter(a).exclude(b)… compiles as Q(a).and(Q(b).not())…', () => {
    const scope = { schema: entrySchema(), modelName: Entry.modelName };
    fc.assert(
      fc.property(fc.array(call, { maxLength: 4 }), (calls) => {
        let qs = Entry.objects.all();
        let q = Q();
        for (const { exclude, filters } of calls) {
          qs = exclude ? qs.exclude(...(filters as [])) : qs.filter(...(filters as []));
          q = q.and(
            exclude
              ? Q()
                  .and(...filters)
                  .not()
              : Q().and(...filters),
          );
        }
        assert.deepEqual(qs.toMongo().filter, compileFilter(scope, q));
      }),
      { numRuns: 300 },
    );
  });
});
