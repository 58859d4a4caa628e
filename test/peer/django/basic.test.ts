// Ported from Django's tests/basic/tests.py: creating, saving and looking
// up documents. Each case keeps Django's test name and expected results.
// Django's `Article(...)` is Mongoose's `new Article({...})`, `==` between
// instances is Mongoose's `doc.equals()`, and assertNumQueries counts the
// commands the driver sends. Models: models/basic.ts (Article's `id` is
// the autoIncrement plugin's, djongo's AutoField). The refresh_from_db
// cases are in basic-refresh.test.ts.
import assert from 'node:assert/strict';
import {
  DjongooseError,
  DoesNotExist,
  MultipleObjectsReturned,
  QuerySet,
  type DjongooseDocument,
} from '../../../index.js';
import { commandsDuring } from '../../helpers/commands.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { basicModels, emptyBasic, type ArticleRaw } from './models/basic.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const m = await basicModels(conn);
const { Article, SelfRef, PrimaryKeyWithDefault } = m;

const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
  new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
const pks = (docs: readonly { id?: number }[]) => docs.map((d) => d.id);
/** The commands a block sends, as Django's assertNumQueries counts queries. */
const queries = async (block: () => unknown) => (await commandsDuring(conn, block)).length;

// ModelInstanceCreationTests

peer.case('ModelInstanceCreationTests.test_object_is_not_written_to_database_until_save_was_called', async () => {
  await emptyBasic(m);
  const a = new Article({ headline: 'Parrot programs in Python', pub_date: at(2005, 7, 28) });
  assert.equal(a.id, undefined);
  assert.equal(await Article.objects.count(), 0);
  // Save it into the database. You have to call save() explicitly.
  await a.save();
  assert.notEqual(a.id, undefined);
  assert.equal(await Article.objects.count(), 1);
});

peer.case('ModelInstanceCreationTests.test_can_create_instance_using_kwargs', async () => {
  await emptyBasic(m);
  const a = new Article({ headline: 'Third article', pub_date: at(2005, 7, 30) });
  await a.save();
  assert.equal(a.headline, 'Third article');
  assert.deepEqual(a.pub_date, at(2005, 7, 30, 0, 0));
});

peer.case('ModelInstanceCreationTests.test_autofields_generate_different_values_for_each_instance', async () => {
  await emptyBasic(m);
  const a1 = await Article.objects.create({ headline: 'First', pub_date: at(2005, 7, 30) });
  const a2 = await Article.objects.create({ headline: 'First', pub_date: at(2005, 7, 30) });
  const a3 = await Article.objects.create({ headline: 'First', pub_date: at(2005, 7, 30) });
  assert.notEqual(a3.id, a1.id);
  assert.notEqual(a3.id, a2.id);
});

peer.case('ModelInstanceCreationTests.test_cannot_create_instance_with_invalid_kwargs', async () => {
  await emptyBasic(m);
  // Django's Article(foo='bar') raises "Article() got unexpected keyword arguments: 'foo'", and so does
  // objects.create(foo='bar'), which calls it. Mongoose's constructor drops unknown keys (strict mode):
  // djongoose's create() is the door here.
  const create = (fields: object) => Article.objects.create(fields as never);
  await assert.rejects(
    create({ headline: 'Some headline', pub_date: at(2005, 7, 31), foo: 'bar' }),
    (err: unknown) => err instanceof DjongooseError && /foo/.test(err.message),
  );
  await assert.rejects(
    create({ headline: 'Some headline', pub_date: at(2005, 7, 31), foo: 'bar', bar: 'baz' }),
    (err: unknown) => err instanceof DjongooseError && /foo/.test(err.message) && /bar/.test(err.message),
  );
  assert.equal(await Article.objects.count(), 0);
});

peer.case('ModelInstanceCreationTests.test_can_leave_off_value_for_autofield_and_it_gets_value_on_save', async () => {
  await emptyBasic(m);
  // You can leave off the value for an AutoField: it is filled in automatically when you save().
  const a = new Article({ headline: 'Article 5', pub_date: at(2005, 7, 31) });
  await a.save();
  assert.equal(a.headline, 'Article 5');
  assert.equal(typeof a.id, 'number');
});

peer.case(
  'ModelInstanceCreationTests.test_leaving_off_a_field_with_default_set_the_default_will_be_saved',
  async () => {
    await emptyBasic(m);
    const a = new Article({ pub_date: at(2005, 7, 31) });
    await a.save();
    assert.equal(a.headline, 'Default headline');
    assert.equal((await Article.objects.get({ pk: a.id })).headline, 'Default headline');
  },
);

peer.case('ModelInstanceCreationTests.test_for_datetimefields_saves_as_much_precision_as_was_given', async () => {
  await emptyBasic(m);
  const a1 = new Article({ headline: 'Article 7', pub_date: at(2005, 7, 31, 12, 30) });
  await a1.save();
  assert.deepEqual((await Article.objects.get({ id__exact: a1.id })).pub_date, at(2005, 7, 31, 12, 30));
  const a2 = new Article({ headline: 'Article 8', pub_date: at(2005, 7, 31, 12, 30, 45) });
  await a2.save();
  assert.deepEqual((await Article.objects.get({ id__exact: a2.id })).pub_date, at(2005, 7, 31, 12, 30, 45));
});

peer.case('ModelInstanceCreationTests.test_saving_an_object_again_does_not_create_a_new_object', async () => {
  await emptyBasic(m);
  const a = new Article({ headline: 'original', pub_date: at(2014, 5, 16) });
  await a.save();
  const currentId = a.id;
  await a.save();
  assert.equal(a.id, currentId);
  a.headline = 'Updated headline';
  await a.save();
  assert.equal(a.id, currentId);
  assert.equal(await Article.objects.count(), 1);
});

peer.case('ModelInstanceCreationTests.test_querysets_checking_for_membership', async () => {
  await emptyBasic(m);
  const somePubDate = at(2014, 5, 16, 12, 1);
  for (const headline of ['Parrot programs in Python', 'Second article', 'Third article']) {
    await new Article({ headline, pub_date: somePubDate }).save();
  }
  const a = new Article({ headline: 'Some headline', pub_date: somePubDate });
  await a.save();
  // You can use 'in' to test for membership...
  assert.ok((await Article.objects.all()).some((x) => x.equals(a)));
  // ... but there will often be more efficient ways if that is all you need:
  assert.equal(await Article.objects.filter({ id: a.id }).exists(), true);
});

peer.case('ModelInstanceCreationTests.test_save_primary_with_default', async () => {
  await emptyBasic(m);
  // An UPDATE attempt is skipped when a primary key has default: one command, the insert.
  assert.equal(await queries(() => new PrimaryKeyWithDefault().save()), 1);
});

// ModelTest

peer.case('ModelTest.test_objects_attribute_is_only_available_on_the_class_itself', () => {
  // Django raises "Manager isn't accessible via Article instances"; a document has no `objects` at all.
  assert.equal((new Article() as unknown as { objects?: unknown }).objects, undefined);
  assert.equal('objects' in new Article(), false);
  assert.ok('objects' in Article);
});

peer.case('ModelTest.test_queryset_delete_removes_all_items_in_that_queryset', async () => {
  await emptyBasic(m);
  const headlines = ['An article', 'Article One', 'Amazing article', 'Boring article'];
  const somePubDate = at(2014, 5, 16, 12, 1);
  for (const headline of headlines) await new Article({ headline, pub_date: somePubDate }).save();
  assert.deepEqual(
    await Article.objects.orderBy('headline').valuesList('headline', { flat: true }),
    [...headlines].sort(),
  );
  await Article.objects.filter({ headline__startswith: 'A' }).delete();
  assert.equal((await Article.objects.get()).headline, 'Boring article');
});

peer.case('ModelTest.test_not_equal_and_equal_operators_behave_as_expected_on_instances', async () => {
  await emptyBasic(m);
  const somePubDate = at(2014, 5, 16, 12, 1);
  const a1 = await Article.objects.create({ headline: 'First', pub_date: somePubDate });
  const a2 = await Article.objects.create({ headline: 'Second', pub_date: somePubDate });
  assert.equal(a1.equals(a2), false);
  assert.equal(a1.equals(await Article.objects.get({ id__exact: a1.id })), true);
  assert.equal(
    (await Article.objects.get({ id__exact: a1.id })).equals(await Article.objects.get({ id__exact: a2.id })),
    false,
  );
});

peer.case('ModelTest.test_microsecond_precision (milliseconds, the precision of a BSON date)', async () => {
  await emptyBasic(m);
  // Django keeps microseconds (180 µs); a BSON date, like a JavaScript Date, holds milliseconds.
  const a9 = new Article({ headline: 'Article 9', pub_date: at(2005, 7, 31, 12, 30, 45, 180) });
  await a9.save();
  assert.deepEqual((await Article.objects.get({ pk: a9.id })).pub_date, at(2005, 7, 31, 12, 30, 45, 180));
});

peer.case('ModelTest.test_manually_specify_primary_key', async () => {
  await emptyBasic(m);
  // You can manually specify the primary key when creating a new object.
  const a101 = new Article({ id: 101, headline: 'Article 101', pub_date: at(2005, 7, 31, 12, 30, 45) });
  await a101.save();
  assert.equal((await Article.objects.get({ pk: 101 })).headline, 'Article 101');
});

peer.case('ModelTest.test_create_method', async () => {
  await emptyBasic(m);
  // You can create saved objects in a single step
  const a10 = await Article.objects.create({ headline: 'Article 10', pub_date: at(2005, 7, 31, 12, 30, 45) });
  assert.ok((await Article.objects.get({ headline: 'Article 10' })).equals(a10));
});

peer.case('ModelTest.test_year_lookup_edge_case', async () => {
  await emptyBasic(m);
  // A year lookup should retrieve all objects in the given year, including Jan. 1 and Dec. 31.
  const a11 = await Article.objects.create({ headline: 'Article 11', pub_date: at(2008, 1, 1) });
  const a12 = await Article.objects.create({ headline: 'Article 12', pub_date: at(2008, 12, 31, 23, 59, 59, 999) });
  assert.deepEqual(pks(await Article.objects.filter({ pub_date__year: 2008 })), [a11.id, a12.id]);
});

peer.case('ModelTest.test_unicode_data', async () => {
  await emptyBasic(m);
  const a = new Article({ headline: '\u6797\u539f \u3081\u3050\u307f', pub_date: at(2005, 7, 28) });
  await a.save();
  assert.equal((await Article.objects.get({ pk: a.id })).headline, '\u6797\u539f \u3081\u3050\u307f');
});

peer.case('ModelTest.test_hash_function', async () => {
  await emptyBasic(m);
  // Model instances can be set members, equal by primary key: here a Set of primary keys.
  const a10 = await Article.objects.create({ headline: 'Article 10', pub_date: at(2005, 7, 31, 12, 30, 45) });
  const a11 = await Article.objects.create({ headline: 'Article 11', pub_date: at(2008, 1, 1) });
  const a12 = await Article.objects.create({ headline: 'Article 12', pub_date: at(2008, 12, 31, 23, 59, 59, 999) });
  const s = new Set([a10.id, a11.id, a12.id]);
  assert.ok(s.has((await Article.objects.get({ headline: 'Article 11' })).id));
});

peer.case('ModelTest.test_emptyqs_values', async () => {
  await emptyBasic(m);
  await Article.objects.create({ headline: 'foo', pub_date: new Date() });
  assert.equal(
    await queries(async () => {
      const qs = Article.objects.none().valuesList('pk');
      assert.ok(qs instanceof QuerySet);
      assert.equal((await qs).length, 0);
    }),
    0,
  );
});

peer.case('ModelTest.test_emptyqs_customqs', async () => {
  await emptyBasic(m);
  await Article.objects.create({ headline: 'foo', pub_date: new Date() });
  // A custom QuerySet subclass keeps its class, and its methods, through none().
  class CustomQuerySet<T, R> extends QuerySet<T, R> {
    doSomething(): string {
      return 'did something';
    }
  }
  const qs = new CustomQuerySet(Article).none();
  assert.equal(
    await queries(async () => {
      assert.equal((await qs).length, 0);
      assert.ok(qs instanceof CustomQuerySet);
      assert.equal((qs as CustomQuerySet<unknown, unknown>).doSomething(), 'did something');
    }),
    0,
  );
});

peer.case('ModelTest.test_emptyqs_values_order', async () => {
  await emptyBasic(m);
  await Article.objects.create({ headline: 'foo', pub_date: new Date() });
  // Django's second half filters none() by a subquery (id__in=Article.objects.values_list(...)): left out.
  assert.equal(
    await queries(async () => {
      assert.equal((await Article.objects.none().valuesList('id').orderBy('id')).length, 0);
    }),
    0,
  );
});

peer.case('ModelTest.test_ticket_20278', async () => {
  await emptyBasic(m);
  const sr = await SelfRef.objects.create({});
  await assert.rejects(SelfRef.objects.get({ selfref: sr._id }), DoesNotExist);
});

// Django's `==` is sameAs() (Mongoose's equals() compares `_id`s and stays so).
peer.case('ModelTest.test_eq', () => {
  const article = (fields: Partial<ArticleRaw> = {}) => new Article(fields) as unknown as DjongooseDocument<ArticleRaw>;
  assert.ok(article({ id: 1 }).sameAs(article({ id: 1 })));
  assert.equal(article({ id: 1 }).sameAs({}), false);
  const a = article();
  assert.ok(a.sameAs(a));
  assert.equal(article().sameAs(a), false);
});

peer.case('ModelTest.test_multiple_objects_max_num_fetched', async () => {
  await emptyBasic(m);
  const maxResults = 21 - 1; // Django's MAX_GET_RESULTS - 1
  await Article.objects.bulkCreate(
    Array.from({ length: maxResults }, (_, i) => ({ headline: `Area ${i}`, pub_date: at(2005, 7, 28) })),
  );
  await assert.rejects(
    Article.objects.get({ headline__startswith: 'Area' }),
    (err: unknown) =>
      err instanceof MultipleObjectsReturned &&
      err.message.includes(`get() returned more than one Article -- it returned ${maxResults}!`),
  );
  await Article.objects.create({ headline: `Area ${maxResults}`, pub_date: at(2005, 7, 28) });
  await assert.rejects(
    Article.objects.get({ headline__startswith: 'Area' }),
    (err: unknown) =>
      err instanceof MultipleObjectsReturned &&
      err.message.includes(`get() returned more than one Article -- it returned more than ${maxResults}!`),
  );
});

// ModelLookupTest

async function swallow() {
  await emptyBasic(m);
  const a = new Article({ headline: 'Swallow programs in Python', pub_date: at(2005, 7, 28) });
  await a.save();
  return a;
}

peer.case('ModelLookupTest.test_all_lookup', async () => {
  const a = await swallow();
  // Change values by changing the attributes, then calling save().
  a.headline = 'Parrot programs in Python';
  await a.save();
  // Article.objects.all() returns all the articles in the database.
  const all = await Article.objects.all();
  assert.deepEqual(pks(all), [a.id]);
  assert.equal(all[0]?.headline, 'Parrot programs in Python');
});

peer.case('ModelLookupTest.test_rich_lookup', { gap: 'dateOperators' }, async () => {
  const a = await swallow();
  // Django provides a rich database lookup API.
  assert.equal((await Article.objects.get({ id__exact: a.id })).id, a.id);
  assert.equal((await Article.objects.get({ headline__startswith: 'Swallow' })).id, a.id);
  assert.equal((await Article.objects.get({ pub_date__year: 2005 })).id, a.id);
  assert.equal((await Article.objects.get({ pub_date__year: 2005, pub_date__month: 7 })).id, a.id);
  assert.equal((await Article.objects.get({ pub_date__year: 2005, pub_date__month: 7, pub_date__day: 28 })).id, a.id);
});

peer.case(
  'ModelLookupTest.test_rich_lookup (week_day)',
  { gap: ['dateOperators', 'dayOfWeekSundayFirst'] },
  async () => {
    const a = await swallow();
    // 2005-07-28 is a Thursday: 5, counting from 1 = Sunday.
    assert.equal((await Article.objects.get({ pub_date__week_day: 5 })).id, a.id);
  },
);

peer.case('ModelLookupTest.test_equal_lookup', { gap: 'dateOperators' }, async () => {
  const a = await swallow();
  // The "__exact" lookup type can be omitted, as a shortcut.
  assert.equal((await Article.objects.get({ id: a.id })).id, a.id);
  assert.equal((await Article.objects.get({ headline: 'Swallow programs in Python' })).id, a.id);
  assert.deepEqual(pks(await Article.objects.filter({ pub_date__year: 2005 })), [a.id]);
  assert.deepEqual(pks(await Article.objects.filter({ pub_date__year: 2004 })), []);
  assert.deepEqual(pks(await Article.objects.filter({ pub_date__year: 2005, pub_date__month: 7 })), [a.id]);
});

peer.case(
  'ModelLookupTest.test_equal_lookup (week_day)',
  { gap: ['dateOperators', 'dayOfWeekSundayFirst'] },
  async () => {
    const a = await swallow();
    assert.deepEqual(pks(await Article.objects.filter({ pub_date__week_day: 5 })), [a.id]);
    assert.deepEqual(pks(await Article.objects.filter({ pub_date__week_day: 6 })), []);
  },
);

peer.case('ModelLookupTest.test_does_not_exist', { gap: 'dateOperators' }, async () => {
  await swallow();
  // Django raises an Article.DoesNotExist exception for get() if the parameters don't match any object.
  await assert.rejects(
    Article.objects.get({ id__exact: 2000 }),
    (err: unknown) => err instanceof DoesNotExist && err.message === 'Article matching query does not exist.',
  );
  await assert.rejects(Article.objects.get({ pub_date__year: 2005, pub_date__month: 8 }), Article.DoesNotExist);
});

peer.case(
  'ModelLookupTest.test_does_not_exist (week_day)',
  { gap: ['dateOperators', 'dayOfWeekSundayFirst'] },
  async () => {
    await swallow();
    await assert.rejects(
      Article.objects.get({ pub_date__week_day: 6 }),
      (err: unknown) => err instanceof DoesNotExist && err.message === 'Article matching query does not exist.',
    );
  },
);

peer.case('ModelLookupTest.test_lookup_by_primary_key', async () => {
  const a = await swallow();
  // Lookup by a primary key is the most common case: pk stands for the primary key.
  assert.equal((await Article.objects.get({ pk: a.id })).id, a.id);
  // pk can be used as a shortcut for the primary key name in any query.
  assert.deepEqual(pks(await Article.objects.filter({ pk__in: [a.id] })), [a.id]);
  // Model instances of the same type and same ID are considered equal.
  const x = await Article.objects.get({ pk: a.id });
  const y = await Article.objects.get({ pk: a.id });
  assert.ok(x.equals(y));
});

peer.case('ModelLookupTest.test_too_many', async () => {
  await swallow();
  // Create a very similar object
  await new Article({ headline: 'Swallow bites Python', pub_date: at(2005, 7, 28) }).save();
  assert.equal(await Article.objects.count(), 2);
  // Django raises an Article.MultipleObjectsReturned exception if the lookup matches more than one object
  const tooMany = (err: unknown) =>
    err instanceof MultipleObjectsReturned && err.message === 'get() returned more than one Article -- it returned 2!';
  await assert.rejects(Article.objects.get({ headline__startswith: 'Swallow' }), tooMany);
  await assert.rejects(Article.objects.get({ pub_date__year: 2005 }), tooMany);
});

peer.case('ModelLookupTest.test_too_many (month)', { gap: 'dateOperators' }, async () => {
  await swallow();
  await new Article({ headline: 'Swallow bites Python', pub_date: at(2005, 7, 28) }).save();
  await assert.rejects(
    Article.objects.get({ pub_date__year: 2005, pub_date__month: 7 }),
    (err: unknown) =>
      err instanceof MultipleObjectsReturned &&
      err.message === 'get() returned more than one Article -- it returned 2!',
  );
});

// ConcurrentSaveTests

peer.case('ConcurrentSaveTests.test_concurrent_delete_with_save', async () => {
  await emptyBasic(m);
  // Fetching, deleting (elsewhere) and finally saving an object: we should get an insert.
  const a = await Article.objects.create({ headline: 'foo', pub_date: new Date() });
  await Article.objects.filter({ pk: a.id }).delete();
  await a.save();
  assert.equal((await Article.objects.get({ pk: a.id })).headline, 'foo');
});
