// FilterSet without a database: query-string text converted by field type,
// the shapes req.query may take, declarations checked against the schema,
// and the QuerySet a query compiles to.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import {
  DoesNotExist,
  EmptyPage,
  FieldError,
  FilterError,
  ImproperlyConfigured,
  MigrationError,
  PageNotAnInteger,
  ValidationError,
  errorBody,
  filterSet,
  httpStatusOf,
} from '../../index.js';
import { BOOLEAN, COUNT, DAY, SCALARS, TEXT, TIME, listOf, type Converter } from '../../filterset/convert.js';
import { readQuery } from '../../filterset/query.js';
import { pageNumberOf } from '../../filterset/paginate.js';
import { entryModel } from '../helpers/models.js';
import { hostile } from '../helpers/hostile.js';

const Entry = entryModel(mongoose.createConnection());
const scalar = (name: string): Converter => SCALARS[name] ?? assert.fail(`no converter for ${name}`);

function accepts(converter: Converter, text: string): unknown {
  const converted = converter.convert(text);
  assert.ok(converted.ok, `${JSON.stringify(text)} refused: ${converted.ok ? '' : converted.reason}`);
  return converted.value;
}

function refuses(converter: Converter, text: string): string {
  const converted = converter.convert(text);
  assert.ok(!converted.ok, `${JSON.stringify(text)} accepted as ${String(converted.ok && converted.value)}`);
  return converted.reason;
}

describe('query-string text is converted by the field type', () => {
  test('numbers: decimal notation only, finite', () => {
    const number = scalar('Number');
    assert.equal(accepts(number, '4'), 4);
    assert.equal(accepts(number, '-4.5'), -4.5);
    assert.equal(accepts(number, '.5'), 0.5);
    assert.equal(accepts(number, '1e3'), 1000);
    for (const text of ['five', '', ' 4', '4 ', '0x10', 'Infinity', 'NaN', '1e999', '4,5', '1_000']) {
      assert.match(refuses(number, text), /is not a number/);
    }
  });

  test('whole numbers, Int32 bounds and BigInt', () => {
    assert.equal(accepts(scalar('Int32'), '-2147483648'), -2147483648);
    refuses(scalar('Int32'), '2147483648');
    refuses(scalar('Int32'), '1.5');
    assert.equal(accepts(scalar('BigInt'), '9007199254740993'), 9007199254740993n);
    refuses(scalar('BigInt'), '1.0');
    assert.equal(accepts(COUNT, '0'), 0);
    refuses(COUNT, '-1');
    refuses(COUNT, '99999999999999999999');
  });

  test("booleans: 'true'/'false' and '1'/'0', any case", () => {
    for (const [text, value] of [
      ['true', true],
      ['FALSE', false],
      ['1', true],
      ['0', false],
    ] as const) {
      assert.equal(accepts(BOOLEAN, text), value);
    }
    for (const text of ['yes', '', 'null', 'truee', 'toString', '__proto__']) refuses(BOOLEAN, text);
  });

  test('ISO dates: UTC unless an offset is given; impossible dates refused', () => {
    const date = scalar('Date');
    assert.deepEqual(accepts(date, '2026-05-01'), new Date('2026-05-01T00:00:00Z'));
    assert.deepEqual(accepts(date, '2026-05-01T12:30'), new Date('2026-05-01T12:30:00Z'));
    assert.deepEqual(accepts(date, '2026-05-01T12:30:15.25Z'), new Date('2026-05-01T12:30:15.250Z'));
    assert.deepEqual(accepts(date, '2026-05-01T12:00:00+02:00'), new Date('2026-05-01T10:00:00Z'));
    assert.deepEqual(accepts(date, '2026-05-01T12:00:00-0130'), new Date('2026-05-01T13:30:00Z'));
    for (const text of [
      '2026-02-31',
      '2026-13-01',
      '2026-05-01T24:00',
      '2026-05-01T12:00:00 02:00', // '+' arrived as a space: not guessed
      '1714521600000',
      'May 1, 2026',
      '2026-5-1',
    ]) {
      assert.match(refuses(date, text), /is not an ISO 8601 date/);
    }
  });

  test('ObjectIds, UUIDs and decimals', () => {
    const id = accepts(scalar('ObjectId'), '64b7f0c2a1b2c3d4e5f60718');
    assert.ok(id instanceof mongoose.Types.ObjectId);
    assert.equal(String(id), '64b7f0c2a1b2c3d4e5f60718');
    for (const text of ['64b7f0c2a1b2c3d4e5f6071', 'zzzzzzzzzzzzzzzzzzzzzzzz', 'abcdefghijkl']) {
      refuses(scalar('ObjectId'), text);
    }
    assert.equal(
      accepts(scalar('UUID'), '123e4567-e89b-12d3-a456-426614174000'),
      '123e4567-e89b-12d3-a456-426614174000',
    );
    refuses(scalar('UUID'), '123e4567');
    assert.equal(accepts(scalar('Decimal128'), '12.50'), '12.50');
    refuses(scalar('Decimal128'), '12,50');
  });

  test('text stays text, whatever it looks like', () => {
    for (const text of ['{"$ne":null}', '$where', '__raw__', '']) assert.equal(accepts(TEXT, text), text);
    assert.equal(accepts(scalar('String'), '$gt'), '$gt');
  });

  test('lists: comma-separated, each item converted, no empty items, an exact length where one is needed', () => {
    const numbers = listOf(scalar('Number'));
    assert.deepEqual(accepts(numbers, '3,5'), [3, 5]);
    assert.deepEqual(accepts(numbers, '3'), [3]);
    assert.match(refuses(numbers, '3,x'), /"x" is not a number/);
    assert.match(refuses(numbers, '3,'), /item 2 of "3," is empty/);
    const range = listOf(scalar('Number'), 2);
    assert.deepEqual(accepts(range, '1,3'), [1, 3]);
    assert.match(refuses(range, '1,2,3'), /has 3 values, not 2/);
    const dates = accepts(listOf(scalar('Date'), 2), '2026-01-01,2026-12-31');
    assert.deepEqual(dates, [new Date('2026-01-01T00:00:00Z'), new Date('2026-12-31T00:00:00Z')]);
  });

  test('date and time lookups take their own formats', () => {
    assert.equal(accepts(DAY, '2026-05-01'), '2026-05-01');
    refuses(DAY, '2026-05-01T00:00');
    refuses(DAY, '2026-02-30');
    assert.equal(accepts(TIME, '09:30'), '09:30');
    refuses(TIME, '24:00');
  });
});

describe('the shapes of req.query', () => {
  test('plain strings pass; arrays and objects from extended parsers are refused by name', () => {
    const { values, refused } = readQuery({
      headline: 'Hey Jude',
      rating__in: ['3', '5'],
      blog__name: { $ne: 'x' },
      __raw__: { a: '1' },
      views: 3,
    });
    assert.deepEqual([...values], [['headline', 'Hey Jude']]);
    assert.deepEqual([...refused.keys()], ['rating__in', 'blog__name', '__raw__', 'views']);
    assert.match(refused.get('rating__in') ?? '', /more than once/);
    assert.match(refused.get('blog__name') ?? '', /\[brackets\]/);
  });

  test('URLSearchParams and query strings: a repeated name is refused, not merged', () => {
    for (const query of [new URLSearchParams('a=1&b=2&a=3'), 'a=1&b=2&a=3']) {
      const { values, refused } = readQuery(query);
      assert.deepEqual([...values], [['b', '2']]);
      assert.deepEqual([...refused.keys()], ['a']);
    }
  });

  test('own keys only, and nothing at all for null or undefined', () => {
    const inherited = Object.create({ headline: 'inherited' }) as Record<string, unknown>;
    assert.equal(readQuery(inherited).values.size, 0);
    assert.equal(readQuery(undefined).values.size, 0);
    assert.throws(() => readQuery(42 as never), ImproperlyConfigured);
  });
});

const entries = filterSet(Entry, {
  fields: {
    headline: ['exact', 'icontains'],
    rating: ['gte', 'lte', 'in', 'range'],
    pub_date: ['year', 'gte'],
    blog__name: ['startswith'],
    blog: ['isnull'],
    tags: ['contains', 'len__gt'],
    pk: ['in'],
  },
  ordering: ['rating', 'pub_date'],
  pageSize: 20,
  maxPageSize: 100,
});

function filterError(query: Parameters<typeof entries.fromQuery>[0]): Record<string, readonly string[]> {
  try {
    entries.fromQuery(query);
  } catch (err) {
    assert.ok(err instanceof FilterError, String(err));
    return err.errors;
  }
  return assert.fail('no FilterError');
}

describe('a FilterSet compiles a query into the filter() of its declared keys', () => {
  test('each parameter is its key, with the value converted', () => {
    const query = entries
      .fromQuery({
        headline__icontains: 'jude',
        rating__in: '4,5',
        rating__range: '1,3',
        pub_date__year: '2026',
        pub_date__gte: '2020-01-01',
        blog__isnull: 'false',
        tags__len__gt: '1',
        pk__in: '64b7f0c2a1b2c3d4e5f60718',
      })
      .toMongo();
    // As a request's filter would be: built at run time, so not checked by type.
    const literal: Record<string, unknown> = {
      headline__icontains: 'jude',
      rating__in: [4, 5],
      rating__range: [1, 3],
      pub_date__year: 2026,
      pub_date__gte: new Date('2020-01-01T00:00:00Z'),
      blog__isnull: false,
      tags__len__gt: 1,
      pk__in: [new mongoose.Types.ObjectId('64b7f0c2a1b2c3d4e5f60718')],
    };
    const expected = Entry.objects.filter(literal).toMongo();
    assert.deepEqual(query.filter, expected.filter);
  });

  test('ordering: declared fields either way, ties broken by primary key; an empty parameter filters nothing', () => {
    const query = entries.fromQuery('ordering=-rating,pub_date&headline=').toMongo();
    assert.deepEqual(query.sort, { rating: -1, pub_date: 1, _id: 1 });
    assert.deepEqual(query.filter, {});
  });

  test('every bad parameter is reported at once, each with what it accepts', () => {
    const errors = filterError({
      headlin: 'x',
      rating__in: '3,x',
      rating__gte: 'five',
      blog__isnull: 'maybe',
      ordering: '-ratin,views',
      page: 'abc',
      page_size: '0',
      headline: ['a', 'b'],
      blog__name__startswith: { $ne: 'x' },
      __raw__: { a: '1' },
    });
    assert.deepEqual(Object.keys(errors).sort(), [
      '__raw__',
      'blog__isnull',
      'blog__name__startswith',
      'headlin',
      'headline',
      'ordering',
      'page',
      'page_size',
      'rating__gte',
      'rating__in',
    ]);
    assert.match(
      errors['headlin']?.[0] ?? '',
      /^unknown parameter; accepted: headline, headline__icontains, .*Did you mean "headline"\?$/,
    );
    assert.match(
      errors['rating__in']?.[0] ?? '',
      /"x" is not a number; rating__in takes a comma-separated list, each a number, e\.g\. rating__in=3,4\.5\./,
    );
    assert.match(errors['blog__isnull']?.[0] ?? '', /takes 'true' or 'false'/);
    assert.equal(errors['ordering']?.length, 2);
    assert.match(
      errors['ordering']?.[0] ?? '',
      /"-ratin" is not an ordering; accepted, comma-separated: rating, -rating, pub_date, -pub_date\. Did you mean "-rating"\?/,
    );
    assert.match(errors['page']?.[0] ?? '', /not a whole number/);
  });

  test('a value the lookup refuses is reported by its parameter, with the rest', () => {
    const dates = filterSet(Entry, { fields: { pub_date: ['month', 'year'], headline: ['exact'] } });
    assert.throws(
      () => dates.fromQuery({ pub_date__month: '13', pub_date__year: '99999', headline: 'ok' }),
      (err: unknown) =>
        err instanceof FilterError &&
        /a month from 1 to 12/.test(err.errors['pub_date__month']?.[0] ?? '') &&
        /is not a year from 1 to 9999/.test(err.errors['pub_date__year']?.[0] ?? '') &&
        Object.keys(err.errors).length === 2,
    );
  });

  test('inside a JSON field the text is taken as it is, and lists of it', () => {
    const json = filterSet(Entry, { fields: { data__label: ['exact', 'in'], data: ['isnull'] } });
    const { filter } = json
      .fromQuery('data__label={"$ne":null}&data__label__in=Apple,EMI&data__isnull=false')
      .toMongo();
    const literal: Record<string, unknown> = {
      data__label: '{"$ne":null}',
      data__label__in: ['Apple', 'EMI'],
      data__isnull: false,
    };
    assert.deepEqual(filter, Entry.objects.filter(literal).toMongo().filter);
    assert.deepEqual(json.parameters, ['data__label', 'data__label__in', 'data__isnull', 'page']);
  });

  test('names such as __proto__ are reported as their own keys, and no prototype changes', () => {
    const errors = filterError('__proto__=1&constructor=2&hasOwnProperty=3');
    assert.deepEqual(Object.keys(errors), ['__proto__', 'constructor', 'hasOwnProperty']);
    assert.ok(Object.hasOwn(errors, '__proto__'));
    assert.equal(Object.getPrototypeOf(errors), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['1'], undefined);
    assert.match(JSON.stringify(errors), /^\{"__proto__":\["unknown parameter/);
  });

  test("unknown: 'ignore' lets other parameters through, and never lets them filter", () => {
    const lenient = filterSet(Entry, { fields: { rating: ['gte'] }, unknown: 'ignore' });
    const query = lenient.fromQuery({ rating__gte: '4', format: 'json', __raw__: { a: '1' }, headline: 'x' }).toMongo();
    assert.deepEqual(query.filter, Entry.objects.filter({ rating__gte: 4 }).toMongo().filter);
    assert.throws(() => lenient.fromQuery({ rating__gte: ['4', '5'] }), FilterError);
  });

  test('page_size is a parameter only with maxPageSize; ordering only with ordering fields', () => {
    const plain = filterSet(Entry, { fields: { rating: ['gte'] } });
    assert.deepEqual(plain.parameters, ['rating__gte', 'page']);
    assert.throws(() => plain.fromQuery('page_size=5'), FilterError);
    assert.throws(() => plain.fromQuery('ordering=rating'), FilterError);
  });
});

/** Every field path a filter names, at any depth, operators aside. */
function pathsOf(filter: unknown, into: string[] = []): string[] {
  if (Array.isArray(filter)) for (const item of filter) pathsOf(item, into);
  else if (filter !== null && typeof filter === 'object' && Object.getPrototypeOf(filter) === Object.prototype) {
    for (const [key, value] of Object.entries(filter)) {
      if (!key.startsWith('$')) into.push(key);
      pathsOf(value, into);
    }
  }
  return into;
}

test('property: any qs- or JSON-shaped query is a FilterError, or only declared names with text', () => {
  const name = fc.oneof(
    fc.constantFrom(...entries.parameters),
    fc.constantFrom('__raw__', '__proto__', 'constructor', 'rating', 'headline__regex', 'blog__name', '$where', 'pk'),
    fc.string({ maxLength: 12 }),
  );
  const text = fc.oneof(
    fc.constantFrom('4', '3,5', 'true', 'false', '2019', '2020-01-01', '-rating', '1', 'x', ''),
    fc.string(),
  );
  const value = fc.oneof(text, text, fc.array(text, { maxLength: 3 }), hostile);
  const query = fc.dictionary(name, value, { maxKeys: 5 });
  let passed = 0;
  fc.assert(
    fc.property(query, (q) => {
      let compiled: unknown;
      try {
        compiled = entries.fromQuery(q).toMongo().filter;
      } catch (err) {
        assert.ok(err instanceof FilterError, String(err));
        assert.ok(Object.keys(err.errors).length > 0);
        for (const key of Object.keys(err.errors)) assert.ok(Object.hasOwn(q, key), key);
        return;
      }
      for (const [key, v] of Object.entries(q)) {
        assert.ok(entries.parameters.includes(key), `${key} was let through`);
        assert.equal(typeof v, 'string', `${key}'s ${JSON.stringify(v)} was let through`);
      }
      for (const path of pathsOf(compiled))
        assert.match(path, /^(headline|rating|pub_date|blog\.name|blog|tags(\.\d+)?|_id)$/);
      assert.doesNotMatch(JSON.stringify(compiled), /\$where|\$expr|\$function/);
      passed++;
    }),
    { numRuns: 1000, seed: 20261129 },
  );
  assert.ok(passed >= 50, `only ${passed} of 1000 queries passed: the property says little about the rest`);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

describe('declarations are checked when made', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'an unknown field',
      { fields: { headlin: ['exact'] } },
      /Cannot resolve keyword "headlin".*Did you mean "headline"\?/,
    ],
    [
      'an unknown lookup',
      { fields: { headline: ['icontain'] } },
      /Unsupported lookup "icontain".*Did you mean "icontains"\?/,
    ],
    ['a lookup of another type', { fields: { rating: ['year'] } }, /Unsupported lookup "year" for Number field/],
    [
      'a bad chain',
      { fields: { pub_date: ['year__foo'] } },
      /"year" can be followed by one of exact, gt, gte, lt, lte/,
    ],
    [
      'a lookup in the field name',
      { fields: { headline__icontains: ['exact'] } },
      /declare it as fields: \{ headline: \["icontains"\] \}/,
    ],
    ['an embedded document value', { fields: { blog: ['exact'] } }, /Entry\.blog holds embedded documents/],
    ['match', { fields: { comments: ['match'] } }, /a query string cannot give/],
    ['an unknown ordering field', { fields: {}, ordering: ['ratin'] }, /Cannot resolve keyword "ratin"/],
  ];
  for (const [what, options, message] of cases) {
    test(`${what}: FieldError`, () => {
      assert.throws(
        () => filterSet(Entry, options as never),
        (err: unknown) => err instanceof FieldError && message.test(err.message),
      );
    });
  }

  test('bad options: ImproperlyConfigured', () => {
    for (const options of [
      { fields: { rating: 'gte' } },
      { fields: { rating: [] } },
      { fields: {}, ordering: ['-rating'] },
      { fields: {}, pageSize: 0 },
      { fields: {}, pageSize: 50, maxPageSize: 10 },
      { fields: {}, unknown: 'skip' },
      { fields: { rating: ['gte'] }, pageParam: 'rating__gte' },
    ]) {
      assert.throws(() => filterSet(Entry, options as never), ImproperlyConfigured, JSON.stringify(options));
    }
  });
});

describe('pages and HTTP statuses', () => {
  test('page numbers: whole numbers and "last"; the rest PageNotAnInteger', () => {
    assert.equal(pageNumberOf(undefined), 1);
    assert.equal(pageNumberOf('3'), 3);
    assert.equal(pageNumberOf('last'), 'last');
    assert.equal(pageNumberOf(0), 0); // out of range, which needs the count: EmptyPage later
    for (const page of ['abc', '1.5', '-1', '1e2', ' 2', 1.5])
      assert.throws(() => pageNumberOf(page), PageNotAnInteger);
  });

  test('our errors map to 400, 404 and 409; others to nothing', () => {
    class IntegrityError extends ValidationError {}
    assert.equal(httpStatusOf(new FilterError('m', {})), 400);
    assert.equal(httpStatusOf(new FieldError('m')), 400);
    assert.equal(httpStatusOf(new ValidationError('m', 'Entry.x')), 400);
    assert.equal(httpStatusOf(new EmptyPage('m', 3, 2)), 400);
    assert.equal(httpStatusOf(new PageNotAnInteger('m')), 400);
    assert.equal(httpStatusOf(new DoesNotExist('m')), 404);
    assert.equal(httpStatusOf(new IntegrityError('m', 'Entry.x')), 409);
    assert.equal(httpStatusOf(new MigrationError('m', 'Entry')), undefined);
    assert.equal(httpStatusOf(new Error('m')), undefined);
    assert.equal(httpStatusOf({ name: 'DoesNotExist' }), undefined);
    assert.deepEqual(errorBody(new FilterError('m', { a: ['b'] })), {
      error: 'FilterError',
      message: 'm',
      errors: { a: ['b'] },
    });
    assert.deepEqual(errorBody(new DoesNotExist('gone')), { error: 'DoesNotExist', message: 'gone' });
  });
});
