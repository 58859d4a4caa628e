// The QuerySet: immutable and lazy, as Django's. Each method returns a new
// QuerySet built from frozen props; the database is touched only when it is
// awaited, iterated, or a terminal method runs.
import mongoose, { type Model } from 'mongoose';
import {
  DoesNotExist,
  FieldError,
  MultipleObjectsReturned,
  NotSupportedError,
  ValidationError,
} from '../core/errors.js';
import { QNode, toQ, type FilterInput } from './q.js';
import type { CheckedFilters } from './filter-types.js';
import { compileFilter, type CompileScope } from './compile.js';
import { compileUpdate } from './update.js';
import { resolveKey, primaryKeyOf } from './resolve.js';
import { rowVerdict } from '../core/row-verdicts.js';
import type { MongoFilter } from './lookups.js';
import type { ModelOf } from './model-of.js';
import {
  compileAggregation,
  compileAnnotations,
  type AggregateResult,
  type AggregateSpec,
  type Annotated,
  type AnnotationSpec,
} from './aggregates.js';

type SortDirection = 1 | -1;

interface Props {
  readonly where: QNode;
  readonly empty: boolean;
  readonly order: readonly string[];
  readonly skip: number | undefined;
  readonly limit: number | undefined;
  readonly lean: boolean;
  readonly projection: Readonly<Record<string, 0 | 1>> | undefined;
  readonly values: { readonly fields: readonly string[]; readonly list: boolean; readonly flat: boolean } | undefined;
  /** annotate()'s names and expressions, in order; orderBy and values may name them. */
  readonly annotations: AnnotationSpec;
}

/** What `qs.toMongo()` shows: exactly what will be sent. */
export interface MongoQuery {
  readonly collection: string;
  readonly filter: MongoFilter;
  readonly projection: Readonly<Record<string, 0 | 1>> | undefined;
  readonly sort: Readonly<Record<string, SortDirection>> | undefined;
  readonly skip: number | undefined;
  readonly limit: number | undefined;
}

const EMPTY: Props = Object.freeze({
  where: new QNode('AND', false, []),
  empty: false,
  order: [],
  skip: undefined,
  limit: undefined,
  lean: false,
  projection: undefined,
  values: undefined,
  annotations: Object.freeze({}),
});

function wrapCast(err: unknown, modelName: string): never {
  if (err instanceof mongoose.Error.CastError) {
    throw new ValidationError(`${modelName}.${err.path}: ${err.message}`, `${modelName}.${err.path}`, { cause: err });
  }
  if (err instanceof mongoose.Error.ValidationError) {
    const field = Object.keys(err.errors)[0] ?? '';
    throw new ValidationError(`${modelName}: ${err.message}`, `${modelName}.${field}`, { cause: err });
  }
  throw err;
}

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
    return new QuerySet<TRaw, R>(this.#model, { ...this.#props, ...changes });
  }

  get #scope(): CompileScope {
    return { schema: this.#model.schema, modelName: this.#model.modelName };
  }

  #path(key: string): string {
    const resolved = resolveKey(this.#model.schema, this.#model.modelName, key);
    if (resolved.lookups.length > 0) throw new FieldError(`${key} names a lookup; give a field, e.g. blog__name.`);
    return resolved.path;
  }

  /** A field's path, or an annotation's name: what orderBy and values may name. */
  #key(key: string): string {
    return Object.hasOwn(this.#props.annotations, key) ? key : this.#path(key);
  }

  // updateMany and deleteMany take no skip or limit: a sliced update or
  // delete would change every match, so it is refused, as in Django.
  #refuseSlice(method: 'update' | 'delete'): void {
    if (this.#props.skip === undefined && this.#props.limit === undefined) return;
    throw new NotSupportedError(
      `Cannot use a slice (skip/limit) with ${method}(): it would change every match, not the slice. ` +
        `Select the documents first, e.g. filter({ pk__in: await qs.valuesList('pk', { flat: true }) }).${method}(…).`,
    );
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
  filter<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: Fs & CheckedFilters<TRaw, Fs>
  ): QuerySet<TRaw, TResult> {
    return this.#with({ where: this.#props.where.and(...filters) });
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
  exclude<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: Fs & CheckedFilters<TRaw, Fs>
  ): QuerySet<TRaw, TResult> {
    return this.#with({ where: this.#props.where.and(new QNode('AND', false, []).and(...filters).not()) });
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
  orderBy(...keys: readonly string[]): QuerySet<TRaw, TResult> {
    for (const key of keys) this.#key(key.replace(/^-/, ''));
    return this.#with({ order: keys });
  }

  /** Django's spelling of {@link orderBy}. */
  order_by(...keys: readonly string[]): QuerySet<TRaw, TResult> {
    return this.orderBy(...keys);
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
    if (!Number.isInteger(start) || start < 0 || (end !== undefined && (!Number.isInteger(end) || end < start))) {
      throw new FieldError(
        'slice(start, end) takes whole numbers with 0 <= start <= end; negative indexing is not supported.',
      );
    }
    const skip = (this.#props.skip ?? 0) + start;
    const fromEnd = end === undefined ? undefined : end - start;
    const limit =
      this.#props.limit === undefined ? fromEnd : Math.max(0, Math.min(this.#props.limit - start, fromEnd ?? Infinity));
    return this.#with({ skip, limit });
  }

  /** Plain objects instead of Mongoose documents. */
  lean(): QuerySet<TRaw, TRaw> {
    return this.#with<TRaw>({ lean: true });
  }

  /** Loads only these fields (and the primary key). */
  only(...fields: readonly string[]): QuerySet<TRaw, TResult> {
    return this.#with({ projection: Object.fromEntries(fields.map((f) => [this.#path(f), 1 as const])) });
  }

  /** Loads everything but these fields. */
  defer(...fields: readonly string[]): QuerySet<TRaw, TResult> {
    return this.#with({ projection: Object.fromEntries(fields.map((f) => [this.#path(f), 0 as const])) });
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
  values(...fields: readonly string[]): QuerySet<TRaw, Record<string, unknown>> {
    for (const f of fields) this.#key(f);
    return this.#with<Record<string, unknown>>({ values: { fields, list: false, flat: false }, lean: true });
  }

  /**
   * Tuples of the given fields; with `{ flat: true }` and one field, the bare values.
   *
   * @example
   * ```ts
   * await Entry.objects.orderBy('headline').valuesList('headline', { flat: true }); // ['Abbey Road', 'Hey Jude']
   * ```
   */
  valuesList(...args: readonly (string | { flat?: boolean })[]): QuerySet<TRaw, unknown> {
    const options = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as { flat?: boolean }) : {};
    const fields = args.filter((a): a is string => typeof a === 'string');
    if (options.flat && fields.length !== 1)
      throw new FieldError('valuesList(..., { flat: true }) takes exactly one field.');
    for (const f of fields) this.#key(f);
    return this.#with<unknown>({ values: { fields, list: true, flat: options.flat === true }, lean: true });
  }

  /** Django's spelling of {@link valuesList}. */
  values_list(...args: readonly (string | { flat?: boolean })[]): QuerySet<TRaw, unknown> {
    return this.valuesList(...args);
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
    const p = this.#props;
    const sort = p.order.length
      ? Object.fromEntries(
          p.order.map((k) => [this.#key(k.replace(/^-/, '')), (k.startsWith('-') ? -1 : 1) as SortDirection]),
        )
      : undefined;
    let projection = p.projection;
    if (p.values && p.values.fields.length > 0) {
      projection = Object.fromEntries(p.values.fields.map((f) => [this.#key(f), 1 as const]));
    }
    return Object.freeze({
      collection: this.#model.collection.collectionName,
      filter: compileFilter(this.#scope, p.where),
      projection,
      sort,
      skip: p.skip,
      limit: p.limit,
    });
  }

  #find(query: MongoQuery) {
    const q = this.#model.find(query.filter as mongoose.QueryFilter<TRaw>, query.projection);
    if (query.sort) q.sort(query.sort);
    if (query.skip) q.skip(query.skip);
    if (query.limit !== undefined) q.limit(query.limit);
    return q;
  }

  #shape(doc: Record<string, unknown>): unknown {
    const values = this.#props.values;
    if (!values) return doc;
    const fields = values.fields.length > 0 ? values.fields : Object.keys(doc);
    const picked = fields.map((f) => {
      const path = values.fields.length > 0 ? this.#key(f) : f;
      // A value the document lacks (or whose parent it lacks) is null, as a
      // missing column would be in Django, never undefined.
      return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k] ?? null, doc);
    });
    if (values.flat) return picked[0];
    if (values.list) return picked;
    return Object.fromEntries(fields.map((f, i) => [f, picked[i]]));
  }

  /** Runs the query and returns every result. */
  async fetch(): Promise<TResult[]> {
    if (this.#props.empty || this.#props.limit === 0) return [];
    if (this.#annotated) return this.#fetchAnnotated();
    const query = this.toMongo();
    try {
      const found = this.#props.lean ? await this.#find(query).lean() : await this.#find(query);
      return (
        this.#props.values ? (found as Record<string, unknown>[]).map((d) => this.#shape(d)) : found
      ) as TResult[];
    } catch (err) {
      return wrapCast(err, this.#model.modelName);
    }
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
   * for await (const entry of Entry.objects.all().iterator({ chunkSize: 500 })) handle(entry);
   * ```
   */
  async *iterator(options: { chunkSize?: number } = {}): AsyncGenerator<TResult> {
    if (this.#props.empty || this.#props.limit === 0) return;
    if (this.#annotated) {
      const cursor = this.#pipeline(this.toPipeline()).cursor({
        batchSize: options.chunkSize ?? 2000,
      });
      const projection = this.#pipelineProjection(this.toMongo().projection);
      for await (const row of cursor)
        yield this.#annotatedResult(row as Record<string, unknown>, projection) as TResult;
      return;
    }
    const query = this.#find(this.toMongo()).batchSize(options.chunkSize ?? 2000);
    const cursor = (this.#props.lean ? query.lean() : query).cursor();
    for await (const doc of cursor) yield this.#shape(doc as Record<string, unknown>) as TResult;
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
  async explain(): Promise<unknown> {
    if (this.#annotated) return this.#pipeline(this.toPipeline()).explain();
    return this.#find(this.toMongo()).explain();
  }

  /** How many documents match. */
  async count(): Promise<number> {
    if (this.#props.empty) return 0;
    const { filter, skip, limit } = this.toMongo();
    return this.#model.countDocuments(filter as mongoose.QueryFilter<TRaw>, { skip, limit }).exec();
  }

  /** Whether any document matches; reads at most one `_id`. */
  async exists(): Promise<boolean> {
    if (this.#props.empty) return false;
    const query = this.toMongo();
    const found = await this.#find({ ...query, projection: { _id: 1 }, limit: 1 }).lean();
    return found.length > 0;
  }

  /**
   * Exactly one matching document, else {@link DoesNotExist} or {@link MultipleObjectsReturned}.
   *
   * @example
   * ```ts
   * const entry = await Entry.objects.get({ headline: 'Hey Jude' });
   * ```
   */
  async get<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: Fs & CheckedFilters<TRaw, Fs>
  ): Promise<TResult> {
    const found = await this.filter(...(filters as unknown as never[]))
      .slice(0, 2)
      .fetch();
    const name = this.#model.modelName;
    const [one, another] = found;
    if (one === undefined) throw new DoesNotExist(`${name} matching query does not exist.`);
    if (another !== undefined) throw new MultipleObjectsReturned(`get() returned more than one ${name}.`);
    return one;
  }

  #ordered(): QuerySet<TRaw, TResult> {
    return this.#props.order.length > 0 ? this : this.orderBy('pk');
  }

  /** The first result by the ordering (by primary key when unordered), or undefined. */
  async first(): Promise<TResult | undefined> {
    return (await this.#ordered().slice(0, 1).fetch())[0];
  }

  /** The last result by the ordering (by primary key when unordered), or undefined. */
  async last(): Promise<TResult | undefined> {
    const order = this.#ordered().#props.order.map((k) => (k.startsWith('-') ? k.slice(1) : `-${k}`));
    return (
      await this.orderBy(...order)
        .slice(0, 1)
        .fetch()
    )[0];
  }

  /** The document with the smallest value of `field`; DoesNotExist when none. */
  async earliest(field: string): Promise<TResult> {
    const found = await this.orderBy(field).first();
    if (found === undefined) throw new DoesNotExist(`${this.#model.modelName} matching query does not exist.`);
    return found;
  }

  /** The document with the largest value of `field`; DoesNotExist when none. */
  async latest(field: string): Promise<TResult> {
    return this.earliest(`-${field}`);
  }

  /** Distinct values of a field among the matches. */
  async distinct(field: string): Promise<unknown[]> {
    if (this.#props.empty) return [];
    return this.#model.distinct(this.#path(field), this.toMongo().filter as mongoose.QueryFilter<TRaw>).exec();
  }

  /**
   * Applies changes to every match; returns how many matched. Keys are fields
   * or MongoEngine's `inc__`, `push__`, … ; values may be F expressions.
   *
   * @example
   * ```ts
   * await Entry.objects.filter({ headline: 'Hey Jude' }).update({ inc__views: 1, blog__name: 'B' });
   * ```
   */
  async update(changes: Readonly<Record<string, unknown>>): Promise<number> {
    this.#refuseSlice('update');
    if (this.#props.empty) return 0;
    const update = compileUpdate(this.#scope, changes);
    const filter = this.toMongo().filter as mongoose.QueryFilter<TRaw>;
    try {
      const result = await this.#model
        .updateMany(filter, update as mongoose.UpdateQuery<TRaw>, { strict: 'throw' })
        .exec();
      return result.matchedCount;
    } catch (err) {
      return wrapCast(err, this.#model.modelName);
    }
  }

  /** Deletes every match; returns how many were deleted. */
  async delete(): Promise<number> {
    this.#refuseSlice('delete');
    if (this.#props.empty) return 0;
    const result = await this.#model.deleteMany(this.toMongo().filter as mongoose.QueryFilter<TRaw>).exec();
    return result.deletedCount;
  }

  /** The primary key's path for this model (`_id`, or the auto-increment field). */
  get pkPath(): string {
    return primaryKeyOf(this.#model.schema);
  }

  // Aggregation. aggregate() folds the matches into one row; annotate() adds
  // values per document, and then results come from an aggregation pipeline.

  // Stages are compiled as plain objects, which Mongoose's PipelineStage
  // union does not describe. Mongoose does not cast pipelines; the filter in
  // $match was cast when it was compiled.
  #pipeline(pipeline: readonly Record<string, unknown>[]) {
    return this.#model.aggregate<Record<string, unknown>>(pipeline as unknown as mongoose.PipelineStage[]);
  }

  get #annotated(): boolean {
    return Object.keys(this.#props.annotations).length > 0;
  }

  #isModelMember(name: string): boolean {
    try {
      if (resolveKey(this.#model.schema, this.#model.modelName, name).lookups.length === 0) return true;
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
    }
    return name in (this.#model.prototype as object);
  }

  /**
   * Adds a value to each result, computed by the server: an F() expression,
   * or Sum, Avg, Min, Max or Count over an array of the same document. The
   * names can be used in orderBy, values and valuesList, and read on each
   * result (`entry.n_comments`). Filtering on them is not supported.
   *
   * @example
   * ```ts
   * await Entry.objects.annotate({ n_comments: Count('comments'), net: F('likes').minus(F('views')) }).orderBy('-n_comments');
   * // [{ $match: {} },
   * //  { $addFields: { n_comments: { $size: { $ifNull: ['$comments', []] } }, net: { $subtract: ['$likes', '$views'] } } },
   * //  { $sort: { n_comments: -1 } }]
   * ```
   */
  annotate<S extends AnnotationSpec>(spec: S): QuerySet<TRaw, TResult & Annotated<S>> {
    compileAnnotations(this.#scope, spec);
    for (const name of Object.keys(spec)) {
      if (Object.hasOwn(this.#props.annotations, name)) {
        throw new FieldError(`The annotation ${JSON.stringify(name)} is already defined on this QuerySet.`);
      }
      if (this.#isModelMember(name)) {
        throw new FieldError(
          `The annotation ${JSON.stringify(name)} conflicts with a field or method of ${this.#model.modelName}.`,
        );
      }
    }
    return this.#with<TResult & Annotated<S>>({
      annotations: Object.freeze({ ...this.#props.annotations, ...spec }),
    });
  }

  /**
   * Folds the matches into one object in one round trip: `$match`, then a
   * `$group` with `_id: null`. Sum, Avg, Min and Max give null over no
   * matches, Count gives 0, as Django's. Aggregates over a slice fold that
   * slice; over an annotated QuerySet they may fold the annotations.
   *
   * @example
   * ```ts
   * await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ total: Sum('views'), n: Count() });
   * // { total: 400, n: 2 }, from
   * // [{ $match: { 'blog.name': 'Beatles Blog' } }, { $group: { _id: null, total: { $sum: '$views' }, n: { $sum: 1 } } }]
   * ```
   */
  async aggregate<S extends AggregateSpec>(spec: S): Promise<AggregateResult<S>> {
    const pipeline = this.toPipeline(spec);
    const names = Object.keys(spec);
    let row: Record<string, unknown> | undefined;
    if (names.length > 0 && !this.#props.empty && this.#props.limit !== 0) {
      [row] = await this.#pipeline(pipeline).exec();
    }
    return Object.fromEntries(
      names.map((name) => [name, row?.[name] ?? (spec[name]?.fn === 'count' ? 0 : null)]),
    ) as AggregateResult<S>;
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
    const query = this.toMongo();
    const names = Object.keys(this.#props.annotations);
    const pipeline: Record<string, unknown>[] = [{ $match: query.filter }];
    if (names.length > 0) pipeline.push({ $addFields: compileAnnotations(this.#scope, this.#props.annotations) });
    // Ordering changes an aggregate only through which rows a slice keeps.
    const window = aggregates === undefined || Boolean(query.skip) || query.limit !== undefined;
    if (window && query.sort) pipeline.push({ $sort: query.sort });
    if (window && query.skip) pipeline.push({ $skip: query.skip });
    if (window && query.limit !== undefined) pipeline.push({ $limit: query.limit });
    if (aggregates !== undefined) {
      return [...pipeline, ...compileAggregation({ ...this.#scope, annotations: new Set(names) }, aggregates)];
    }
    const projection = this.#pipelineProjection(query.projection);
    if (projection) pipeline.push({ $project: projection });
    return pipeline;
  }

  // only() lists fields to keep; the annotations are kept too, as Django's.
  #pipelineProjection(projection: MongoQuery['projection']): MongoQuery['projection'] {
    if (!projection || this.#props.values || !Object.values(projection).includes(1)) return projection;
    return { ...projection, ...Object.fromEntries(Object.keys(this.#props.annotations).map((n) => [n, 1 as const])) };
  }

  async #fetchAnnotated(): Promise<TResult[]> {
    const pipeline = this.toPipeline();
    const rows = await this.#pipeline(pipeline).exec();
    const projection = this.#pipelineProjection(this.toMongo().projection);
    return rows.map((row) => this.#annotatedResult(row, projection)) as TResult[];
  }

  #annotatedResult(row: Record<string, unknown>, projection: MongoQuery['projection']): unknown {
    if (this.#props.lean) {
      // A strict model's cursor row that failed its check (hydrate raises it otherwise).
      const verdict = rowVerdict(row);
      if (verdict) throw verdict;
      return this.#shape(row);
    }
    // Model.hydrate keeps the schema's strict mode, so the document behaves as
    // one from find(). Each annotation becomes an own, non-enumerable property,
    // a plain attribute as in Django. Not doc.set(name, v, { strict: false }):
    // that marks the path modified and a later save() would store it. Not
    // hydrate(row, p, { strict: false }): that turns strict mode off for the
    // whole document, so any later set() of an unknown path would be saved.
    const doc = this.#model.hydrate(row, projection) as object;
    for (const name of Object.keys(this.#props.annotations)) {
      Object.defineProperty(doc, name, { value: row[name], writable: true, configurable: true, enumerable: false });
    }
    return doc;
  }
}

export { toQ };
