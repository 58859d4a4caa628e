// Ported from Django's tests/lookup/tests.py (LookupTests): counting,
// iterating, in_bulk, in, none, values and values_list. Each case keeps
// Django's test name and expected results; the models are
// models/lookup.ts. Django's `id` is the document's `_id` (`pk`), and its
// `author_id` column is the `author` reference. The text lookups, errors
// and relations are in lookup-text.test.ts.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DjongooseError, DoesNotExist, FieldError, ValidationError, manager, registerLookup } from '../../../index.js';
import { commandsDuring } from '../../helpers/commands.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { at, lookupFixtures, lookupModels } from './models/lookup.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const m = await lookupModels(conn);
const { Article, Author, Season } = m;

type Doc = { _id: unknown };
const ids = (docs: readonly Doc[]): string[] => docs.map((d) => String(d._id));
/** Django's assertSequenceEqual over model instances: the same documents, in the same order. */
async function same(qs: PromiseLike<readonly Doc[]>, expected: readonly Doc[]): Promise<void> {
  assert.deepEqual(ids(await qs), ids(expected));
}
/** The error djongoose raises where Django raises TypeError, ValueError or FieldError: typed, and saying why. */
async function refuses(
  block: () => unknown,
  message: RegExp,
  type: abstract new (...a: never[]) => Error = DjongooseError,
) {
  await assert.rejects(
    async () => block(),
    (err: unknown) => (err instanceof type || err instanceof ValidationError) && message.test((err as Error).message),
  );
}

peer.case('LookupTests.test_exists', async () => {
  await lookupFixtures(m);
  // We can use .exists() to check that there are some
  assert.equal(await Article.objects.exists(), true);
  for (const a of await Article.objects.all()) await a.deleteOne();
  // There should be none now!
  assert.equal(await Article.objects.exists(), false);
});

// An ObjectId's text is its hex: iexact compares it (Django's pk is an integer, '1').
peer.case('LookupTests.test_lookup_int_as_str', async () => {
  const { a1 } = await lookupFixtures(m);
  // A primary key value can be queried using its text.
  await same(Article.objects.filter({ pk__iexact: String(a1._id) }), [a1]);
});

peer.case('LookupTests.test_lookup_date_as_str', async () => {
  const f = await lookupFixtures(m);
  // A date lookup can be performed using a string search
  await same(Article.objects.filter({ pub_date__startswith: '2005' }), [f.a5, f.a6, f.a4, f.a2, f.a3, f.a7, f.a1]);
});

peer.case('LookupTests.test_iterator', async () => {
  await lookupFixtures(m);
  // Each QuerySet gets iterator(), which lazily returns results using database-level iteration.
  const it = Article.objects.all().iterator();
  assert.equal(typeof it[Symbol.asyncIterator], 'function');
  const headlines: string[] = [];
  for await (const a of it) headlines.push(a.headline ?? '');
  assert.deepEqual(headlines, [
    'Article 5',
    'Article 6',
    'Article 4',
    'Article 2',
    'Article 3',
    'Article 7',
    'Article 1',
  ]);
  // iterator() can be used on any QuerySet.
  const four: string[] = [];
  for await (const a of Article.objects.filter({ headline__endswith: '4' }).iterator()) four.push(a.headline ?? '');
  assert.deepEqual(four, ['Article 4']);
});

peer.case('LookupTests.test_count', async () => {
  await lookupFixtures(m);
  // count() returns the number of objects matching search criteria.
  assert.equal(await Article.objects.count(), 7);
  assert.equal(await Article.objects.filter({ pub_date__exact: at(2005, 7, 27) }).count(), 3);
  assert.equal(await Article.objects.filter({ headline__startswith: 'Blah blah' }).count(), 0);
  // count() should respect sliced query sets.
  const articles = Article.objects.all();
  assert.equal(await articles.count(), 7);
  assert.equal(await articles.slice(0, 4).count(), 4);
  assert.equal(await articles.slice(1, 100).count(), 6);
  assert.equal(await articles.slice(10, 100).count(), 0);
  // Date and date/time lookups can also be done with strings (UTC here, as Django's naive datetimes in UTC).
  assert.equal(await Article.objects.filter({ pub_date__exact: '2005-07-27T00:00:00Z' as never }).count(), 3);
});

peer.case('LookupTests.test_in_bulk', async () => {
  const { a1, a2, a3, a4, a5, a6, a7 } = await lookupFixtures(m);
  const key = (d: Doc) => String(d._id);
  const byId = (...docs: Doc[]) => Object.fromEntries(docs.map((d) => [key(d), key(d)]));
  const asIds = (found: Record<string, Doc>) => Object.fromEntries(Object.entries(found).map(([k, d]) => [k, key(d)]));
  // in_bulk() takes a list of IDs and returns a dictionary mapping IDs to objects.
  const arts = await Article.objects.inBulk([a1._id, a2._id]);
  assert.equal(key(arts[key(a1)]!), key(a1));
  assert.equal(key(arts[key(a2)]!), key(a2));
  assert.deepEqual(asIds(await Article.objects.inBulk()), byId(a1, a2, a3, a4, a5, a6, a7));
  assert.deepEqual(asIds(await Article.objects.inBulk([a3._id])), byId(a3));
  assert.deepEqual(asIds(await Article.objects.inBulk([...new Set([a3._id])])), byId(a3));
  assert.deepEqual(asIds(await Article.objects.inBulk([new mongoose.Types.ObjectId()])), {});
  assert.deepEqual(asIds(await Article.objects.inBulk([])), {});
  // An iterable that is not an array, as Django takes iter([...]) and sets.
  assert.deepEqual(asIds(await Article.objects.inBulk(new Set([a1._id]) as never)), byId(a1));
  assert.deepEqual(asIds(await Article.objects.inBulk([][Symbol.iterator]() as never)), {});
  // Keyword filters are no id list: Django's TypeError.
  await refuses(() => Article.objects.inBulk({ headline__startswith: 'Blah' } as never), /./);
});

peer.case('LookupTests.test_in_bulk_lots_of_ids', async () => {
  await lookupFixtures(m);
  const testRange = 2000;
  await Author.objects.bulkCreate(Array.from({ length: testRange - (await Author.objects.count()) }, () => ({})));
  const authors = await Author.objects.all();
  assert.equal(authors.length, testRange);
  const sent = await commandsDuring(conn, async () => {
    const found = await Author.objects.inBulk(authors.map((a) => a._id));
    assert.deepEqual(Object.keys(found).sort(), ids(authors).sort());
  });
  // One query, as Django's expected_num_queries with no parameter limit (a cursor may fetch more batches).
  assert.equal(sent.filter((c) => c.name === 'find').length, 1);
});

peer.case('LookupTests.test_in_bulk_with_field', async () => {
  const { a1, a2, a3 } = await lookupFixtures(m);
  const found = await Article.objects.inBulk([a1.slug, a2.slug, a3.slug], { fieldName: 'slug' });
  assert.deepEqual(Object.fromEntries(Object.entries(found).map(([k, d]) => [k, String(d._id)])), {
    a1: String(a1._id),
    a2: String(a2._id),
    a3: String(a3._id),
  });
});

peer.case('LookupTests.test_in_bulk_meta_constraint', async () => {
  await lookupFixtures(m);
  await Season.deleteMany({});
  const s2011 = await Season.objects.create({ year: 2011 });
  const s2012 = await Season.objects.create({ year: 2012 });
  await Season.objects.create({ year: 2013 });
  const found = await Season.objects.inBulk([s2011.year, s2012.year], { fieldName: 'year' });
  assert.deepEqual(Object.fromEntries(Object.entries(found).map(([k, d]) => [k, String(d._id)])), {
    2011: String(s2011._id),
    2012: String(s2012._id),
  });
});

peer.case('LookupTests.test_in_bulk_non_unique_field', async () => {
  const { au1 } = await lookupFixtures(m);
  await refuses(
    () => Article.objects.inBulk([au1._id], { fieldName: 'author' }),
    /must be a unique field but 'author' isn't/,
  );
});

peer.case('LookupTests.test_in_bulk_non_unique_meta_constaint', async () => {
  // A partial unique index on ean, and a compound one on (brand, name): neither field is unique on its own.
  const schema = new mongoose.Schema({ ean: String, brand: String, name: String, is_active: Boolean });
  schema.index({ ean: 1 }, { unique: true, partialFilterExpression: { is_active: true } });
  schema.index({ brand: 1, name: 1 }, { unique: true });
  schema.plugin(manager);
  const Model = conn.model('InBulkConstraintModel', schema) as unknown as typeof Article;
  for (const fieldName of ['brand', 'ean']) {
    await refuses(
      () => Model.objects.inBulk(undefined, { fieldName: fieldName as never }),
      new RegExp(`must be a unique field but '${fieldName}' isn't`),
    );
  }
});

peer.case('LookupTests.test_in_bulk_sliced_queryset', async () => {
  const { a1, a2 } = await lookupFixtures(m);
  await refuses(
    () => Article.objects.all().slice(0, 5).inBulk([a1._id, a2._id]),
    /Cannot use 'limit' or 'offset' with in_bulk\(\)\./,
  );
});

peer.case('LookupTests.test_none', async () => {
  await lookupFixtures(m);
  // none() returns a QuerySet that behaves like any other QuerySet object
  assert.deepEqual(await Article.objects.none(), []);
  assert.deepEqual(await Article.objects.none().filter({ headline__startswith: 'Article' }), []);
  assert.deepEqual(await Article.objects.filter({ headline__startswith: 'Article' }).none(), []);
  assert.equal(await Article.objects.none().count(), 0);
  assert.equal(await Article.objects.none().update({ headline: 'This should not take effect' }), 0);
  const seen: unknown[] = [];
  for await (const a of Article.objects.none().iterator()) seen.push(a);
  assert.deepEqual(seen, []);
  assert.equal(await Article.objects.filter({ headline: 'This should not take effect' }).count(), 0);
});

peer.case('LookupTests.test_in', async () => {
  const f = await lookupFixtures(m);
  await same(Article.objects.exclude({ pk__in: [] }), [f.a5, f.a6, f.a4, f.a2, f.a3, f.a7, f.a1]);
});

peer.case('LookupTests.test_in_empty_list', async () => {
  await lookupFixtures(m);
  await same(Article.objects.filter({ pk__in: [] }), []);
});

peer.case('LookupTests.test_in_keeps_value_ordering', async () => {
  await lookupFixtures(m);
  // Django checks the SQL's IN (a1, …, a7); here the filter sent.
  const slugs = Array.from({ length: 7 }, (_, i) => `a${i + 1}`);
  const query = Article.objects.filter({ slug__in: slugs }).values('pk').toMongo();
  assert.deepEqual(query.filter, { slug: { $in: slugs } });
});

peer.case('LookupTests.test_in_ignore_none', async () => {
  const { a1 } = await lookupFixtures(m);
  await same(Article.objects.filter({ pk__in: [null, a1._id] as never }), [a1]);
  // Django's SQL is IN (a1.pk): the None is dropped.
  assert.deepEqual(Article.objects.filter({ pk__in: [null, a1._id] as never }).toMongo().filter, {
    _id: { $in: [a1._id] },
  });
});

peer.case('LookupTests.test_in_ignore_solo_none', async () => {
  await lookupFixtures(m);
  await same(Article.objects.filter({ pk__in: [null] as never }), []);
});

peer.case('LookupTests.test_values', async () => {
  const { a1, a2, a3, a4, a5, a6, a7 } = await lookupFixtures(m);
  const order = [a5, a6, a4, a2, a3, a7, a1];
  // values() returns a list of dictionaries instead of object instances -- and you can specify which fields.
  assert.deepEqual(
    await Article.objects.values('headline'),
    order.map((a) => ({ headline: a.headline })),
  );
  assert.deepEqual(await Article.objects.filter({ pub_date__exact: at(2005, 7, 27) }).values('_id'), [
    { _id: a2._id },
    { _id: a3._id },
    { _id: a7._id },
  ]);
  assert.deepEqual(
    await Article.objects.values('_id', 'headline'),
    order.map((a) => ({ _id: a._id, headline: a.headline })),
  );
  // You can use values() with iterator() for memory savings.
  const rows: unknown[] = [];
  for await (const row of Article.objects.values('_id', 'headline').iterator()) rows.push(row);
  assert.deepEqual(
    rows,
    order.map((a) => ({ headline: a.headline, _id: a._id })),
  );
  // A nonexistent field name in values() raises FieldError.
  assert.throws(
    () => Article.objects.values('_id', 'id_plus_two' as never),
    (err: unknown) => err instanceof FieldError && /id_plus_two/.test(err.message) && /headline/.test(err.message),
  );
});

peer.case('LookupTests.test_values (author__name across the reference)', { gap: 'lookup' }, async () => {
  const { au1, au2, a1, a2, a3, a4, a5, a6, a7 } = await lookupFixtures(m);
  const name = (a: typeof a1) => (String(a.author) === String(au1._id) ? au1.name : au2.name);
  // You can specify fields from forward relations, just like filter().
  assert.deepEqual(
    await Article.objects.values('headline', 'author__name' as never),
    [a5, a6, a4, a2, a3, a7, a1].map((a) => ({ headline: a.headline, author__name: name(a) })),
  );
});

// Formerly test/e2e/django-values.test.ts: Django's last assertion of test_values, and around it.
peer.case('LookupTests.test_values (no field names: all are returned)', async () => {
  const { au2, a5 } = await lookupFixtures(m);
  // If you don't specify field names to values(), all are returned.
  assert.deepEqual(await Article.objects.filter({ pk: a5._id }).values(), [
    { _id: a5._id, author: au2._id, headline: 'Article 5', pub_date: at(2005, 8, 1, 9), slug: 'a5' },
  ]);
});

peer.case('LookupTests.test_values (named fields give those fields only)', async () => {
  const { a5 } = await lookupFixtures(m);
  assert.deepEqual(await Article.objects.filter({ pk: a5._id }).values('headline'), [{ headline: 'Article 5' }]);
});

peer.case('LookupTests.test_values (no field names: valuesList leaves out the version key too)', async () => {
  const { au2, a5 } = await lookupFixtures(m);
  // The column order is the stored key order, which differs by server
  // (mongo-java-server puts _id last), so the columns are compared as a set.
  const rows = await Article.objects.filter({ pk: a5._id }).valuesList();
  assert.equal(rows.length, 1);
  const texts = (row: readonly unknown[]) => row.map((v) => (v instanceof Date ? v.toISOString() : String(v))).sort();
  assert.deepEqual(texts(rows[0] as unknown[]), texts([a5._id, au2._id, 'Article 5', at(2005, 8, 1, 9), 'a5']));
});

peer.case("LookupTests.test_values (no field names: a schema's own version key is left out)", async () => {
  const schema = new mongoose.Schema(
    { headline: { type: String, required: true }, pub_date: Date, slug: String },
    { versionKey: 'revision' },
  );
  schema.plugin(manager);
  const Renamed = conn.model('Renamed', schema) as unknown as typeof Article;
  await Renamed.deleteMany({});
  const r5 = await Renamed.create({ headline: 'Article 5', pub_date: at(2005, 8, 1, 9), slug: 'a5' });
  const [row] = await Renamed.objects.values();
  assert.equal(Object.hasOwn(row as object, 'revision'), false);
  assert.deepEqual(row, { _id: r5._id, headline: 'Article 5', pub_date: at(2005, 8, 1, 9), slug: 'a5' });
});

peer.case('LookupTests.test_values_list', async () => {
  const { a1, a2, a3, a4, a5, a6, a7 } = await lookupFixtures(m);
  // values_list() is similar to values(), except that the results are returned as a list of tuples.
  assert.deepEqual(
    await Article.objects.valuesList('headline'),
    [a5, a6, a4, a2, a3, a7, a1].map((a) => [a.headline]),
  );
  const byPk = [a1, a2, a3, a4, a5, a6, a7].sort((x, y) => String(x._id).localeCompare(String(y._id)));
  assert.deepEqual(
    await Article.objects.valuesList('_id').orderBy('_id'),
    byPk.map((a) => [a._id]),
  );
  assert.deepEqual(
    await Article.objects.valuesList('_id', { flat: true }).orderBy('_id'),
    byPk.map((a) => a._id),
  );
  // flat with more than one field is refused (Django's TypeError).
  assert.throws(
    () => Article.objects.valuesList('_id', 'headline', { flat: true } as never),
    (err: unknown) => err instanceof DjongooseError && /flat/.test(err.message),
  );
});

peer.case('LookupTests.test_get_next_previous_by', async () => {
  const { a1, a2, a3, a4, a5, a6, a7 } = await lookupFixtures(m);
  // Every Date field gives documents get_next_by_<field>() and get_previous_by_<field>() (Django's
  // spelling; getNextBy('pub_date') is the typed one). Identical dates fall back to the primary key,
  // so no document is skipped or repeated.
  type Nav = {
    get_next_by_pub_date(filters?: object): Promise<{ headline?: string }>;
    get_previous_by_pub_date(filters?: object): Promise<{ headline?: string }>;
  };
  const nav = (a: unknown) => a as Nav;
  const next = async (a: unknown, filters?: object) => (await nav(a).get_next_by_pub_date(filters)).headline;
  const previous = async (a: unknown) => (await nav(a).get_previous_by_pub_date()).headline;
  assert.equal(await next(a1), 'Article 2');
  assert.equal(await next(a2), 'Article 3');
  assert.equal(await next(a2, { headline__endswith: '6' }), 'Article 6');
  assert.equal(await next(a3), 'Article 7');
  assert.equal(await next(a4), 'Article 6');
  await assert.rejects(nav(a5).get_next_by_pub_date(), DoesNotExist);
  assert.equal(await next(a6), 'Article 5');
  assert.equal(await next(a7), 'Article 4');

  assert.equal(await previous(a7), 'Article 3');
  assert.equal(await previous(a6), 'Article 4');
  assert.equal(await previous(a5), 'Article 6');
  assert.equal(await previous(a4), 'Article 7');
  assert.equal(await previous(a3), 'Article 2');
  assert.equal(await previous(a2), 'Article 1');
});

peer.case('LookupTests.test_unsupported_lookups_custom_lookups', async () => {
  await lookupFixtures(m);
  // Django registers Length on the slug field for the test; here a lookup on String fields.
  registerLookup('String', {
    name: 'length',
    compile: (t, value) => ({ $expr: { $eq: [{ $strLenCP: `$${t.path}` }, value] } }),
  });
  await refuses(() => Article.objects.filter({ slug__lengtp: 20 } as never).count(), /lengtp[\s\S]*length/, FieldError);
});
