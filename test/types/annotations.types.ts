// Type tests for annotations referenced later (#12 §2.12): filters on an
// annotation are checked as on a field of its type, and aggregates given
// without a name are typed under Django's default alias. Each line marked
// as an expected error must fail to compile.
import type { Connection } from 'mongoose';
import { Avg, Count, F, Max, Min, Sum, type DefaultAliased, type AggregateNode } from '../../index.js';
import { entryModel } from '../helpers/models.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

export async function annotations(conn: Connection) {
  const Entry = entryModel(conn);
  const annotated = Entry.objects.annotate({ n: Count('comments'), best: Max('pub_date') });

  // filter and exclude on an annotation, typed as its value
  annotated.filter({ n__gte: 2, rating: 5 });
  annotated.exclude({ best__lt: new Date() });
  // @ts-expect-error filter: no field or annotation "nn"
  annotated.filter({ nn__gte: 2 });
  // @ts-expect-error filter: a count takes a number
  annotated.filter({ n__gte: 'two' });
  // @ts-expect-error filter: no annotation "n" before annotate()
  Entry.objects.filter({ n__gte: 2 });

  // aggregate and annotate without names: Django's default alias
  const avg = await Entry.objects.aggregate(Avg('rating'), Sum('views'));
  const avgOk: Equal<typeof avg, { rating__avg: number | null; views__sum: number | null }> = true;
  // @ts-expect-error aggregate: no field "ratin"
  await Entry.objects.aggregate(Avg('ratin'));
  const [row] = await Entry.objects.annotate(Count('comments'));
  const count: number | undefined = row?.comments__count;
  type Spec = DefaultAliased<[AggregateNode<'max', 'views'>]>;
  const specOk: Equal<keyof Spec, 'views__max'> = true;

  // default= takes null out of the result type; Count takes none, Min and Max no distinct
  const zero = await Entry.objects.aggregate({ s: Sum('views', { default: 0 }), a: Avg('rating', { distinct: true }) });
  const zeroOk: Equal<typeof zero, { s: number; a: number | null }> = true;
  // @ts-expect-error Count does not allow default
  Count('rating', { default: 0 });
  // @ts-expect-error Min does not allow distinct
  Min('rating', { distinct: true });
  // @ts-expect-error a default is a plain value, not an object
  Sum('rating', { default: { $gt: 0 } });

  // a date part of a Date field, folded as a number
  const month = await Entry.objects.aggregate({ m: Min('pub_date__month') });
  const monthOk: Equal<typeof month, { m: number | null }> = true;
  // @ts-expect-error views is no Date: no month
  await Entry.objects.aggregate({ m: Min('views__month') });
  return [avg, avgOk, count, specOk, zero, zeroOk, month, monthOk];
}

// An aggregate of an F() expression: typed as a number (or null), and Count refuses one.
export async function expressionAggregates(conn: Connection): Promise<number | null> {
  const { reach } = await entryModel(conn).objects.aggregate({ reach: Sum(F('views').plus(F('likes'))) });
  // @ts-expect-error Count takes a field name, not an F() expression
  Count(F('views'));
  return reach;
}
