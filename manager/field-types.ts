// Compile-time checking of the field names given to orderBy, values,
// valuesList, only, defer, distinct, earliest and latest, and the types of
// what values()/valuesList() give back. As in filter-types.ts, only the names
// a call uses are walked, so the cost grows with the call, not the model.
import type { Types } from 'mongoose';
import type { Split } from './filter-types.js';
import type { UnknownField } from './type-messages.js';

/** Values that are leaves: their own keys (toHexString, getTime…) are not fields. */
export type Leaf =
  string | number | boolean | bigint | Date | Types.ObjectId | Types.Decimal128 | Types.Double | Buffer;

/**
 * The type at the remaining parts of a path, `unknown` once the path has
 * gone through an array (values() then gives what the server gives) or a
 * reference (`author__name`), and never when a part names no field.
 */
type At<T, Parts extends string[], ThroughArray extends boolean> = Parts extends []
  ? ThroughArray extends true
    ? unknown
    : T
  : unknown extends T
    ? unknown // Mixed and JSON fields: any path below them
    : NonNullable<T> extends infer U
      ? U extends readonly (infer E)[]
        ? At<E, Parts, true>
        : U extends Types.ObjectId
          ? Parts extends ['pk' | 'id' | '_id']
            ? At<T, [], ThroughArray> // author__pk: the reference's own id, stored
            : unknown // across a reference: Mongoose's types carry no `ref`, so the run time checks the rest
          : U extends Leaf
            ? never
            : U extends object
              ? Parts extends [infer Head extends string, ...infer Rest extends string[]]
                ? Head extends keyof U
                  ? At<U[Head], Rest, ThroughArray>
                  : never
                : never
              : never
      : never;

/**
 * The type of the field or annotation a name gives (never when it names
 * nothing): a `__` path through T, `pk`/`id`/`_id`, or a name annotate()
 * added to the results R.
 */
export type FieldType<T, R, K extends string> = K extends keyof T
  ? T[K]
  : Split<K> extends [infer Head extends string, ...infer Rest extends string[]]
    ? Head extends keyof T
      ? At<T[Head], Rest, false>
      : Head extends 'pk' | 'id' | '_id'
        ? Rest extends []
          ? 'id' extends keyof T
            ? T['id' & keyof T]
            : Types.ObjectId
          : never
        : K extends keyof R
          ? R[K] // an annotation (on a hydrated document, also its methods: accepted, harmless)
          : never
    : never;

/** Why a name's parts fail below a field of type V at `Path` (see At). */
type NameDiagnosis<V, Parts extends string[], Path extends string> = Parts extends [
  infer Head extends string,
  ...infer Rest extends string[],
]
  ? NonNullable<V> extends infer U
    ? U extends readonly (infer E)[]
      ? NameDiagnosis<E, Parts, Path>
      : U extends Leaf
        ? UnknownField<Head, Path, never>
        : Head extends keyof U
          ? NameDiagnosis<U[Head], Rest, `${Path}__${Head}`>
          : UnknownField<Head, Path, keyof U>
    : never
  : never;

/** The message for a name K that names nothing on T. */
export type NameMessage<T, K extends string> =
  Split<K> extends [infer Head extends string, ...infer Rest extends string[]]
    ? Head extends keyof T
      ? NameDiagnosis<T[Head], Rest, Head>
      : UnknownField<Head, '', keyof T | 'pk'>
    : never;

/** The name K if it names a field of T (or an annotation on R), else a message naming it and the closest name. */
export type CheckedName<T, R, K> = K extends string
  ? string extends K
    ? K // built at run time: checked there
    : [FieldType<T, R, K>] extends [never]
      ? NameMessage<T, K>
      : K
  : K;

/**
 * Checks each field name of a call against the document type T; an untyped
 * model (`Record<string, unknown>`) takes any name.
 *
 * @example
 * ```ts
 * type Ok = CheckedNames<EntryRaw, EntryRaw, ['headline', 'blog__name']>; // ['headline', 'blog__name']
 * type Bad = CheckedNames<EntryRaw, EntryRaw, ['headlin']>;
 * // ["Cannot resolve keyword 'headlin' into field. Did you mean 'headline'?"]
 * ```
 */
export type CheckedNames<T, R, Ks extends readonly unknown[]> = string extends keyof T
  ? Ks
  : { readonly [I in keyof Ks]: CheckedName<T, R, Ks[I]> };

/** As CheckedNames, for orderBy: each name may start with `-`. */
export type CheckedOrder<T, R, Ks extends readonly string[]> = string extends keyof T
  ? Ks
  : {
      readonly [I in keyof Ks]: Ks[I] extends `-${infer Name}`
        ? CheckedName<T, R, Name> extends Name
          ? Ks[I]
          : CheckedName<T, R, Name>
        : CheckedName<T, R, Ks[I]>;
    };

/**
 * An element of distinct(K)'s result: the field's type (an array field's
 * element type), or null, which a document may hold.
 *
 * @example
 * ```ts
 * type V = DistinctValue<EntryRaw, 'tags'>; // string | null
 * ```
 */
export type DistinctValue<T, K extends string> = string extends keyof T
  ? unknown
  : FieldType<T, T, K> extends infer V
    ? unknown extends V
      ? unknown
      : (NonNullable<V> extends readonly (infer E)[] ? E : NonNullable<V>) | null
    : never;

/** Null where the document lacks the field (lax reads), as Django gives None. */
type Lax<V> = unknown extends V ? unknown : NonNullable<V> | null;

/** A value of one result row: an annotation as annotate() typed it, a field lax. */
type Cell<T, R, K> = K extends string
  ? K extends keyof T | 'pk' | 'id' | '_id'
    ? Lax<FieldType<T, R, K>>
    : K extends keyof R // not Exclude<keyof R, keyof T>: a document has hundreds of keys to exclude from
      ? R[K]
      : Lax<FieldType<T, R, K>>
  : unknown;

/** One row of values(...Ks). */
export type ValuesRow<T, R, Ks extends readonly string[]> = Ks extends readonly []
  ? Record<string, unknown>
  : string extends Ks[number]
    ? Record<string, unknown>
    : string extends keyof T
      ? { [K in Ks[number]]: unknown }
      : { [K in Ks[number]]: Cell<T, R, K> };

/** One row of valuesList(...Args): a tuple, or with `{ flat: true }` the bare value. */
export type ValuesListRow<T, R, Args extends readonly unknown[]> = string extends keyof T
  ? unknown
  : Args extends readonly [infer K extends string, { readonly flat: true }]
    ? Cell<T, R, K>
    : Args extends readonly [...infer Ks extends string[], { readonly flat?: false }]
      ? { -readonly [I in keyof Ks]: Cell<T, R, Ks[I]> }
      : Args extends readonly string[]
        ? string extends Args[number]
          ? unknown[]
          : { -readonly [I in keyof Args]: Cell<T, R, Args[I]> }
        : unknown;
