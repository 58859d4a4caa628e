// get() and its kin: first, last, earliest, latest and inBulk. Terminal
// methods that narrow the QuerySet first (filter, orderBy, slice, which
// QuerySet defines in queryset.ts) and then run it (queryset-terminal.ts).
import { DoesNotExist, MultipleObjectsReturned } from '../core/errors.js';
import type { FilterArgument } from './q.js';
import type { CheckedFilters } from './filter-types.js';
import type { CheckedName, CheckedNames, CheckedOrder } from './field-types.js';
import type { AnnotatedFields } from './aggregate-types.js';
import { reverseOrder } from './parse-names.js';
import { refuseAfterSlice } from './queryset-checks.js';
import { inBulk } from './in-bulk.js';
import type { Props } from './queryset-props.js';
import { derive, propsOf, TerminalQuerySet } from './queryset-terminal.js';

// get() reads at most this many matches, to say how many it found without
// counting them all: Django's MAX_GET_RESULTS.
const MAX_GET_RESULTS = 21;

/**
 * A QuerySet's get(), first(), last(), earliest(), latest() and inBulk(): the
 * base of {@link QuerySet}, which gives them filter(), orderBy() and slice().
 *
 * @example
 * ```ts
 * const entry = await Entry.objects.filter({ rating__gte: 4 }).latest('pub_date');
 * ```
 */
export abstract class GetQuerySet<TRaw = Record<string, unknown>, TResult = unknown> extends TerminalQuerySet<
  TRaw,
  TResult
> {
  get #props(): Props {
    return propsOf(this);
  }

  #with(changes: Partial<Props>): GetQuerySet<TRaw, TResult> {
    return derive(this, changes) as GetQuerySet<TRaw, TResult>;
  }

  /** See {@link QuerySet.filter}. */
  abstract filter<const Fs extends readonly FilterArgument[]>(
    ...filters: CheckedFilters<AnnotatedFields<TRaw, TResult>, Fs>
  ): GetQuerySet<TRaw, TResult>;

  /** See {@link QuerySet.orderBy}. */
  abstract orderBy<const Ks extends readonly string[]>(
    ...keys: CheckedOrder<TRaw, TResult, Ks>
  ): GetQuerySet<TRaw, TResult>;

  /** See {@link QuerySet.slice}. */
  abstract slice(start: number, end?: number): GetQuerySet<TRaw, TResult>;

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
    const name = this.model.modelName;
    const [one] = found;
    if (one === undefined) throw new DoesNotExist(`${name} matching query does not exist.`);
    if (found.length > 1) {
      const n = found.length < MAX_GET_RESULTS ? String(found.length) : `more than ${MAX_GET_RESULTS - 1}`;
      throw new MultipleObjectsReturned(`get() returned more than one ${name} -- it returned ${n}!`);
    }
    return one;
  }

  #ordered(): GetQuerySet<TRaw, TResult> {
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
    if (found === undefined) throw new DoesNotExist(`${this.model.modelName} matching query does not exist.`);
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
      schema: this.model.schema,
      modelName: this.model.modelName,
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
}
