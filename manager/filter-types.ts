// Compile-time checking of filter keys and values, where the model's type is
// known. Only the keys a call actually uses are parsed (split on `__`, walked
// through the document type), so the cost grows with the filter, not with the
// model: a 30-field model does not expand into thousands of key strings.
import type { Types } from 'mongoose';
import type { FExpression, FilterInput, QNode } from './q.js';
import type { CustomLookups } from './lookups.js';
import type { UnknownField, UnknownLookup } from './type-messages.js';

type Scalar = string | number | boolean | bigint | Date | Types.ObjectId | Types.Decimal128 | Buffer;

export type Split<S extends string> = S extends `${infer Head}__${infer Rest}` ? [Head, ...Split<Rest>] : [S];

/** Lookups every field takes. */
type CommonLookup =
  'exact' | 'ne' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'range' | 'isnull' | 'exists' | 'type';
type StringLookup =
  | CommonLookup
  | 'iexact'
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'istartswith'
  | 'endswith'
  | 'iendswith'
  | 'regex'
  | 'iregex'
  | 'wholeword'
  | 'iwholeword';
type SizeLookup = 'exact' | 'gt' | 'gte' | 'lt' | 'lte';
/** The date parts a Date field takes as a transform (`pub_date__month`). */
export type DatePart =
  | 'year'
  | 'iso_year'
  | 'month'
  | 'day'
  | 'week'
  | 'week_day'
  | 'iso_week_day'
  | 'quarter'
  | 'hour'
  | 'minute'
  | 'second';
type ArrayLookup =
  CommonLookup | 'contains' | 'all' | 'overlap' | 'contained_by' | 'size' | 'match' | 'len' | 'regex' | 'iregex';

/**
 * What a field of type V takes in a query, as Mongoose's own `QueryFilter`
 * types have it: strings for ObjectId, Date and Buffer fields (cast from their
 * text form), but not for numbers or booleans. At run time Mongoose still
 * casts `'5'` and `'true'`: input from a form or a URL goes through
 * `Number(...)` (NaN is still a CastError) or an untyped filter. A literal
 * `rating__gte: 'five'` in code is a typo, so the type refuses it. Decimal128
 * keeps strings, its only exact literal form (`price__lt: '7.10'`).
 */
type Castable<V> = V extends number | bigint | Types.Double | boolean ? V : V | string;

/** The value a lookup takes on a field of type V (V already includes what casts to it). */
type LookupValue<V, L extends string> = L extends 'nin'
  ? readonly V[]
  : L extends 'in'
    ? readonly (V | FExpression)[]
    : L extends 'range'
      ? readonly [V | FExpression, V | FExpression]
      : L extends 'isnull' | 'exists'
        ? boolean
        : L extends 'type'
          ? string | number
          : L extends 'regex' | 'iregex'
            ? string
            : V | FExpression | null;

/**
 * A lookup a user registered and declared in {@link CustomLookups}, on a field
 * of (non-null) type U: its value type, or never when U is not the type the
 * declaration names.
 */
type CustomValue<U, Parts extends string[]> = Parts extends [infer L extends keyof CustomLookups]
  ? CustomLookups[L] extends { readonly field: infer Field; readonly value: infer V }
    ? U extends Field
      ? V
      : never
    : CustomLookups[L]
  : never;

/** The text lookups that take F on the right (another String field). */
type TextFLookup = 'iexact' | 'contains' | 'icontains' | 'startswith' | 'istartswith' | 'endswith' | 'iendswith';

type StringValue<L extends string> = L extends StringLookup
  ? L extends CommonLookup
    ? LookupValue<string, L>
    : L extends TextFLookup
      ? string | FExpression
      : string
  : CustomValue<string, [L]>;

/**
 * The numeric family, as the lookup registry's `Numeric` (lookups.ts): what
 * Mongoose infers for Number, Int32, Double, Decimal128 and BigInt paths.
 */
type Numeric = number | bigint | Types.Decimal128 | Types.Double;

/**
 * A numeric field of type V takes numbers too (Mongoose casts them), `mod` as
 * the family does, and the text lookups on its text form.
 */
type NumericValue<V, Parts extends string[]> = Parts extends []
  ? Castable<V> | number | FExpression | null
  : Parts extends [infer L extends string]
    ? L extends 'mod'
      ? readonly [number, number]
      : L extends CommonLookup
        ? LookupValue<Castable<V> | number, L>
        : L extends 'regex' | 'iregex'
          ? string
          : L extends StringLookup
            ? string | number // matched against the number's text, as Django casts it
            : CustomValue<V, Parts>
    : never;

type DateValue<Rest extends string[]> = Rest extends []
  ? Date | string | FExpression | null
  : Rest extends [DatePart | 'date' | 'time'] | [DatePart | 'date' | 'time', SizeLookup]
    ? Rest[0] extends DatePart
      ? number
      : Date | string
    : Rest extends [infer L extends CommonLookup]
      ? LookupValue<Date | string, L>
      : Rest extends [StringLookup]
        ? string // matched against the date's text, `2005-07-28 00:00:00`, as Django casts it
        : CustomValue<Date, Rest>;

type ArrayValue<E, Rest extends string[]> = Rest extends []
  ? E | readonly E[] | null
  : Rest extends [`${number}`, ...infer After extends string[]]
    ? ValueAt<E, After> // an array position, tags__0: the element, then its lookups
    : Rest extends ['len'] | ['len', SizeLookup] | ['size']
      ? number
      : Rest extends ['match']
        ? E extends object
          ? Partial<{ readonly [K in keyof E]: unknown }> | { readonly kind: 'q' } // field values, or Q(...) for lookups
          : never
        : Rest extends ['contains' | 'all' | 'overlap' | 'contained_by']
          ? E | readonly E[]
          : Rest extends [infer L extends ArrayLookup]
            ? LookupValue<Castable<E>, L>
            : E extends object
              ? ValueAt<E, Rest>
              : CustomValue<E[], Rest>;

/**
 * Past an ObjectId, a key that is not a lookup may cross a reference
 * (`author__name`): the type does not say which model the `ref` names, so
 * the rest of the key and its value are checked at run time (relations-parse.ts).
 */
type AcrossReference<U, Parts extends string[]> = [CustomValue<U, Parts>] extends [never]
  ? unknown
  : CustomValue<U, Parts>;

/** The value a key's remaining parts take, walking the document type T. */
export type ValueAt<T, Parts extends string[]> = [T] extends [never]
  ? never
  : unknown extends T
    ? unknown // JSON values: anything goes
    : NonNullable<T> extends infer U
      ? U extends string
        ? Parts extends []
          ? string | FExpression | null
          : Parts extends [infer L extends string]
            ? StringValue<L>
            : never
        : U extends Numeric
          ? NumericValue<U, Parts>
          : U extends Date
            ? DateValue<Parts>
            : U extends Scalar
              ? Parts extends []
                ? Castable<U> | FExpression | null
                : Parts extends [infer L extends CommonLookup]
                  ? LookupValue<Castable<U>, L>
                  : U extends Types.ObjectId
                    ? Parts extends [StringLookup]
                      ? string // matched against the id's hex text
                      : AcrossReference<U, Parts>
                    : CustomValue<U, Parts>
              : U extends readonly (infer E)[]
                ? ArrayValue<E, Parts>
                : U extends object
                  ? Parts extends []
                    ? Partial<{ [K in keyof U]: unknown }>
                    : Parts extends [infer Head extends string, ...infer Rest extends string[]]
                      ? Head extends keyof U
                        ? ValueAt<U[Head], Rest>
                        : Rest extends []
                          ? Head extends 'isnull' | 'exists'
                            ? boolean // blog__isnull: true
                            : Head extends StringLookup
                              ? Partial<{ [K in keyof U]: unknown }> // djongo's form: blog__startswith: { name }
                              : CustomValue<U, Parts>
                          : never
                      : never
                  : never
      : never;

// `__raw__` is refused at run time too: raw filters are Raw(...), made in code.
type RootValue<T, Key extends string> = Key extends '__raw__'
  ? never
  : Split<Key> extends [infer Head extends string, ...infer Rest extends string[]]
    ? Head extends 'pk' | 'id'
      ? Head extends keyof T
        ? ValueAt<T[Head], Rest>
        : 'id' extends keyof T
          ? ValueAt<T['id' & keyof T], Rest> // autoIncrement: pk is the integer id
          : ValueAt<Types.ObjectId, Rest>
      : Head extends keyof T
        ? ValueAt<T[Head], Rest>
        : never
    : never;

/**
 * Checks the keys of one filter object F against the document type T: each
 * key must name a field path and a lookup valid for its type, and its value
 * must fit. An untyped model (`Record<string, unknown>`) accepts any keys.
 *
 * @example
 * ```ts
 * type Ok = CheckedFilter<EntryRaw, { blog__name__startswith: string }>; // { blog__name__startswith: string }
 * type Bad = CheckedFilter<EntryRaw, { headlin: string }>;               // { headlin: never }
 * ```
 */
export type CheckedFilter<T, F> = string extends keyof T
  ? F
  : string extends keyof F
    ? F // built at run time: checked there
    : { readonly [K in keyof F]: K extends string ? RootValue<T, K> : never };

/** The lookups a field of (non-null) type U takes, for messages. */
type LookupsOf<U> = U extends string
  ? StringLookup
  : U extends Numeric
    ? CommonLookup | 'mod'
    : U extends Date
      ? StringLookup | DatePart | 'date' | 'time'
      : U extends readonly unknown[]
        ? ArrayLookup
        : CommonLookup;

/**
 * Why the parts of a key fail on a field of type V at `Path`: a message naming
 * the first part that is neither a field nor a lookup there, or never when
 * every part is valid (the value is then what is wrong, and tsc says so).
 */
type Diagnosis<V, Parts extends string[], Path extends string> = unknown extends V
  ? never
  : NonNullable<V> extends infer U
    ? Parts extends [infer Head extends string, ...infer Rest extends string[]]
      ? U extends readonly (infer E)[]
        ? Head extends ArrayLookup | 'len' | keyof CustomLookups
          ? never
          : E extends Scalar
            ? UnknownLookup<Head, Path, ArrayLookup | keyof CustomLookups>
            : Diagnosis<E, Parts, Path>
        : U extends Scalar | Numeric
          ? Head extends LookupsOf<U> | keyof CustomLookups
            ? Rest extends [infer Next extends string, ...string[]]
              ? Next extends SizeLookup
                ? never
                : UnknownLookup<Next, `${Path}__${Head}`, SizeLookup>
              : never
            : UnknownLookup<Head, Path, LookupsOf<U> | keyof CustomLookups>
          : Head extends keyof U
            ? Diagnosis<U[Head], Rest, `${Path}__${Head}`>
            : Rest extends []
              ? Head extends StringLookup | keyof CustomLookups
                ? never
                : UnknownField<Head, Path, keyof U>
              : UnknownField<Head, Path, keyof U>
      : never
    : never;

/** Why a whole key fails on T (see {@link Diagnosis}). */
type KeyDiagnosis<T, Key extends string> = Key extends '__raw__'
  ? 'A raw filter is Raw({...}), not a __raw__ key.'
  : Split<Key> extends [infer Head extends string, ...infer Rest extends string[]]
    ? Head extends keyof T
      ? Diagnosis<T[Head], Rest, Head>
      : Head extends 'pk' | 'id'
        ? never
        : UnknownField<Head, '', keyof T | 'pk'>
    : never;

/**
 * A filter argument of type F, as filter() takes it: each key's value type,
 * or for a wrong key a message naming it and the closest valid name, which tsc
 * then prints ("Type '"x"' is not assignable to type '"Cannot resolve keyword
 * 'headlin' into field. Did you mean 'headline'?"'").
 *
 * @example
 * ```ts
 * type Ok = TypedFilter<EntryRaw, { rating__gte: 4 }>; // { readonly rating__gte: number | … }
 * type Bad = TypedFilter<EntryRaw, { headlin: 'x' }>;
 * // { readonly headlin: "Cannot resolve keyword 'headlin' into field. Did you mean 'headline'?" }
 * ```
 */
export type TypedFilter<T, F> = string extends keyof T
  ? F
  : string extends keyof F
    ? F // built at run time: checked there
    : {
        readonly [K in keyof F]: K extends string
          ? RootValue<T, K> extends infer V
            ? [V] extends [never]
              ? KeyDiagnosis<T, K>
              : V
            : never
          : never;
      };

type CheckArgument<T, X> = X extends { readonly kind: 'q' | 'f' } ? X : TypedFilter<T, X>;

/** Checks each keyword-filter argument of filter()/exclude()/get(); Q objects and F conditions pass as they are. */
export type CheckedFilters<T, Fs extends readonly unknown[]> = {
  readonly [I in keyof Fs]: CheckArgument<T, Fs[I]>;
};

/**
 * Q, typed for one model: the same function, whose keys and values are then
 * checked as filter() checks them. Q itself cannot know the model (a bare
 * `Q({...})` may go to any manager), so the typed view is a declaration, with
 * nothing added at run time.
 *
 * @example
 * ```ts
 * import { Q, type TypedQ } from 'djongoose';
 * const EQ: TypedQ<EntryRaw> = Q;
 * Entry.objects.filter(EQ({ rating__gte: 4 }).or({ headline__startswith: 'Hey' }));
 * // @ts-expect-error: no field "headlin"
 * EQ({ headlin: 'x' });
 * ```
 */
export interface TypedQ<T> {
  <const F extends FilterInput>(filters?: TypedFilter<T, F>): QNode;
  not<const F extends FilterInput>(filters: TypedFilter<T, F>): QNode;
}
