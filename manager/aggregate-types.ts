// Compile-time checking of the fields given to Sum, Avg, Min, Max and Count
// in aggregate() and annotate(), and the types of what they give. Aggregates
// are made apart from any model, as Q is: `Sum('rating')` only records the
// name, as a literal type, and the method that receives it checks the name
// against its model.
import type { Types } from 'mongoose';
import type { AggregateDefault, AggregateFunction, AggregateNode, AnnotationSpec } from './aggregates.js';
import type { FieldType, Leaf, NameMessage } from './field-types.js';
import type { DatePart, Split } from './filter-types.js';

/** The type at a path, into arrays' elements (what an aggregate folds). */
type Folded<T, Parts extends string[]> = unknown extends T
  ? unknown
  : NonNullable<T> extends infer U
    ? U extends readonly (infer E)[]
      ? Folded<E, Parts>
      : Parts extends [infer Head extends string, ...infer Rest extends string[]]
        ? U extends Leaf
          ? never
          : Head extends keyof U
            ? Folded<U[Head], Rest>
            : never
        : U
    : never;

/** The value a field K of T (or an annotation on R) gives an aggregate: an array's elements. */
type FoldedField<T, R, K extends string> =
  Split<K> extends [infer Head extends string, ...infer Rest extends string[]]
    ? Head extends keyof T
      ? Folded<T[Head], Rest>
      : Folded<FieldType<T, R, K>, []>
    : never;

/** Whether K names a date part of a Date field of T (`pub_date__month`), which an aggregate folds as a number. */
type IsDatePart<T, R, K extends string> = K extends `${infer Field}__${DatePart}`
  ? NonNullable<FieldType<T, R, Field>> extends Date
    ? true
    : false
  : false;

/** One aggregate's result, as Django gives it: Count a number, the others null over no rows. */
type AggregateValue<T, R, Fn extends AggregateFunction, F> = Fn extends 'count'
  ? number
  : string extends keyof T
    ? number | null // untyped model
    : [F] extends [string]
      ? string extends F
        ? number | null // a name known only at run time
        : IsDatePart<T, R, F> extends true
          ? number | null
          : Fn extends 'min' | 'max'
            ? FoldedField<T, R, F> | null
            : Fn extends 'sum'
              ? FoldedField<T, R, F> extends Types.Decimal128
                ? Types.Decimal128 | null
                : number | null
              : number | null
      : number | null;

/** An aggregate's value with its default (D) for null: Django's Coalesce. */
type Defaulted<V, D> = undefined extends D ? V : Exclude<V, null> | Exclude<D, undefined>;

/** The value of an aggregate node N: its function's value, with its default for null. */
type NodeValue<T, R, N> =
  N extends AggregateNode<infer Fn, infer F, infer D extends AggregateDefault | undefined>
    ? Defaulted<AggregateValue<T, R, Fn, F>, D>
    : never;

/**
 * What `aggregate(spec)` resolves to on a model of type T: a count is a
 * number; Sum and Avg are numbers, Min and Max the field's type, each null
 * over no rows. Without T (or on an untyped model), Min and Max are numbers.
 *
 * @example
 * ```ts
 * type R = AggregateResult<{ total: AggregateNode<'sum'>; n: AggregateNode<'count'> }>; // { total: number | null; n: number }
 * type D = AggregateResult<{ first: AggregateNode<'min', 'pub_date'> }, EntryRaw>; // { first: Date | null }
 * ```
 */
export type AggregateResult<S, T = Record<string, unknown>, R = T> = {
  -readonly [K in keyof S]: NodeValue<T, R, S[K]>;
};

/**
 * The fields `annotate(spec)` adds to each result of a model of type T: Count
 * a number, Sum and Avg numbers or null, Min and Max the array's element type
 * or null. An F() value has its field's type, which is not tracked.
 *
 * @example
 * ```ts
 * type A = Annotated<{ n: AggregateNode<'count'> }>; // { readonly n: number }
 * ```
 */
export type Annotated<S extends AnnotationSpec, T = Record<string, unknown>> = {
  readonly [K in keyof S]: S[K] extends AggregateNode ? NodeValue<T, T, S[K]> : unknown;
} & { readonly [annotationTypes]?: AnnotationValues<S, T> };

type AnnotationValues<S extends AnnotationSpec, T> = {
  [K in keyof S]: S[K] extends AggregateNode ? NodeValue<T, T, S[K]> : unknown;
};

/** A type-only key: where a result type keeps its annotations' types, for filter() to check. */
declare const annotationTypes: unique symbol;

/**
 * What filter() checks its keys against on a QuerySet of results R: the
 * model's fields, and the annotations R carries.
 *
 * @example
 * ```ts
 * type F = AnnotatedFields<EntryRaw, Annotated<{ n: AggregateNode<'count'> }>>; // EntryRaw & { n: number }
 * ```
 */
export type AnnotatedFields<T, R> = R extends { readonly [annotationTypes]?: infer A }
  ? unknown extends A
    ? T
    : T & NonNullable<A>
  : T;

/** An aggregate A whose field names a field of T (or an annotation on R), else a message naming it. */
type CheckedAggregate<T, R, A> =
  A extends AggregateNode<AggregateFunction, infer F>
    ? F extends string
      ? string extends F
        ? A // named at run time: checked there
        : [FieldType<T, R, F>] extends [never]
          ? IsDatePart<T, R, F> extends true
            ? A
            : NameMessage<T, F>
          : A
      : A
    : A;

/**
 * Checks the field of each aggregate given to aggregate() or annotate():
 * `Sum('ratin')` fails to compile on a model without `ratin`, with a message
 * naming the closest field. An untyped model takes any name.
 *
 * @example
 * ```ts
 * type Ok = CheckedAggregates<EntryRaw, EntryRaw, { total: AggregateNode<'sum', 'views'> }>;
 * type Bad = CheckedAggregates<EntryRaw, EntryRaw, { total: AggregateNode<'sum', 'veiws'> }>;
 * // { readonly total: "Cannot resolve keyword 'veiws' into field. Did you mean 'views'?" }
 * ```
 */
export type CheckedAggregates<T, R, S> = string extends keyof T
  ? S
  : { readonly [K in keyof S]: CheckedAggregate<T, R, S[K]> };

/**
 * The spec that aggregates given without names stand for: each under
 * Django's default alias, `<field>__<function>`.
 *
 * @example
 * ```ts
 * type S = DefaultAliased<[AggregateNode<'avg', 'rating'>]>; // { readonly rating__avg: AggregateNode<'avg', 'rating'> }
 * ```
 */
export type DefaultAliased<A extends readonly unknown[]> = {
  readonly [N in A[number] as N extends AggregateNode<infer Fn, infer F extends string> ? `${F}__${Fn}` : never]: N;
};
