// DjongoManager: Model.objects. Django's Manager: a QuerySet factory bound to
// one model, plus the creating methods. Subclass it for custom managers and
// override getQueryset() to change what every query starts from.
import type { UpdateOptions } from './update-run.js';
import type { CheckedUpdate } from './update-types.js';
import mongoose, { type Document, type HydratedDocument, type Model, type mongo } from 'mongoose';
import { DoesNotExist, ValidationError } from '../core/errors.js';
import { describe, isDuplicateKey } from '../core/values.js';
import type { FilterArgument, FilterInput } from './q.js';
import type { CheckedFilters, TypedFilter } from './filter-types.js';
import type { CheckedDefaults, WriteFields } from './write-types.js';
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
import { assertStorableDocument } from './storable.js';
import { assertBulkList, assertOwnDocument } from './bulk-checks.js';
import { checkFieldValues } from './write-fields.js';
import { checkCreateKeys } from './create-checks.js';
import { creationFields, defaultsToSet, newWithPaths, setPaths } from './get-or-create.js';
import { duplicateKeyAsIntegrity } from './duplicate-key.js';
import type { ModelOf } from './model-of.js';
import { passthroughPrototype, type MongoPassthrough } from './passthrough.js';

/** Filters checked elsewhere (or built at run time) passed on without re-checking their types. */
function untyped(filters: readonly FilterArgument[]): never[] {
  return filters as never[];
}

function asValidationError(err: unknown, modelName: string): never {
  // Ours is a Mongoose ValidationError too, and already names the field.
  if (err instanceof ValidationError) throw err;
  if (isDuplicateKey(err)) throw duplicateKeyAsIntegrity(err, modelName);
  if (err instanceof mongoose.Error.ValidationError || err instanceof mongoose.Error.CastError) {
    const field = err instanceof mongoose.Error.CastError ? err.path : (Object.keys(err.errors)[0] ?? '');
    throw new ValidationError(`${modelName}: ${err.message}`, `${modelName}.${field}`, { cause: err });
  }
  throw err;
}

/** A manager with its typed `mongo_*` driver methods. */
export type DjongoManagerWithDriver<TRaw> = DjongoManager<TRaw> & MongoPassthrough<mongo.Document & TRaw>;

/**
 * The manager behind `Model.objects`.
 *
 * @example
 * ```ts
 * class PublishedManager extends DjongoManager<EntryRaw> {
 *   override getQueryset() { return super.getQueryset().filter({ status: 'published' }); }
 *   recent() { return this.getQueryset().orderBy('-pub_date').slice(0, 5); }
 * }
 * entrySchema.plugin(manager, { name: 'published', manager: PublishedManager });
 * const Entry = conn.model<EntryRaw, Managed<EntryRaw, 'published', PublishedManager>>('Entry', entrySchema);
 * await Entry.published.recent();
 * ```
 */
export class DjongoManager<TRaw = Record<string, unknown>> {
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
   * Saves a new document through Mongoose (validation, defaults, middleware).
   *
   * @example
   * ```ts
   * const entry = await Entry.objects.create({ headline: 'Hey Jude', blog: { name: 'Beatles Blog' } });
   * ```
   */
  async create(fields: WriteFields<TRaw>): Promise<HydratedDocument<TRaw>> {
    try {
      checkFieldValues(this.model, fields);
      checkCreateKeys(this.model, fields);
      const doc = new this.model(fields) as HydratedDocument<TRaw>;
      assertStorableDocument(doc, this.model.modelName);
      await doc.save();
      return doc;
    } catch (err) {
      return asValidationError(err, this.model.modelName);
    }
  }

  /**
   * The document matching `lookup`, or a new one made from its plain fields
   * and `defaults`. Returns `[doc, created]`. Safe under a concurrent
   * duplicate: when a unique index refuses the insert, the winner is read;
   * when no document matches the lookup even then, the collision was on
   * another field: {@link IntegrityError}. Without a lookup, as Django's
   * `get_or_create()`, it gets the only document or creates one. `defaults`
   * is read only when creating, as Django's: its functions are called and its
   * names checked then. A name there may be a virtual with a setter (Django's
   * property with a setter), which runs on the new document.
   *
   * @example
   * ```ts
   * const [entry, created] = await Entry.objects.getOrCreate({ headline: 'Hey Jude' }, { rating: 5 });
   * const [song] = await Entry.objects.getOrCreate({ headline: 'Let It Be' }, { pub_date: () => new Date() });
   * ```
   */
  async getOrCreate<const F extends FilterInput, const D extends FilterInput = Record<never, never>>(
    lookup: TypedFilter<TRaw, F> = {} as TypedFilter<TRaw, F>,
    defaults: CheckedDefaults<TRaw, D> = {} as CheckedDefaults<TRaw, D>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    try {
      return [await this.get(...untyped([lookup])), false];
    } catch (err) {
      if (!(err instanceof DoesNotExist)) throw err;
    }
    const paths = { ...creationFields(this.model, lookup), ...defaultsToSet(this.model, defaults) };
    const doc = newWithPaths(this.model, paths);
    try {
      assertStorableDocument(doc, this.model.modelName);
      await doc.save();
      return [doc, true];
    } catch (err) {
      if (isDuplicateKey(err)) return [await this.winner(lookup, err), false];
      return asValidationError(err, this.model.modelName);
    }
  }

  /** The document a concurrent getOrCreate inserted first; none means the key collided elsewhere. */
  private async winner(lookup: FilterInput, err: unknown): Promise<HydratedDocument<TRaw>> {
    try {
      return await this.get(...untyped([lookup]));
    } catch (missing) {
      if (missing instanceof DoesNotExist) throw duplicateKeyAsIntegrity(err, this.model.modelName);
      throw missing;
    }
  }

  /** Django's spelling of {@link getOrCreate}. */
  get_or_create<const F extends FilterInput, const D extends FilterInput = Record<never, never>>(
    lookup?: TypedFilter<TRaw, F>,
    defaults?: CheckedDefaults<TRaw, D>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    return this.getOrCreate<F, D>(lookup, defaults);
  }

  /**
   * Updates the document matching `lookup` with `defaults`, or creates it
   * from the lookup's plain fields and `createDefaults` (Django 5.0's
   * `create_defaults`), which are `defaults` when not given. Returns
   * `[doc, created]`. Functions in either are called when used.
   *
   * @example
   * ```ts
   * const [entry, created] = await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { rating: 4 });
   * // Created with 1 view; an existing entry keeps its views and gets rating 4.
   * await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { rating: 4 }, { rating: 4, views: 1 });
   * ```
   */
  async updateOrCreate<
    const F extends FilterInput,
    const D extends FilterInput = Record<never, never>,
    const C extends FilterInput = D,
  >(
    lookup: TypedFilter<TRaw, F> = {} as TypedFilter<TRaw, F>,
    defaults: CheckedDefaults<TRaw, D> = {} as CheckedDefaults<TRaw, D>,
    createDefaults?: CheckedDefaults<TRaw, C>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    const forCreate = (createDefaults ?? defaults) as CheckedDefaults<TRaw, D>;
    const [doc, created] = await this.getOrCreate<F, D>(lookup, forCreate);
    if (created) return [doc, true];
    setPaths(doc, defaultsToSet(this.model, defaults), this.model.modelName);
    try {
      assertStorableDocument(doc, this.model.modelName);
      await doc.save();
    } catch (err) {
      return asValidationError(err, this.model.modelName);
    }
    return [doc, false];
  }

  /** Django's spelling of {@link updateOrCreate}. */
  update_or_create<
    const F extends FilterInput,
    const D extends FilterInput = Record<never, never>,
    const C extends FilterInput = D,
  >(
    lookup?: TypedFilter<TRaw, F>,
    defaults?: CheckedDefaults<TRaw, D>,
    createDefaults?: CheckedDefaults<TRaw, C>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    return this.updateOrCreate<F, D, C>(lookup, defaults, createDefaults);
  }

  /**
   * Inserts many documents, `batchSize` per round trip (default: all at once).
   * Items are plain objects (field → value) or new documents of the model,
   * which are inserted and returned as they are. Like Django's bulk_create, it
   * runs no save() hooks; the model's insertMany hooks run, and get documents.
   *
   * @example
   * ```ts
   * await Entry.objects.bulkCreate(rows, { batchSize: 500 });
   * ```
   */
  async bulkCreate(
    docs: readonly (WriteFields<TRaw> | Document)[],
    options: { batchSize?: number } = {},
  ): Promise<HydratedDocument<TRaw>[]> {
    assertBulkList(docs, this.model.modelName);
    const size = options.batchSize ?? docs.length;
    if (!Number.isInteger(size) || size < 1) {
      if (docs.length === 0) return [];
      throw new ValidationError(
        `bulkCreate batchSize must be a whole number of at least 1, not ${String(options.batchSize)}.`,
        this.model.modelName,
      );
    }
    // Built here, as insertMany would build them, so that its hooks get
    // documents: the autoIncrement plugin then sets each id in place rather
    // than copying every object. Every item is checked before anything is sent.
    const all = docs.map((doc, index) => this.newDocument(doc, index));
    const created: HydratedDocument<TRaw>[] = [];
    try {
      // insertMany validates its whole batch before writing; with several
      // batches, the later ones are validated up front too, so that a bad
      // document anywhere writes nothing.
      if (size < all.length) await Promise.all(all.map((doc) => doc.validate()));
      for (let i = 0; i < all.length; i += size) {
        const batch = size >= all.length ? all : all.slice(i, i + size);
        const inserted = (await this.model.insertMany(batch)) as unknown as HydratedDocument<TRaw>[];
        for (const doc of inserted) created.push(doc);
      }
    } catch (err) {
      return asValidationError(err, this.model.modelName);
    }
    return created;
  }

  /** A new document of the model for one item of {@link bulkCreate}; documents pass as they are. */
  private newDocument(doc: unknown, index: number): Document {
    if (doc instanceof mongoose.Document) {
      assertOwnDocument(this.model, doc, index);
      assertStorableDocument(doc, this.model.modelName);
      return doc;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ValidationError(
        `${this.model.modelName}.objects.bulkCreate takes objects (field → value); item ${index} is ` +
          `${describe(doc)}.`,
        this.model.modelName,
      );
    }
    checkCreateKeys(this.model, doc, ` (bulkCreate item ${index})`);
    const built = new this.model(doc) as unknown as Document;
    // A plain object far below the limit is not copied again (toBSON) to be
    // measured: bulkCreate is the fast path for many documents.
    if (checkFieldValues(this.model, doc as Record<string, unknown>))
      assertStorableDocument(built, this.model.modelName);
    return built;
  }

  /** Django's spelling of {@link bulkCreate}. */
  bulk_create(
    docs: readonly (WriteFields<TRaw> | Document)[],
    options?: { batchSize?: number },
  ): Promise<HydratedDocument<TRaw>[]> {
    return this.bulkCreate(docs, options);
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
// model (djongo's `Entry.objects.mongo_aggregate([...])`).
Object.setPrototypeOf(
  DjongoManager.prototype,
  passthroughPrototype((manager) => (manager as DjongoManager).model.collection),
);
