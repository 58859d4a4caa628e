// F() division of two integers, as SQL divides them: Int32 and BigInt fields
// and whole-number constants give the quotient truncated toward zero (an
// int, or a long with a BigInt), where a Number field (a double) keeps
// $divide. Updates run on the server's pipeline or, where it has none, in
// djongoose's evaluator; annotations on the server: both give the same
// numbers, and the same typed error for a zero divisor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { F, Value, ValidationError, connect, manager, type Managed } from '../../index.js';
import { evaluate } from '../../manager/pipeline-eval.js';
import { databaseName, lacks, ready, server } from '../helpers/server.js';

interface CountRaw {
  name: string;
  a?: number | null;
  b?: number | null;
  big?: bigint | null;
  x?: number | null;
  out?: number | null;
  bigOut?: bigint | null;
  ratio?: number | null;
}

const schema = new mongoose.Schema<CountRaw>({
  name: String,
  a: mongoose.Schema.Types.Int32,
  b: mongoose.Schema.Types.Int32,
  big: mongoose.Schema.Types.BigInt,
  x: Number,
  out: mongoose.Schema.Types.Int32,
  bigOut: mongoose.Schema.Types.BigInt,
  ratio: Number,
});
schema.plugin(manager);

const NAME = databaseName(import.meta.url);
const conn = await connect({ NAME, CLIENT: { host: server.uri } });
test.after(async () => {
  await conn.dropDatabase();
  await conn.close();
});
const Count = await ready(conn.model<CountRaw, Managed<CountRaw>>('Count', schema, 'counts'));
const raw = conn.getClient().db(NAME).collection('counts');

const SIGNS = [
  { name: '+/+', a: 7, b: 2, big: 7n, x: 2 },
  { name: '-/+', a: -7, b: 2, big: -7n, x: 2 },
  { name: '+/-', a: 7, b: -2, big: 7n, x: -2 },
  { name: '-/-', a: -7, b: -2, big: -7n, x: -2 },
];

async function seed(docs: CountRaw[]): Promise<void> {
  await Count.deleteMany({});
  await Count.insertMany(docs);
}

/** The stored documents by name, BSON types kept. */
async function stored(): Promise<Record<string, Record<string, unknown>>> {
  const docs = await raw.find({}, { promoteValues: false }).toArray();
  return Object.fromEntries(docs.map((d) => [String(d['name']), d]));
}
const bsonType = (value: unknown) => (value as { _bsontype?: string } | undefined)?._bsontype;

test('the compiled form: two integers are $toInt/$toLong of $trunc of $divide, a double keeps $divide', () => {
  const expr = (f: ReturnType<typeof F>) =>
    (Count.objects.annotate({ q: f }).toPipeline() as Record<string, Record<string, unknown>>[])
      .map((stage) => stage['$addFields']?.['q'])
      .find((v) => v !== undefined);
  const quotient = (left: unknown, right: unknown) => ({ $trunc: [{ $divide: [left, right] }] });
  assert.deepEqual(expr(F('a').dividedBy(F('b'))), { $toInt: quotient('$a', '$b') });
  assert.deepEqual(expr(F('big').dividedBy(F('a'))), { $toLong: quotient('$big', '$a') });
  assert.deepEqual(expr(Value(640).dividedBy(F('a'))), { $toInt: quotient(640, '$a') });
  // A whole number past 32 bits is sent as a double, and divides as a long.
  assert.deepEqual(expr(F('a').dividedBy(2 ** 40)), { $toLong: quotient('$a', 2 ** 40) });
  // A double on either side, or a fraction, divides as doubles.
  assert.deepEqual(expr(F('a').dividedBy(F('x'))), { $divide: ['$a', '$x'] });
  assert.deepEqual(expr(F('x').dividedBy(2)), { $divide: ['$x', 2] });
  assert.deepEqual(expr(F('a').dividedBy(2.5)), { $divide: ['$a', 2.5] });
  // The kind flows through the steps: (a + b) / 2 is integral, a ** 2 (SQL's POWER) is not.
  assert.deepEqual(expr(F('a').plus(F('b')).dividedBy(2)), { $toInt: quotient({ $add: ['$a', '$b'] }, 2) });
  assert.deepEqual(expr(F('a').pow(2).dividedBy(2)), { $divide: [{ $pow: ['$a', 2] }, 2] });
});

test(`update on ${server.name}: integers divide toward zero, typed as the operands; a double divides as doubles`, async () => {
  await seed(SIGNS);
  assert.equal(
    await Count.objects.update({
      out: F('a').dividedBy(F('b')),
      bigOut: F('big').dividedBy(F('b')),
      ratio: F('a').dividedBy(F('x')),
    }),
    4,
  );
  const docs = await stored();
  const got = (name: string, field: string) => Number(docs[name]?.[field]);
  assert.deepEqual(
    SIGNS.map((s) => [s.name, got(s.name, 'out'), got(s.name, 'bigOut'), got(s.name, 'ratio')]),
    [
      ['+/+', 3, 3, 3.5],
      ['-/+', -3, -3, -3.5],
      ['+/-', -3, -3, -3.5],
      ['-/-', 3, 3, 3.5],
    ],
  );
  assert.equal(bsonType(docs['-/+']?.['out']), 'Int32', 'int / int is an int');
  assert.equal(bsonType(docs['-/+']?.['bigOut']), 'Long', 'long / int is a long');
  assert.equal(bsonType(docs['-/+']?.['ratio']), 'Double', 'int / double is a double');
  assert.equal((await Count.objects.get({ name: '-/-' })).bigOut, 3n, 'a BigInt field reads back as a bigint');
});

test(`update on ${server.name}: a same-field division of an Int32 is integral (no $mul by the inverse)`, async () => {
  await seed([{ name: 'odd', a: 7, x: 7 }]);
  assert.equal(await Count.objects.update({ a: F('a').dividedBy(2), x: F('x').dividedBy(2) }), 1);
  const { odd } = await stored();
  assert.equal(Number(odd?.['a']), 3);
  assert.equal(Number(odd?.['x']), 3.5);
});

test(`update on ${server.name}: a null operand gives null, as SQL's NULL`, async () => {
  await seed([{ name: 'null', a: 7, b: null }]);
  assert.equal(await Count.objects.update({ out: F('a').dividedBy(F('b')) }), 1);
  assert.equal((await stored())['null']?.['out'], null);
});

test(`update on ${server.name}: an integer division by zero is a ValidationError naming the field, nothing written`, async () => {
  await seed([{ name: 'zero', a: 7, b: 0, out: 1 }]);
  await assert.rejects(
    Count.objects.update({ out: F('a').dividedBy(F('b')) }),
    (err: unknown) =>
      err instanceof ValidationError && /divide by zero/.test(err.message) && /update of out/.test(err.message),
  );
  assert.equal(Number((await stored())['zero']?.['out']), 1);
});

test(
  `annotate on ${server.name}: the server's integer quotient is the update's`,
  { skip: lacks('arithmeticExpressions') },
  async () => {
    await seed(SIGNS);
    const rows = await Count.objects
      .annotate({ q: F('a').dividedBy(F('b')), bq: F('big').dividedBy(F('b')), r: F('a').dividedBy(F('x')) })
      .values('name', 'q', 'bq', 'r');
    assert.deepEqual(
      rows.map((r) => [r.name, Number(r.q), Number(r.bq), Number(r.r)]).sort(),
      [
        ['+/+', 3, 3, 3.5],
        ['+/-', -3, -3, -3.5],
        ['-/+', -3, -3, -3.5],
        ['-/-', 3, 3, 3.5],
      ].sort(),
    );
  },
);

// The server and djongoose's evaluator (what a server without pipeline
// updates runs) compute the same quotient, of the same BSON type.
test(
  `integer quotient on ${server.name}: the server and djongoose's evaluator agree`,
  { skip: lacks('arithmeticExpressions') },
  async () => {
    const int32 = fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 });
    const nonZero = int32.filter((n) => n !== 0);
    const long = fc.bigInt({ min: -(2n ** 52n), max: 2n ** 52n });
    await fc.assert(
      fc.asyncProperty(int32, nonZero, long, async (a, b, big) => {
        const expression = {
          q: { $toInt: { $trunc: [{ $divide: ['$a', '$b'] }] } },
          bq: { $toLong: { $trunc: [{ $divide: ['$big', '$b'] }] } },
        };
        const doc = { a, b, big: mongoose.mongo.Long.fromBigInt(big) };
        await raw.deleteMany({});
        await raw.insertOne({ ...doc });
        const [fromServer] = await raw
          .aggregate([{ $project: { _id: 0, ...expression } }], { promoteValues: false })
          .toArray();
        const fromClient = evaluate(expression, doc) as Record<string, unknown>;
        // + 0: JavaScript's -0 is the integer 0.
        const expected = { q: Math.trunc(a / b) + 0, bq: big / BigInt(b) };
        assert.equal(Number(fromServer?.['q']) + 0, expected.q);
        assert.equal(BigInt(String(fromServer?.['bq'])), expected.bq);
        assert.equal(Number(fromClient['q']) + 0, expected.q);
        assert.equal(BigInt(String(fromClient['bq'])), expected.bq);
        assert.equal(bsonType(fromServer?.['bq']), bsonType(fromClient['bq']));
      }),
      { numRuns: 40 },
    );
  },
);

test(
  `annotate on ${server.name}: a zero divisor is the update's ValidationError, not the server's error`,
  { skip: lacks('arithmeticExpressions') },
  async () => {
    await seed([{ name: 'zero', a: 7, b: 0, x: 7 }]);
    for (const q of [F('a').dividedBy(F('b')), F('x').dividedBy(F('b'))]) {
      await assert.rejects(
        async () => Count.objects.annotate({ q }).values('q'),
        (err: unknown) => err instanceof ValidationError && /can't \$divide by zero/.test(err.message),
      );
    }
  },
);

test(`update on ${server.name}: a bigint constant is a long, and divides an integer as integers`, async () => {
  await seed([{ name: 'big', a: -7, big: 2n ** 40n }]);
  assert.equal(
    await Count.objects.update({ bigOut: Value(2n ** 40n + 1n).dividedBy(F('a')), out: F('a').dividedBy(2n) }),
    1,
  );
  const { big } = await stored();
  assert.equal(BigInt(String(big?.['bigOut'])), -157073089682n, '(2^40 + 1) / -7, truncated toward zero');
  assert.equal(bsonType(big?.['bigOut']), 'Long');
  assert.equal(Number(big?.['out']), -3);
  assert.throws(() => Value(2n ** 63n), /bigint within 64 bits/);
});
