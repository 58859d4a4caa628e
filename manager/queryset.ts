// The QuerySet: immutable and lazy, as Django's. Each method returns a new
// QuerySet built from frozen props; the database is touched only when it is
// awaited, iterated, or a terminal method runs.
import mongoose, { type Model } from 'mongoose';
import { DoesNotExist, FieldError, MultipleObjectsReturned, ValidationError } from '../core/errors.js';
import { QNode, toQ, type FilterInput } from './q.js';
import type { CheckedFilters } from './filter-types.js';
import { compileFilter, type CompileScope } from './compile.js';
import { compileUpdate } from './update.js';
import { resolveKey, primaryKeyOf } from './resolve.js';
import type { MongoFilter } from './lookups.js';

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

  constructor(model: Model<TRaw>, props: Props = EMPTY) {
    this.#model = model;
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
  filter<const Fs extends readonly (QNode | FilterInput)[]>(...filters: Fs & CheckedFilters<TRaw, Fs>): QuerySet<TRaw, TResult> {
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
  exclude<const Fs extends readonly (QNode | FilterInput)[]>(...filters: Fs & CheckedFilters<TRaw, Fs>): QuerySet<TRaw, TResult> {
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
    for (const key of keys) this.#path(key.replace(/^-/, ''));
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
    for (const f of fields) this.#path(f);
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
    for (const f of fields) this.#path(f);
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
   * Entry.objects.filter({ blog__name__startswith: 'Beatles' }).toMongo().filter; // { 'blog.name': { $regex: '^Beatles' } }
   * ```
   */
  toMongo(): MongoQuery {
    const p = this.#props;
    const sort = p.order.length
      ? Object.fromEntries(
          p.order.map((k) => [this.#path(k.replace(/^-/, '')), (k.startsWith('-') ? -1 : 1) as SortDirection]),
        )
      : undefined;
    let projection = p.projection;
    if (p.values && p.values.fields.length > 0) {
      projection = Object.fromEntries(p.values.fields.map((f) => [this.#path(f), 1 as const]));
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
      const path = values.fields.length > 0 ? this.#path(f) : f;
      return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
    });
    if (values.flat) return picked[0];
    if (values.list) return picked;
    return Object.fromEntries(fields.map((f, i) => [f, picked[i]]));
  }

  /** Runs the query and returns every result. */
  async fetch(): Promise<TResult[]> {
    if (this.#props.empty || this.#props.limit === 0) return [];
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
  async get<const Fs extends readonly (QNode | FilterInput)[]>(...filters: Fs & CheckedFilters<TRaw, Fs>): Promise<TResult> {
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
    if (this.#props.empty) return 0;
    const result = await this.#model.deleteMany(this.toMongo().filter as mongoose.QueryFilter<TRaw>).exec();
    return result.deletedCount;
  }

  /** The primary key's path for this model (`_id`, or the auto-increment field). */
  get pkPath(): string {
    return primaryKeyOf(this.#model.schema);
  }
}

export { toQ };
