// Type tests for every method that takes field names or values (issue 11 §5):
// each is shown accepting a valid call and refusing a wrong name and a wrong
// value. Each @ts-expect-error must fail to compile.
import mongoose, { type Connection, type Types } from 'mongoose';
import { Avg, Count, F, Max, Min, Q, Sum, autoIncrement, manager, type Managed, type TypedQ } from '../../index.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';

/** Compile-time equality: true only when A and B are the same type. */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

export async function everyMethod(conn: Connection) {
  const Entry = entryModel(conn);
  const qs = Entry.objects.all();
  const EQ: TypedQ<EntryRaw> = Q;

  // filter, exclude, get, Q
  Entry.objects.filter({ rating__gte: 4 });
  // @ts-expect-error filter: no field "headlin"
  Entry.objects.filter({ headlin__startswith: 'x' });
  // @ts-expect-error filter: rating takes a number
  Entry.objects.filter({ rating__gte: 'five' });
  qs.exclude({ blog__name: 'x' });
  // @ts-expect-error exclude: no field "nme" in blog
  qs.exclude({ blog__nme: 'x' });
  // @ts-expect-error exclude: headline takes a string
  qs.exclude({ headline__startswith: 5 });
  await qs.get({ headline: 'Hey Jude' });
  // @ts-expect-error get: no field "headlin"
  await qs.get({ headlin: 'Hey Jude' });
  // @ts-expect-error get: in takes a list
  await qs.get({ rating__in: 3 });
  Entry.objects.filter(EQ({ rating: 5 }).or({ headline__icontains: 'jude' }));
  // @ts-expect-error Q: no field "headlin"
  EQ({ headlin: 'x' });
  // @ts-expect-error Q.not: no lookup "icontain"
  EQ.not({ headline__icontain: 'x' });

  // orderBy, values, valuesList, only, defer, distinct, earliest, latest
  qs.orderBy('-rating', 'blog__name');
  // @ts-expect-error orderBy: no field "headlin"
  qs.orderBy('-headlin');
  const rows: { headline: string | null }[] = await Entry.objects.values('headline');
  // @ts-expect-error values: no field "headlin"
  Entry.objects.values('headlin');
  const views: (number | null)[] = await Entry.objects.valuesList('views', { flat: true });
  // @ts-expect-error valuesList: no field "veiws"
  Entry.objects.valuesList('veiws', { flat: true });
  qs.only('headline').defer('rating');
  // @ts-expect-error only: no field "headlin"
  qs.only('headlin');
  // @ts-expect-error defer: no field "ratin"
  qs.defer('ratin');
  const blogs: (string | null)[] = await Entry.objects.distinct('blog__name');
  const tags: (string | null)[] = await qs.distinct('tags'); // an array field: its elements
  // @ts-expect-error distinct: no field "tag"
  void qs.distinct('tag');
  // @ts-expect-error distinct: blog names are strings
  const wrongBlogs: number[] = await Entry.objects.distinct('blog__name');
  await qs.earliest('pub_date');
  await Entry.objects.latest('pub_date');
  // @ts-expect-error earliest: no field "pub_dat"
  void qs.earliest('pub_dat');
  // @ts-expect-error latest: no field "pub_dat"
  void Entry.objects.latest('pub_dat');

  // inBulk's fieldName
  await Entry.objects.inBulk(['Hey Jude'], { fieldName: 'headline' });
  await Entry.objects.in_bulk(undefined, { fieldName: 'blog__name' });
  await Entry.objects.inBulk([1]);
  // @ts-expect-error inBulk: no field "headlin"
  await Entry.objects.inBulk(['Hey Jude'], { fieldName: 'headlin' });
  // @ts-expect-error in_bulk: a lookup is not a field
  await Entry.objects.in_bulk([1], { fieldName: 'rating__gte' });

  // update: plain keys and MongoEngine update keys
  await qs.update({ rating: 5, set__headline: 'x', inc__views: 1, push__tags: 'uk', add_to_set__tags: ['a'] });
  // @ts-expect-error update: rating takes a number
  await qs.update({ rating: 'x' });
  // @ts-expect-error update: no field "veiws" after inc__
  await qs.update({ inc__veiws: 1 });
  // @ts-expect-error update: set__ checks the value too
  await qs.update({ set__rating: 'x' });
  // @ts-expect-error update: push__ needs an array field
  await qs.update({ push__headline: 'x' });
  // @ts-expect-error update: pull__ takes the element type
  await qs.update({ pull__tags: 5 });
  // the manager's update(), every document: the same checks
  await Entry.objects.update({ inc__views: 1 });
  // @ts-expect-error manager update: no field "veiws" after inc__
  await Entry.objects.update({ inc__veiws: 1 });
  // @ts-expect-error manager update: rating takes a number
  await Entry.objects.update({ rating: 'x' });

  // create, bulkCreate, getOrCreate, updateOrCreate
  await Entry.objects.create({ headline: 'Hey Jude', blog: { name: 'B' } });
  // @ts-expect-error create: headline is a string
  await Entry.objects.create({ headline: 5 });
  // @ts-expect-error create: no field "nope"
  await Entry.objects.create({ nope: 5 });
  await Entry.objects.bulkCreate([{ headline: 'a' }, { rating: 1 }]);
  // @ts-expect-error bulkCreate: rating is a number
  await Entry.objects.bulkCreate([{ rating: 'one' }]);
  await Entry.objects.getOrCreate({ headline: 'Hey Jude' }, { rating: 5, blog__name: 'B' });
  await Entry.objects.get_or_create({ blog__name: 'B', rating__gte: 1 });
  // @ts-expect-error getOrCreate: no field "headlin" in the lookup
  await Entry.objects.getOrCreate({ headlin: 'Hey Jude' });
  // @ts-expect-error getOrCreate: no field "ratin" in defaults
  await Entry.objects.getOrCreate({ headline: 'Hey Jude' }, { ratin: 5 });
  // @ts-expect-error getOrCreate: rating takes a number
  await Entry.objects.getOrCreate({ headline: 'Hey Jude' }, { rating: 'five' });
  // @ts-expect-error get_or_create: defaults take no lookups
  await Entry.objects.get_or_create({ headline: 'Hey Jude' }, { rating__gte: 5 });
  await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { rating: 4, blog__name: 'B' });
  // @ts-expect-error updateOrCreate: no field "nme" in blog
  await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { blog__nme: 'B' });
  // @ts-expect-error update_or_create: rating takes a number in the lookup
  await Entry.objects.update_or_create({ rating: 'x' }, { headline: 'y' });
  // @ts-expect-error updateOrCreate: defaults cannot set the primary key
  await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { _id: new mongoose.Types.ObjectId() });
  // No lookup (Django's get_or_create()); functions in defaults, called when needed.
  await Entry.objects.getOrCreate();
  await Entry.objects.updateOrCreate(undefined, { rating: () => 4, pub_date: () => new Date() });
  // @ts-expect-error getOrCreate: a function in defaults must return the field's type
  await Entry.objects.getOrCreate({ headline: 'Hey Jude' }, { rating: () => 'five' });
  // updateOrCreate's createDefaults (Django 5.0's create_defaults): checked as defaults are.
  await Entry.objects.updateOrCreate(
    { headline: 'Hey Jude' },
    { rating: 4 },
    { rating: 1, pub_date: () => new Date() },
  );
  await Entry.objects.update_or_create({ headline: 'Hey Jude' }, {}, { blog__name: 'B' });
  // @ts-expect-error updateOrCreate: no field "ratin" in createDefaults
  await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { rating: 4 }, { ratin: 1 });
  // @ts-expect-error update_or_create: rating takes a number in createDefaults
  await Entry.objects.update_or_create({ headline: 'Hey Jude' }, {}, { rating: () => 'one' });
  // @ts-expect-error updateOrCreate: createDefaults cannot set the primary key
  await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, {}, { _id: new mongoose.Types.ObjectId() });

  // aggregate and annotate: the fields given to Sum, Avg, Min, Max and Count
  const totals = await qs.aggregate({ total: Sum('views'), mean: Avg('rating'), n: Count(), first: Min('pub_date') });
  const typedTotals: Equal<
    typeof totals,
    { total: number | null; mean: number | null; n: number; first: Date | null }
  > = true;
  const annotated = await Entry.objects
    .annotate({ n: Count('tags'), best: Max('comments__score') })
    .values('n', 'best');
  const typedAnnotated: Equal<(typeof annotated)[number], { n: number; best: number | null }> = true;
  // @ts-expect-error aggregate: no field "veiws"
  await qs.aggregate({ total: Sum('veiws') });
  // @ts-expect-error aggregate: a lookup is not a field
  await Entry.objects.aggregate({ n: Count('rating__gte') });
  // @ts-expect-error annotate: no field "tag"
  Entry.objects.annotate({ n: Count('tag') });
  // @ts-expect-error annotate: no field "scor" in comments
  qs.annotate({ best: Max('comments__scor') });
  // aggregate() may fold what annotate() added
  await qs.annotate({ n: Count('tags') }).aggregate({ total: Sum('n') });
  return [rows, views, blogs, tags, wrongBlogs, typedTotals, typedAnnotated, totals, annotated, F];
}

// With autoIncrement, pk is the integer id in defaults too.
export async function autoIncrementDefaults(conn: Connection) {
  interface Row {
    id: number;
    name?: string;
    owner?: Types.ObjectId;
  }
  const schema = new mongoose.Schema<Row>({ name: String, owner: mongoose.Schema.Types.ObjectId });
  schema.plugin(manager);
  schema.plugin(autoIncrement);
  const Rows = conn.model<Row, Managed<Row>>('DefaultsRow', schema);
  await Rows.objects.getOrCreate({ pk: 3 }, { name: 'x', owner: '64b7f0c2a1b2c3d4e5f60718' });
  // @ts-expect-error owner is an ObjectId (or its text), not a number
  await Rows.objects.getOrCreate({ pk: 3 }, { owner: 5 });
}
