// reverse(), ordered, get()'s ordering, and the refusals around ordering and
// values(), against a real server. SEED's ratings are 5, 4, 3 (Hey Jude,
// Abbey Road, Paint It Black).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Avg, FieldError, NotSupportedError } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { entryModel, SEED } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);

const ratings = async (qs: PromiseLike<readonly { rating?: number }[]>) => (await qs).map((e) => e.rating);

describe(`reverse() and ordered on ${server.name}`, () => {
  test('reverse() flips the ordering, and twice restores it', async () => {
    const qs = Entry.objects.orderBy('rating');
    assert.deepEqual(await ratings(qs.reverse()), [5, 4, 3]);
    assert.deepEqual(await ratings(qs.reverse().reverse()), [3, 4, 5]);
    assert.deepEqual(qs.reverse().toMongo().sort, { rating: -1 });
  });

  test('an ordering given after reverse() is reversed too, as in Django', async () => {
    assert.deepEqual(await ratings(Entry.objects.reverse().orderBy('-rating', 'headline')), [3, 4, 5]);
    assert.deepEqual(Entry.objects.reverse().orderBy('-rating', 'headline').toMongo().sort, {
      rating: 1,
      headline: -1,
    });
  });

  test('reverse() of an unordered QuerySet sends no sort; first() then reads the largest pk', async () => {
    assert.equal(Entry.objects.all().reverse().toMongo().sort, undefined);
    const last = await Entry.objects.all().last();
    const first = await Entry.objects.all().reverse().first();
    assert.ok(first && last);
    assert.equal(String(first._id), String(last._id));
    assert.equal((await Entry.objects.orderBy('rating').reverse().last())?.rating, 3);
  });

  test('reverse() after a slice is refused', () => {
    assert.throws(() => Entry.objects.orderBy('rating').slice(0, 2).reverse(), NotSupportedError);
  });

  test('ordered: orderBy() orders; all(), annotate() and orderBy() with no keys do not; none() does', () => {
    assert.equal(Entry.objects.all().ordered, false);
    assert.equal(Entry.objects.annotate({}).ordered, false);
    assert.equal(Entry.objects.orderBy('rating').ordered, true);
    assert.equal(Entry.objects.orderBy('rating').orderBy().ordered, false);
    assert.equal(Entry.objects.orderBy('rating').reverse().ordered, true);
    assert.equal(Entry.objects.none().ordered, true);
  });
});

describe(`get() and orderBy() refusals on ${server.name}`, () => {
  test('get() sends no sort, unless a slice picks the match', async () => {
    const sent = await commandsDuring(conn, () => Entry.objects.orderBy('headline').get({ rating: 5 }));
    const find = sent.find((c) => c.name === 'find');
    assert.equal(find?.command['sort'], undefined);
    const sliced = await commandsDuring(conn, () => Entry.objects.orderBy('-rating').slice(0, 1).get());
    const sort = sliced.find((c) => c.name === 'find')?.command['sort'] as Map<string, number>;
    assert.deepEqual(Object.fromEntries(sort), { rating: -1 });
    assert.equal((await Entry.objects.orderBy('-rating').slice(0, 1).get()).rating, 5);
  });

  test('only() and defer() after values() or valuesList() are refused', () => {
    assert.throws(() => Entry.objects.values('headline').only('headline'), {
      name: 'NotSupportedError',
      message: /^Cannot call only\(\) after \.values\(\) or \.values_list\(\)\. Call only\(\) before values\(\)/,
    });
    assert.throws(() => Entry.objects.valuesList('headline').defer('rating'), NotSupportedError);
    assert.doesNotThrow(() => Entry.objects.only('headline').values('headline'));
  });

  test('an aggregate in orderBy() is a FieldError naming it; other non-strings too', () => {
    const loose = Entry.objects as unknown as { orderBy(...keys: unknown[]): unknown };
    assert.throws(() => loose.orderBy(Avg('rating')), {
      name: 'FieldError',
      message:
        /^Using an aggregate in order_by\(\) without also including it in annotate\(\) is not allowed: Avg\(rating\)\./,
    });
    for (const key of [1, null, { rating: 1 }, ['rating']]) {
      assert.throws(() => loose.orderBy(key), FieldError, String(key));
    }
  });
});
