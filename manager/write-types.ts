// Compile-time checking of the fields given to create, getOrCreate's and
// updateOrCreate's defaults and bulkCreate: keys must name fields of the
// document type, values must be what Mongoose casts to them. Like Mongoose's
// own `Model.create` types, ObjectId and Date fields take their text form too,
// numbers and booleans do not take strings.
import type { Types } from 'mongoose';

type Leaf = string | number | boolean | bigint | Types.Decimal128 | Types.Double | Buffer;

/** What a field of type V takes when a document is made. */
type WriteValue<V> = unknown extends V
  ? unknown // Mixed and JSON fields
  : NonNullable<V> extends infer U
    ? U extends Leaf
      ? U | null
      : U extends Date
        ? Date | string | number | null
        : U extends Types.ObjectId
          ? Types.ObjectId | string | null
          : U extends readonly (infer E)[]
            ? readonly WriteValue<E>[] | null
            : U extends object
              ? { readonly [K in keyof U]?: WriteValue<U[K]> } | null
              : unknown
    : unknown;

/**
 * The fields of a new document of type T. An untyped model
 * (`Record<string, unknown>`) takes any keys.
 *
 * @example
 * ```ts
 * const ok: WriteFields<EntryRaw> = { headline: 'Hey Jude', blog: { name: 'Beatles Blog' } };
 * const bad: WriteFields<EntryRaw> = { headline: 5 }; // compile error: headline is a string
 * ```
 */
export type WriteFields<T> = string extends keyof T
  ? Readonly<Record<string, unknown>>
  : { readonly [K in keyof T]?: WriteValue<T[K]> } & { readonly _id?: unknown };
