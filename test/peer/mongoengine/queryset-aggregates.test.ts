// Ported from MongoEngine's tests/queryset/test_queryset.py: sum, average,
// item_frequencies, distinct and scalar. MongoEngine's `sum('age')` and
// `average('age')` are `aggregate({ s: Sum('age') })` and `Avg`; its
// `item_frequencies('f')` over a scalar field is Django's
// `values('f').annotate(n=Count())`; `scalar(...)` is `valuesList(...)`
// (`{ flat: true }` for one field). MongoEngine's dotted `person_meta.weight`
// is `person_meta__weight`; its `db_field` is Mongoose's `alias` (the stored
// name is the path, the alias the attribute).
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { Avg, Count, Sum } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { define, embedded, person } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

const AGES = [23, 54, 12, 94, 27];

/** MongoEngine's item_frequencies(field): value → count, as Django's values(f).annotate(n=Count('pk')). */
async function frequencies(qs: { values(...f: never[]): unknown }, field: string): Promise<Map<unknown, number>> {
  const grouped = (qs.values as (f: string) => { annotate(s: object): Promise<Record<string, unknown>[]> })
    .call(qs, field)
    .annotate({ n: Count('pk') });
  const rows = await grouped;
  return new Map(rows.map((row) => [row[field] ?? null, row['n'] as number]));
}

peer.case('TestQueryset.test_item_frequencies (non-list field)', async () => {
  // Over the list field `tags` (an item per element) Django has no
  // counterpart; the part over the scalar field `hits` is ported.
  const BlogPost = await define<{ hits?: number; tags?: string[] }>(conn, 'BlogPost', { hits: Number, tags: [String] });
  await BlogPost.objects.bulkCreate([
    { hits: 1, tags: ['music', 'film', 'actors', 'watch'] },
    { hits: 2, tags: ['music', 'watch'] },
    { hits: 2, tags: ['music', 'actors'] },
  ]);
  assert.deepEqual(
    await frequencies(BlogPost.objects.all(), 'hits'),
    new Map([
      [1, 1],
      [2, 2],
    ]),
  );
});

peer.case('TestQueryset.test_item_frequencies_on_embedded', async () => {
  const Person = await define<{ name?: string; phone?: { number?: string } }>(conn, 'Person', {
    name: String,
    phone: embedded({ number: String }),
  });
  await Person.objects.bulkCreate([
    { name: 'Guido', phone: { number: '62-3331-1656' } },
    { name: 'Marr', phone: { number: '62-3331-1656' } },
    { name: 'WP Junior', phone: { number: '62-3332-1656' } },
  ]);
  assert.deepEqual(
    await frequencies(Person.objects.all(), 'phone__number'),
    new Map([
      ['62-3331-1656', 2],
      ['62-3332-1656', 1],
    ]),
  );
  assert.deepEqual(
    await frequencies(Person.objects.filter({ phone__number: '62-3331-1656' }), 'phone__number'),
    new Map([['62-3331-1656', 2]]),
  );
});

peer.case('TestQueryset.test_item_frequencies_null_values', async () => {
  const Person = await define<{ name?: string; city?: string }>(conn, 'Person', { name: String, city: String });
  await Person.objects.bulkCreate([{ name: 'Wilson Snr', city: 'CRB' }, { name: 'Wilson Jr' }]);
  assert.deepEqual(
    await frequencies(Person.objects.all(), 'city'),
    new Map<unknown, number>([
      ['CRB', 1],
      [null, 1],
    ]),
  );
});

peer.case('TestQueryset.test_item_frequencies_with_null_embedded', async () => {
  const Person = await define<{ data: { name?: string }; extra?: { tag?: string } }>(conn, 'Person', {
    data: { type: embedded({ name: String }), required: true },
    extra: embedded({ tag: String }),
  });
  await Person.objects.bulkCreate([
    { data: { name: 'Wilson Jr' } },
    { data: { name: 'Wesley' }, extra: { tag: 'friend' } },
  ]);
  assert.deepEqual(
    await frequencies(Person.objects.all(), 'extra__tag'),
    new Map<unknown, number>([
      [null, 1],
      ['friend', 1],
    ]),
  );
});

peer.case('TestQueryset.test_item_frequencies_with_0_values', async () => {
  const Test = await define<{ val?: number }>(conn, 'Test', { val: Number });
  await Test.objects.create({ val: 0 });
  assert.deepEqual(await frequencies(Test.objects.all(), 'val'), new Map([[0, 1]]));
});

peer.case('TestQueryset.test_item_frequencies_with_False_values', async () => {
  const Test = await define<{ val?: boolean }>(conn, 'Test', { val: Boolean });
  await Test.objects.create({ val: false });
  assert.deepEqual(await frequencies(Test.objects.all(), 'val'), new Map([[false, 1]]));
});

peer.case('TestQueryset.test_item_frequencies_normalize', async () => {
  // normalize=True divides by the total; the counts it divides are checked.
  const Test = await define<{ val?: number }>(conn, 'Test', { val: Number });
  await Test.objects.bulkCreate([
    ...Array.from({ length: 50 }, () => ({ val: 1 })),
    ...Array.from({ length: 20 }, () => ({ val: 2 })),
  ]);
  const freqs = await frequencies(Test.objects.all(), 'val');
  const total = [...freqs.values()].reduce((a, b) => a + b, 0);
  assert.deepEqual(
    new Map([...freqs].map(([k, v]) => [k, v / total])),
    new Map([
      [1, 50 / 70],
      [2, 20 / 70],
    ]),
  );
});

peer.case('TestQueryset.test_average', { gap: 'groupAccumulators' }, async () => {
  const Person = await person(conn);
  const average = async (field: string, qs = Person.objects.all()) =>
    ((await qs.aggregate({ a: Avg(field as 'age') })) as { a: number | null }).a;
  await Person.create({ name: 'person', age: 0 });
  assert.equal(Math.trunc((await average('age'))!), 0);
  for (const [i, age] of AGES.entries()) await Person.create({ name: `test${i}`, age });
  const avg = AGES.reduce((a, b) => a + b, 0) / (AGES.length + 1);
  assert.equal(Math.trunc((await average('age'))!), Math.trunc(avg));
  await Person.create({ name: 'ageless person' });
  assert.equal(Math.trunc((await average('age'))!), Math.trunc(avg));
  await Person.create({ name: 'person meta', person_meta: { weight: 0 } });
  assert.equal(Math.trunc((await average('person_meta__weight'))!), 0);
  for (const [i, weight] of AGES.entries()) await Person.create({ name: `test meta${i}`, person_meta: { weight } });
  assert.equal(Math.trunc((await average('person_meta__weight'))!), Math.trunc(avg));
  await Person.create({ name: 'test meta none' });
  assert.equal(Math.trunc((await average('person_meta__weight'))!), Math.trunc(avg));
  const over50 = AGES.filter((a) => a >= 50);
  assert.equal(
    await average('age', Person.objects.filter({ age__gte: 50 })),
    over50.reduce((a, b) => a + b, 0) / over50.length,
  );
});

peer.case('TestQueryset.test_sum', async () => {
  const Person = await person(conn);
  const sum = async (field: string, qs = Person.objects.all()) =>
    ((await qs.aggregate({ s: Sum(field as 'age') })) as { s: number | null }).s;
  const total = AGES.reduce((a, b) => a + b, 0);
  for (const [i, age] of AGES.entries()) await Person.create({ name: `test${i}`, age });
  assert.equal(await sum('age'), total);
  await Person.create({ name: 'ageless person' });
  assert.equal(await sum('age'), total);
  for (const [i, weight] of AGES.entries()) await Person.create({ name: `test meta${i}`, person_meta: { weight } });
  assert.equal(await sum('person_meta__weight'), total);
  await Person.create({ name: 'weightless person' });
  assert.equal(await sum('age'), total);
  assert.equal(await sum('age', Person.objects.filter({ age__gte: 50 })), 54 + 94);
});

peer.case('TestQueryset.test_sum_over_db_field', async () => {
  const UserVisit = await define<{ visits?: number; num_visits?: number }>(conn, 'UserVisit', {
    visits: { type: Number, alias: 'num_visits' },
  });
  await UserVisit.create({ num_visits: 10 });
  await UserVisit.create({ num_visits: 5 });
  assert.deepEqual(await UserVisit.objects.aggregate({ s: Sum('num_visits' as 'visits') }), { s: 15 });
});

peer.case('TestQueryset.test_average_over_db_field', { gap: 'groupAccumulators' }, async () => {
  const UserVisit = await define<{ visits?: number; num_visits?: number }>(conn, 'UserVisit', {
    visits: { type: Number, alias: 'num_visits' },
  });
  await UserVisit.create({ num_visits: 20 });
  await UserVisit.create({ num_visits: 10 });
  assert.deepEqual(await UserVisit.objects.aggregate({ a: Avg('num_visits' as 'visits') }), { a: 15 });
});

interface PayDoc {
  name?: string;
  pay?: { value?: mongoose.Types.Decimal128; values?: mongoose.Types.Decimal128[] };
  values?: mongoose.Types.Decimal128[];
}

/** test_embedded_*'s Doc: a Pay embedded document with a DecimalField and a list of them. */
async function payDoc(): Promise<ReturnType<typeof define<PayDoc>>> {
  const Doc = await define<PayDoc>(conn, 'Doc', {
    name: String,
    pay: embedded({ value: mongoose.Schema.Types.Decimal128, values: [mongoose.Schema.Types.Decimal128] }),
    values: [mongoose.Schema.Types.Decimal128],
  });
  const pays: [string, number, number][] = [
    ['Wilson Junior', 150, 100],
    ['Isabella Luanna', 530, 100],
    ['Tayza mariana', 165, 100],
    ['Eliana Costa', 115, 100],
  ];
  await Doc.objects.bulkCreate(
    pays.map(([name, a, b]) => ({ name, pay: { value: a, values: [a, b] }, values: [a, b] }) as never),
  );
  return Doc;
}

/** aggregate() over a field name the typed API refuses (an array, an embedded path): as data. */
function fold(objects: { aggregate: unknown }, spec: object): Promise<Record<string, unknown>> {
  return (objects.aggregate as (s: object) => Promise<Record<string, unknown>>).call(objects, spec);
}

/** A Decimal128 (or number) result as a number; null stays null. */
function num(value: unknown): number | null {
  return value == null ? null : Number(String(value));
}

peer.case('TestQueryset.test_embedded_average', { gap: ['decimal128', 'groupAccumulators'] }, async () => {
  const Doc = await payDoc();
  assert.equal(num((await fold(Doc.objects, { a: Avg('pay__value') }))['a']), 240);
});

peer.case('TestQueryset.test_embedded_array_average', { gap: ['decimal128', 'groupAccumulators'] }, async () => {
  const Doc = await payDoc();
  assert.equal(num((await fold(Doc.objects, { a: Avg('pay__values') }))['a']), 170);
});

peer.case('TestQueryset.test_array_average', { gap: ['decimal128', 'groupAccumulators'] }, async () => {
  const Doc = await payDoc();
  assert.equal(num((await fold(Doc.objects, { a: Avg('values') }))['a']), 170);
});

peer.case('TestQueryset.test_embedded_sum', { gap: 'decimal128' }, async () => {
  const Doc = await payDoc();
  assert.equal(num((await fold(Doc.objects, { s: Sum('pay__value') }))['s']), 960);
});

peer.case('TestQueryset.test_embedded_array_sum', { gap: 'decimal128' }, async () => {
  const Doc = await payDoc();
  assert.equal(num((await fold(Doc.objects, { s: Sum('pay__values') }))['s']), 1360);
});

peer.case('TestQueryset.test_array_sum', { gap: 'decimal128' }, async () => {
  const Doc = await payDoc();
  assert.equal(num((await fold(Doc.objects, { s: Sum('values') }))['s']), 1360);
});

peer.case('TestQueryset.test_distinct', async () => {
  const Person = await person(conn);
  await Person.objects.bulkCreate([
    { name: 'Mr Orange', age: 20 },
    { name: 'Mr White', age: 20 },
    { name: 'Mr Orange', age: 30 },
    { name: 'Mr Pink', age: 30 },
  ]);
  assert.deepEqual(new Set(await Person.objects.distinct('name')), new Set(['Mr Orange', 'Mr White', 'Mr Pink']));
  assert.deepEqual(new Set(await Person.objects.distinct('age')), new Set([20, 30]));
  assert.deepEqual(
    new Set(await Person.objects.filter({ age: 30 }).distinct('name')),
    new Set(['Mr Orange', 'Mr Pink']),
  );
});

peer.case('TestQueryset.test_distinct_handles_references', async () => {
  // MongoEngine dereferences (or, with no_dereference, gives the ids); Django's
  // distinct values of a reference are its ids, which djongoose gives.
  const Bar = await define<{ text?: string }>(conn, 'Bar', { text: String });
  const Foo = await define<{ bar?: mongoose.Types.ObjectId }>(conn, 'Foo', {
    bar: { type: mongoose.Schema.Types.ObjectId, ref: Bar.modelName },
  });
  const bar = await Bar.create({ text: 'hi' });
  await Foo.create({ bar: bar._id });
  assert.deepEqual((await Foo.objects.distinct('bar')).map(String), [String(bar._id)]);
});

peer.case('TestQueryset.test_distinct_handles_db_field', async () => {
  const Product = await define<{ pid?: number; product_id?: number }>(conn, 'Product', {
    pid: { type: Number, alias: 'product_id' },
  });
  for (const id of [1, 2, 1]) await Product.create({ product_id: id });
  assert.deepEqual(new Set(await Product.objects.distinct('pid')), new Set([1, 2]));
  assert.deepEqual(new Set(await Product.objects.distinct('product_id' as 'pid')), new Set([1, 2]));
});

peer.case('TestQueryset.test_distinct_ListField_EmbeddedDocumentField', async () => {
  const Book = await define<{ title?: string; authors?: { name?: string }[] }>(conn, 'Book', {
    title: String,
    authors: [embedded({ name: String })],
  });
  const mark = { name: 'Mark Twain' };
  const john = { name: 'John Ronald Reuel Tolkien' };
  await Book.objects.bulkCreate([
    { title: 'Tom Sawyer', authors: [mark] },
    { title: 'The Lord of the Rings', authors: [john] },
    { title: 'The Stories', authors: [mark, john] },
  ]);
  const authors = (await Book.objects.distinct('authors')) as { name?: string }[];
  assert.deepEqual(new Set(authors.map((a) => a.name)), new Set([mark.name, john.name]));
});

peer.case('TestQueryset.test_distinct_ListField_EmbeddedDocumentField_EmbeddedDocumentField', async () => {
  const continent = embedded({ continent_name: String });
  const country = embedded({ country_name: String, continent });
  const Book = await define<{
    title?: string;
    authors?: { name?: string; country?: { country_name?: string; continent?: { continent_name?: string } } }[];
  }>(conn, 'Book', { title: String, authors: [embedded({ name: String, country })] });
  const europe = { continent_name: 'europe' };
  const asia = { continent_name: 'asia' };
  const scotland = { country_name: 'Scotland', continent: europe };
  const tibet = { country_name: 'Tibet', continent: asia };
  const mark = { name: 'Mark Twain', country: scotland };
  const john = { name: 'John Ronald Reuel Tolkien', country: tibet };
  await Book.objects.bulkCreate([
    { title: 'Tom Sawyer', authors: [mark] },
    { title: 'The Lord of the Rings', authors: [john] },
    { title: 'The Stories', authors: [mark, john] },
  ]);
  const countries = (await Book.objects.distinct('authors__country')) as unknown[];
  assert.deepEqual(
    countries.map((c) => JSON.parse(JSON.stringify(c)) as unknown),
    [scotland, tibet],
  );
  const continents = (await Book.objects.distinct('authors__country__continent')) as { continent_name?: string }[];
  assert.deepEqual(new Set(continents.map((c) => c.continent_name)), new Set(['europe', 'asia']));
});

peer.case('TestQueryset.test_distinct_ListField_ReferenceField', async () => {
  // As test_distinct_handles_references: the ids (MongoEngine's no_dereference form).
  const Bar = await define<{ text?: string }>(conn, 'Bar', { text: String });
  const Foo = await define<{ bar?: mongoose.Types.ObjectId; bar_lst?: mongoose.Types.ObjectId[] }>(conn, 'Foo', {
    bar: { type: mongoose.Schema.Types.ObjectId, ref: Bar.modelName },
    bar_lst: [{ type: mongoose.Schema.Types.ObjectId, ref: Bar.modelName }],
  });
  const bar1 = await Bar.create({ text: 'hi' });
  const bar2 = await Bar.create({ text: 'bye' });
  await Foo.create({ bar: bar1._id, bar_lst: [bar1._id, bar2._id] });
  assert.deepEqual((await Foo.objects.distinct('bar_lst')).map(String), [String(bar1._id), String(bar2._id)]);
});
