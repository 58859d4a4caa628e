// Ported from Django's tests/aggregation/tests.py (AggregateTestCase), case by
// case, with Django's expected results. The models and the fixture are
// models/aggregation.ts. Django's positional aggregates take a default alias
// (`Avg('age')` gives `age__avg`); a case ported with the alias written out
// has a twin "(default alias)" in Django's form.
// Cases across relations that a $lookup computes (Book.authors,
// Book.publisher, Author.friends, Store.books: the references a document
// holds) run on servers with $lookup (FerretDB v1.24 lacks it: the `lookup`
// gap); those through reverse relations are listed in ../README.md.
import assert from 'node:assert/strict';
import { Avg, Count, F, FieldError, Max, Min, Sum, loadDeferred } from '../../../index.js';
import { mongo } from 'mongoose';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { commandsDuring } from '../../helpers/commands.js';
import { peerSuite } from '../case.js';
import { loose } from '../loose.js';
import { date, day, decimalBookModel, seedAggregation } from './models/aggregation.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const fx = await seedAggregation(conn);
const { Author, Book, Publisher, Store } = fx;

/** Django's Approximate(expected, places): `round(abs(actual - expected), places) == 0`. */
function approx(actual: unknown, expected: number, places = 7): void {
  assert.equal(typeof actual, 'number', `${String(actual)} is not a number`);
  assert.ok(Number(Math.abs((actual as number) - expected).toFixed(places)) === 0, `${String(actual)} ≉ ${expected}`);
}

const ALL_BOOKS = [
  'The Definitive Guide to Django: Web Development Done Right',
  'Sams Teach Yourself Django in 24 Hours',
  'Practical Django Projects',
  'Python Web Development with Django',
  'Artificial Intelligence: A Modern Approach',
  'Paradigms of Artificial Intelligence Programming: Case Studies in Common Lisp',
];

type Row = Record<string, unknown>;

peer.case('AggregateTestCase.test_empty_aggregate', async () => {
  assert.deepEqual(await Author.objects.aggregate({}), {});
});

peer.case('AggregateTestCase.test_aggregate_in_order_by', () => {
  assert.throws(
    () => loose(Author.objects.values('age')).orderBy(Avg('book__rating')),
    (err: unknown) =>
      err instanceof FieldError &&
      err.message.startsWith(
        'Using an aggregate in order_by() without also including it in annotate() is not allowed: Avg(book__rating)',
      ),
  );
});

peer.case('AggregateTestCase.test_single_aggregate', { gap: 'groupAccumulators' }, async () => {
  const vals = await Author.objects.aggregate({ age__avg: Avg('age') });
  assert.deepEqual(Object.keys(vals), ['age__avg']);
  approx(vals.age__avg, 37.4, 1);
});

peer.case('AggregateTestCase.test_single_aggregate (default alias)', { gap: 'groupAccumulators' }, async () => {
  const vals = (await loose(Author.objects).aggregate(Avg('age'))) as Record<string, unknown>;
  assert.deepEqual(Object.keys(vals), ['age__avg']);
  approx(vals['age__avg'], 37.4, 1);
});

peer.case(
  'AggregateTestCase.test_multiple_aggregates',
  { gap: ['groupAccumulators', 'multipleAccumulators'] },
  async () => {
    const vals = await Author.objects.aggregate({ age__sum: Sum('age'), age__avg: Avg('age') });
    assert.equal(vals.age__sum, 337);
    approx(vals.age__avg, 37.4, 1);
  },
);

peer.case(
  'AggregateTestCase.test_multiple_aggregates (default alias)',
  { gap: ['groupAccumulators', 'multipleAccumulators'] },
  async () => {
    const vals = (await loose(Author.objects).aggregate(Sum('age'), Avg('age'))) as Record<string, unknown>;
    assert.equal(vals['age__sum'], 337);
    approx(vals['age__avg'], 37.4, 1);
  },
);

peer.case('AggregateTestCase.test_filter_aggregate', async () => {
  assert.deepEqual(await Author.objects.filter({ age__gt: 29 }).aggregate({ age__sum: Sum('age') }), { age__sum: 254 });
});

peer.case('AggregateTestCase.test_filter_aggregate (default alias)', async () => {
  assert.deepEqual(await loose(Author.objects.filter({ age__gt: 29 })).aggregate(Sum('age')), { age__sum: 254 });
});

// The forward references only: Author.friends, Book.authors, Book.publisher.
// Its reverse ones (Author → book, Publisher → book) are listed in the README.
peer.case(
  'AggregateTestCase.test_related_aggregate (forward references)',
  { gap: ['groupAccumulators', 'lookup'] },
  async () => {
    const friends = (await loose(Author.objects).aggregate({ friends__age__avg: Avg('friends__age') })) as Row;
    approx(friends['friends__age__avg'], 34.07, 2);
    const authors = (await loose(Book.objects.filter({ rating__lt: 4.5 })).aggregate({
      authors__age__avg: Avg('authors__age'),
    })) as Row;
    approx(authors['authors__age__avg'], 38.2857, 2);
    assert.deepEqual(
      await loose(Book.objects).aggregate({ publisher__num_awards__sum: Sum('publisher__num_awards') }),
      {
        publisher__num_awards__sum: 30,
      },
    );
  },
);

// Store → books → authors, both forward; its Author → book → publisher half is reverse.
peer.case(
  'AggregateTestCase.test_aggregate_multi_join (forward references)',
  { gap: ['groupAccumulators', 'lookup'] },
  async () => {
    assert.deepEqual(await loose(Store.objects).aggregate({ books__authors__age__max: Max('books__authors__age') }), {
      books__authors__age__max: 57,
    });
  },
);

peer.case('AggregateTestCase.test_aggregate_alias', { gap: ['groupAccumulators', 'lookup'] }, async () => {
  const vals = (await loose(Store.objects.filter({ name: 'Amazon.com' })).aggregate({
    amazon_mean: Avg('books__rating'),
  })) as Row;
  approx(vals['amazon_mean'], 4.08, 2);
});

peer.case('AggregateTestCase.test_aggregate_transform', { gap: ['groupAccumulators', 'dateOperators'] }, async () => {
  assert.deepEqual(await Store.objects.aggregate({ min_month: Min('original_opening__month') }), {
    min_month: 3,
  });
});

peer.case('AggregateTestCase.test_annotate_basic (no annotations)', async () => {
  assert.deepEqual(await Book.objects.annotate({}).orderBy('pk').valuesList('name', { flat: true }), ALL_BOOKS);
});

peer.case('AggregateTestCase.test_annotate_basic (mean_age)', { gap: ['arrayExpressions', 'lookup'] }, async () => {
  const b = (await loose(Book.objects)
    .annotate({ mean_age: Avg('authors__age') })
    .get({ pk: fx.b1._id })) as Row;
  assert.equal(b['name'], 'The Definitive Guide to Django: Web Development Done Right');
  assert.equal(b['mean_age'], 34.5);
});

// Sum('pages') per book is its pages (#12 §2.12). Django loads the deferred
// name when r.name is read, with a query; a property read in JavaScript cannot
// wait for one, so the read is the awaited loadDeferred('name'), one query.
peer.case('AggregateTestCase.test_annotate_defer', { gap: 'conditionalExpressions' }, async () => {
  const qs = Book.objects
    .annotate({ page_sum: Sum('pages') })
    .defer('name')
    .filter({ pk: fx.b1._id });
  const rows = await Promise.all(
    (await qs.orderBy('pk')).map(async (r) => [String(r._id), r.isbn, r.page_sum, await loadDeferred(r, 'name')]),
  );
  assert.deepEqual(rows, [
    [String(fx.b1._id), '159059725', 447, 'The Definitive Guide to Django: Web Development Done Right'],
  ]);
});

peer.case('AggregateTestCase.test_annotate_defer_select_related', { gap: 'conditionalExpressions' }, async () => {
  const qs = loose(Book.objects)
    .selectRelated('contact')
    .annotate({ page_sum: Sum('pages') })
    .defer('name')
    .filter({ pk: fx.b1._id });
  const rows = ((await qs.orderBy('pk')) as { isbn: string; page_sum: number; contact: { name: string } }[]).map(
    (r) => [r.isbn, r.page_sum, r.contact.name],
  );
  assert.deepEqual(rows, [['159059725', 447, 'Adrian Holovaty']]);
});

// Book.authors is the array of the book's author references: Count('authors') is its size.
peer.case('AggregateTestCase.test_annotate_m2m (Count authors)', { gap: 'arrayExpressions' }, async () => {
  const books = await Book.objects.annotate({ num_authors: Count('authors') }).orderBy('name');
  assert.deepEqual(
    books.map((b) => [b.name, b.num_authors]),
    [
      ['Artificial Intelligence: A Modern Approach', 2],
      ['Paradigms of Artificial Intelligence Programming: Case Studies in Common Lisp', 1],
      ['Practical Django Projects', 1],
      ['Python Web Development with Django', 3],
      ['Sams Teach Yourself Django in 24 Hours', 1],
      ['The Definitive Guide to Django: Web Development Done Right', 2],
    ],
  );
});

peer.case(
  'AggregateTestCase.test_annotate_m2m (Avg authors__age)',
  { gap: ['arrayExpressions', 'lookup'] },
  async () => {
    const books = (await loose(Book.objects.filter({ rating__lt: 4.5 }))
      .annotate(Avg('authors__age'))
      .orderBy('name')) as { name: string; authors__age__avg: number }[];
    assert.deepEqual(
      books.map((b) => b.name),
      [
        'Artificial Intelligence: A Modern Approach',
        'Practical Django Projects',
        'Python Web Development with Django',
        'Sams Teach Yourself Django in 24 Hours',
      ],
    );
    const ages = books.map((b) => b.authors__age__avg);
    assert.equal(ages[0], 51.5);
    assert.equal(ages[1], 29.0);
    approx(ages[2], 30.3, 1);
    assert.equal(ages[3], 45.0);
  },
);

// Book → publisher is forward; its Publisher → book half is reverse.
peer.case('AggregateTestCase.test_reverse_fkey_annotate (Book → publisher)', { gap: 'lookup' }, async () => {
  const books = (await loose(Book.objects).annotate(Sum('publisher__num_awards')).orderBy('name')) as {
    name: string;
    publisher__num_awards__sum: number;
  }[];
  assert.deepEqual(
    books.map((b) => [b.name, b.publisher__num_awards__sum]),
    [
      ['Artificial Intelligence: A Modern Approach', 7],
      ['Paradigms of Artificial Intelligence Programming: Case Studies in Common Lisp', 9],
      ['Practical Django Projects', 3],
      ['Python Web Development with Django', 7],
      ['Sams Teach Yourself Django in 24 Hours', 1],
      ['The Definitive Guide to Django: Web Development Done Right', 3],
    ],
  );
});

peer.case(
  'AggregateTestCase.test_annotate_values',
  { gap: ['arrayExpressions', 'groupAccumulators', 'lookup'] },
  async () => {
    const one = loose(Book.objects.filter({ pk: fx.b1._id })).annotate({ mean_age: Avg('authors__age') });
    assert.deepEqual(await one.values('pk', 'isbn', 'mean_age'), [
      { pk: fx.b1._id, isbn: '159059725', mean_age: 34.5 },
    ]);
    assert.deepEqual(await one.values('name'), [
      { name: 'The Definitive Guide to Django: Web Development Done Right' },
    ]);
    const byRating = await loose(Book.objects.values('rating'))
      .annotate({ n_authors: Count('authors'), mean_age: Avg('authors__age') })
      .orderBy('rating');
    assert.deepEqual(
      (byRating as { rating: number; n_authors: number }[]).map((r) => [r.rating, r.n_authors]),
      [
        [3.0, 1],
        [4.0, 6],
        [4.5, 2],
        [5.0, 1],
      ],
    );
    const friends = (await loose(Author.objects).annotate(Avg('friends__age')).orderBy('name')) as {
      name: string;
      friends__age__avg: number | null;
    }[];
    assert.equal(friends.length, 9);
    // Django's assertQuerySetEqual over (a.name, a.friends__age__avg).
    const pairs = friends.map((a) => [a.name, a.friends__age__avg] as const);
    assert.deepEqual(pairs.slice(0, 8), [
      ['Adrian Holovaty', 32.0],
      ['Brad Dayley', null],
      ['Jacob Kaplan-Moss', 29.5],
      ['James Bennett', 34.0],
      ['Jeffrey Forcier', 27.0],
      ['Paul Bissex', 31.0],
      ['Peter Norvig', 46.0],
      ['Stuart Russell', 57.0],
    ]);
    assert.equal(pairs[8]?.[0], 'Wesley J. Chun');
    approx(pairs[8]?.[1], 33.66, 1);
  },
);

peer.case('AggregateTestCase.test_count', { gap: 'conditionalExpressions' }, async () => {
  assert.deepEqual(await Book.objects.aggregate({ rating__count: Count('rating') }), { rating__count: 6 });
});

peer.case('AggregateTestCase.test_count (default alias)', { gap: 'conditionalExpressions' }, async () => {
  assert.deepEqual(await loose(Book.objects).aggregate(Count('rating')), { rating__count: 6 });
});

// Django checks the SQL is COUNT(*); here, that the $group counts documents.
peer.case('AggregateTestCase.test_count_star', async () => {
  const count = Count('*' as 'name');
  assert.deepEqual(Book.objects.all().toPipeline({ n: count }).at(-1), { $group: { _id: null, n: { $sum: 1 } } });
  assert.deepEqual(await Book.objects.aggregate({ n: count }), { n: 6 });
});

peer.case('AggregateTestCase.test_distinct_on_aggregate (Count)', { gap: 'groupAccumulators' }, async () => {
  assert.deepEqual(await Book.objects.aggregate({ ratings: Count('rating', { distinct: true }) }), { ratings: 4 });
});

peer.case('AggregateTestCase.test_distinct_on_aggregate (Avg, Sum)', { gap: 'groupAccumulators' }, async () => {
  const avg = await Book.objects.aggregate({ ratings: Avg('rating', { distinct: true }) });
  assert.equal(avg.ratings, 4.125);
  const sum = await Book.objects.aggregate({ ratings: Sum('rating', { distinct: true }) });
  assert.equal(sum.ratings, 16.5);
});

peer.case(
  'AggregateTestCase.test_non_grouped_annotation_not_in_group_by',
  { gap: ['groupAccumulators', 'fieldPathValues'] },
  async () => {
    const qs = loose(Book.objects.annotate({ xprice: F('price') }).filter({ rating: 4.0 }))
      .values('rating')
      .annotate({ count: Count('publisher', { distinct: true }) })
      .values('count', 'rating')
      .orderBy('count');
    assert.deepEqual(await qs, [{ rating: 4.0, count: 2 }]);
  },
);

peer.case(
  'AggregateTestCase.test_grouped_annotation_in_group_by',
  { gap: ['groupAccumulators', 'fieldPathValues'] },
  async () => {
    const qs = loose(Book.objects.annotate({ xprice: F('price') }).filter({ rating: 4.0 }))
      .values('rating', 'xprice')
      .annotate({ count: Count('publisher', { distinct: true }) })
      .values('count', 'rating')
      .orderBy('count');
    assert.deepEqual(await qs, [
      { rating: 4.0, count: 1 },
      { rating: 4.0, count: 2 },
    ]);
  },
);

peer.case('AggregateTestCase.test_annotate_ordering', { gap: ['groupAccumulators', 'lookup'] }, async () => {
  const books = loose(Book.objects.values('rating')).annotate({ oldest: Max('authors__age') });
  assert.deepEqual(await books.orderBy('oldest', 'rating'), [
    { rating: 4.5, oldest: 35 },
    { rating: 3.0, oldest: 45 },
    { rating: 4.0, oldest: 57 },
    { rating: 5.0, oldest: 57 },
  ]);
  assert.deepEqual(await books.orderBy('-oldest', '-rating'), [
    { rating: 5.0, oldest: 57 },
    { rating: 4.0, oldest: 57 },
    { rating: 3.0, oldest: 45 },
    { rating: 4.5, oldest: 35 },
  ]);
});

// Django counts authors__id, through the join table; here the references are the book's own array.
peer.case(
  'AggregateTestCase.test_aggregate_annotation',
  { gap: ['arrayExpressions', 'groupAccumulators'] },
  async () => {
    const vals = await Book.objects
      .annotate({ num_authors: Count('authors') })
      .aggregate({ num_authors__avg: Avg('num_authors') });
    approx(vals.num_authors__avg, 1.66, 1);
  },
);

peer.case('AggregateTestCase.test_avg_duration_field', { gap: 'groupAccumulators' }, async () => {
  // Django's timedelta(days=1, hours=12), in milliseconds; Avg skips the publishers without one.
  assert.deepEqual(await Publisher.objects.aggregate({ duration__avg: Avg('duration') }), {
    duration__avg: day + 12 * 60 * 60 * 1000,
  });
});

peer.case('AggregateTestCase.test_sum_duration_field', async () => {
  assert.deepEqual(await Publisher.objects.aggregate({ duration__sum: Sum('duration') }), { duration__sum: 3 * day });
});

// Forward references only: Book.authors and Author.friends; its Publisher → book filters are listed.
peer.case(
  'AggregateTestCase.test_annotation (forward references)',
  { gap: ['conditionalExpressions', 'lookup'] },
  async () => {
    assert.deepEqual(
      await loose(Author.objects.filter({ pk: fx.a1._id })).aggregate({ friends__id__count: Count('friends__id') }),
      { friends__id__count: 2 },
    );
    const books = loose(Book.objects)
      .annotate({ num_authors: Count('authors__name') })
      .filter({ num_authors__exact: 2 })
      .orderBy('pk')
      .valuesList('name', { flat: true });
    assert.deepEqual(await books, [
      'The Definitive Guide to Django: Web Development Done Right',
      'Artificial Intelligence: A Modern Approach',
    ]);
    const lonely = loose(Author.objects)
      .annotate({ num_friends: Count('friends__id', { distinct: true }) })
      .filter({ num_friends: 0 })
      .orderBy('pk')
      .valuesList('name', { flat: true });
    assert.deepEqual(await lonely, ['Brad Dayley']);
    const norvig = loose(Book.objects)
      .annotate({ num_authors: Count('authors__id') })
      .filter({ authors__name__contains: 'Norvig', num_authors__gt: 1 })
      .valuesList('name', { flat: true });
    assert.deepEqual(await norvig, ['Artificial Intelligence: A Modern Approach']);
  },
);

peer.case('AggregateTestCase.test_more_aggregation', { gap: 'groupAccumulators' }, async () => {
  const a = await Author.objects.get({ name__contains: 'Norvig' });
  const b = await Book.objects.get({ name__contains: 'Done Right' });
  b.authors!.push(a._id);
  await b.save();
  try {
    const vals = await loose(Book.objects.annotate({ num_authors: Count('authors') }))
      .filter({ authors__name__contains: 'Norvig', num_authors__gt: 1 })
      .aggregate({ rating__avg: Avg('rating') });
    assert.deepEqual(vals, { rating__avg: 4.25 });
  } finally {
    b.authors!.pop();
    await b.save();
  }
});

// The Store half; its Publisher half orders by the reverse relation's Min('book__pubdate').
peer.case(
  'AggregateTestCase.test_even_more_aggregate (Store)',
  { gap: ['groupAccumulators', 'multipleAccumulators'] },
  async () => {
    const vals = await Store.objects.aggregate({
      friday_night_closing__max: Max('friday_night_closing'),
      original_opening__min: Min('original_opening'),
    });
    assert.deepEqual(vals, {
      friday_night_closing__max: '23:59:59',
      original_opening__min: date(1945, 4, 25, 16, 24, 14),
    });
  },
);

peer.case(
  'AggregateTestCase.test_annotate_values_list',
  { gap: ['arrayExpressions', 'conditionalExpressions', 'lookup'] },
  async () => {
    const one = loose(Book.objects.filter({ pk: fx.b1._id })).annotate({ mean_age: Avg('authors__age') });
    assert.deepEqual(await one.valuesList('pk', 'isbn', 'mean_age'), [[fx.b1._id, '159059725', 34.5]]);
    assert.deepEqual(await one.valuesList('isbn'), [['159059725']]);
    assert.deepEqual(await one.valuesList('mean_age'), [[34.5]]);
    assert.deepEqual(await one.valuesList('mean_age', { flat: true }), [34.5]);
    const prices = loose(Book.objects.valuesList('price'))
      .annotate({ count: Count('price') })
      .orderBy('-count', 'price');
    assert.deepEqual(await prices, [
      [29.69, 2],
      [23.09, 1],
      [30, 1],
      [75, 1],
      [82.8, 1],
    ]);
  },
);

peer.case('AggregateTestCase.test_dates_with_aggregation', async () => {
  const dates = await Book.objects.annotate({ num_authors: Count('authors') }).dates('pubdate', 'year');
  assert.deepEqual(dates, [date(1991, 1, 1), date(1995, 1, 1), date(2007, 1, 1), date(2008, 1, 1)]);
});

peer.case('AggregateTestCase.test_values_aggregation', { gap: 'groupAccumulators' }, async () => {
  const maxRating = await Book.objects.values('rating').aggregate({ max_rating: Max('rating') });
  assert.equal(maxRating.max_rating, 5);
});

peer.case('AggregateTestCase.test_values_aggregation (grouped)', { gap: 'groupAccumulators' }, async () => {
  const max = loose(Book.objects.values('rating'))
    .annotate({ books_per_rating: Count('pk') })
    .aggregate({ books_per_rating__max: Max('books_per_rating') });
  assert.deepEqual(await max, { books_per_rating__max: 3 });
});

peer.case('AggregateTestCase.test_ticket12886', { gap: 'groupAccumulators' }, async () => {
  const qs = Book.objects.orderBy('-rating').slice(0, 3);
  const vals = await qs.aggregate({ average_top3_rating: Avg('rating') });
  approx(vals.average_top3_rating, 4.5, 2);
});

peer.case('AggregateTestCase.test_decimal_max_digits_has_no_effect', { gap: 'decimal128' }, async () => {
  const DecimalBook = await ready(decimalBookModel(conn));
  await DecimalBook.deleteMany({});
  await DecimalBook.insertMany(
    Array.from({ length: 10 }, () => ({ name: 'none', rating: 4.0, price: mongo.Decimal128.fromString('9999.98') })),
  );
  const book = await DecimalBook.objects.aggregate({ price_sum: Sum('price') });
  assert.ok(book.price_sum instanceof mongo.Decimal128, String(book.price_sum));
  assert.equal(Number(book.price_sum.toString()), 99999.8);
});

// Django's TypeError is our FieldError.
peer.case('AggregateTestCase.test_nonaggregate_aggregation_throws', async () => {
  await assert.rejects(
    async () => loose(Book.objects).aggregate({ fail: F('price') }),
    (err: unknown) => err instanceof FieldError && /"fail"/.test(err.message),
  );
});

peer.case(
  'AggregateTestCase.test_avg_decimal_field',
  { gap: ['decimal128', 'groupAccumulators', 'decimalAverage'] },
  async () => {
    const DecimalBook = await ready(decimalBookModel(conn));
    await DecimalBook.deleteMany({});
    await DecimalBook.insertMany(
      [
        ['30.00', 4.5],
        ['23.09', 3.0],
        ['29.69', 4.0],
        ['29.69', 4.0],
        ['82.80', 4.0],
        ['75.00', 5.0],
      ].map(([price, rating]) => ({
        name: 'b',
        rating: rating as number,
        price: mongo.Decimal128.fromString(price as string),
      })),
    );
    const v: unknown = (await DecimalBook.objects.filter({ rating: 4 }).aggregate({ avg_price: Avg('price') }))
      .avg_price;
    assert.ok(v instanceof mongo.Decimal128, `${String(v)} is not a Decimal128`);
    approx(Number(String(v)), 47.39, 2);
  },
);

// Django's TypeError ("received non-expression(s)") is our FieldError.
peer.case('AggregateTestCase.test_arguments_must_be_expressions', async () => {
  await assert.rejects(async () => loose(Book.objects).aggregate({ is_book: true }), FieldError);
  await assert.rejects(async () => loose(Book.objects).aggregate({ a: Avg('price'), is_book: true }), FieldError);
});

peer.case('AggregateTestCase.test_annotate_values_aggregate', { gap: 'fieldPathValues' }, async () => {
  const aliasAge = await Author.objects
    .annotate({ age_alias: F('age') })
    .values('age_alias')
    .aggregate({ sum_age: Sum('age_alias') });
  const age = await Author.objects.values('age').aggregate({ sum_age: Sum('age') });
  assert.equal(aliasAge.sum_age, age.sum_age);
  assert.equal(age.sum_age, 337);
});

peer.case(
  'AggregateTestCase.test_annotate_over_annotate',
  {
    gap: 'fieldPathValues',
  },
  async () => {
    const author = await loose(Author.objects.annotate({ age_alias: F('age') }))
      .annotate({ sum_age: Sum('age_alias') })
      .get({ name: 'Adrian Holovaty' });
    const other = await loose(Author.objects)
      .annotate({ sum_age: Sum('age') })
      .get({ name: 'Adrian Holovaty' });
    assert.equal((author as { sum_age: number }).sum_age, (other as { sum_age: number }).sum_age);
    assert.equal((other as { sum_age: number }).sum_age, 34);
  },
);

// Django: "Cannot compute Avg('age_agg'): 'age_agg' is an aggregate"; here a FieldError naming it.
peer.case('AggregateTestCase.test_aggregate_over_aggregate', async () => {
  await assert.rejects(
    async () => Author.objects.aggregate({ age_agg: Sum('age'), avg_age: Avg('age_agg' as 'age') }),
    (err: unknown) => err instanceof FieldError && err.message.includes('age_agg'),
  );
});

// Django counts the reverse relation (Count('book')); over none() every count is 0 alike.
peer.case('AggregateTestCase.test_empty_result_optimization', async () => {
  let result: unknown;
  const sent = await commandsDuring(conn, async () => {
    result = await Publisher.objects.none().aggregate({ sum_awards: Sum('num_awards'), books_count: Count() });
  });
  assert.deepEqual(result, { sum_awards: null, books_count: 0 });
  assert.deepEqual(
    sent.map((c) => c.name),
    [],
  );
});

// Django's TypeError is our FieldError.
peer.case('AggregateTestCase.test_aggregation_default_unsupported_by_count', () => {
  assert.throws(
    () => Count('age', { default: 0 } as { distinct?: boolean }),
    (err: unknown) => err instanceof FieldError && /Count does not allow default/.test((err as Error).message),
  );
});

// Django's StdDev and Variance are not offered.
peer.case('AggregateTestCase.test_aggregation_default_unset', { gap: 'groupAccumulators' }, async () => {
  for (const Aggregate of [Avg, Max, Min, Sum]) {
    const result = await Author.objects.filter({ age__gt: 100 }).aggregate({ value: Aggregate('age') });
    assert.equal(result.value, null, Aggregate.name);
  }
});

for (const [name, value, expected] of [
  ['test_aggregation_default_zero', 0, 0],
  ['test_aggregation_default_integer', 21, 21],
] as const) {
  peer.case(`AggregateTestCase.${name}`, { gap: 'groupAccumulators' }, async () => {
    for (const Aggregate of [Avg, Max, Min, Sum]) {
      const result = await Author.objects
        .filter({ age__gt: 100 })
        .aggregate({ value: Aggregate('age', { default: value }) });
      assert.equal(result.value, expected, Aggregate.name);
    }
  });
}

// Django's SUM over NULLs is NULL, then the default 0; MongoDB's $sum over nulls is 0 already.
peer.case('AggregateTestCase.test_aggregation_default_using_duration_from_python', async () => {
  const result = await Publisher.objects
    .filter({ num_awards__gt: 3 })
    .aggregate({ value: Sum('duration', { default: 0 }) });
  assert.equal(result.value, 0);
});

peer.case('AggregateTestCase.test_aggregation_default_using_decimal_from_python', async () => {
  const result = await Book.objects.filter({ rating__lt: 3.0 }).aggregate({ value: Sum('price', { default: 0 }) });
  assert.equal(result.value, 0);
});

// Sum(..., default=0) over rows that have values: the default is not used.
peer.case('AggregateTestCase.test_aggregation_default_after_annotation', { gap: 'arithmeticExpressions' }, async () => {
  const agg = Sum('double_num_awards' as string, { default: 0 });
  const result = await Publisher.objects
    .annotate({ double_num_awards: F('num_awards').times(2) })
    .aggregate({ value: agg });
  assert.equal(result.value, 40);
});
