// Ported from Django's tests/lookup/tests.py (LookupTests): the regex and
// iregex lookups, on text and on numbers. Django matches a number's text
// form (CAST(field AS text) REGEXP …); djongoose sends a `$regexMatch` on
// `$toString` inside `$expr`, which neither emulator has (capability
// regexMatchText), so those cases run on a real MongoDB only, and the
// compiled filter is checked on every server. Models: models/lookup.ts.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, ValidationError } from '../../../index.js';
import { measureModel } from '../../helpers/numeric-models.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { lookupModels } from './models/lookup.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const m = await lookupModels(conn);
const { Article, Season, Player } = m;
const Measure = await ready(measureModel(conn));

/** The headlines a QuerySet finds, sorted: Django's assertQuerySetEqual against a headline__in QuerySet. */
async function headlines(qs: PromiseLike<readonly { headline?: string }[]>): Promise<string[]> {
  return (await qs).map((a) => a.headline ?? '').sort();
}
const sorted = (xs: string[]) => [...xs].sort();

async function createArticles(names: readonly string[]): Promise<void> {
  const now = new Date();
  await Article.objects.bulkCreate(names.map((headline) => ({ pub_date: now, headline })));
}

peer.case('LookupTests.test_regex', async () => {
  // Create some articles with a bit more interesting headlines for testing field lookups.
  await Article.objects.all().delete();
  await createArticles(['f', 'fo', 'foo', 'fooo', 'hey-Foo', 'bar', 'AbBa', 'baz', 'baxZ']);
  const regex = (pattern: string) => headlines(Article.objects.filter({ headline__regex: pattern }));
  const iregex = (pattern: string) => headlines(Article.objects.filter({ headline__iregex: pattern }));
  // zero-or-more
  assert.deepEqual(await regex('fo*'), sorted(['f', 'fo', 'foo', 'fooo']));
  assert.deepEqual(await iregex('fo*'), sorted(['f', 'fo', 'foo', 'fooo', 'hey-Foo']));
  // one-or-more
  assert.deepEqual(await regex('fo+'), sorted(['fo', 'foo', 'fooo']));
  // wildcard
  assert.deepEqual(await regex('fooo?'), sorted(['foo', 'fooo']));
  // leading anchor
  assert.deepEqual(await regex('^b'), sorted(['bar', 'baxZ', 'baz']));
  assert.deepEqual(await iregex('^a'), ['AbBa']);
  // trailing anchor
  assert.deepEqual(await regex('z$'), ['baz']);
  assert.deepEqual(await iregex('z$'), sorted(['baxZ', 'baz']));
  // character sets
  assert.deepEqual(await regex('ba[rz]'), sorted(['bar', 'baz']));
  assert.deepEqual(await regex('ba.[RxZ]'), ['baxZ']);
  assert.deepEqual(await iregex('ba[RxZ]'), sorted(['bar', 'baxZ', 'baz']));
  // and more articles:
  await createArticles(['foobar', 'foobaz', 'ooF', 'foobarbaz', 'zoocarfaz', 'barfoobaz', 'bazbaRFOO']);
  // alternation
  assert.deepEqual(await regex('oo(f|b)'), sorted(['barfoobaz', 'foobar', 'foobarbaz', 'foobaz']));
  assert.deepEqual(await iregex('oo(f|b)'), sorted(['barfoobaz', 'foobar', 'foobarbaz', 'foobaz', 'ooF']));
  assert.deepEqual(await regex('^foo(f|b)'), sorted(['foobar', 'foobarbaz', 'foobaz']));
  // greedy matching
  assert.deepEqual(await regex('b.*az'), sorted(['barfoobaz', 'baz', 'bazbaRFOO', 'foobarbaz', 'foobaz']));
  assert.deepEqual(await iregex('b.*ar'), sorted(['bar', 'barfoobaz', 'bazbaRFOO', 'foobar', 'foobarbaz']));
});

peer.case('LookupTests.test_regex_backreferencing', { gap: 'regexBackreferences' }, async () => {
  // grouping and backreferences
  await Article.objects.all().delete();
  await createArticles(['foobar', 'foobaz', 'ooF', 'foobarbaz', 'zoocarfaz', 'barfoobaz', 'bazbaRFOO']);
  assert.deepEqual(
    await Article.objects
      .filter({ headline__regex: 'b(.).*b\\1' })
      .orderBy('headline')
      .valuesList('headline', { flat: true }),
    ['barfoobaz', 'bazbaRFOO', 'foobarbaz'],
  );
});

peer.case('LookupTests.test_regex_null', { gap: 'regexMatchText' }, async () => {
  // A regex lookup does not fail on null/None values
  await Season.deleteMany({});
  await Season.objects.create({ year: 2012, gt: null });
  assert.deepEqual(await Season.objects.filter({ gt__regex: '^$' }), []);
});

peer.case('LookupTests.test_regex_non_string', { gap: 'regexMatchText' }, async () => {
  // A regex lookup does not fail on non-string fields
  await Season.deleteMany({});
  const s = await Season.objects.create({ year: 2013, gt: 444 });
  assert.deepEqual(
    (await Season.objects.filter({ gt__regex: '^444$' })).map((x) => String(x._id)),
    [String(s._id)],
  );
});

// Formerly test/e2e/django-lookups-numeric-regex.test.ts: test_regex_non_string
// widened to the other text lookups and numeric types, and the filter sent.
async function seasons(): Promise<void> {
  await Season.deleteMany({});
  await Season.objects.create({ year: 2013, gt: 444 });
  await Season.objects.create({ year: 2014, gt: 1444 });
  await Season.objects.create({ year: 2015, gt: 45 });
}
const years = async (qs: PromiseLike<{ year: number }[]>): Promise<number[]> => (await qs).map((s) => s.year).sort();
const names = async (qs: PromiseLike<{ name: string }[]>): Promise<string[]> => (await qs).map((x) => x.name).sort();
const textOf = (path: string, regex: string, options: string) => ({
  $expr: { $regexMatch: { input: { $toString: `$${path}` }, regex: { $literal: regex }, options } },
});

peer.case(
  'LookupTests.test_regex_non_string (contains, startswith, endswith and iregex match the number as text)',
  { gap: 'regexMatchText' },
  async () => {
    await seasons();
    assert.deepEqual(await years(Season.objects.filter({ gt__contains: '44' } as never)), [2013, 2014]);
    assert.deepEqual(await years(Season.objects.filter({ gt__startswith: 4 } as never)), [2013, 2015]);
    assert.deepEqual(await years(Season.objects.filter({ gt__iendswith: '44' } as never)), [2013, 2014]);
    assert.deepEqual(await years(Season.objects.filter({ gt__iregex: '^1' })), [2014]);
    assert.deepEqual(await years(Season.objects.exclude({ gt__regex: '4$' })), [2015]);
  },
);

peer.case('LookupTests.test_regex_non_string (every numeric type)', { gap: 'regexMatchText' }, async () => {
  await Measure.deleteMany({});
  await Measure.create([
    { name: 'a', count: 444, ratio: new mongoose.Types.Double(1.5), big: 44n },
    { name: 'b', count: 7, ratio: new mongoose.Types.Double(2), big: 4n },
  ]);
  assert.deepEqual(await names(Measure.objects.filter({ count__regex: '^4+$' })), ['a']);
  assert.deepEqual(await names(Measure.objects.filter({ ratio__contains: '.5' })), ['a']);
  assert.deepEqual(await names(Measure.objects.filter({ big__iexact: 44 })), ['a']);
});

peer.case('LookupTests.test_regex_non_string (the filter compares the text form with $regexMatch)', () => {
  assert.deepEqual(Season.objects.filter({ gt__regex: '^444$' }).toMongo().filter, textOf('gt', '^444$', ''));
  assert.deepEqual(Season.objects.filter({ gt__iregex: '^4' }).toMongo().filter, textOf('gt', '^4', 'i'));
  assert.deepEqual(Season.objects.filter({ gt__contains: '4.4' } as never).toMongo().filter, textOf('gt', '4\\.4', ''));
  assert.deepEqual(Season.objects.filter({ gt__istartswith: 44 } as never).toMongo().filter, textOf('gt', '^44', 'i'));
  assert.deepEqual(Season.objects.filter({ gt__endswith: '4' } as never).toMongo().filter, textOf('gt', '4\\z', ''));
  assert.deepEqual(Measure.objects.filter({ price__regex: '0$' }).toMongo().filter, textOf('price', '0$', ''));
});

peer.case('LookupTests.test_regex_non_string (a pattern naming a field stays a literal)', () => {
  // In an aggregation expression a bare "$year" would read the field.
  assert.deepEqual(Season.objects.filter({ gt__regex: '$year' }).toMongo().filter, textOf('gt', '$year', ''));
});

peer.case('LookupTests.test_regex_non_string (bad patterns are typed errors, naming what is accepted)', () => {
  assert.throws(
    () => Season.objects.filter({ gt__regex: '(' }).toMongo(),
    (err: unknown) =>
      err instanceof FieldError && /gt__regex: "\(" is not a valid regular expression/.test(err.message),
  );
  // As a request could send them (JSON, qs): never an operator, never cast.
  for (const value of [{ $gt: '' }, ['4'], null, true] as unknown as string[]) {
    assert.throws(
      () => Season.objects.filter({ gt__contains: value } as never).toMongo(),
      (err: unknown) => err instanceof ValidationError && /gt__contains takes a string/.test(err.message),
    );
    assert.throws(
      () => Season.objects.filter({ gt__iregex: value }).toMongo(),
      (err: unknown) => err instanceof ValidationError && /gt__iregex takes a string/.test(err.message),
    );
  }
});

peer.case('LookupTests.test_regex_non_ascii', async () => {
  // A regex lookup does not trip on non-ASCII characters.
  await Player.deleteMany({});
  await Player.objects.create({ name: '\u2660' });
  assert.equal((await Player.objects.get({ name__regex: '\u2660' })).name, '\u2660');
});
