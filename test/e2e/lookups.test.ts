// Every lookup against a real server: each row matches some seeded entries
// and not others (all three headlines never come back, nor none).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { F, Q, Raw, type FilterInput, type QNode } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import type { Capability } from '../harness/capabilities.js';
import { entryModel, SEED } from '../helpers/models.js';

const HJ = 'Hey Jude';
const AR = 'Abbey Road (Remastered)';
const PB = 'Paint It Black';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
await Entry.insertMany(SEED);

async function headlines(...filters: (QNode | FilterInput)[]): Promise<string[]> {
  const found = await Entry.objects
    .filter(...filters)
    .orderBy('headline')
    .valuesList('headline', { flat: true });
  return found as string[];
}

const rows: [string, FilterInput | QNode, string[]][] = [
  ['exact', { headline: HJ }, [HJ]],
  ['iexact', { headline__iexact: 'hey jude' }, [HJ]],
  ['contains (metacharacters literal)', { headline__contains: '(Remastered)' }, [AR]],
  ['icontains', { headline__icontains: 'it bl' }, [PB]],
  ['in', { rating__in: [5, 3] }, [HJ, PB]],
  ['gt', { rating__gt: 4 }, [HJ]],
  ['gte', { rating__gte: 4 }, [AR, HJ]],
  ['lt', { rating__lt: 4 }, [PB]],
  ['lte', { rating__lte: 4 }, [AR, PB]],
  ['startswith', { headline__startswith: 'Hey' }, [HJ]],
  ['istartswith', { headline__istartswith: 'hey' }, [HJ]],
  ['endswith', { headline__endswith: 'Black' }, [PB]],
  ['iendswith', { headline__iendswith: 'BLACK' }, [PB]],
  ['range', { views__range: [60, 300] }, [AR, HJ]],
  ['isnull', { data__isnull: true }, [AR, PB]],
  ['isnull false', { data__isnull: false }, [HJ]],
  ['regex', { headline__regex: '^[AH]' }, [AR, HJ]],
  ['iregex', { headline__iregex: '^paint' }, [PB]],
  ['year', { pub_date__year: 2020 }, [PB]],
  ['year__gte', { pub_date__year__gte: 2019 }, [AR, PB]],
  ['year__lt', { pub_date__year__lt: 2019 }, [HJ]],
  ['date', { pub_date__date: '2020-05-01' }, [PB]],
  ['ne', { rating__ne: 5 }, [AR, PB]],
  ['nin', { rating__nin: [5, 4] }, [PB]],
  ['mod', { rating__mod: [2, 1] }, [HJ, PB]],
  ['all', { tags__all: ['rock', 'uk'] }, [HJ]],
  ['size', { tags__size: 1 }, [AR]],
  ['exists', { data__exists: true }, [HJ]],
  ['type', { data__type: 'object' }, [HJ]],
  ['wholeword', { headline__wholeword: 'It' }, [PB]],
  ['iwholeword', { headline__iwholeword: 'jude' }, [HJ]],
  ['array contains', { tags__contains: ['rock', 'ballad'] }, [HJ]],
  ['overlap', { tags__overlap: ['uk', 'jazz'] }, [HJ]],
  ['len', { tags__len: 1 }, [AR]],
  ['len__gt', { tags__len__gt: 2 }, [HJ]],
  ['len__lt', { tags__len__lt: 1 }, [PB]],
  ['len__lte', { tags__len__lte: 1 }, [AR, PB]],
  ['through an array of documents (any element)', { comments__author: 'bob', comments__score: 5 }, [AR, HJ]],
  ['embedded, Django form', { blog__name__startswith: 'Beatles' }, [AR, HJ]],
  ['embedded, djongo form', { blog__startswith: { name: 'Beatles' } }, [AR, HJ]],
  ['embedded object, field by field', { blog: { name: 'Stones Weekly', tagline: 'Rolling news.' } }, [PB]],
  ['JSON path', { data__chart__uk: 1 }, [HJ]],
  ['Q or', Q({ rating: 5 }).or({ rating: 3 }), [HJ, PB]],
  ['Q not', Q.not({ blog__name: 'Beatles Blog' }), [PB]],
  ['Raw', Raw({ views: { $gt: 200 } }), [AR]],
  ['Q and Raw', Q({ blog__name: 'Beatles Blog' }).and(Raw({ views: { $lt: 200 } })), [HJ]],
];

describe(`lookups on ${server.name}`, () => {
  for (const [name, filter, expected] of rows) {
    test(name, async () => {
      assert.ok(expected.length > 0 && expected.length < SEED.length, 'each row must match some, not all');
      assert.deepEqual(await headlines(filter), expected);
    });
  }

  test('contained_by', { skip: lacks('containedByEmptyArray') }, async () => {
    assert.deepEqual(await headlines({ tags__contained_by: ['rock', 'pop'] }), [AR, PB]);
  });

  test('match holds for one and the same element', { skip: lacks('elemMatchDocuments') }, async () => {
    assert.deepEqual(await headlines({ comments__match: Q({ author: 'bob', score__gte: 5 }) }), [AR]);
    assert.deepEqual(await headlines({ comments__match: { author: 'bob', score: 5 } }), [AR]);
  });

  test('endswith anchors at the very end, also before a newline', async () => {
    await Entry.objects.create({ headline: 'Black\n', rating: 1 });
    try {
      assert.deepEqual(await headlines({ headline__endswith: 'Black' }), [PB]);
    } finally {
      await Entry.objects.filter({ rating: 1 }).delete();
    }
  });

  const dateParts: [string, FilterInput, string[], Capability?][] = [
    ['month', { pub_date__month: 5 }, [PB]],
    ['month__gte', { pub_date__month__gte: 8 }, [AR, HJ]],
    ['day', { pub_date__day: 26 }, [HJ]],
    ['week', { pub_date__week__gte: 35 }, [AR, HJ], 'isoDateOperators'],
    ['week_day (1 is Sunday)', { pub_date__week_day: 6 }, [AR, PB], 'dayOfWeekSundayFirst'],
    ['iso_week_day (1 is Monday)', { pub_date__iso_week_day: 1 }, [HJ], 'isoDateOperators'],
    ['quarter', { pub_date__quarter: 3 }, [AR, HJ]],
    ['iso_year', { pub_date__iso_year: 2020 }, [PB], 'isoDateOperators'],
    ['hour', { pub_date__hour: 12 }, [PB]],
    ['hour__lt', { pub_date__hour__lt: 12 }, [AR, HJ]],
    ['minute', { pub_date__minute__gt: 0 }, []],
    ['time', { pub_date__time: '12:00' }, [PB]],
  ];
  for (const [name, filter, expected, needs] of dateParts) {
    const skip = lacks('dateOperators') || lacks('exprComparison') || (needs ? lacks(needs) : false);
    test(`date part: ${name}`, { skip }, async () => {
      assert.deepEqual(await headlines(filter), expected);
    });
  }

  test('F compares two fields', { skip: lacks('exprComparison') }, async () => {
    assert.deepEqual(await headlines({ likes__gt: F('views') }), [HJ]);
    assert.deepEqual(await headlines({ likes__lt: F('views').times(0.5) }), [PB]);
  });

  test('exclude is the negation of all its filters together', async () => {
    const found = await Entry.objects
      .exclude({ blog__name: 'Beatles Blog', rating: 5 })
      .orderBy('headline')
      .valuesList('headline', { flat: true });
    assert.deepEqual(found, [AR, PB]);
  });
});
