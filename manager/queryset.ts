// The QuerySet: immutable and lazy, as Django's. Each method returns a new
// QuerySet built from frozen props; the database is touched only when it is
// awaited, iterated, or a terminal method runs. Data flows one way: the
// methods here parse what they are given (parse.ts, parse-names.ts) into the
// props (queryset-props.ts), which are compiled (queryset-compile.ts), sent
// (queryset-exec.ts) and their rows shaped (queryset-shape.ts).
import type { Model } from 'mongoose';
import { DoesNotExist, MultipleObjectsReturned } from '../core/errors.js';
import { toQ, type FilterArgument } from './q.js';
import type { CheckedFilters } from './filter-types.js';
import type {
  CheckedName,
  CheckedNames,
  CheckedOrder,
  DistinctValue,
  ValuesListRow,
  ValuesRow,
} from './field-types.js';
import { primaryKeyOf } from './resolve.js';
import type { ModelOf } from './model-of.js';
import { specOf, type AggregateNode, type AggregateSpec, type AnnotationSpec } from './aggregates.js';
import type {
  AggregateResult,
  Annotated,
  CheckedAggregates,
  DefaultAliased,
  AnnotatedFields,
} from './aggregate-types.js';
import { groupingFor } from './annotations-group.js';
import { inlineUpdate } from './annotations-compile.js';
import { GroupNode } from './nodes.js';
import { parseAnnotated } from './annotations-scope.js';
import { fieldPath, parseOrder, parseValues, reverseOrder } from './parse-names.js';
import { EMPTY, scopeOf, sliceWindow, type Props } from './queryset-props.js';
import { compilePipeline, compileQuery, type MongoQuery } from './queryset-compile.js';
import { checkAnnotations, refuseAfterSlice, withAnnotations } from './queryset-checks.js';
import { parseRelated } from './relations-select.js';
import type { CheckedRelated } from './relation-types.js';
import { assertChunkSize } from './bulk-checks.js';
import {
  aggregateRow,
  aggregatesDistinctRows,
  anyMatches,
  countMatches,
  deleteMatches,
  distinctValues,
  explainQuery,
  fetchAll,
  iterate,
  updateMatches,
} from './queryset-exec.js';
import { orderFor, reversedProps } from './reverse.js';
import { refuseAfterValues } from './queryset-checks.js';
import {
  compileDistinctAggregation,
  compileDistinctRows,
  countDistinctRows,
  fetchDistinctRows,
  groupsRows,
} from './distinct-rows.js';
import { inBulk } from './in-bulk.js';
import { fetchDates, parseDates, type DateKind, type DateTimeKind } from './dates.js';

import type { UpdateOptions } from './update-run.js';
import type { CheckedUpdate } from './update-types.js';

export type { MongoQuery };

// get() reads at most this many matches, to say how many it found without
// counting them all: Django's MAX_GET_RESULTS.
const MAX_GET_RESULTS = 21;

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
export class QuerySet<TRaw = Record<string, unknown>, TResult = unknown> implements PromiseLike<TResult[]> {
  readonly #model: Model<TRaw>;
  readonly #props: Props;

  constructor(model: ModelOf<TRaw>, props: Props = EMPTY) {
    this.#model = model as unknown as Model<TRaw>;
    this.#props = Object.freeze(props);
  }

  /** The model this QuerySet reads. */
  get model(): Model<TRaw> {
    return this.#model;
  }

  #with<R = TResult>(changes: Partial<Props>): QuerySet<TRaw, R> {
    // The class of `this`, as Django's _clone: a QuerySet subclass keeps its
    // own methods through filter(), none(), … (its constructor takes (model, props)).
    const Same = this.constructor as new (model: ModelOf<TRaw>, props: Props) => QuerySet<TRaw, R>;
    return new Same(this.#model as unknown as ModelOf<TRaw>, { ...this.#props, ...changes });
  }

  /**
   * The filters, parsed against this model's schema and annotations, joined
   * to what this QuerySet has: to `having` when they name an annotation.
   */
  #where(filters: readonly FilterArgument[], negated = false): Pick<Props, 'where' | 'having'> {
    // As Django's: filter() with nothing to add is a copy, sliced or not.
    if (filters.length > 0) refuseAfterSlice(this.#props, 'filter');
    const parsed = parseAnnotated(scopeOf(this.#model), this.#props.annotations, filters, negated);
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
  filter<const Fs extends readonly FilterArgument[]>(
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
  orderBy<const Ks extends readonly string[]>(...keys: CheckedOrder<TRaw, TResult, Ks>): QuerySet<TRaw, TResult> {
    refuseAfterSlice(this.#props, 'reorder');
    return this.#with({
      order: orderFor(this.#props, parseOrder(scopeOf(this.#model), this.#props.annotations, keys)),
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
  slice(start: number, end?: number): QuerySet<TRaw, TResult> {
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
      populate: parseRelated(this.#model, this.#props.populate, names, 'select'),
      select: parseRelated(this.#model, this.#props.select, names, 'select'),
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
    return this.#with({ populate: parseRelated(this.#model, this.#props.populate, names, 'prefetch') });
  }

  /** Plain objects instead of Mongoose documents. */
  lean(): QuerySet<TRaw, TRaw> {
    return this.#with<TRaw>({ lean: true });
  }

  /** Loads only these fields (and the primary key). */
  only<const Ks extends readonly string[]>(...fields: CheckedNames<TRaw, TResult, Ks>): QuerySet<TRaw, TResult> {
    refuseAfterValues(this.#props, 'only');
    const scope = scopeOf(this.#model);
    return this.#with({ projection: Object.fromEntries(fields.map((f) => [fieldPath(scope, f), 1 as const])) });
  }

  /** Loads everything but these fields. */
  defer<const Ks extends readonly string[]>(...fields: CheckedNames<TRaw, TResult, Ks>): QuerySet<TRaw, TResult> {
    refuseAfterValues(this.#props, 'defer');
    const scope = scopeOf(this.#model);
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
    const values = parseValues(scopeOf(this.#model), this.#props.annotations, fields, false);
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
    const values = parseValues(scopeOf(this.#model), this.#props.annotations, args, true);
    return this.#with<ValuesListRow<TRaw, TResult, Args>>({ values, lean: true });
  }

  /** Django's spelling of {@link valuesList}. */
  values_list<const Args extends readonly (string | { readonly flat?: boolean })[] = []>(
    ...args: CheckedNames<TRaw, TResult, Args>
  ): QuerySet<TRaw, ValuesListRow<TRaw, TResult, Args>> {
    return this.valuesList<readonly (string | { readonly flat?: boolean })[]>(...args) as QuerySet<TRaw, never>;
  }

  /**
   * The query that will be sent, as Django's `qs.query`.
   *
   * @example
   * ```ts
   * Entry.objects.filter({ blog__name__startswith: 'Beatles' }).toMongo().filter; // { 'blog.name': /^Beatles/ }
   * ```
   */
  toMongo(): MongoQuery {
    return compileQuery(this.#model, this.#props);
  }

  /** Runs the query and returns every result. */
  fetch(): Promise<TResult[]> {
    if (groupsRows(this.#props)) return fetchDistinctRows(this.#model, this.#props) as Promise<TResult[]>;
    if (this.#props.dates) return fetchDates(this.#model, this.#props, this.#props.dates) as Promise<TResult[]>;
    return fetchAll<TRaw, TResult>(this.#model, this.#props);
  }

  then<A = TResult[], B = never>(
    onfulfilled?: ((value: TResult[]) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.fetch().then(onfulfilled, onrejected);
  }

  /**
   * Streams results through a server cursor, `chunkSize` documents a batch.
   *
   * @example
   * ```ts
   * for await (const entry of Entry.objects.all().iterator({ chunkSize: 500 })) console.log(entry.headline);
   * ```
   */
  iterator(options: { chunkSize?: number } = {}): AsyncGenerator<TResult> {
    // Checked here, not in the generator, so that the call itself throws, as Django's does.
    assertChunkSize(options.chunkSize, this.#model.modelName);
    if (groupsRows(this.#props) || this.#props.dates)
      return (async function* (rows: Promise<TResult[]>) {
        yield* await rows;
      })(this.fetch());
    return iterate<TRaw, TResult>(this.#model, this.#props, options);
  }

  [Symbol.asyncIterator](): AsyncGenerator<TResult> {
    return this.iterator();
  }

  /**
   * The server's query plan for this QuerySet.
   *
   * @example
   * ```ts
   * const plan = await Entry.objects.filter({ rating__gte: 4 }).explain();
   * ```
   */
  explain(): Promise<unknown> {
    return explainQuery(this.#model, this.#props);
  }

  /** How many documents match. */
  count(): Promise<number> {
    if (groupsRows(this.#props)) return countDistinctRows(this.#model, this.#props);
    if (this.#props.dates) return this.fetch().then((dates) => dates.length);
    return countMatches(this.#model, this.#props);
  }

  /** Whether any document matches; reads at most one `_id`. */
  exists(): Promise<boolean> {
    return anyMatches(this.#model, this.#props);
  }

  /**
   * Exactly one matching document, else {@link DoesNotExist} or {@link MultipleObjectsReturned}.
   *
   * @example
   * ```ts
   * const entry = await Entry.objects.get({ headline: 'Hey Jude' });
   * ```
   */
  async get<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<AnnotatedFields<TRaw, TResult>, Fs>
  ): Promise<TResult> {
    const filtered = this.filter(...(filters as unknown as never[]));
    // As Django's: the order of at most one match is moot, unless a slice picks which.
    const sliced = this.#props.skip !== undefined || this.#props.limit !== undefined;
    const found = await (sliced ? filtered : filtered.#with({ order: [] })).slice(0, MAX_GET_RESULTS).fetch();
    const name = this.#model.modelName;
    const [one] = found;
    if (one === undefined) throw new DoesNotExist(`${name} matching query does not exist.`);
    if (found.length > 1) {
      const n = found.length < MAX_GET_RESULTS ? String(found.length) : `more than ${MAX_GET_RESULTS - 1}`;
      throw new MultipleObjectsReturned(`get() returned more than one ${name} -- it returned ${n}!`);
    }
    return one;
  }

  #ordered(): QuerySet<TRaw, TResult> {
    return this.#props.order.length > 0 ? this : this.orderBy<readonly string[]>('pk');
  }

  /** The first result by the ordering (by primary key when unordered), or undefined. */
  async first(): Promise<TResult | undefined> {
    return (await this.#ordered().slice(0, 1).fetch())[0];
  }

  /** The last result by the ordering (by primary key when unordered), or undefined. */
  async last(): Promise<TResult | undefined> {
    refuseAfterSlice(this.#props, 'reverse');
    const order = reverseOrder(this.#ordered().#props.order);
    return (await this.#with({ order }).slice(0, 1).fetch())[0];
  }

  /** The document with the smallest value of `field`; DoesNotExist when none. */
  async earliest<const K extends string>(...field: CheckedNames<TRaw, TResult, [K]>): Promise<TResult> {
    refuseAfterSlice(this.#props, 'change');
    const found = await this.orderBy<readonly string[]>(field[0]).first();
    if (found === undefined) throw new DoesNotExist(`${this.#model.modelName} matching query does not exist.`);
    return found;
  }

  /** The document with the largest value of `field`; DoesNotExist when none. */
  async latest<const K extends string>(...field: CheckedNames<TRaw, TResult, [K]>): Promise<TResult> {
    return this.earliest<string>(`-${field[0]}`);
  }

  /**
   * The matches keyed by a unique field (the primary key by default), as
   * Django's `in_bulk()`: with `ids`, those among them; without, every
   * match. Keys are the field's text. A sliced QuerySet or values() rows are
   * refused ({@link NotSupportedError}), as a field that is not unique is
   * ({@link FieldError}), before anything is sent.
   *
   * @example
   * ```ts
   * const byId = await Entry.objects.filter({ rating__gte: 4 }).inBulk([id1, id2]); // { [String(id1)]: entry1 }
   * await Entry.objects.all().slice(0, 5).inBulk([id1]); // NotSupportedError: Cannot use 'limit' or 'offset' with in_bulk().
   * ```
   */
  inBulk<const K extends string = 'pk'>(
    ids?: readonly unknown[],
    options: { readonly fieldName?: CheckedName<TRaw, TResult, K> } = {},
  ): Promise<Record<string, TResult>> {
    const source = {
      props: this.#props,
      schema: this.#model.schema,
      modelName: this.#model.modelName,
      read: (filter: Readonly<Record<string, readonly unknown[]>> | undefined) =>
        (filter === undefined ? this : this.filter(...([filter] as unknown as never[]))).fetch(),
    };
    // async in effect: a refusal rejects, as every terminal method's.
    return Promise.resolve().then(() => inBulk(source, ids, options.fieldName ?? 'pk'));
  }

  /** Django's spelling of {@link inBulk}. */
  in_bulk<const K extends string = 'pk'>(
    ids?: readonly unknown[],
    options?: { readonly fieldName?: CheckedName<TRaw, TResult, K> },
  ): Promise<Record<string, TResult>> {
    return this.inBulk<K>(ids, options);
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
    return distinctValues(this.#model, this.#props, name);
  }

  /**
   * Applies changes to every match; returns how many matched (with
   * `{ upsert: true }`, 1 when none did and one was inserted). Keys are fields
   * or MongoEngine's `inc__`, `push__`, … ; values may be F expressions.
   *
   * @example
   * ```ts
   * await Entry.objects.filter({ headline: 'Hey Jude' }).update({ inc__views: 1, blog__name: 'B' });
   * await Entry.objects.filter({ headline: 'New' }).update({ set_on_insert__rating: 1 }, { upsert: true });
   * ```
   */
  async update<const U extends Readonly<Record<string, unknown>>>(
    changes: CheckedUpdate<TRaw, U>,
    options?: UpdateOptions,
  ): Promise<number> {
    // async, so a bad update rejects rather than throws, like every terminal method.
    return updateMatches(this.#model, this.#props, inlineUpdate(this.#props.annotations, changes), options);
  }

  /** Deletes every match; returns how many were deleted. */
  delete(): Promise<number> {
    return deleteMatches(this.#model, this.#props);
  }

  /** The primary key's path for this model (`_id`, or the auto-increment field). */
  get pkPath(): string {
    return primaryKeyOf(this.#model.schema);
  }

  // Aggregation, compiled in queryset-compile.ts. aggregate() folds the matches into
  // one row; annotate() adds values per document, and then results come from
  // an aggregation pipeline.

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
    checkAnnotations(this.#model, props.annotations, spec);
    return this.#with({
      annotations: Object.freeze({ ...props.annotations, ...spec }),
      grouping: groupingFor(props.values, props.grouping, spec),
      values: withAnnotations(props.values, Object.keys(spec)),
    });
  }

  /**
   * Folds the matches into one object in one round trip: `$match`, then a
   * `$group` with `_id: null`. Sum, Avg, Min and Max give null over no
   * matches (or their `default`), Count gives 0, as Django's. Aggregates over
   * a slice fold that slice; over an annotated QuerySet they may fold the
   * annotations; after values(...).distinct(), the distinct rows.
   *
   * @example
   * ```ts
   * await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ total: Sum('views'), n: Count() });
   * // { total: 400, n: 2 }, from
   * // [{ $match: { 'blog.name': 'Beatles Blog' } }, { $group: { _id: null, total: { $sum: '$views' }, n: { $sum: 1 } } }]
   * ```
   */
  aggregate<S extends AggregateSpec>(
    spec: CheckedAggregates<TRaw, TResult, S>,
  ): Promise<AggregateResult<S, TRaw, TResult>>;
  aggregate<const A extends readonly AggregateNode[]>(
    ...aggregates: CheckedAggregates<TRaw, TResult, A>
  ): Promise<AggregateResult<DefaultAliased<A>, TRaw, TResult>>;
  async aggregate(...args: readonly (AggregateNode | AggregateSpec)[]): Promise<unknown> {
    return aggregateRow(this.#model, this.#props, specOf(args) as AggregateSpec);
  }

  /**
   * The aggregation pipeline sent for this QuerySet: by fetch() when it has
   * annotations, or, given aggregates, by aggregate(). Like toMongo, it only
   * shows; nothing is sent.
   *
   * @example
   * ```ts
   * Entry.objects.annotate({ best: Max('comments__score') }).orderBy('-best').slice(0, 1).toPipeline();
   * // [{ $match: {} }, { $addFields: { best: { $max: '$comments.score' } } }, { $sort: { best: -1 } }, { $limit: 1 }]
   * Entry.objects.all().toPipeline({ n: Count() }); // [{ $match: {} }, { $group: { _id: null, n: { $sum: 1 } } }]
   * ```
   */
  toPipeline(aggregates?: AggregateSpec): Record<string, unknown>[] {
    if (aggregates === undefined && groupsRows(this.#props)) return compileDistinctRows(this.#model, this.#props);
    if (aggregates !== undefined && aggregatesDistinctRows(this.#props)) {
      return compileDistinctAggregation(this.#model, this.#props, aggregates);
    }
    return compilePipeline(this.#model, this.#props, aggregates);
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
   * Whether results come in a defined order: orderBy() was given, or the
   * QuerySet is none() (Django's `ordered`). Mongoose models have no default
   * ordering, so nothing else orders.
   *
   * @example
   * ```ts
   * Entry.objects.all().ordered; // false
   * Entry.objects.orderBy('pk').ordered; // true
   * ```
   */
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
    return this.#with<Date>({ dates: parseDates(this.#model, field, kind, order, false), lean: true });
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
    return this.#with<Date>({ dates: parseDates(this.#model, field, kind, order, true), lean: true });
  }

  get ordered(): boolean {
    return this.#props.empty || this.#props.order.length > 0;
  }
}

export { toQ };
