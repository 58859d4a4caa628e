// Ported from Django's tests/queries/tests.py: the cases whose essence is
// one collection (filters, Q, exclude, null handling, ordering, values,
// counts, exists, empty QuerySets). Each Django test class's setUpTestData
// becomes a function that resets the collections it uses. Django's
// Meta.ordering becomes an explicit orderBy (Item: '-note', 'name'; Tag and
// Note: their name). Slicing is in queries-slicing.test.ts; the cases left
// out (joins, reverse relations, subqueries, extra(), QuerySet | and &) are
// listed in ../README.md.
import assert from 'node:assert/strict';
import { FieldError, Q } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { commandsDuring } from '../../helpers/commands.js';
import { peerSuite } from '../case.js';
import { loose } from '../loose.js';
import { readyQueriesModels } from './models/queries.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const M = await readyQueriesModels(conn);
const { Note, Tag, Item, Author, Number: Num, Ranking, Valid, NamedCategory } = M;

const time1 = new Date(Date.UTC(2007, 11, 19, 22, 25, 0));
const time2 = new Date(Date.UTC(2007, 11, 19, 21, 0, 0));
const time3 = new Date(Date.UTC(2007, 11, 20, 22, 25, 0));
const time4 = new Date(Date.UTC(2007, 11, 20, 21, 0, 0));

/** The `name` of each result, in order. */
const names = async (qs: PromiseLike<readonly { name?: string | null }[]>): Promise<(string | null | undefined)[]> =>
  (await qs).map((r) => r.name);

/** Queries1Tests.setUpTestData, for the collections the ported cases read. */
async function queries1() {
  await Promise.all([Tag, Note, Author, Item, Ranking].map((m) => (m as typeof Tag).deleteMany({})));
  const generic = await NamedCategory.create({ name: 'Generic' });
  const t1 = await Tag.create({ name: 't1', category: generic._id });
  const t2 = await Tag.create({ name: 't2', parent: t1._id, category: generic._id });
  const t3 = await Tag.create({ name: 't3', parent: t1._id });
  const t4 = await Tag.create({ name: 't4', parent: t3._id });
  const t5 = await Tag.create({ name: 't5', parent: t3._id });
  const [n1, n2, n3] = await Note.insertMany([
    { _id: 1, note: 'n1', misc: 'foo' },
    { _id: 2, note: 'n2', misc: 'bar' },
    { _id: 3, note: 'n3', misc: 'foo' },
  ]);
  const [a1, a2, a3, a4] = await Author.insertMany([
    { name: 'a1', num: 1001 },
    { name: 'a2', num: 2002 },
    { name: 'a3', num: 3003 },
    { name: 'a4', num: 4004 },
  ]);
  const tags = (...ts: (typeof t1)[]) => ts.map((t) => ({ name: t.name }));
  const [i1, i2, i3, i4] = await Item.insertMany([
    { name: 'one', created: time1, modified: time1, creator: a1!._id, note: 3, tags: tags(t1, t2) },
    { name: 'two', created: time2, creator: a2!._id, note: 2, tags: tags(t1, t3) },
    { name: 'three', created: time3, creator: a2!._id, note: 3, tags: [] },
    { name: 'four', created: time4, creator: a4!._id, note: 3, tags: tags(t4) },
  ]);
  const rank1 = await Ranking.create({ rank: 2, author: a2!._id });
  return { t1, t2, t3, t4, t5, n1: n1!, n2: n2!, n3: n3!, a1: a1!, a2: a2!, a3: a3!, a4: a4!, i1, i2, i3, i4, rank1 };
}

/** Item's Meta.ordering: by note (descending), then name. */
const items = () => Item.objects.orderBy('-note', 'name');

peer.case('Queries1Tests.test_ticket6074', async () => {
  await queries1();
  assert.deepEqual(await Author.objects.filter(Q({ pk__in: [] })), []);
  assert.deepEqual(await Author.objects.filter(Q({ pk__in: [] }).or(Q({ pk__in: [] }))), []);
});

// Django's values('creator').distinct().count(): the distinct creators.
peer.case('Queries1Tests.test_tickets_1878_2939 (one field)', async () => {
  await queries1();
  assert.equal((await Item.objects.distinct('creator')).length, 3);
});

peer.case('Queries1Tests.test_tickets_1878_2939 (two fields)', async () => {
  const { a2 } = await queries1();
  await Item.create({ name: 'four', created: time1, creator: a2._id, note: 1 });
  assert.equal(await Item.objects.exclude({ name: 'two' }).values('creator', 'name').distinct().count(), 4);
});

// Django's ordering columns join the DISTINCT, so the misc values repeat, one per note.
peer.case('Queries1Tests.test_tickets_5321_7070', async () => {
  await queries1();
  assert.deepEqual(await Note.objects.values('misc').distinct().orderBy('note', '-misc'), [
    { misc: 'foo' },
    { misc: 'bar' },
    { misc: 'foo' },
  ]);
});

peer.case('Queries1Tests.test_ticket7323', async () => {
  await queries1();
  assert.equal(await Item.objects.values('creator', 'name').count(), 4);
});

// Django checks the SQL has no ORDER BY; here, that the find sends no sort.
peer.case('Queries1Tests.test_get_clears_ordering', async () => {
  const { a1 } = await queries1();
  const sent = await commandsDuring(conn, () => Author.objects.orderBy('name').get({ pk: a1._id }));
  const find = sent.find((c) => c.name === 'find');
  assert.ok(find, 'get() sent a find');
  assert.equal(find.command['sort'], undefined);
});

peer.case('Queries1Tests.test_tickets_5324_6704 (local parent__isnull)', async () => {
  await queries1();
  assert.deepEqual(await names(Tag.objects.filter({ parent__isnull: true }).orderBy('name')), ['t1']);
  assert.deepEqual(await names(Tag.objects.exclude({ parent__isnull: true }).orderBy('name')), [
    't2',
    't3',
    't4',
    't5',
  ]);
});

// The Item half, over the embedded tags; its Author half excludes across a reverse relation.
peer.case('Queries1Tests.test_tickets_5324_6704 (Item tags)', async () => {
  await queries1();
  assert.deepEqual(await names(items().filter({ tags__name: 't4' })), ['four']);
  assert.deepEqual(await names(Item.objects.exclude({ tags__name: 't4' }).orderBy('name')), ['one', 'three', 'two']);
  // Excluding when more than one tag is held was problematic.
  assert.deepEqual(await names(Item.objects.exclude({ tags__name: 't1' }).orderBy('name')), ['four', 'three']);
  assert.deepEqual(await names(items().exclude({ tags__name: 't1' }).exclude({ tags__name: 't4' })), ['three']);
});

peer.case('Queries1Tests.test_tickets_5324_6704 (reverse())', async () => {
  await queries1();
  const qs = Item.objects.exclude({ tags__name: 't4' }).orderBy('name').reverse();
  assert.deepEqual(await names(qs), ['two', 'three', 'one']);
});

peer.case('Queries1Tests.test_ticket7096', async () => {
  const { t1 } = await queries1();
  assert.deepEqual(await names(Tag.objects.filter({ parent: t1._id, name: 't3' }).orderBy('name')), ['t3']);
  assert.deepEqual(await names(Tag.objects.exclude({ parent: t1._id, name: 't3' }).orderBy('name')), [
    't1',
    't2',
    't4',
    't5',
  ]);
  assert.deepEqual(await names(Item.objects.exclude({ tags__name: 't1', name: 'one' }).orderBy('name')), [
    'four',
    'three',
    'two',
  ]);
  assert.deepEqual(
    await names(
      Item.objects
        .filter({ name__in: ['three', 'four'] })
        .exclude({ tags__name: 't1' })
        .orderBy('name'),
    ),
    ['four', 'three'],
  );
  // More twisted cases, involving nested negations.
  assert.deepEqual(await names(items().exclude(Q({ tags__name: 't1', name: 'one' }).not())), ['one']);
  assert.deepEqual(await names(items().filter(Q({ tags__name: 't1', name: 'one' }).not(), { name: 'two' })), ['two']);
  assert.deepEqual(await names(items().exclude(Q({ tags__name: 't1', name: 'one' }).not(), { name: 'two' })), [
    'four',
    'one',
    'three',
  ]);
});

peer.case('Queries1Tests.test_tickets_7448_7707', async () => {
  await queries1();
  assert.deepEqual(await names(items().filter({ created__in: [time1, time2] })), ['one', 'two']);
});

peer.case('Queries1Tests.test_ticket10205', async () => {
  await queries1();
  assert.equal(await Tag.objects.filter({ name__in: [] }).update({ name: 'foo' }), 0);
});

// Django's generators are JavaScript iterators here.
peer.case('Queries1Tests.test_ticket10432', async () => {
  await queries1();
  const nObj = (await Note.objects.orderBy('note').slice(0, 1))[0]!;
  function* g() {
    yield nObj._id;
  }
  assert.deepEqual(await Note.objects.filter({ pk__in: [][Symbol.iterator]() as never }), []);
  assert.deepEqual(
    (await Note.objects.filter({ pk__in: g() as never })).map((n) => n._id),
    [nObj._id],
  );
});

// The Item half; its Tag half excludes across the parent reference.
peer.case('Queries1Tests.test_ticket7076 (Item.modified)', async () => {
  await queries1();
  assert.deepEqual(await names(Item.objects.exclude({ modified: time1 }).orderBy('name')), ['four', 'three', 'two']);
});

/** The ids of the results, in order. */
const ids = async (qs: PromiseLike<readonly { _id: unknown }[]>): Promise<string[]> =>
  (await qs).map((r) => String(r._id));

peer.case('Queries1Tests.test_exclude', async () => {
  await queries1();
  assert.deepEqual(
    await ids(items().exclude({ tags__name: 't4' })),
    await ids(items().filter(Q({ tags__name: 't4' }).not())),
  );
  assert.deepEqual(
    await ids(items().exclude(Q({ tags__name: 't4' }).or({ tags__name: 't3' }))),
    await ids(items().filter(Q({ tags__name: 't4' }).or({ tags__name: 't3' }).not())),
  );
  assert.deepEqual(
    await ids(items().exclude(Q({ tags__name: 't4' }).or(Q({ tags__name: 't3' }).not()))),
    await ids(
      items().filter(
        Q({ tags__name: 't4' })
          .or(Q({ tags__name: 't3' }).not())
          .not(),
      ),
    ),
  );
});

peer.case('Queries1Tests.test_nested_exclude', async () => {
  await queries1();
  assert.deepEqual(
    await ids(items().exclude(Q({ tags__name: 't4' }).not())),
    await ids(items().filter(Q({ tags__name: 't4' }).not().not())),
  );
});

peer.case('Queries1Tests.test_double_exclude', async () => {
  await queries1();
  assert.deepEqual(
    await ids(items().filter(Q({ tags__name: 't4' }))),
    await ids(items().filter(Q({ tags__name: 't4' }).not().not())),
  );
  assert.deepEqual(
    await ids(items().filter(Q({ tags__name: 't4' }))),
    await ids(
      items().filter(
        Q()
          .and(Q({ tags__name: 't4' }).not())
          .not(),
      ),
    ),
  );
});

peer.case('Queries1Tests.test_exclude_in', async () => {
  await queries1();
  assert.deepEqual(
    await ids(items().exclude(Q({ tags__name__in: ['t4', 't3'] }))),
    await ids(items().filter(Q({ tags__name__in: ['t4', 't3'] }).not())),
  );
  assert.deepEqual(
    await ids(items().filter(Q({ tags__name__in: ['t4', 't3'] }))),
    await ids(
      items().filter(
        Q({ tags__name__in: ['t4', 't3'] })
          .not()
          .not(),
      ),
    ),
  );
});

// The direct-field half; Django also checks the SQL has no JOIN. The
// parent__parent queries are joins.
peer.case('Queries1Tests.test_ticket_10790_1 (direct fields)', async () => {
  await queries1();
  assert.deepEqual(await names(Tag.objects.filter({ parent__isnull: true }).orderBy('name')), ['t1']);
  assert.deepEqual(await names(Tag.objects.filter({ parent__isnull: false }).orderBy('name')), [
    't2',
    't3',
    't4',
    't5',
  ]);
  assert.deepEqual(await names(Tag.objects.exclude({ parent__isnull: true }).orderBy('name')), [
    't2',
    't3',
    't4',
    't5',
  ]);
  assert.deepEqual(await names(Tag.objects.exclude({ parent__isnull: false }).orderBy('name')), ['t1']);
  assert.equal(Tag.objects.filter({ parent__isnull: true }).toPipeline().length, 1, 'one $match, no $lookup');
});

peer.case('Queries1Tests.test_ticket_10790_8', async () => {
  const { t1 } = await queries1();
  assert.deepEqual(
    await names(Tag.objects.filter(Q({ parent__isnull: true }).or({ parent: t1._id })).orderBy('name')),
    ['t1', 't2', 't3'],
  );
});

// Django's choices also list the reverse relations (annotation, children, item, …).
peer.case('Queries1Tests.test_lookup_constraint_fielderror', async () => {
  await queries1();
  assert.throws(
    () => Tag.objects.filter({ unknown_field__name: 'generic' } as never),
    (err: unknown) =>
      err instanceof FieldError &&
      /^Cannot resolve keyword .unknown_field. into field/.test(err.message) &&
      /Choices are: .*category.*name.*parent/.test(err.message),
  );
});

peer.case('Queries1Tests.test_tickets_6180_6203', async () => {
  await queries1();
  assert.equal(await Item.objects.count(), 4);
  assert.equal(await Item.objects.datetimes('created', 'month').count(), 1);
  assert.equal(await Item.objects.datetimes('created', 'day').count(), 2);
  const days = await Item.objects.datetimes('created', 'day');
  assert.deepEqual(days[0], new Date(Date.UTC(2007, 11, 19)));
});

peer.case('Queries1Tests.test_ticket7155', async () => {
  await queries1();
  assert.deepEqual(await Item.objects.datetimes('modified', 'day'), [new Date(Date.UTC(2007, 11, 19))]);
});

// Django's Note.objects.values_list('note', flat=True).values('id'): the later shape wins.
peer.case('Queries1Tests.test_ticket9985', async () => {
  await queries1();
  assert.deepEqual(await Note.objects.valuesList('note', { flat: true }).values('pk').orderBy('pk'), [
    { pk: 1 },
    { pk: 2 },
    { pk: 3 },
  ]);
});

peer.case('Queries2Tests.test_ticket4289', async () => {
  await Num.deleteMany({});
  await Num.insertMany([{ num: 4 }, { num: 8 }, { num: 12 }]);
  const nums = async (qs: PromiseLike<readonly { num?: number }[]>) => (await qs).map((n) => n.num);
  assert.deepEqual(await nums(Num.objects.filter({ num__lt: 4 })), []);
  assert.deepEqual(await nums(Num.objects.filter({ num__gt: 8, num__lt: 12 })), []);
  assert.deepEqual(await nums(Num.objects.filter({ num__gt: 8, num__lt: 13 })), [12]);
  assert.deepEqual(await nums(Num.objects.filter(Q({ num__lt: 4 }).or({ num__gt: 8, num__lt: 12 }))), []);
  assert.deepEqual(await nums(Num.objects.filter(Q({ num__gt: 8, num__lt: 12 }).or({ num__lt: 4 }))), []);
  assert.deepEqual(await nums(Num.objects.filter(Q({ num__gt: 8 }).and({ num__lt: 12 }).or({ num__lt: 4 }))), []);
  assert.deepEqual(await nums(Num.objects.filter(Q({ num__gt: 7 }).and({ num__lt: 12 }).or({ num__lt: 4 }))), [8]);
});

peer.case('Queries2Tests.test_ticket12239', async () => {
  await Num.deleteMany({});
  await Num.insertMany([{ num: 4 }, { num: 8 }, { num: 12 }]);
  const nums = async (filter: Record<string, number>) =>
    (await Num.objects.filter(filter as never).orderBy('num')).map((n) => n.num);
  const cases: [Record<string, number>, number[]][] = [
    [{ num__gt: 11.9 }, [12]],
    [{ num__gt: 12 }, []],
    [{ num__gt: 12.0 }, []],
    [{ num__gt: 12.1 }, []],
    [{ num__lt: 12 }, [4, 8]],
    [{ num__lt: 12.0 }, [4, 8]],
    [{ num__lt: 12.1 }, [4, 8, 12]],
    [{ num__gte: 11.9 }, [12]],
    [{ num__gte: 12 }, [12]],
    [{ num__gte: 12.0 }, [12]],
    [{ num__gte: 12.1 }, []],
    [{ num__gte: 12.9 }, []],
    [{ num__lte: 11.9 }, [4, 8]],
    [{ num__lte: 12 }, [4, 8, 12]],
    [{ num__lte: 12.0 }, [4, 8, 12]],
    [{ num__lte: 12.1 }, [4, 8, 12]],
    [{ num__lte: 12.9 }, [4, 8, 12]],
  ];
  for (const [filter, expected] of cases) assert.deepEqual(await nums(filter), expected, JSON.stringify(filter));
});

peer.case('Queries2Tests.test_ticket7759', async () => {
  await Num.deleteMany({});
  await Num.insertMany([{ num: 4 }, { num: 8 }, { num: 12 }]);
  // Count should work with a partially read result set.
  const count = await Num.objects.count();
  const qs = Num.objects.all();
  const run = async () => {
    for await (const obj of qs) {
      assert.ok(obj);
      return (await qs.count()) === count;
    }
    return false;
  };
  assert.equal(await run(), true);
});

peer.case('Queries3Tests.test_ticket7107', async () => {
  assert.deepEqual(await Valid.objects.all(), []);
});

peer.case('Queries3Tests.test_ticket8683', () => {
  assert.throws(() => Item.objects.datetimes('name', 'month'), /'name' isn't a DateField, TimeField, or DateTimeField/);
});

// Django's TypeError is djongoose's NotSupportedError, as for the other refusals of a QuerySet's state.
peer.case('Queries3Tests.test_ticket22023', () => {
  assert.throws(() => loose(Valid.objects.values()).only(), /Cannot call only\(\) after \.values\(\)/);
  assert.throws(() => loose(Valid.objects.values()).defer(), /Cannot call defer\(\) after \.values\(\)/);
});

// The first half; the rest reads values across two references (creator__extra__info) and select_related.
peer.case('Queries4Tests.test_ticket7095 (update)', async () => {
  const t1 = await Tag.create({ name: 't1' });
  await M.ManagedModel.deleteMany({});
  await M.ManagedModel.create({ data: 'mm1', tag: t1._id, public: true });
  assert.equal(await M.ManagedModel.objects.update({ data: 'mm' }), 1);
});

// Django checks the SQL has an ORDER BY; here, the find's sort.
peer.case('Queries4Tests.test_order_by_resetting', () => {
  assert.deepEqual(Author.objects.orderBy().orderBy('name').toMongo().sort, { name: 1 });
});

/** Queries5Tests.setUpTestData: three rankings of three authors. */
async function queries5() {
  await Promise.all([Note, Author, Ranking].map((m) => (m as typeof Tag).deleteMany({})));
  await Note.insertMany([
    { _id: 1, note: 'n1', misc: 'foo' },
    { _id: 2, note: 'n2', misc: 'bar' },
  ]);
  const [a1, a2, a3] = await Author.insertMany([
    { name: 'a1', num: 1001 },
    { name: 'a2', num: 2002 },
    { name: 'a3', num: 3003 },
  ]);
  await Ranking.insertMany([
    { rank: 2, author: a2!._id },
    { rank: 1, author: a3!._id },
    { rank: 3, author: a1!._id },
  ]);
}

// Ranking's str() is "rank: author name", a join; the ranks stand for it. extra() parts are SQL.
peer.case('Queries5Tests.test_ordering (order_by and values)', async () => {
  await queries5();
  assert.deepEqual(await Ranking.objects.orderBy('rank').valuesList('rank', { flat: true }), [1, 2, 3]);
  assert.deepEqual(
    (await Ranking.objects.values('pk', 'rank').orderBy('pk')).map((d) => d.rank),
    [2, 1, 3],
  );
});

peer.case('Queries5Tests.test_ticket5261', async () => {
  await queries5();
  const notes = async (qs: PromiseLike<readonly { note?: string }[]>) => (await qs).map((n) => n.note).sort();
  assert.deepEqual(await notes(Note.objects.exclude(Q())), ['n1', 'n2']);
  assert.deepEqual(await notes(Note.objects.filter(Q().not())), ['n1', 'n2']);
  assert.deepEqual(await notes(Note.objects.filter(Q().not().or(Q().not()))), ['n1', 'n2']);
  assert.deepEqual(await notes(Note.objects.exclude(Q().not().and(Q().not()))), ['n1', 'n2']);
});

/** Queries6Tests.setUpTestData: the five tags. */
async function queries6() {
  await Tag.deleteMany({});
  const t1 = await Tag.create({ name: 't1' });
  await Tag.create({ name: 't2', parent: t1._id });
  const t3 = await Tag.create({ name: 't3', parent: t1._id });
  await Tag.create({ name: 't4', parent: t3._id });
  await Tag.create({ name: 't5', parent: t3._id });
}

peer.case('Queries6Tests.test_parallel_iterators', async () => {
  await queries6();
  const qs = Tag.objects.orderBy('name');
  const i1 = qs[Symbol.asyncIterator]();
  const i2 = qs[Symbol.asyncIterator]();
  const next = async (it: AsyncGenerator<{ name?: string }>) => (await it.next()).value?.name;
  assert.equal(await next(i1), 't1');
  assert.equal(await next(i1), 't2');
  assert.equal(await next(i2), 't1');
  assert.equal(await next(i2), 't2');
  assert.equal(await next(i2), 't3');
  assert.equal(await next(i1), 't3');
  await i1.return(undefined);
  await i2.return(undefined);
  assert.equal((await Valid.objects.all()).length, 0);
});

peer.case('Queries6Tests.test_ticket3739', () => {
  const q1 = Tag.objects.orderBy('name');
  assert.notEqual(q1, q1.all());
});

peer.case('ExistsSql.test_exists', async () => {
  await Tag.deleteMany({});
  let exists: boolean | undefined;
  const sent = await commandsDuring(conn, async () => {
    exists = await Tag.objects.exists();
  });
  assert.equal(exists, false);
  // Django checks no column is selected; here, the one find reads no field but _id.
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]!.command['projection'], { _id: 1 });
});

// Django's distinct() over whole rows changes nothing when every row has its own key.
peer.case('ExistsSql.test_ticket_18414', async () => {
  await M.Article.deleteMany({});
  const created = new Date();
  await M.Article.insertMany([
    { name: 'one', created },
    { name: 'one', created },
    { name: 'two', created },
  ]);
  assert.equal(await M.Article.objects.exists(), true);
  assert.equal(await M.Article.objects.all().slice(1, 3).exists(), true);
  assert.equal(await M.Article.objects.all().slice(1, 1).exists(), false);
});

peer.case('QuerysetOrderedTests.test_no_default_or_explicit_ordering', () => {
  assert.equal(M.Annotation.objects.all().ordered, false);
});

peer.case('QuerysetOrderedTests.test_explicit_ordering', () => {
  assert.equal(M.Annotation.objects.all().orderBy('pk').ordered, true);
});

peer.case('QuerysetOrderedTests.test_annotated_ordering', () => {
  const qs = M.Annotation.objects.annotate({});
  assert.equal(qs.ordered, false);
  assert.equal(qs.orderBy('name').ordered, true);
});
