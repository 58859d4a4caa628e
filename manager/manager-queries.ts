// ManagerQueries: the half of Model.objects that reads. Django's Manager is a
// QuerySet factory bound to one model: each method here starts from
// getQueryset() and calls the QuerySet's method of the same name, so a custom
// manager that overrides getQueryset() changes them all. The creating methods
// are DjongoManager's (manager.ts), which extends this class.
import type { UpdateOptions } from './update-run.js';
import type { CheckedUpdate } from './update-types.js';
import type { HydratedDocument, Model } from 'mongoose';
import type { FilterArgument } from './q.js';
import type { CheckedFilters } from './filter-types.js';
import type {
  CheckedName,
  CheckedNames,
  CheckedOrder,
  DistinctValue,
  ValuesListRow,
  ValuesRow,
} from './field-types.js';
import { QuerySet } from './queryset.js';
import type { CheckedRelated } from './relation-types.js';
import type { AggregateNode, AggregateSpec, AnnotationSpec } from './aggregates.js';
import type { AggregateResult, Annotated, CheckedAggregates, DefaultAliased } from './aggregate-types.js';
import type { DateKind, DateTimeKind } from './dates.js';
import type { ModelOf } from './model-of.js';
import { passthroughPrototype } from './passthrough.js';

/** Filters checked elsewhere (or built at run time) passed on without re-checking their types. */
export function untyped(filters: readonly FilterArgument[]): never[] {
  return filters as never[];
}

/**
 * The query methods of `Model.objects`, each the QuerySet's from
 * getQueryset(): the base of {@link DjongoManager}.
 *
 * @example
 * ```ts
 * const recent = await Entry.objects.filter({ rating__gte: 4 }).orderBy('-pub_date').slice(0, 5);
 * const n = await Entry.objects.count();
 * ```
 */
export class ManagerQueries<TRaw = Record<string, unknown>> {
  readonly model: Model<TRaw>;

  constructor(model: ModelOf<TRaw>) {
    this.model = model as unknown as Model<TRaw>;
  }

  /** Where every query of this manager starts; override in custom managers. */
  getQueryset(): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return new QuerySet<TRaw, HydratedDocument<TRaw>>(this.model);
  }

  /** Django's spelling of {@link getQueryset}. */
  get_queryset(): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset();
  }

  all(): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset();
  }
  filter<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<TRaw, Fs>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().filter(...untyped(filters));
  }
  exclude<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<TRaw, Fs>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().exclude(...untyped(filters));
  }
  none(): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().none();
  }
  /** Every document, with these references loaded: see {@link QuerySet.selectRelated}. */
  selectRelated<const Ks extends readonly string[]>(
    ...names: CheckedRelated<TRaw, Ks, false>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().selectRelated<readonly string[]>(...names);
  }
  /** Every document, with these references or arrays of them loaded: see {@link QuerySet.prefetchRelated}. */
  prefetchRelated<const Ks extends readonly string[]>(
    ...names: CheckedRelated<TRaw, Ks, true>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().prefetchRelated<readonly string[]>(...names);
  }
  orderBy<const Ks extends readonly string[]>(
    ...keys: CheckedOrder<TRaw, HydratedDocument<TRaw>, Ks>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().orderBy<readonly string[]>(...keys);
  }
  order_by<const Ks extends readonly string[]>(
    ...keys: CheckedOrder<TRaw, HydratedDocument<TRaw>, Ks>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.orderBy<Ks>(...keys);
  }
  values<const Ks extends readonly string[] = []>(
    ...fields: CheckedNames<TRaw, HydratedDocument<TRaw>, Ks>
  ): QuerySet<TRaw, ValuesRow<TRaw, HydratedDocument<TRaw>, Ks>> {
    return this.getQueryset().values<readonly string[]>(...fields) as QuerySet<TRaw, never>;
  }
  valuesList<const Args extends readonly (string | { readonly flat?: boolean })[] = []>(
    ...args: CheckedNames<TRaw, HydratedDocument<TRaw>, Args>
  ): QuerySet<TRaw, ValuesListRow<TRaw, HydratedDocument<TRaw>, Args>> {
    return this.getQueryset().valuesList<readonly (string | { readonly flat?: boolean })[]>(...args) as QuerySet<
      TRaw,
      never
    >;
  }
  values_list<const Args extends readonly (string | { readonly flat?: boolean })[] = []>(
    ...args: CheckedNames<TRaw, HydratedDocument<TRaw>, Args>
  ): QuerySet<TRaw, ValuesListRow<TRaw, HydratedDocument<TRaw>, Args>> {
    return this.valuesList<Args>(...args);
  }
  only<const Ks extends readonly string[]>(
    ...fields: CheckedNames<TRaw, HydratedDocument<TRaw>, Ks>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().only<readonly string[]>(...fields);
  }
  defer<const Ks extends readonly string[]>(
    ...fields: CheckedNames<TRaw, HydratedDocument<TRaw>, Ks>
  ): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().defer<readonly string[]>(...fields);
  }
  lean(): QuerySet<TRaw, TRaw> {
    return this.getQueryset().lean();
  }
  get<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<TRaw, Fs>
  ): Promise<HydratedDocument<TRaw>> {
    return this.getQueryset().get(...untyped(filters));
  }
  first(): Promise<HydratedDocument<TRaw> | undefined> {
    return this.getQueryset().first();
  }
  last(): Promise<HydratedDocument<TRaw> | undefined> {
    return this.getQueryset().last();
  }
  earliest<const K extends string>(
    ...field: CheckedNames<TRaw, HydratedDocument<TRaw>, [K]>
  ): Promise<HydratedDocument<TRaw>> {
    return this.getQueryset().earliest<string>(field[0]);
  }
  latest<const K extends string>(
    ...field: CheckedNames<TRaw, HydratedDocument<TRaw>, [K]>
  ): Promise<HydratedDocument<TRaw>> {
    return this.getQueryset().latest<string>(field[0]);
  }
  /**
   * The distinct truncated dates of a Date field: {@link QuerySet.dates}.
   *
   * @example
   * ```ts
   * await Entry.objects.dates('pub_date', 'year'); // [1968-01-01T00:00:00Z, 2019-01-01T00:00:00Z]
   * ```
   */
  dates<const K extends string>(
    field: CheckedNames<TRaw, HydratedDocument<TRaw>, [K]>[0],
    kind: DateKind,
    order: 'ASC' | 'DESC' = 'ASC',
  ): QuerySet<TRaw, Date> {
    return this.getQueryset().dates<string>(field, kind, order);
  }
  /**
   * As {@link dates}, to the hour, minute or second too: {@link QuerySet.datetimes}.
   *
   * @example
   * ```ts
   * await Entry.objects.datetimes('pub_date', 'day', 'DESC');
   * ```
   */
  datetimes<const K extends string>(
    field: CheckedNames<TRaw, HydratedDocument<TRaw>, [K]>[0],
    kind: DateTimeKind,
    order: 'ASC' | 'DESC' = 'ASC',
  ): QuerySet<TRaw, Date> {
    return this.getQueryset().datetimes<string>(field, kind, order);
  }
  /**
   * Every document, in the reverse of any ordering given later: Django's `reverse()`.
   *
   * @example
   * ```ts
   * Entry.objects.reverse().orderBy('headline').toMongo().sort; // { headline: -1 }
   * ```
   */
  reverse(): QuerySet<TRaw, HydratedDocument<TRaw>> {
    return this.getQueryset().reverse();
  }
  /**
   * Applies changes to every document of the model, as Django's manager
   * `update()`; returns how many matched. An update with no changes sends
   * nothing and answers 0, unless `{ upsert: true }`: then it still inserts
   * when nothing matches, as MongoEngine's `update(upsert=True)`.
   *
   * @example
   * ```ts
   * await Entry.objects.update({ inc__views: 1 });
   * ```
   */
  update<const U extends Readonly<Record<string, unknown>>>(
    changes: CheckedUpdate<TRaw, U>,
    options?: UpdateOptions,
  ): Promise<number> {
    return this.getQueryset().update<U>(changes, options);
  }
  count(): Promise<number> {
    return this.getQueryset().count();
  }
  exists(): Promise<boolean> {
    return this.getQueryset().exists();
  }
  distinct(): QuerySet<TRaw, HydratedDocument<TRaw>>;
  distinct<const K extends string>(
    ...field: CheckedNames<TRaw, HydratedDocument<TRaw>, [K]>
  ): Promise<DistinctValue<TRaw, K>[]>;
  distinct(...field: readonly string[]): QuerySet<TRaw, HydratedDocument<TRaw>> | Promise<unknown[]> {
    const [name] = field;
    if (name === undefined) return this.getQueryset().distinct();
    return this.getQueryset().distinct<string>(name);
  }
  aggregate<S extends AggregateSpec>(
    spec: CheckedAggregates<TRaw, HydratedDocument<TRaw>, S>,
  ): Promise<AggregateResult<S, TRaw, HydratedDocument<TRaw>>>;
  aggregate<const A extends readonly AggregateNode[]>(
    ...aggregates: CheckedAggregates<TRaw, HydratedDocument<TRaw>, A>
  ): Promise<AggregateResult<DefaultAliased<A>, TRaw, HydratedDocument<TRaw>>>;
  aggregate(...args: readonly (AggregateNode | AggregateSpec)[]): Promise<unknown> {
    return this.getQueryset().aggregate(...(args as never[]));
  }
  annotate<S extends AnnotationSpec>(
    spec: CheckedAggregates<TRaw, HydratedDocument<TRaw>, S>,
  ): QuerySet<TRaw, HydratedDocument<TRaw> & Annotated<S, TRaw>>;
  annotate<const A extends readonly AggregateNode[]>(
    ...aggregates: CheckedAggregates<TRaw, HydratedDocument<TRaw>, A>
  ): QuerySet<TRaw, HydratedDocument<TRaw> & Annotated<DefaultAliased<A>, TRaw>>;
  annotate(...args: readonly (AggregateNode | AnnotationSpec)[]): QuerySet<TRaw, unknown> {
    return this.getQueryset().annotate(...(args as never[]));
  }

  /**
   * Documents keyed by a field (the primary key by default), as Django's in_bulk.
   * The field must be unique (the primary key, `unique: true` or a unique
   * index of its own), else {@link FieldError} before anything is sent.
   *
   * @example
   * ```ts
   * const byId = await Entry.objects.inBulk([id1, id2]); // { [String(id1)]: entry1, … }
   * ```
   */
  inBulk<const K extends string = 'pk'>(
    ids?: readonly unknown[],
    options: { readonly fieldName?: CheckedName<TRaw, HydratedDocument<TRaw>, K> } = {},
  ): Promise<Record<string, HydratedDocument<TRaw>>> {
    return this.getQueryset().inBulk<K>(ids, options);
  }

  /** Django's spelling of {@link inBulk}. */
  in_bulk<const K extends string = 'pk'>(
    ids?: readonly unknown[],
    options?: { readonly fieldName?: CheckedName<TRaw, HydratedDocument<TRaw>, K> },
  ): Promise<Record<string, HydratedDocument<TRaw>>> {
    return this.inBulk<K>(ids, options);
  }
}

// `mongo_<name>` reads that the class (or a subclass) does not define fall
// through the prototype chain to the driver's Collection of the manager's
// model (djongo's `Entry.objects.mongo_aggregate([...])`). Here, at the root
// of every manager's chain, so that DjongoManager and its subclasses reach it.
Object.setPrototypeOf(
  ManagerQueries.prototype,
  passthroughPrototype((manager) => (manager as ManagerQueries).model.collection),
);
