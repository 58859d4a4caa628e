// Type tests for relations: selectRelated takes single references of the
// model (ObjectId fields), prefetchRelated arrays of them too; a filter key
// may cross a reference, and so may the fields of aggregates, values and
// orderBy. Each @ts-expect-error must fail.
import type { Connection } from 'mongoose';
import { Avg, Count, Max } from '../../index.js';
import type { CheckedRelated, ReferenceNames } from '../../manager/relation-types.js';
import { relationModels, type BookRaw } from '../helpers/relation-models.js';

export function typedRelations(conn: Connection) {
  const { Book } = relationModels(conn);
  const ok = [
    Book.objects.selectRelated('author'),
    Book.objects.selectRelated('author__publisher', 'review__by'),
    Book.objects.selectRelated(),
    Book.objects.all().selectRelated('author').filter({ rating__gte: 3 }),
    Book.objects.prefetchRelated('tags', 'author'),
    Book.objects.filter({ title: 'A' }).prefetchRelated('tags'),
    Book.objects.filter({ author__name__startswith: 'Be', tags__name: 'rock', review__by__name: 'Ben' }),
    Book.objects.exclude({ author__publisher__name: 'Penguin' }),
    // Fields across references in aggregates, annotations, values and orderBy (the run time checks the rest).
    Book.objects.aggregate({ mean: Avg('author__age'), n: Count('tags__name') }),
    Book.objects.annotate({ oldest: Max('tags__name') }).orderBy('-oldest'),
    Book.objects.values('title', 'author__name', 'review__by__age'),
    Book.objects.orderBy('-author__age', 'author__publisher__name'),
  ];

  // @ts-expect-error title is a string, not a reference
  Book.objects.values('title__name');
  // @ts-expect-error no field "autor"
  Book.objects.orderBy('-autor__age');
  // @ts-expect-error rating is a number, not a reference
  Book.objects.aggregate({ m: Max('rating__name') });

  // @ts-expect-error title is not a reference
  Book.objects.selectRelated('title');
  // @ts-expect-error an array of references is prefetchRelated's
  Book.objects.selectRelated('tags');
  // @ts-expect-error _id is the document's own id, not a reference
  Book.objects.all().selectRelated('_id');
  // @ts-expect-error no field "autor"
  Book.objects.prefetchRelated('autor');
  // @ts-expect-error rating is a number, not a reference
  Book.objects.prefetchRelated('rating');
  // @ts-expect-error a lookup on an ObjectId still takes an ObjectId
  Book.objects.filter({ author__in: [1, 2] });
  // @ts-expect-error no field "autor"
  Book.objects.filter({ autor__name: 'x' });

  // A reference's own key is the stored id: orderBy and values take it, not a field across it.
  const ownKey = [
    Book.objects.orderBy('-author__pk', 'author__id'),
    Book.objects.values('title', 'author___id'),
    Book.objects.filter({ author__pk__in: [] }),
    Book.objects.filter({ pk__iexact: 'abc', author__istartswith: 'ab' }),
  ];
  // orderBy across a reference compiles: what follows the reference is checked at run time.
  Book.objects.orderBy('author__name');
  // @ts-expect-error a text lookup on an ObjectId takes its text
  Book.objects.filter({ author__startswith: 5 });

  const single: ReferenceNames<BookRaw, false>[] = ['author', 'review__by'];
  const many: ReferenceNames<BookRaw, true>[] = ['author', 'tags', 'review__by'];
  // @ts-expect-error tags is not a single reference
  const wrong: ReferenceNames<BookRaw, false>[] = ['tags'];
  const checked: CheckedRelated<BookRaw, ['author__publisher'], false> = ['author__publisher'];
  return [ok, ownKey, single, many, wrong, checked];
}
