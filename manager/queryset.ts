// The QuerySet: immutable and lazy, as Django's. Each method here returns a
// new QuerySet built from frozen props; the database is touched only when it
// is awaited, iterated, or a terminal method runs (queryset-terminal.ts, and
// get() and its kin in queryset-get.ts, which this class extends). Data flows
// one way: the methods here parse what they are given (parse.ts,
// parse-names.ts) into the props (queryset-props.ts), which are compiled
// (queryset-compile.ts), sent (queryset-exec.ts) and their rows shaped
// (queryset-shape.ts).
import { toQ, type FilterArgument } from './q.js';
import type { CheckedFilters } from './filter-types.js';
import type { CheckedNames, CheckedOrder, DistinctValue, ValuesListRow, ValuesRow } from './field-types.js';
import { specOf, type AggregateNode, type AnnotationSpec } from './aggregates.js';
import type { Annotated, CheckedAggregates, DefaultAliased, AnnotatedFields } from './aggregate-types.js';
import { groupingFor } from './annotations-group.js';
import { GroupNode } from './nodes.js';
import { parseAnnotated } from './annotations-scope.js';
import { fieldPath, parseOrder, parseValues } from './parse-names.js';
import { scopeOf, sliceWindow, type Props } from './queryset-props.js';
import type { MongoQuery } from './queryset-compile.js';
import { checkAnnotations, refuseAfterSlice, refuseAfterValues, withAnnotations } from './queryset-checks.js';
import { parseRelated } from './relations-select.js';
import type { CheckedRelated } from './relation-types.js';
import { distinctValues } from './queryset-exec.js';
import { orderFor, reversedProps } from './reverse.js';
import { parseDates, type DateKind, type DateTimeKind } from './dates.js';
import { derive, propsOf } from './queryset-terminal.js';
import { GetQuerySet } from './queryset-get.js';

export type { MongoQuery };

/**
 * A lazy, immutable query over one model, Django's QuerySet.
 *
 * @example
 * ```ts
 * const qs = Entry.objects.filter({ blog__name__startswith: 'Beatles' }).orderBy('-headline');
 * for await (const entry of qs) console.log(entry.headline);
 * const n = await qs.count();
 * ```
 */
export class QuerySet<TRaw = Record<string, unknown>, TResult = unknown> extends GetQuerySet<TRaw, TResult> {
  get #props(): Props {
    return propsOf(this);
  }

  #with<R = TResult>(changes: Partial<Props>): QuerySet<TRaw, R> {
    return derive(this, changes) as unknown as QuerySet<TRaw, R>;
  }

  /**
   * The filters, parsed against this model's schema and annotations, joined
   * to what this QuerySet has: to `having` when they name an annotation.
   */
  #where(filters: readonly FilterArgument[], negated = false): Pick<Props, 'where' | 'having'> {
    // As Django's: filter() with nothing to add is a copy, sliced or not.
    if (filters.length > 0) refuseAfterSlice(this.#props, 'filter');
    const parsed = parseAnnotated(scopeOf(this.model), this.#props.annotations, filters, negated);
    return {
      where: GroupNode.and(this.#props.where, parsed.where),
      having: GroupNode.and(this.#props.having, parsed.having),
    };
  }

  /** A copy of this QuerySet. */
  all(): QuerySet<TRaw, TResult> {
    return this.#with({});
  }

  /**
   * Documents matching all the given filters and Q objects.
   *
   * @example
   * ```ts
   * Entry.objects.filter({ blog__name: 'Beatles Blog' }, Q({ rating__gte: 4 }).or({ headline__icontains: 'jude' }));
   * ```
   */
  override filter<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<AnnotatedFields<TRaw, TResult>, Fs>
  ): QuerySet<TRaw, TResult> {
    return this.#with(this.#where(filters));
  }

  /**
   * Documents not matching the filters taken together: Django's `exclude`,
   * `NOT (a AND b)`.
   *
   * @example
   * ```ts
   * Entry.objects.exclude({ blog__name: 'Stones Weekly' });
   * ```
   */
  exclude<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<AnnotatedFields<TRaw, TResult>, Fs>
  ): QuerySet<TRaw, TResult> {
    return this.#with(this.#where(filters, true));
  }

  /** A QuerySet that matches nothing and never asks the server. */
  none(): QuerySet<TRaw, TResult> {
    return this.#with({ empty: true });
  }

  /**
   * Orders by fields; `-` for descending, `__` into embedded documents.
   *
   * @example
   * ```ts
   * Entry.objects.orderBy('-rating', 'blog__name');
   * ```
   */
  override orderBy<const Ks extends readonly string[]>(
    ...keys: CheckedOrder<TRaw, TResult, Ks>
  ): QuerySet<TRaw, TResult> {
    refuseAfterSlice(this.#props, 'reorder');
    return this.#with({
      order: orderFor(this.#props, parseOrder(scopeOf(this.model), this.#props.annotations, keys)),
    });
  }

  /** Django's spelling of {@link orderBy}. */
  order_by<const Ks extends readonly string[]>(...keys: CheckedOrder<TRaw, TResult, Ks>): QuerySet<TRaw, TResult> {
    return this.orderBy<readonly string[]>(...keys);
  }

  /**
   * Skip and limit, as Django's `qs[start:end]`.
   *
   * @example
   * ```ts
   * Entry.objects.orderBy('headline').slice(10, 20); // the second page of ten
   * ```
   */
  override slice(start: number, end?: number): QuerySet<TRaw, TResult> {
    return this.#with(sliceWindow(this.#props, start, end));
  }

  /**
   * Loads the referenced documents with the results: `book.author` is then
   * an Author document, populated. Django's JOIN: in the same aggregate
   * ($lookup) where the server has it; else one find() per reference over
   * all the results' ids (Mongoose's populate), never one per result. Single
   * references only, as Django's; `__` follows one further; no names: every
   * single reference.
   *
   * @example
   * ```ts
   * interface BookRaw { title?: string; rating?: number; author?: import('mongoose').Types.ObjectId }
   * const Book = conn.model<BookRaw, Managed<BookRaw>>('Book', schema); // author: { type: ObjectId, ref: 'Author' }
   * const books = await Book.objects.filter({ rating__gte: 4 }).selectRelated('author__publisher');
   * books[0]?.author; // an Author document, its publisher a Publisher document
   * ```
   */
  selectRelated<const Ks extends readonly string[]>(
    ...names: CheckedRelated<TRaw, Ks, false>
  ): QuerySet<TRaw, TResult> {
    return this.#with({
      populate: parseRelated(this.model, this.#props.populate, names, 'select'),
      select: parseRelated(this.model, this.#props.select, names, 'select'),
    });
  }

  /**
   * As {@link selectRelated}, for references and arrays of them
   * (`tags`): one find() per name for all the results.
   *
   * @example
   * ```ts
   * const entries = await Entry.objects.prefetchRelated('authors'); // authors: [{ type: ObjectId, ref: 'Author' }]
   * entries[0]?.authors; // Author documents, read with one find() for all the entries
   * ```
   */
  prefetchRelated<const Ks extends readonly string[]>(
    ...names: CheckedRelated<TRaw, Ks, true>
  ): QuerySet<TRaw, TResult> {
    return this.#with({ populate: parseRelated(this.model, this.#props.populate, names, 'prefetch') });
  }

  /** Plain objects instead of Mongoose documents. */
  lean(): QuerySet<TRaw, TRaw> {
    return this.#with<TRaw>({ lean: true });
  }

  /** Loads only these fields (and the primary key). */
  only<const Ks extends readonly string[]>(...fields: CheckedNames<TRaw, TResult, Ks>): QuerySet<TRaw, TResult> {
    refuseAfterValues(this.#props, 'only');
    const scope = scopeOf(this.model);
    return this.#with({ projection: Object.fromEntries(fields.map((f) => [fieldPath(scope, f), 1 as const])) });
  }

  /** Loads everything but these fields. */
  defer<const Ks extends readonly string[]>(...fields: CheckedNames<TRaw, TResult, Ks>): QuerySet<TRaw, TResult> {
    refuseAfterValues(this.#props, 'defer');
    const scope = scopeOf(this.model);
    return this.#with({ projection: Object.fromEntries(fields.map((f) => [fieldPath(scope, f), 0 as const])) });
  }

  /**
   * Plain objects with only the given fields (all when none are given), keyed
   * as given (`blog__name`).
   *
   * @example
   * ```ts
   * await Entry.objects.values('headline', 'blog__name'); // [{ headline: 'Hey Jude', blog__name: 'Beatles Blog' }]
   * ```
   */
  values<const Ks extends readonly string[] = []>(
    ...fields: CheckedNames<TRaw, TResult, Ks>
  ): QuerySet<TRaw, ValuesRow<TRaw, TResult, Ks>> {
    const values = parseValues(scopeOf(this.model), this.#props.annotations, fields, false);
    return this.#with<ValuesRow<TRaw, TResult, Ks>>({ values, lean: true });
  }

  /**
   * Tuples of the given fields; with `{ flat: true }` and one field, the bare values.
   *
   * @example
   * ```ts
   * await Entry.objects.orderBy('headline').valuesList('headline', { flat: true }); // ['Abbey Road', 'Hey Jude']
   * ```
   */
  valuesList<const Args extends readonly (string | { readonly flat?: boolean })[] = []>(
    ...args: CheckedNames<TRaw, TResult, Args>
  ): QuerySet<TRaw, ValuesListRow<TRaw, TResult, Args>> {
    const values = parseValues(scopeOf(this.model), this.#props.annotations, args, true);
    return this.#with<ValuesListRow<TRaw, TResult, Args>>({ values, lean: true });
  }

  /** Django's spelling of {@link valuesList}. */
  values_list<const Args extends readonly (string | { readonly flat?: boolean })[] = []>(
    ...args: CheckedNames<TRaw, TResult, Args>
  ): QuerySet<TRaw, ValuesListRow<TRaw, TResult, Args>> {
    return this.valuesList<readonly (string | { readonly flat?: boolean })[]>(...args) as QuerySet<TRaw, never>;
  }

  /**
   * Given a field: the distinct values of that field among the matches (of
   * an array field, its elements). Given none: Django's `distinct()`, a
   * QuerySet of distinct rows; after values() or valuesList() naming fields,
   * their distinct combinations (with the orderBy() fields, as in Django),
   * and over documents, which are distinct already, the same QuerySet.
   *
   * @example
   * ```ts
   * const blogs: (string | null)[] = await Entry.objects.distinct('blog__name');
   * await Entry.objects.values('blog__name', 'rating').distinct().count(); // distinct pairs
   * ```
   */
  distinct(): QuerySet<TRaw, TResult>;
  distinct<const K extends string>(...field: CheckedNames<TRaw, TResult, [K]>): Promise<DistinctValue<TRaw, K>[]>;
  distinct(...field: readonly string[]): QuerySet<TRaw, TResult> | Promise<unknown[]> {
    const [name] = field;
    if (name === undefined) return this.#with({ distinctRows: true });
    return distinctValues(this.model, this.#props, name);
  }

  // Aggregation, compiled in queryset-compile.ts. annotate() adds values per
  // document, and then results come from an aggregation pipeline; aggregate()
  // (queryset-terminal.ts) folds the matches into one row.

  /**
   * Adds a value to each result, computed by the server: an F() expression,
   * or Sum, Avg, Min, Max or Count over an array of the same document. The
   * names can be used in orderBy, values, valuesList and filter, and read on
   * each result (`entry.n_comments`). After values(...), aggregates group by
   * the values (Django's GROUP BY).
   *
   * @example
   * ```ts
   * await Entry.objects.annotate({ n_comments: Count('comments'), net: F('likes').minus(F('views')) }).orderBy('-n_comments');
   * // [{ $match: {} },
   * //  { $addFields: { n_comments: { $size: { $ifNull: ['$comments', []] } }, net: { $subtract: ['$likes', '$views'] } } },
   * //  { $sort: { n_comments: -1 } }]
   * ```
   */
  annotate<S extends AnnotationSpec>(
    spec: CheckedAggregates<TRaw, TResult, S>,
  ): QuerySet<TRaw, TResult & Annotated<S, TRaw>>;
  annotate<const A extends readonly AggregateNode[]>(
    ...aggregates: CheckedAggregates<TRaw, TResult, A>
  ): QuerySet<TRaw, TResult & Annotated<DefaultAliased<A>, TRaw>>;
  annotate(...args: readonly (AggregateNode | AnnotationSpec)[]): QuerySet<TRaw, unknown> {
    const spec = specOf(args) as AnnotationSpec;
    const props = this.#props;
    checkAnnotations(this.model, props.annotations, spec);
    return this.#with({
      annotations: Object.freeze({ ...props.annotations, ...spec }),
      grouping: groupingFor(props.values, props.grouping, spec),
      values: withAnnotations(props.values, Object.keys(spec)),
    });
  }

  /**
   * The same QuerySet in the opposite order, as Django's `reverse()`: an
   * ordering given later is reversed too, and an unordered QuerySet stays
   * unordered. Refused after a slice.
   *
   * @example
   * ```ts
   * await Entry.objects.orderBy('headline').reverse(); // by headline, descending
   * Entry.objects.reverse().orderBy('headline').toMongo().sort; // { headline: -1 }
   * ```
   */
  reverse(): QuerySet<TRaw, TResult> {
    refuseAfterSlice(this.#props, 'reverse');
    return this.#with(reversedProps(this.#props));
  }

  /**
   * The distinct dates of a Date field among the matches, truncated (UTC) to
   * the year, month, ISO week (from Monday) or day, in `order`; nulls left
   * out. Django's `dates()`; the result is a QuerySet of Date objects.
   *
   * @example
   * ```ts
   * await Entry.objects.dates('pub_date', 'year'); // [1968-01-01T00:00:00Z, 2019-01-01T00:00:00Z]
   * await Entry.objects.filter({ rating__gte: 4 }).dates('pub_date', 'month', 'DESC').count();
   * ```
   */
  dates<const K extends string>(
    field: CheckedNames<TRaw, TResult, [K]>[0],
    kind: DateKind,
    order: 'ASC' | 'DESC' = 'ASC',
  ): QuerySet<TRaw, Date> {
    refuseAfterSlice(this.#props, 'change');
    return this.#with<Date>({ dates: parseDates(this.model, field, kind, order, false), lean: true });
  }

  /**
   * As {@link dates}, truncated to the hour, minute or second too: Django's
   * `datetimes()`, in UTC.
   *
   * @example
   * ```ts
   * await Entry.objects.datetimes('pub_date', 'hour'); // [1968-08-26T00:00:00Z, 2019-09-27T00:00:00Z]
   * ```
   */
  datetimes<const K extends string>(
    field: CheckedNames<TRaw, TResult, [K]>[0],
    kind: DateTimeKind,
    order: 'ASC' | 'DESC' = 'ASC',
  ): QuerySet<TRaw, Date> {
    refuseAfterSlice(this.#props, 'change');
    return this.#with<Date>({ dates: parseDates(this.model, field, kind, order, true), lean: true });
  }
}

export { toQ };
