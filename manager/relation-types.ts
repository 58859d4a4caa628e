// Compile-time checking of the names selectRelated and prefetchRelated take:
// a reference of the model (a field typed as an ObjectId, or for
// prefetchRelated an array of them), maybe inside nested objects, then maybe
// `__` and a reference of the referenced model, which the type cannot see
// (Mongoose's inferred types do not carry `ref`) and the run time checks.
import type { Types } from 'mongoose';
import type { Leaf } from './field-types.js';
import type { DidYouMean } from './type-messages.js';

/** Whether a field of type V is a reference that `Many` (prefetchRelated) or not (selectRelated) follows. */
type IsReference<V, Many extends boolean> = [NonNullable<V>] extends [Types.ObjectId]
  ? true
  : Many extends true
    ? [NonNullable<V>] extends [readonly Types.ObjectId[]]
      ? true
      : false
    : false;

/**
 * The reference names of T, `__` into nested objects and embedded documents
 * (not arrays of them), at most two levels down.
 *
 * @example
 * ```ts
 * type R = ReferenceNames<BookRaw, false>; // 'author' | 'review__by'
 * ```
 */
export type ReferenceNames<T, Many extends boolean, Depth extends unknown[] = []> = Depth['length'] extends 3
  ? never
  : {
      [K in keyof T & string]-?: K extends '_id'
        ? never
        : IsReference<T[K], Many> extends true
          ? K
          : NonNullable<T[K]> extends Leaf | readonly unknown[]
            ? never
            : NonNullable<T[K]> extends object
              ? `${K}__${ReferenceNames<NonNullable<T[K]>, Many, [...Depth, unknown]>}`
              : never;
    }[keyof T & string];

type RelatedName<T, Many extends boolean, K> = K extends
  ReferenceNames<T, Many> | `${ReferenceNames<T, Many>}__${string}`
  ? K
  : K extends string
    ? `${K} is not a reference${Many extends true ? '' : ' (an array of references is loaded with prefetchRelated)'}.${DidYouMean<K, ReferenceNames<T, Many>>}`
    : never;

/**
 * The names given to selectRelated (`Many` false) or prefetchRelated, each
 * checked; for a wrong one, a message tsc prints. An untyped model takes any.
 *
 * @example
 * ```ts
 * type Ok = CheckedRelated<BookRaw, ['author__publisher'], false>; // ['author__publisher']
 * type Bad = CheckedRelated<BookRaw, ['title'], false>; // ['title is not a reference …']
 * ```
 */
export type CheckedRelated<T, Ks extends readonly string[], Many extends boolean> = string extends keyof T
  ? Ks
  : { readonly [I in keyof Ks]: RelatedName<T, Many, Ks[I]> };
