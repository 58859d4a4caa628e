// The root of the QuerySet: its frozen state (the model and the props) and
// the terminal methods that run it as it stands: fetch (and await, iteration),
// count, exists, aggregate, update, delete, explain; toMongo and toPipeline
// show what they send. Each compiles the props (queryset-compile.ts) and
// sends them (queryset-exec.ts). get() and its kin, which narrow the QuerySet
// first, are in queryset-get.ts; the methods that return a new QuerySet, in
// queryset.ts.
import type { Model } from 'mongoose';
import { primaryKeyOf } from './resolve.js';
import type { ModelOf } from './model-of.js';
import { specOf, type AggregateNode, type AggregateSpec } from './aggregates.js';
import type { AggregateResult, CheckedAggregates, DefaultAliased } from './aggregate-types.js';
import { inlineUpdate } from './annotations-compile.js';
import { EMPTY, type Props } from './queryset-props.js';
import { compilePipeline, compileQuery, type MongoQuery } from './queryset-compile.js';
import { assertChunkSize } from './bulk-checks.js';
import {
  aggregateRow,
  aggregatesDistinctRows,
  anyMatches,
  countMatches,
  deleteMatches,
  explainQuery,
  fetchAll,
  iterate,
  updateMatches,
} from './queryset-exec.js';
import {
  compileDistinctAggregation,
  compileDistinctRows,
  countDistinctRows,
  fetchDistinctRows,
  groupsRows,
} from './distinct-rows.js';
import { fetchDates } from './dates.js';
import type { UpdateOptions } from './update-run.js';
import type { CheckedUpdate } from './update-types.js';

// The QuerySet's other layers (queryset-get.ts, queryset.ts) read its props
// through propsOf, not through a member: a member, even a protected one,
// would be a name on every QuerySet and on users' subclasses.
let readProps: (qs: object) => Props;

/**
 * The frozen props of a QuerySet, for the modules that make up the QuerySet.
 *
 * @example
 * ```ts
 * propsOf(Entry.objects.orderBy('-rating')).order; // [{ key: '-rating', path: 'rating', direction: -1 }]
 * ```
 */
export function propsOf<TRaw, TResult>(qs: TerminalQuerySet<TRaw, TResult>): Props {
  return readProps(qs);
}

/**
 * A copy of `qs` with these changes to its props, of the class of `qs`, as
 * Django's `_clone`: a QuerySet subclass keeps its own methods through
 * filter(), none(), … (its constructor takes (model, props)).
 *
 * @example
 * ```ts
 * const unordered = derive(Entry.objects.orderBy('headline'), { order: [] });
 * ```
 */
export function derive<TRaw, TResult>(
  qs: TerminalQuerySet<TRaw, TResult>,
  changes: Partial<Props>,
): TerminalQuerySet<TRaw, TResult> {
  const Same = qs.constructor as new (model: Model<TRaw>, props: Props) => TerminalQuerySet<TRaw, TResult>;
  return new Same(qs.model, { ...readProps(qs), ...changes });
}

/**
 * A lazy, immutable query over one model, as it runs: the base of
 * {@link QuerySet}, which adds the methods that return a new QuerySet.
 *
 * @example
 * ```ts
 * const qs = Entry.objects.filter({ rating__gte: 4 });
 * const [entries, n] = await Promise.all([qs.fetch(), qs.count()]);
 * ```
 */
export abstract class TerminalQuerySet<TRaw = Record<string, unknown>, TResult = unknown> implements PromiseLike<
  TResult[]
> {
  readonly #model: Model<TRaw>;
  readonly #props: Props;

  static {
    readProps = (qs) => (qs as TerminalQuerySet).#props;
  }

  constructor(model: ModelOf<TRaw>, props: Props = EMPTY) {
    this.#model = model as unknown as Model<TRaw>;
    this.#props = Object.freeze(props);
  }

  /** The model this QuerySet reads. */
  get model(): Model<TRaw> {
    return this.#model;
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
  get ordered(): boolean {
    return this.#props.empty || this.#props.order.length > 0;
  }
}
