// Compile-time checking of the fields given to create, getOrCreate's and
// updateOrCreate's defaults and bulkCreate: keys must name fields of the
// document type, values must be what Mongoose casts to them. Like Mongoose's
// own `Model.create` types, ObjectId and Date fields take their text form too,
// numbers and booleans do not take strings.
import type { Types } from 'mongoose';
import type { FieldType, NameMessage } from './field-types.js';

type Leaf = string | number | boolean | bigint | Types.Decimal128 | Types.Double | Buffer;

/** What a field of type V takes when a document is made. */
export type WriteValue<V> = unknown extends V
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

type NoPrimaryKey = 'defaults cannot set the primary key: it comes from the lookup (e.g. { pk: id }).';

/** A defaults value, or a function returning it: called when the value is needed, as Django does. */
type Lazy<V> = V | (() => V);

/** What a defaults key K takes: its field's value, or a message when K names no field or the primary key. */
type DefaultValue<T, K extends string> = K extends keyof T
  ? Lazy<WriteValue<T[K]>>
  : K extends '_id' | 'pk' | 'id'
    ? K extends '_id'
      ? NoPrimaryKey
      : 'id' extends keyof T
        ? Lazy<WriteValue<T['id' & keyof T]>> // autoIncrement: pk is the id field
        : NoPrimaryKey
    : FieldType<T, T, K> extends infer V
      ? [V] extends [never]
        ? NameMessage<T, K>
        : Lazy<WriteValue<V>>
      : never;

/**
 * getOrCreate's and updateOrCreate's `defaults`: field names, joined by `__`
 * into embedded documents (`blog__name`), without lookups, each with a value
 * that fits its field. An untyped model takes any keys.
 *
 * @example
 * ```ts
 * type Ok = CheckedDefaults<EntryRaw, { rating: 5; blog__name: 'B' }>;
 * type Bad = CheckedDefaults<EntryRaw, { ratin: 5 }>;
 * // { readonly ratin: "Cannot resolve keyword 'ratin' into field. Did you mean 'rating'?" }
 * ```
 */
export type CheckedDefaults<T, D> = string extends keyof T
  ? D
  : string extends keyof D
    ? D // built at run time: checked there
    : { readonly [K in keyof D]: K extends string ? DefaultValue<T, K> : never };
