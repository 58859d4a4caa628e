// Type tests for update()'s keys and options of issue 12 §2 (positions, pull
// with lookups, __raw__, upsert). Each @ts-expect-error must fail to compile.
import type { Connection } from 'mongoose';
import { F, RawUpdate } from '../../index.js';
import { entryModel } from '../helpers/models.js';

export async function updateTypes(conn: Connection) {
  const Entry = entryModel(conn);
  const qs = Entry.objects.filter({ comments__author: 'ann' });

  // upsert
  await qs.update({ set_on_insert__rating: 1 }, { upsert: true });
  await Entry.objects.update({ rating: 1 }, { upsert: false });
  // @ts-expect-error upsert takes a boolean
  await qs.update({ rating: 1 }, { upsert: 1 });
  // @ts-expect-error no option "upserts"
  await qs.update({ rating: 1 }, { upserts: true });

  // __raw__: a RawUpdate, never a plain object
  await qs.update({ rating: 1, __raw__: RawUpdate({ $inc: { 'data.hits': 1 } }) });
  // @ts-expect-error __raw__ takes RawUpdate(...), made in code
  await qs.update({ __raw__: { $set: { rating: 1 } } });
  // a pipeline: RawUpdate([...stages]) of update stages, never a plain array
  await qs.update({ rating: 1, __raw__: RawUpdate([{ $set: { headline: { $concat: ['$headline', '!'] } } }]) });
  await qs.update({ __raw__: RawUpdate([{ $unset: ['tags'] }, { $replaceWith: '$$ROOT' }]) });
  // @ts-expect-error __raw__ takes RawUpdate([...]), made in code
  await qs.update({ __raw__: [{ $set: { rating: 1 } }] });
  // @ts-expect-error a pipeline has one stage or more
  RawUpdate([]);
  // @ts-expect-error $out is not an update stage
  RawUpdate([{ $out: 'other' }]);

  // positions
  await qs.update({ set__comments__1__author: 'x', inc__comments__S__score: 1, set__tags__0: 'a' });
  await qs.update({ push__tags__0: 'new', push_all__tags__1: ['a', 'b'] });
  // @ts-expect-error set__tags__0 writes one String element
  await qs.update({ set__tags__0: 1 });
  // @ts-expect-error push__tags__0 pushes String elements
  await qs.update({ push__tags__0: 1 });
  // @ts-expect-error no field "autor" in comments
  await qs.update({ set__comments__1__autor: 'x' });
  // @ts-expect-error F() still needs a field
  await qs.update({ views: F('views').plus(1), veiws: 1 });

  // pull with lookups
  await qs.update({ pull__comments__score__lt: 3, pull__tags__in: ['a'] });
  await qs.update({ pull__tags__nin: ['a'] });
  // @ts-expect-error no field "scor" in comments
  await qs.update({ pull__comments__scor__lt: 3 });
  // @ts-expect-error only pull__ takes a lookup
  await qs.update({ inc__rating__lt: 3 });
}
