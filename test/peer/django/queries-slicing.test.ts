// Django's slicing rules, from tests/queries/tests.py (QuerySetSupportsPythonIdioms,
// WeirdQuerysetSlicingTests), with their expectations kept: Django's
// `qs[a:b]` is `qs.slice(a, b)`, its TypeError (AssertionError in older
// versions) our NotSupportedError, its assertNumQueries(0) "no command sent".
// Also get()'s count of matches, from tests/basic (ModelLookupTest,
// ModelTest), which came with these cases from test/e2e, and the empty Q
// cases that were test/e2e/empty-q.test.ts (Queries5Tests.test_ticket5261).
import assert from 'node:assert/strict';
import { MultipleObjectsReturned, NotSupportedError, Q } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { commandsDuring } from '../../helpers/commands.js';
import { entryModel } from '../../helpers/models.js';
import { peerSuite } from '../case.js';
import { readyQueriesModels } from './models/queries.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const { Article: IdiomArticle } = await readyQueriesModels(conn);
// WeirdQuerysetSlicingTests' Article(name, created), as Entry(headline, pub_date).
const Article = await ready(entryModel(conn, 'WeirdArticle'));
await Article.insertMany(
  ['one', 'two', 'three', 'four'].map((headline, i) => ({ headline, pub_date: new Date(Date.UTC(2005, 6, 28, i)) })),
);
// tests/basic's Article(headline, pub_date), on a collection of its own.
const Basic = await ready(entryModel(conn, 'BasicArticle'));
// Entries for the empty Q cases.
const Entry = await ready(entryModel(conn, 'EmptyQEntry'));
await Entry.insertMany([
  { headline: 'a', rating: 5 },
  { headline: 'b', rating: 3 },
  { headline: 'c', rating: 1 },
]);
// QuerySetSupportsPythonIdioms.setUpTestData: Article 1 … Article 7.
await IdiomArticle.insertMany(
  [1, 2, 3, 4, 5, 6, 7].map((i) => ({ name: `Article ${i}`, created: new Date(Date.UTC(2014, 4, 16, 12, 1)) })),
);

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

const ordered = () => IdiomArticle.objects.all().orderBy('name');
const articleNames = async (qs: PromiseLike<readonly { name?: string }[]>) => (await qs).map((a) => a.name);

peer.case('QuerySetSupportsPythonIdioms.test_can_get_items_using_index_and_slice_notation', async () => {
  assert.equal((await ordered().slice(0, 1))[0]?.name, 'Article 1');
  assert.deepEqual(await articleNames(ordered().slice(1, 3)), ['Article 2', 'Article 3']);
});

peer.case('QuerySetSupportsPythonIdioms.test_slicing_without_step_is_lazy', async () => {
  assert.deepEqual(
    await sent(() => {
      ordered().slice(0, 5);
    }),
    [],
  );
});

peer.case('QuerySetSupportsPythonIdioms.test_slicing_can_slice_again_after_slicing', async () => {
  assert.deepEqual(await articleNames(ordered().slice(0, 5).slice(0, 2)), ['Article 1', 'Article 2']);
  assert.deepEqual(await articleNames(ordered().slice(0, 5).slice(4)), ['Article 5']);
  assert.deepEqual(await articleNames(ordered().slice(0, 5).slice(5)), []);
  // Some more tests!
  assert.deepEqual(await articleNames(ordered().slice(2).slice(0, 2)), ['Article 3', 'Article 4']);
  assert.deepEqual(await articleNames(ordered().slice(2).slice(0, 2)), ['Article 3', 'Article 4']);
  assert.deepEqual(await articleNames(ordered().slice(2).slice(2, 3)), ['Article 5']);
  // Using an offset without a limit is also possible.
  assert.deepEqual(await articleNames(ordered().slice(5)), ['Article 6', 'Article 7']);
});

peer.case('QuerySetSupportsPythonIdioms.test_slicing_cannot_filter_queryset_once_sliced', async () => {
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

peer.case('QuerySetSupportsPythonIdioms.test_slicing_cannot_reorder_queryset_once_sliced', async () => {
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
      err instanceof NotSupportedError && err.message.startsWith('Cannot reverse a query once a slice has been taken.'),
  );
  // first() of an ordered slice is the slice's first.
  assert.equal((await Article.objects.orderBy('headline').slice(1, 3).first())?.headline, 'one');
});

// Django's qs[-1]: "Negative indexing is not supported."
peer.case('QuerySetSupportsPythonIdioms.test_slicing_negative_indexing_not_supported_for_single_element', () => {
  assert.throws(() => IdiomArticle.objects.all().slice(-1), /negative indexing is not supported/i);
});

peer.case('QuerySetSupportsPythonIdioms.test_slicing_negative_indexing_not_supported_for_range', () => {
  assert.throws(() => IdiomArticle.objects.all().slice(0, -5), /negative indexing is not supported/i);
});

peer.case('QuerySetSupportsPythonIdioms.test_can_get_number_of_items_in_queryset_using_standard_len', async () => {
  assert.equal((await IdiomArticle.objects.filter({ name__exact: 'Article 1' })).length, 1);
});

peer.case('WeirdQuerysetSlicingTests.test_tickets_7698_10202', async () => {
  // People like to slice with '0' as the high-water mark.
  assert.deepEqual(await Article.objects.all().slice(0, 0), []);
  assert.deepEqual(await Article.objects.all().slice(0, 0).slice(0, 10), []);
  assert.equal(await Article.objects.all().slice(0, 0).count(), 0);
  await assert.rejects(
    async () => Article.objects.all().slice(0, 0).latest('pub_date'),
    (err: unknown) =>
      err instanceof NotSupportedError && err.message.startsWith('Cannot change a query once a slice has been taken.'),
  );
});

peer.case('WeirdQuerysetSlicingTests.test_empty_resultset_sql', async () => {
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

peer.case('WeirdQuerysetSlicingTests.test_zero_length_values_slicing', async () => {
  const n = 42;
  const commands = await sent(async () => {
    assert.deepEqual(await Article.objects.values().slice(n, n), []);
    assert.deepEqual(await Article.objects.valuesList().slice(n, n), []);
  });
  assert.deepEqual(commands, []);
});

// From tests/basic/tests.py.
peer.case('ModelLookupTest.test_too_many', async () => {
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

// From tests/basic/tests.py.
peer.case('ModelTest.test_multiple_objects_max_num_fetched', async () => {
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

const headlines = async (qs: PromiseLike<{ headline?: string | null }[]>): Promise<string[]> =>
  (await qs).map((e) => e.headline ?? '').sort();

// Django's empty Q is no condition, negated or not (Query.add_q and
// Q._combine never add it): test_ticket5261's rule, and-ed, or-ed and
// negated around other conditions.
peer.case('Queries5Tests.test_ticket5261 (exclude() with no filters)', async () => {
  assert.deepEqual(await headlines(Entry.objects.exclude()), ['a', 'b', 'c']);
  assert.equal(await Entry.objects.exclude().count(), 3);
  assert.deepEqual(await headlines(Entry.objects.filter({ rating__gte: 3 }).exclude()), ['a', 'b']);
});

peer.case('Queries5Tests.test_ticket5261 (a negated empty Q with other conditions)', async () => {
  assert.deepEqual(await headlines(Entry.objects.filter(Q().not())), ['a', 'b', 'c']);
  assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 3 }), Q().not())), ['a', 'b']);
  assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 3 }).and(Q().not()))), ['a', 'b']);
  assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 5 }).or(Q().not()))), ['a']);
  assert.deepEqual(await headlines(Entry.objects.exclude(Q().not(), { rating__gte: 5 })), ['b', 'c']);
  // A negated non-empty Q still negates.
  assert.deepEqual(await headlines(Entry.objects.filter(Q({ rating__gte: 3 }).not())), ['c']);
  assert.deepEqual(await headlines(Entry.objects.exclude({ rating__gte: 3 })), ['c']);
});
