// Compile-time checking of a FilterSet declaration against the document type:
// each (field, lookup) pair must be a filter key the model's typed filter()
// would take, so `headlin` or `rating: ['startswith']` fail to compile.
import type { CheckedFilter } from '../manager/filter-types.js';

/** Fields and the lookups offered on each: `{ headline: ['exact', 'icontains'] }`. */
export type FilterFields = Readonly<Record<string, readonly string[]>>;

/** How a FilterSet is declared. */
export interface FilterSetOptions<Fields extends FilterFields = FilterFields> {
  /** Each field (`blog__name` into embedded documents) and its lookups; `exact` is the bare name. */
  readonly fields: Fields;
  /** Fields clients may order by, with `?ordering=-rating,pub_date`. */
  readonly ordering?: readonly string[];
  /** Results per page (default 20). */
  readonly pageSize?: number;
  /** When set, clients may ask for `?page_size=` up to this; larger asks are capped. */
  readonly maxPageSize?: number;
  /** What to do with a parameter that is not declared: report it (default) or ignore it. */
  readonly unknown?: 'error' | 'ignore';
  /** Parameter names; defaults `ordering`, `page` and `page_size`, as Django REST framework's. */
  readonly orderingParam?: string;
  readonly pageParam?: string;
  readonly pageSizeParam?: string;
}

type KeyOf<Field extends string, Lookup extends string> = Lookup extends 'exact' ? Field : `${Field}__${Lookup}`;

/** Whether `Key` is a filter key of T: its checked value type is not `never`. */
type IsKey<T, Key extends string> = [CheckedFilter<T, Record<Key, unknown>>[Key]] extends [never] ? false : true;

type CheckedLookups<T, Field extends string, Lookups> = Lookups extends readonly (infer L)[]
  ? readonly (L extends string ? (IsKey<T, KeyOf<Field, L>> extends true ? L : never) : never)[]
  : never;

/**
 * A declaration whose fields, lookups and ordering fields are all keys of the
 * document type T; what is not becomes `never`, a compile error at the call.
 *
 * @example
 * ```ts
 * type Ok = CheckedFilterSetOptions<EntryRaw, { fields: { rating: ['gte'] } }>; // as given
 * type Bad = CheckedFilterSetOptions<EntryRaw, { fields: { rating: ['startswith'] } }>; // rating: readonly never[]
 * ```
 */
export type CheckedFilterSetOptions<T, O extends FilterSetOptions> = {
  readonly fields: {
    readonly [F in keyof O['fields']]: F extends string ? CheckedLookups<T, F, O['fields'][F]> : never;
  };
  readonly ordering?: O['ordering'] extends readonly (infer K)[]
    ? readonly (K extends string ? (IsKey<T, K> extends true ? K : never) : never)[]
    : readonly string[];
};
