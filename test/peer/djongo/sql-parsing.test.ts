// Ported from djongo's tests/mock_tests/test_sqlparsing.py (djongo's history,
// before it deleted tests/). djongo's cases give the SQL that Django sent and
// the MongoDB command djongo translated it to, checked against a mock. Here
// each SQL statement becomes the Django call that sends it, made through
// djongoose, and djongo's own command is the oracle: it runs through the plain
// driver on an identical twin collection, and both must find, or leave, the
// same documents. (djongoose need not send djongo's exact command, only mean
// the same thing on the same data.)
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { Count, F, Max, Min, Q, enforceSchema, manager, type Managed } from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const db = conn.db!;

interface Row {
  col1?: number | null;
  col2?: number | null;
}
// djongo's default, ENFORCE_SCHEMA off: a field a document lacks reads as NULL, as in djongo's rows.
const schema = new mongoose.Schema<Row>({ col1: Number, col2: Number }, { versionKey: false });
schema.plugin(manager);
schema.plugin(enforceSchema, { strict: false });
const Table1 = await ready(conn.model<Row, Managed<Row>>('Table1', schema, 'table1'));
const twin = db.collection('table1_djongo');

// Every shape a djongo table holds: values, NULLs djongo wrote, and (from
// other writers) missing fields.
const SEED: Row[] = [
  { col1: 0, col2: 5 },
  { col1: 1, col2: 2 },
  { col1: 1, col2: null },
  { col1: 2, col2: 2 },
  { col1: 3, col2: 4 },
  { col1: null, col2: 1 },
  { col2: 2 },
  { col1: 4 },
];

async function seed(): Promise<void> {
  await Table1.collection.deleteMany({});
  await twin.deleteMany({});
  await Table1.collection.insertMany(SEED.map((r) => ({ ...r })));
  await twin.insertMany(SEED.map((r) => ({ ...r })));
}

type Tuple = (number | null)[];
const tuples = (docs: readonly Record<string, unknown>[], fields: readonly string[]): Tuple[] =>
  docs.map((d) => fields.map((f) => (d[f] ?? null) as number | null)).sort(byTuple);
function byTuple(a: Tuple, b: Tuple): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? -Infinity;
    const y = b[i] ?? -Infinity;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * djongoose's rows and the rows djongo's filter finds on the twin, as
 * tuples of `fields`, are the same; returns them for a sanity check.
 */
async function sameRows(
  ours: PromiseLike<Record<string, unknown>[]>,
  djongoFilter: Record<string, unknown>,
  fields: readonly string[],
): Promise<Tuple[]> {
  await seed();
  const theirs = tuples(await twin.find(djongoFilter).toArray(), fields);
  assert.deepEqual(tuples(await ours, fields), theirs);
  return theirs;
}

const rows = (qs: { lean(): PromiseLike<Row[]> }): PromiseLike<Record<string, unknown>[]> =>
  qs.lean() as PromiseLike<Record<string, unknown>[]>;

// --- WHERE clauses: TestQueryBasic, TestQueryNot, TestQueryIn, TestQueryAndOr

peer.case('TestQueryBasic.test_pattern1', async () => {
  // WHERE col1 = %s  →  { col1: { $eq: 1 } }
  const found = await sameRows(rows(Table1.objects.filter({ col1: 1 })), { col1: { $eq: 1 } }, ['col1']);
  assert.equal(found.length, 2);
});

peer.case('TestQueryBasic.test_pattern2', async () => {
  // WHERE col1 <= %s  →  { col1: { $lte: 1 } }
  const found = await sameRows(rows(Table1.objects.filter({ col1__lte: 1 })), { col1: { $lte: 1 } }, ['col1']);
  assert.equal(found.length, 3);
});

peer.case('TestQueryBasic.test_pattern3', async () => {
  // WHERE col1 = NULL (Django: col1 IS NULL, from filter(col1=None))  →  { col1: { $eq: None } }
  const found = await sameRows(rows(Table1.objects.filter({ col1: null })), { col1: { $eq: null } }, ['col2']);
  assert.deepEqual(found, [[1], [2]]);
  await sameRows(rows(Table1.objects.filter({ col1__isnull: true })), { col1: { $eq: null } }, ['col2']);
});

peer.case('TestQueryNot.test_pattern1', async () => {
  // WHERE NOT (col1 <= %s)  →  { col1: { $not: { $lte: 1 } } }
  const found = await sameRows(rows(Table1.objects.exclude({ col1__lte: 1 })), { col1: { $not: { $lte: 1 } } }, [
    'col1',
    'col2',
  ]);
  assert.equal(found.length, 5);
});

peer.case('TestQueryNot.test_pattern2', async () => {
  // WHERE NOT col1 <= %s, without parentheses: the same filter.
  await sameRows(rows(Table1.objects.filter(Q({ col1__lte: 1 }).not())), { col1: { $not: { $lte: 1 } } }, [
    'col1',
    'col2',
  ]);
});

peer.case('TestQueryNot.test_pattern3', async () => {
  // WHERE NOT col1 = NULL (Django: exclude(col1=None))  →  { col1: { $not: { $eq: None } } }
  const found = await sameRows(rows(Table1.objects.exclude({ col1: null })), { col1: { $not: { $eq: null } } }, [
    'col1',
  ]);
  assert.equal(found.length, 6);
  await sameRows(rows(Table1.objects.filter({ col1__isnull: false })), { col1: { $not: { $eq: null } } }, ['col1']);
});

peer.case('TestQueryIn.test_pattern1', async () => {
  // SELECT col1, col2 WHERE col1 IN (%s)  →  find({ col1: { $in: [1] } }, ['col1', 'col2'])
  const ours = Table1.objects.filter({ col1__in: [1] }).valuesList('col1', 'col2') as PromiseLike<Tuple[]>;
  await seed();
  const theirs = tuples(await twin.find({ col1: { $in: [1] } }, { projection: { col1: 1, col2: 1 } }).toArray(), [
    'col1',
    'col2',
  ]);
  assert.deepEqual([...(await ours)].map((t) => t.map((v) => v ?? null)).sort(byTuple), theirs);
  assert.deepEqual(theirs, [
    [1, null],
    [1, 2],
  ]);
});

// djongo's `IN (NULL, %s)` is marked "not the right SQL syntax" in djongo: Django never sends it, as
// Django's In lookup drops None from the list (NULL equals nothing in SQL). djongoose follows Django:
// `col1__in: [null, 1]` matches col1 = 1 only, where djongo's { $in: [None, 1] } also matches NULLs.
peer.case('TestQueryIn.test_pattern2 (Django drops None from an in list)', async () => {
  await sameRows(rows(Table1.objects.filter({ col1__in: [null, 1] as number[] })), { col1: { $in: [1] } }, [
    'col1',
    'col2',
  ]);
});

peer.case('TestQueryIn.test_pattern3 (in [None] matches nothing, as Django)', async () => {
  await seed();
  assert.deepEqual(await Table1.objects.filter({ col1__in: [null] as unknown as number[] }), []);
});

peer.case('TestQueryIn.test_pattern4', async () => {
  // WHERE col1 NOT IN (%s)  →  { col1: { $nin: [1] } }
  const found = await sameRows(rows(Table1.objects.exclude({ col1__in: [1] })), { col1: { $nin: [1] } }, [
    'col1',
    'col2',
  ]);
  assert.equal(found.length, 6);
});

peer.case('TestQueryIn.test_pattern5', async () => {
  // WHERE col1 NOT IN (%s, %s)  →  { col1: { $nin: [1, 2] } }
  await sameRows(rows(Table1.objects.exclude({ col1__in: [1, 2] })), { col1: { $nin: [1, 2] } }, ['col1', 'col2']);
});

peer.case('TestQueryIn.test_pattern6', async () => {
  // WHERE NOT (col1 IN (%s))  →  { col1: { $nin: [1] } }
  await sameRows(rows(Table1.objects.filter(Q({ col1__in: [1] }).not())), { col1: { $nin: [1] } }, ['col1', 'col2']);
});

peer.case('TestQueryAndOr.test_pattern1', async () => {
  // (col1 = %s AND col2 IS NULL)
  const found = await sameRows(
    rows(Table1.objects.filter({ col1: 1, col2__isnull: true })),
    { $and: [{ col1: { $eq: 1 } }, { col2: null }] },
    ['col1', 'col2'],
  );
  assert.deepEqual(found, [[1, null]]);
});

peer.case('TestQueryAndOr.test_pattern2', async () => {
  // (col1 = %s AND col2 IS NOT NULL)
  await sameRows(
    rows(Table1.objects.filter({ col1: 1, col2__isnull: false })),
    { $and: [{ col1: { $eq: 1 } }, { col2: { $ne: null } }] },
    ['col1', 'col2'],
  );
});

peer.case('TestQueryAndOr.test_pattern3', async () => {
  // (col1 = %s AND col1 <= %s): two conditions on one field are both kept.
  const found = await sameRows(
    rows(Table1.objects.filter({ col1: 1 }).filter({ col1__lte: 2 })),
    { $and: [{ col1: { $eq: 1 } }, { col1: { $lte: 2 } }] },
    ['col1', 'col2'],
  );
  assert.equal(found.length, 2);
  await sameRows(rows(Table1.objects.filter(Q({ col1: 1 }).and(Q({ col1__lte: 2 })))), { col1: 1 }, ['col1', 'col2']);
});

peer.case('TestQueryAndOr.test_pattern4', async () => {
  // (NOT (col1 = %s) AND col1 <= %s)
  await sameRows(
    rows(Table1.objects.filter(Q({ col1: 1 }).not(), { col1__lte: 2 })),
    { $and: [{ col1: { $not: { $eq: 1 } } }, { col1: { $lte: 2 } }] },
    ['col1', 'col2'],
  );
});

peer.case('TestQueryAndOr.test_pattern5', async () => {
  // col1 <= %s AND NOT (col1 = %s)
  await sameRows(
    rows(Table1.objects.filter({ col1__lte: 2 }).exclude({ col1: 1 })),
    { $and: [{ col1: { $lte: 2 } }, { col1: { $not: { $eq: 1 } } }] },
    ['col1', 'col2'],
  );
});

peer.case('TestQueryAndOr.test_pattern6', async () => {
  // (NOT (col1 <= %s) AND NOT (col1 = %s))
  await sameRows(
    rows(Table1.objects.exclude({ col1__lte: 2 }).exclude({ col1: 1 })),
    { $and: [{ col1: { $not: { $lte: 2 } } }, { col1: { $not: { $eq: 1 } } }] },
    ['col1', 'col2'],
  );
});

peer.case('TestQueryAndOr.test_pattern7', async () => {
  // NOT (col1 <= %s AND col1 = %s)  →  an $or of the negations
  const found = await sameRows(
    rows(Table1.objects.exclude(Q({ col1__lte: 2 }).and(Q({ col1: 1 })))),
    { $or: [{ col1: { $not: { $lte: 2 } } }, { col1: { $not: { $eq: 1 } } }] },
    ['col1', 'col2'],
  );
  assert.equal(found.length, 6);
});

peer.case('TestQueryAndOr.test_pattern8', async () => {
  // NOT (col1 <= %s OR col1 = %s)  →  an $and of the negations
  await sameRows(
    rows(Table1.objects.exclude(Q({ col1__lte: 2 }).or(Q({ col1: 1 })))),
    { $and: [{ col1: { $not: { $lte: 2 } } }, { col1: { $not: { $eq: 1 } } }] },
    ['col1', 'col2'],
  );
});

peer.case('TestQueryAndOr.test_pattern9', async () => {
  // NOT (col1 <= %s OR col1 = %s) AND col1 >= %s
  const found = await sameRows(
    rows(
      Table1.objects.filter(
        Q({ col1__lte: 2 })
          .or(Q({ col1: 1 }))
          .not(),
        { col1__gte: 0 },
      ),
    ),
    {
      $and: [{ $and: [{ col1: { $not: { $lte: 2 } } }, { col1: { $not: { $eq: 1 } } }] }, { col1: { $gte: 0 } }],
    },
    ['col1', 'col2'],
  );
  assert.deepEqual(found, [
    [3, 4],
    [4, null],
  ]);
});

peer.case('TestQueryAndOr.test_pattern10', async () => {
  // (col1 BETWEEN %s AND %s)  →  { col1: { $gte: 1, $lte: 2 } }
  const found = await sameRows(rows(Table1.objects.filter({ col1__range: [1, 2] })), { col1: { $gte: 1, $lte: 2 } }, [
    'col1',
    'col2',
  ]);
  assert.equal(found.length, 3);
});

peer.case('TestOrderByAsc.test_desc', async () => {
  // ORDER BY col1 ASC, col2 DESC: djongo's sort, as the server orders (NULLs and missing first).
  await seed();
  const ours = (await Table1.objects.orderBy('col1', '-col2').valuesList('col1', 'col2')) as Tuple[];
  const theirs = await twin
    .find({}, { projection: { _id: 0, col1: 1, col2: 1 } })
    .sort({ col1: 1, col2: -1 })
    .toArray();
  assert.deepEqual(
    ours.map((t) => t.map((v) => v ?? null)),
    theirs.map((d) => [d['col1'] ?? null, d['col2'] ?? null]),
  );
  assert.deepEqual(ours.slice(-3), [
    [2, 2],
    [3, 4],
    [4, null],
  ]);
});

// --- aggregation: TestQueryDistinct, TestQueryFunctions, TestQueryCount, TestQueryGroupBy

peer.case('TestQueryDistinct.test_pattern1', async () => {
  // SELECT DISTINCT col1 WHERE col2 = %s  →  $match, $group by col1, $replaceRoot
  await seed();
  const grouped = await twin
    .aggregate([{ $match: { col2: { $eq: 2 } } }, { $group: { _id: { col1: '$col1' } } }])
    .toArray();
  const theirs = grouped.map((g) => (g['_id'] as Row).col1 ?? null).sort();
  const ours = (await Table1.objects.filter({ col2: 2 }).distinct('col1')).map((v) => v ?? null).sort();
  assert.deepEqual(ours, theirs);
  assert.deepEqual(theirs, [1, 2, null]);
});

peer.case('TestQueryFunctions.test_pattern1', { gap: ['groupAccumulators', 'multipleAccumulators'] }, async () => {
  // SELECT MIN(col1) AS m__min1, MAX(col2) AS m__max1
  await seed();
  const [theirs] = await twin
    .aggregate([
      { $group: { _id: null, m__min1: { $min: '$col1' }, m__max1: { $max: '$col2' } } },
      { $project: { _id: false, m__min1: true, m__max1: true } },
    ])
    .toArray();
  assert.deepEqual(await Table1.objects.aggregate({ m__min1: Min('col1'), m__max1: Max('col2') }), theirs);
  assert.deepEqual(theirs, { m__min1: 0, m__max1: 5 });
});

peer.case('TestQueryCount.test_count_all', async () => {
  // SELECT COUNT(*) AS __count
  await seed();
  const [theirs] = await twin
    .aggregate([{ $group: { _id: null, __count: { $sum: 1 } } }, { $project: { _id: false, __count: true } }])
    .toArray();
  assert.equal(await Table1.objects.count(), theirs?.['__count']);
  assert.deepEqual(await Table1.objects.aggregate({ __count: Count() }), theirs);
});

// djongo's pipeline ends with { $project: { a: { $literal: 1 } } }, which only names the row's column
// (FerretDB v1.24: "The operator $literal is not implemented yet"); whether a row comes is the answer.
peer.case('TestQueryCount.test_const', async () => {
  // SELECT (1) AS a WHERE col2 = %s LIMIT 1: Django's exists()
  await seed();
  for (const col2 of [2, 7]) {
    const theirs = await twin.aggregate([{ $match: { col2: { $eq: col2 } } }, { $limit: 1 }]).toArray();
    assert.equal(await Table1.objects.filter({ col2 }).exists(), theirs.length === 1);
  }
});

peer.case('TestQueryCount.test_const_simple', async () => {
  // SELECT (1) AS a LIMIT 1
  await seed();
  const theirs = await twin.aggregate([{ $limit: 1 }]).toArray();
  assert.equal(await Table1.objects.exists(), theirs.length === 1);
  await Table1.collection.deleteMany({});
  assert.equal(await Table1.objects.exists(), false);
});

peer.case(
  'TestQueryGroupBy.test_pattern1',
  {
    gap: ['conditionalExpressions', 'multipleAccumulators'],
  },
  async () => {
    // SELECT col1, col2, COUNT(col1) AS c1__count, COUNT(col2) AS c2__count GROUP BY col1, col2
    await seed();
    const theirs = await twin
      .aggregate([
        {
          $group: {
            _id: { col1: '$col1', col2: '$col2' },
            c1__count: { $sum: { $cond: { if: { $gt: ['$col1', null] }, then: 1, else: 0 } } },
            c2__count: { $sum: { $cond: { if: { $gt: ['$col2', null] }, then: 1, else: 0 } } },
          },
        },
        { $project: { _id: false, col1: '$_id.col1', col2: '$_id.col2', c1__count: true, c2__count: true } },
      ])
      .toArray();
    const ours = await Table1.objects
      .values('col1', 'col2')
      .annotate({ c1__count: Count('col1'), c2__count: Count('col2') });
    const fields = ['col1', 'col2', 'c1__count', 'c2__count'];
    assert.deepEqual(tuples(ours as Record<string, unknown>[], fields), tuples(theirs, fields));
  },
);

// --- writes: TestDelete, TestInsert, TestQueryInsert, TestQueryUpdate. The twin gets djongo's command.

async function sameContents(): Promise<void> {
  const strip = (docs: Record<string, unknown>[]): Record<string, unknown>[] =>
    docs.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const ours = await Table1.collection.find({}, { projection: { _id: 0 } }).toArray();
  const theirs = await twin.find({}, { projection: { _id: 0 } }).toArray();
  assert.deepEqual(strip(ours), strip(theirs));
}

peer.case('TestDelete.test_where', async () => {
  // DELETE FROM table WHERE col < %s  →  delete_many({ col: { $lt: 1 } })
  await seed();
  const ours = await Table1.objects.filter({ col1__lt: 1 }).delete();
  const theirs = await twin.deleteMany({ col1: { $lt: 1 } });
  assert.equal(ours, theirs.deletedCount);
  assert.equal(ours, 1);
  await sameContents();
});

peer.case('TestDelete.test_delete_all', async () => {
  await seed();
  const ours = await Table1.objects.all().delete();
  const theirs = await twin.deleteMany({});
  assert.equal(ours, theirs.deletedCount);
  await sameContents();
  assert.equal(await Table1.objects.count(), 0);
});

for (const [title, docs] of [
  ['TestQueryInsert.test_pattern1', [{ col1: 1, col2: 2 }]],
  ['TestQueryInsert.test_pattern2', [{ col1: 1, col2: null }]],
  ['TestQueryInsert.test_pattern3', [{ col1: 1 }]],
  [
    'TestQueryInsert.test_pattern4',
    [
      { col1: 1, col2: 2 },
      { col1: 4, col2: 5 },
    ],
  ],
  [
    'TestInsert.test_null',
    [
      { col1: 1, col2: 2 },
      { col1: 3, col2: null },
    ],
  ],
] as const) {
  peer.case(title, async () => {
    // INSERT INTO table (col1, col2) VALUES (...): a NULL is stored as null, a column not named is not stored.
    await Table1.collection.deleteMany({});
    await twin.deleteMany({});
    await Table1.objects.bulkCreate(docs.map((d) => ({ ...d })));
    await twin.insertMany(
      docs.map((d) => ({ ...d })),
      { ordered: false },
    );
    await sameContents();
  });
}

peer.case('TestQueryUpdate.test_pattern1 (skipped in djongo)', async () => {
  // UPDATE table SET col1 = %s, col2 = NULL WHERE col2 = %s
  await seed();
  const ours = await Table1.objects.filter({ col2: 2 }).update({ col1: 1, col2: null });
  const theirs = await twin.updateMany({ col2: { $eq: 2 } }, { $set: { col1: 1, col2: null } });
  assert.equal(ours, theirs.matchedCount);
  assert.equal(ours, 3);
  await sameContents();
});

peer.case('TestQueryUpdate.test_pattern2 (skipped in djongo)', async () => {
  // UPDATE table SET col = %s WHERE col = %s
  await seed();
  await Table1.objects.filter({ col1: 2 }).update({ col1: 1 });
  await twin.updateMany({ col1: { $eq: 2 } }, { $set: { col1: 1 } });
  await sameContents();
});

peer.case('TestQueryUpdate.test_pattern3 (skipped in djongo)', async () => {
  // UPDATE table SET col1 = %s WHERE col2 = %s
  await seed();
  await Table1.objects.filter({ col2: 2 }).update({ col1: 1 });
  await twin.updateMany({ col2: { $eq: 2 } }, { $set: { col1: 1 } });
  await sameContents();
});

peer.case('TestQueryUpdate.test_pattern4 (skipped in djongo)', async () => {
  // UPDATE table SET col1 = %s, col2 = %s WHERE col2 = %s
  await seed();
  await Table1.objects.filter({ col2: 4 }).update({ col1: 1, col2: 2 });
  await twin.updateMany({ col2: { $eq: 4 } }, { $set: { col1: 1, col2: 2 } });
  await sameContents();
});

peer.case("TestQueryUpdate (an F update is djongo's SET col1 = col1 + %s)", async () => {
  await seed();
  await Table1.objects.filter({ col2: 2, col1__isnull: false }).update({ col1: F('col1').plus(10) });
  await twin.updateMany({ col2: { $eq: 2 }, col1: { $ne: null } }, { $inc: { col1: 10 } });
  await sameContents();
});
