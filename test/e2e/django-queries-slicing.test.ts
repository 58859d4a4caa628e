// Django's slicing rules and get()'s count of matches, ported from Django's
// own tests (tests/queries/tests.py and tests/basic/tests.py) with their
// expectations kept. Django's TypeError is our NotSupportedError; its
// assertNumQueries(0) is "no command sent".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MultipleObjectsReturned, NotSupportedError } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
// Django's Article(name, created) of WeirdQuerysetSlicingTests, as Entry(headline, pub_date).
const Article = await ready(entryModel(conn, 'Article'));
await Article.insertMany(
  ['one', 'two', 'three', 'four'].map((headline, i) => ({ headline, pub_date: new Date(Date.UTC(2005, 6, 28, i)) })),
);
// Django's Article(headline, pub_date) of tests/basic, on a collection of its own.
const Basic = await ready(entryModel(conn, 'BasicArticle'));

/** The names of the commands a block sends. */
const sent = async (block: () => Promise<unknown> | unknown): Promise<string[]> =>
  (await commandsDuring(conn, block)).map((c) => c.name);

/** Asserts `block` throws NotSupportedError whose message starts with Django's and says what to do instead. */
const refuses = (block: () => unknown, django: string): void => {
  assert.throws(block, (err: unknown) => {
    assert.ok(err instanceof NotSupportedError, String(err));
    assert.ok(err.message.startsWith(django), err.message);
    assert.match(err.message, /before slice\(\)/);
    return true;
  });
};

describe(`Django's slicing tests on ${server.name}`, () => {
  test('QuerySetSupportsPythonIdioms.test_slicing_cannot_filter_queryset_once_sliced', async () => {
    const msg = 'Cannot filter a query once a slice has been taken.';
    const [first] = await Article.objects.orderBy('headline').slice(0, 1);
    const commands = await sent(() => {
      refuses(() => Article.objects.all().slice(0, 5).filter({ pk: first!._id }), msg);
      refuses(() => Article.objects.all().slice(0, 5).exclude({ pk: first!._id }), msg);
      refuses(() => Article.objects.all().slice(1).filter({ headline: 'one' }), msg);
    });
    assert.deepEqual(commands, []);
    // get() with filters filters; get() with none keeps the slice, as Django's.
    await assert.rejects(async () => Article.objects.all().slice(0, 5).get({ headline: 'one' }), NotSupportedError);
    const only = await Article.objects.orderBy('headline').slice(0, 1).get();
    assert.equal(only.headline, 'four');
    // filter() with nothing to add is a copy, sliced or not.
    assert.equal((await Article.objects.orderBy('headline').slice(0, 2).filter()).length, 2);
  });

  test('QuerySetSupportsPythonIdioms.test_slicing_cannot_reorder_queryset_once_sliced', async () => {
    const msg = 'Cannot reorder a query once a slice has been taken.';
    const commands = await sent(() => {
      refuses(() => Article.objects.all().slice(0, 5).orderBy('pk'), msg);
      refuses(() => Article.objects.all().slice(0, 5).order_by('-headline'), msg);
    });
    assert.deepEqual(commands, []);
    // Django's last() reverses the ordering, which a slice refuses too.
    await assert.rejects(
      async () => Article.objects.orderBy('headline').slice(0, 2).last(),
      (err: unknown) =>
        err instanceof NotSupportedError &&
        err.message.startsWith('Cannot reverse a query once a slice has been taken.'),
    );
    // first() of an ordered slice is the slice's first.
    assert.equal((await Article.objects.orderBy('headline').slice(1, 3).first())?.headline, 'one');
  });

  test('WeirdQuerysetSlicingTests.test_tickets_7698_10202', async () => {
    // People like to slice with '0' as the high-water mark.
    assert.deepEqual(await Article.objects.all().slice(0, 0), []);
    assert.deepEqual(await Article.objects.all().slice(0, 0).slice(0, 10), []);
    assert.equal(await Article.objects.all().slice(0, 0).count(), 0);
    await assert.rejects(
      async () => Article.objects.all().slice(0, 0).latest('pub_date'),
      (err: unknown) =>
        err instanceof NotSupportedError &&
        err.message.startsWith('Cannot change a query once a slice has been taken.'),
    );
  });

  test('WeirdQuerysetSlicingTests.test_empty_resultset_sql: an empty slice sends nothing', async () => {
    // Django's case is the list; count() and exists() (which Django answers
    // from the same empty result cache) must not send MongoDB's refused $limit: 0.
    const commands = await sent(async () => {
      assert.deepEqual(await Article.objects.all().slice(1, 1), []);
      assert.equal(await Article.objects.all().slice(1, 1).count(), 0);
      assert.equal(await Article.objects.all().slice(2, 2).exists(), false);
      assert.equal(await Article.objects.orderBy('headline').slice(1, 3).slice(2).count(), 0);
    });
    assert.deepEqual(commands, []);
    // A window that is not empty still counts and answers from the server.
    assert.equal(await Article.objects.all().slice(1, 3).count(), 2);
    assert.equal(await Article.objects.all().slice(3, 9).exists(), true);
    assert.equal(await Article.objects.all().slice(4, 9).exists(), false);
  });

  test('ModelLookupTest.test_too_many', async () => {
    const pub_date = new Date('2005-07-28T00:00:00Z');
    await Basic.create({ headline: 'Swallow programs in Python', pub_date });
    await Basic.create({ headline: 'Swallow bites Python', pub_date });
    assert.equal(await Basic.objects.count(), 2);
    const msg = 'get() returned more than one BasicArticle -- it returned 2!';
    await assert.rejects(Basic.objects.get({ headline__startswith: 'Swallow' }), (err: unknown) => {
      assert.ok(err instanceof MultipleObjectsReturned);
      assert.equal(err.message, msg);
      return true;
    });
    await assert.rejects(Basic.objects.get({ pub_date__year: 2005 }), { message: msg });
    await Basic.deleteMany({});
  });

  test('ModelTest.test_multiple_objects_max_num_fetched', async () => {
    const maxResults = 20; // Django's MAX_GET_RESULTS - 1
    const pub_date = new Date('2005-07-28T00:00:00Z');
    await Basic.insertMany(Array.from({ length: maxResults }, (_, i) => ({ headline: `Area ${i}`, pub_date })));
    await assert.rejects(Basic.objects.get({ headline__startswith: 'Area' }), {
      name: 'MultipleObjectsReturned',
      message: `get() returned more than one BasicArticle -- it returned ${maxResults}!`,
    });
    await Basic.create({ headline: `Area ${maxResults}`, pub_date });
    await assert.rejects(Basic.objects.get({ headline__startswith: 'Area' }), {
      name: 'MultipleObjectsReturned',
      message: `get() returned more than one BasicArticle -- it returned more than ${maxResults}!`,
    });
    await Basic.deleteMany({});
  });
});
