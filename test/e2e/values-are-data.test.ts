// Issue 10's filter-side cases, each as an attacker sends it: a request body
// (JSON.parse) or query string (Express's extended parser) handed to a public
// method. Each is refused with a typed error and changes nothing, or matches
// only what it literally says. The generated cases are values-property.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError, Q, Raw, ValidationError, type FilterInput } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';
import { parseExtendedQuery } from '../helpers/hostile.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
await Entry.insertMany(SEED);

/** Every stored document, as the driver reads it: what must not change. */
async function snapshot(): Promise<string> {
  return JSON.stringify(await Entry.collection.find({}).sort({ _id: 1 }).toArray());
}

const body = (json: string) => JSON.parse(json) as FilterInput;
const typed = (err: unknown) => err instanceof FieldError || err instanceof ValidationError;

/** Every public way a lookup reaches the server, each refusing `lookup` with a typed error and writing nothing. */
async function refusedEverywhere(lookup: FilterInput, pattern: RegExp): Promise<void> {
  const before = await snapshot();
  const check = (err: unknown) => typed(err) && pattern.test((err as Error).message);
  const attempts: [string, () => Promise<unknown>][] = [
    ['filter', () => Entry.objects.filter(lookup).fetch()],
    ['exclude', () => Entry.objects.exclude(lookup).fetch()],
    ['get', () => Entry.objects.get(lookup)],
    ['Q', () => Entry.objects.filter(Q(lookup).or({ rating: 1 })).count()],
    ['getOrCreate', () => Entry.objects.getOrCreate(lookup, { headline: 'planted' })],
    ['updateOrCreate', () => Entry.objects.updateOrCreate(lookup, { headline: 'planted' })],
    ['update', () => Entry.objects.filter(lookup).update({ headline: 'planted' })],
    ['delete', () => Entry.objects.filter(lookup).delete()],
  ];
  for (const [name, attempt] of attempts) {
    // Some refuse at the call (filter(null)), others when the query is compiled: both before sending.
    await assert.rejects(async () => attempt(), check, `${name} ${JSON.stringify(lookup)}`);
  }
  assert.equal(await snapshot(), before, 'nothing was written or deleted');
}

describe(`values are data on ${server.name}`, () => {
  test('a request body as an embedded value cannot be a raw filter', async () => {
    // It matched every document, and deleted them all through delete().
    await refusedEverywhere({ blog: body('{"__raw__":{}}') }, /"__raw__" key is refused.*Raw\(/);
    await refusedEverywhere({ blog: body('{"__raw__":{"secret":{"$regex":"^a-"}}}') }, /"__raw__" key is refused/);
    await refusedEverywhere({ comments: body('{"__raw__":{}}') }, /"__raw__" key is refused/);
    await refusedEverywhere({ blog__startswith: body('{"__raw__":{}}') }, /"__raw__" key is refused/);
  });

  test('an empty embedded value matches no document, rather than all', async () => {
    assert.equal(await Entry.objects.filter({ blog: body('{}') }).count(), 0);
    assert.equal(await Entry.objects.filter({ comments: body('{}') }).count(), 0);
  });

  test('a value Mongoose cannot cast for an embedded field is a ValidationError on every method', async () => {
    // Mongoose's own cast (in find, countDocuments, deleteMany…) threw its raw CastError.
    await refusedEverywhere({ blog: '' }, /Entry\.blog: Cast to Embedded failed/);
  });

  test('a request body as an embedded value cannot open a lookup', async () => {
    await refusedEverywhere({ blog: body('{"name__ne":"x"}') }, /"name__ne" is not a field .*: name, tagline/);
    await refusedEverywhere({ comments: body('{"author__ne":"x"}') }, /"author__ne" is not a field/);
    await refusedEverywhere({ blog: body('{"$or":[{}]}') }, /"\$or" is not a field/);
  });

  test('match takes field values from data; lookups only from Q', { skip: lacks('elemMatchDocuments') }, async () => {
    await refusedEverywhere({ comments__match: body('{"score__gte":0}') }, /"score__gte" is not a field/);
    await refusedEverywhere({ comments__match: body('{"__raw__":{}}') }, /"__raw__" key is refused/);
    const exact = await Entry.objects.filter({ comments__match: body('{"author":"bob","score":5}') }).count();
    assert.equal(exact, 1);
    assert.equal(await Entry.objects.filter({ comments__match: Q({ score__gte: 2 }) }).count(), 2);
  });

  test("Express's extended query string cannot open __raw__", async () => {
    const query = parseExtendedQuery('__raw__[headline][$ne]=x');
    await refusedEverywhere(query, /^Entry: a "__raw__" key is refused/);
    await refusedEverywhere(parseExtendedQuery('blog[__raw__][headline][$ne]=x'), /"__raw__" key is refused/);
    await refusedEverywhere(parseExtendedQuery('blog[name__ne]=x'), /"name__ne" is not a field/);
  });

  test('Raw(...) is the door, from code', async () => {
    assert.equal(await Entry.objects.filter(Raw({ views: { $gt: 60 } })).count(), 2);
    assert.equal(await Entry.objects.exclude(Raw({ views: { $gt: 60 } })).count(), 1);
    assert.equal(await Entry.objects.filter(Q({ rating: 5 }).or(Raw({ views: { $lt: 60 } }))).count(), 2);
  });

  test('a filter that is not an object is a FieldError saying what is accepted', async () => {
    for (const input of [null, [], ['x'], 'headline=x', 42]) {
      await refusedEverywhere(input as never, /^Filters are objects of keyword conditions .*Q\(\.\.\.\) or Raw/);
    }
  });

  test('an unknown BSON type code is refused before the server is asked', async () => {
    await refusedEverywhere({ rating__type: 999 }, /type takes a BSON type name .* or code .*, not 999/);
    await refusedEverywhere({ rating__type: 'bogus' }, /not "bogus"/);
    assert.equal(await Entry.objects.filter({ rating__type: 'number' }).count(), 3);
  });

  test('a NUL in a key or a pattern is a ValidationError, not BSONError', async () => {
    // The driver's BSON serializer throws BSONError for a NUL in a C string (keys, regular expressions).
    await refusedEverywhere({ headline__startswith: 'a\0' }, /NUL/);
    await refusedEverywhere({ data: body('{"a\\u0000b":1}') }, /NUL/);
    assert.equal(await Entry.objects.filter({ headline: 'a\0b' }).count(), 0);
  });

  test('a value past 16 MiB is a ValidationError, not RangeError', async () => {
    // The driver's serializer overflows its 17 MiB buffer with a RangeError.
    await refusedEverywhere({ headline: 'x'.repeat(17 * 1024 * 1024) }, /larger than 16 MiB/);
  });

  test('string lookups find U+2028 and U+2029 as themselves', async () => {
    const inserted = await Entry.collection.insertMany([
      { headline: 'line\u2028separated' },
      { headline: 'para\u2029separated' },
    ]);
    const [a, b] = [inserted.insertedIds[0]!, inserted.insertedIds[1]!];
    try {
      const ids = async (filter: FilterInput) =>
        (await Entry.objects.filter(filter).valuesList('pk', { flat: true })).map(String);
      assert.deepEqual(await ids({ headline__startswith: 'line\u2028' }), [String(a)]);
      assert.deepEqual(await ids({ headline__icontains: 'A\u2029S' }), [String(b)]);
      assert.deepEqual(await ids({ headline__iexact: 'LINE\u2028SEPARATED' }), [String(a)]);
      assert.deepEqual(await ids({ headline__endswith: '\u2029separated' }), [String(b)]);
    } finally {
      await Entry.collection.deleteMany({ _id: { $in: [a, b] } });
    }
  });

  test("values() and valuesList() read a JSON field's own keys only", async () => {
    const rows = await Entry.objects.orderBy('headline').valuesList('data__constructor', 'data__toString');
    assert.deepEqual(rows, [
      [null, null],
      [null, null],
      [null, null],
    ]);
    const values = await Entry.objects.orderBy('headline').values('data__toString', 'data__label');
    assert.deepEqual(
      values.map((v) => [v['data__toString'], v['data__label']]),
      [
        [null, null],
        [null, 'Apple'],
        [null, null],
      ],
    );
  });
});
