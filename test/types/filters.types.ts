// Type tests for typed filters: keys must name fields and valid lookups for
// the field's type, and values must fit. Each @ts-expect-error must fail.
import mongoose, { type Connection } from 'mongoose';
import { Count, F, Q, Raw, autoIncrement, manager, type Managed, type TypedQ } from '../../index.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';

export function typedFilters(conn: Connection) {
  const Entry = entryModel(conn);
  const ok = [
    Entry.objects.filter({ blog__name__startswith: 'Beatles' }).orderBy('-headline'),
    Entry.objects.filter({ blog__startswith: { name: 'Beatles' } }),
    Entry.objects.filter({ rating__gte: 4, rating__in: [4, 5], rating__range: [1, 3], rating__mod: [2, 1] }),
    Entry.objects.filter({ tags__len__gt: 2, tags__contains: ['rock'], tags__overlap: ['uk'] }),
    Entry.objects.filter({ pub_date__year__gte: 2020, pub_date__date: '2020-05-01', pub_date__lt: new Date() }),
    Entry.objects.filter({ comments__author: 'ann', comments__match: Q({ author: 'bob', score__gte: 5 }) }),
    Entry.objects.filter({ comments__match: { author: 'bob', score: 5 } }),
    Entry.objects.filter({ data__anything__goes: 1, pk: 'id', likes__gt: F('views') }),
    Entry.objects.filter(Q({ rating: 5 }).or({ rating: 3 }), { headline__isnull: false }),
    Entry.objects.exclude({ headline__iexact: 'x' }),
    Entry.objects.get({ headline: 'Hey Jude' }),
    Entry.objects.filter(Raw({ views: { $gt: 1 } })),
    Entry.objects.filter(Q({ rating: 5 }).and(Raw({ views: { $gt: 1 } }))),
    Entry.objects.exclude(Raw({ views: { $gt: 1 } })),
  ];

  // @ts-expect-error __raw__ is refused: raw filters are Raw(...)
  Entry.objects.filter({ __raw__: { views: { $gt: 1 } } });
  // @ts-expect-error a plain match object holds field values; lookups need Q(...)
  Entry.objects.filter({ comments__match: { score__gte: 5 } });

  // @ts-expect-error no field "headlin"
  Entry.objects.filter({ headlin: 'x' });
  // @ts-expect-error no lookup "startwith"
  Entry.objects.filter({ headline__startwith: 'x' });
  // @ts-expect-error a date lookup on a number field
  Entry.objects.filter({ rating__year: 2020 });
  // @ts-expect-error rating takes a number
  Entry.objects.filter({ rating__gte: true });
  // @ts-expect-error isnull takes a boolean
  Entry.objects.filter({ headline__isnull: 'yes' });
  // @ts-expect-error in takes a list
  Entry.objects.filter({ rating__in: 5 });
  // @ts-expect-error no field "nme" in the embedded blog
  Entry.objects.filter({ blog__nme: 'x' });
  // @ts-expect-error len takes a number
  Entry.objects.filter({ tags__len__gt: 'two' });
  // @ts-expect-error year takes a number
  Entry.objects.filter({ pub_date__year: '2020' });
  // @ts-expect-error checked on exclude too
  Entry.objects.exclude({ headlin: 'x' });
  // @ts-expect-error checked on get too
  void Entry.objects.get({ headlin: 'x' });
  // @ts-expect-error checked on chained QuerySets too
  Entry.objects.all().filter({ rating__foo: 1 });
  // @ts-expect-error mongo_* names come from the driver
  void Entry.objects.mongo_frobnicate;
  // bulkCreate takes plain objects and new documents...
  void Entry.objects.bulkCreate([{ headline: 'a' }, new Entry({ headline: 'b' })], { batchSize: 100 });
  // @ts-expect-error ...not strings
  void Entry.objects.bulkCreate(['Hey Jude']);
  // @ts-expect-error batchSize is a number
  void Entry.objects.bulk_create([{ headline: 'a' }], { batchSize: '100' });
  return ok;
}

// With autoIncrement the model has an integer `id`, and pk stands for it.
export function autoIncrementPk(conn: Connection) {
  interface Row {
    id: number;
    name?: string;
  }
  const schema = new mongoose.Schema<Row>({ name: String });
  schema.plugin(manager);
  schema.plugin(autoIncrement);
  const Rows = conn.model<Row, Managed<Row>>('Row', schema);
  const ok = [Rows.objects.filter({ pk: 3 }), Rows.objects.filter({ pk__in: [1, 2], id__gte: 2 })];
  // @ts-expect-error pk is the integer id, not an ObjectId
  Rows.objects.filter({ pk: new mongoose.Types.ObjectId() });
  return ok;
}

// Numbers and booleans take their own type, as in Mongoose's QueryFilter: a
// string literal there is a typo. ObjectId and Date fields still take strings.
export function castableValues(conn: Connection) {
  interface Post {
    title?: string;
    rating?: number;
    published?: boolean;
    when?: Date;
    author?: mongoose.Types.ObjectId;
  }
  const schema = new mongoose.Schema<Post>({
    title: String,
    rating: Number,
    published: Boolean,
    when: Date,
    author: mongoose.Schema.Types.ObjectId,
  });
  schema.plugin(manager);
  const Posts = conn.model<Post, Managed<Post>>('CastablePost', schema);
  const ok = [
    Posts.objects.filter({ rating__gte: 4, published: true, published__ne: false, rating__in: [1, 2] }),
    Posts.objects.filter({ author: '64b7f0c2a1b2c3d4e5f60718', when__gte: '2020-01-01', author__in: ['x'] }),
    Posts.objects.filter({ rating: null, published__isnull: true }),
  ];
  // @ts-expect-error rating takes a number, not the string 'five'
  Posts.objects.filter({ rating__gte: 'five' });
  // @ts-expect-error rating takes a number, not a numeric string
  Posts.objects.filter({ rating: '5' });
  // @ts-expect-error published takes a boolean
  Posts.objects.filter({ published: 'yes' });
  // @ts-expect-error in takes a list of numbers
  Posts.objects.filter({ rating__in: ['1', '2'] });
  // @ts-expect-error range takes numbers
  Posts.objects.filter({ rating__range: ['1', '3'] });
  return ok;
}

// isnull and exists on an embedded document itself, not one of its fields.
export function embeddedIsNull(conn: Connection) {
  const Entry = entryModel(conn);
  const ok = [Entry.objects.filter({ blog__isnull: true }), Entry.objects.exclude({ blog__exists: false })];
  // @ts-expect-error isnull takes a boolean
  Entry.objects.filter({ blog__isnull: 'yes' });
  return ok;
}

// Field names given to orderBy, values, valuesList, only, defer, distinct,
// earliest and latest name fields of the model (or annotations).
export function checkedFieldNames(conn: Connection) {
  const Entry = entryModel(conn);
  const names: string[] = ['headline'];
  const ok = [
    Entry.objects.orderBy('-headline', 'blog__name', 'pk', '-rating'),
    Entry.objects.all().order_by('comments__score', 'data__anything'),
    Entry.objects.orderBy(...names),
    Entry.objects.only('headline', 'blog__name').defer('rating'),
    Entry.objects
      .annotate({ n: Count('tags') })
      .orderBy('-n')
      .values('n', 'headline'),
    Entry.objects.distinct('blog__name'),
    Entry.objects.earliest('pub_date'),
    Entry.objects.filter({ rating: 1 }).latest('pub_date'),
  ];
  // @ts-expect-error no field "headlin"
  Entry.objects.orderBy('-headlin');
  // @ts-expect-error no field "nme" in blog
  Entry.objects.all().orderBy('blog__nme');
  // @ts-expect-error no field "headlin"
  Entry.objects.values('headlin');
  // @ts-expect-error no field "headlin"
  Entry.objects.valuesList('headlin', { flat: true });
  // @ts-expect-error no field "headlin"
  Entry.objects.only('headlin');
  // @ts-expect-error no field "headlin"
  Entry.objects.all().defer('headlin');
  // @ts-expect-error no field "headlin"
  void Entry.objects.distinct('headlin');
  // @ts-expect-error no field "pub_dat"
  void Entry.objects.earliest('pub_dat');
  // @ts-expect-error no field "pub_dat"
  void Entry.objects.all().latest('pub_dat');
  // @ts-expect-error a lookup is not a field
  Entry.objects.orderBy('rating__gte');
  return ok;
}

// values() and valuesList() give the fields' types, null where a document lacks one.
export async function typedValues(conn: Connection) {
  const Entry = entryModel(conn);
  const flat: (number | null)[] = await Entry.objects.valuesList('views', { flat: true });
  const rows: { headline: string | null; blog__name: string | null }[] = await Entry.objects.values(
    'headline',
    'blog__name',
  );
  const tuples: [string | null, number | null][] = await Entry.objects.all().valuesList('headline', 'rating');
  const annotated: { n: number; headline: string | null }[] = await Entry.objects
    .annotate({ n: Count('tags') })
    .values('n', 'headline');
  // @ts-expect-error views is a number, not a string
  const wrong: string[] = await Entry.objects.valuesList('views', { flat: true });
  // @ts-expect-error headline may be null
  const notNull: { headline: string }[] = await Entry.objects.values('headline');
  return [flat, rows, tuples, annotated, wrong, notNull];
}

// create and bulkCreate take the model's fields with values of their types.
export async function typedCreate(conn: Connection) {
  const Entry = entryModel(conn);
  const ok = [
    await Entry.objects.create({ headline: 'Hey Jude', rating: 5, blog: { name: 'Beatles Blog' }, tags: ['uk'] }),
    await Entry.objects.create({ pub_date: '2020-01-01', comments: [{ author: 'ann', score: 3 }], data: { any: 1 } }),
    await Entry.objects.bulkCreate([{ headline: 'a', rating: null }]),
  ];
  // @ts-expect-error headline is a string
  await Entry.objects.create({ headline: 5 });
  // @ts-expect-error no field "nope"
  await Entry.objects.create({ nope: 5 });
  // @ts-expect-error rating is a number
  await Entry.objects.create({ rating: 'five' });
  // @ts-expect-error no field "nme" in blog
  await Entry.objects.create({ blog: { nme: 'x' } });
  // @ts-expect-error rating is a number
  await Entry.objects.bulkCreate([{ rating: 'x' }]);
  return ok;
}

// Q typed for one model: TypedQ<T> is Q itself, declared for T.
export function typedQ(conn: Connection) {
  const Entry = entryModel(conn);
  const EQ: TypedQ<EntryRaw> = Q;
  const ok = [
    Entry.objects.filter(EQ({ rating__gte: 4 }).or({ headline__startswith: 'Hey' })),
    Entry.objects.exclude(EQ.not({ blog__name: 'B' })),
    EQ(),
  ];
  // @ts-expect-error no field "headlin"
  EQ({ headlin: 'x' });
  // @ts-expect-error rating takes a number
  EQ.not({ rating: 'five' });
  return ok;
}

// update() keys name fields, optionally after a MongoEngine operator.
export async function typedUpdate(conn: Connection) {
  const Entry = entryModel(conn);
  const qs = Entry.objects.filter({ headline: 'Hey Jude' });
  const ok = [
    await qs.update({ rating: 5, headline: 'x', blog__name: 'B', views: F('views').plus(1) }),
    await qs.update({ inc__rating: 1, dec__views: 2, push__tags: 'uk', pull_all__tags: ['a'], unset__rating: true }),
    await qs.update({ set__data__anything: { k: 1 }, add_to_set__tags: ['a', 'b'] }),
  ];
  // @ts-expect-error rating is a number
  await qs.update({ rating: 'x' });
  // @ts-expect-error no field "nope"
  await qs.update({ nope: 5 });
  // @ts-expect-error inc takes a number
  await qs.update({ inc__rating: 'one' });
  // @ts-expect-error push needs an array field
  await qs.update({ push__rating: 1 });
  // @ts-expect-error no field "veiws"
  await qs.update({ inc__veiws: 1 });
  return ok;
}
