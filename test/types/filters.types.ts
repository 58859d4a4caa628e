// Type tests for typed filters: keys must name fields and valid lookups for
// the field's type, and values must fit. Each @ts-expect-error must fail.
import mongoose, { type Connection } from 'mongoose';
import { F, Q, Raw, autoIncrement, manager, type Managed } from '../../index.js';
import { entryModel } from '../helpers/models.js';

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
  // @ts-expect-error a string lookup on a number field
  Entry.objects.filter({ rating__startswith: '4' });
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
