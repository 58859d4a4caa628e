// Compile-time checking of update()'s keys and values: a field path,
// optionally after a MongoEngine operator (`inc__views`, `push__tags`), with
// positions after a list (`set__comments__1__text`, `inc__comments__S__score`,
// `push__tags__0`), a lookup at the end of a pull__ key
// (`pull__comments__score__lt`), and `__raw__` holding a RawUpdate.
import type { Types } from 'mongoose';
import type { Split } from './filter-types.js';
import type { FieldType, NameMessage } from './field-types.js';
import type { RawUpdateDocument } from './update-raw.js';

type UpdateOp =
  | 'set'
  | 'unset'
  | 'inc'
  | 'dec'
  | 'mul'
  | 'min'
  | 'max'
  | 'pop'
  | 'push'
  | 'push_all'
  | 'pull'
  | 'pull_all'
  | 'add_to_set'
  | 'set_on_insert'
  | 'rename';

/** What an update key's operator writes into a field of type V. */
type UpdateValue<Op, V> = unknown extends V
  ? unknown // Mixed and JSON fields: checked at run time
  : Op extends 'inc' | 'dec' | 'mul'
    ? number | bigint | Types.Decimal128 | Types.Double
    : Op extends 'unset'
      ? unknown
      : Op extends 'pop'
        ? number
        : Op extends 'rename'
          ? string
          : Op extends 'push' | 'pull' | 'add_to_set'
            ? NonNullable<V> extends readonly (infer E)[]
              ? E | readonly E[] | Record<string, unknown> | null
              : `${Op}__ takes an array field.`
            : Op extends 'push_all' | 'pull_all'
              ? NonNullable<V> extends readonly (infer E)[]
                ? readonly E[]
                : `${Op}__ takes an array field.`
              : NonNullable<V> extends number | boolean | string
                ? NonNullable<V> | null | { readonly kind: 'f' } | object // F expressions
                : unknown;

/** A part that names a list element: a number, or MongoEngine's S (the filter's match). */
type Position = `${number}` | 'S';

/** The parts without the positions (a first part is always a field). */
type Unpositioned<Parts extends string[], First extends boolean = true> = Parts extends [
  infer H extends string,
  ...infer R extends string[],
]
  ? First extends false
    ? H extends Position
      ? Unpositioned<R, false>
      : [H, ...Unpositioned<R, false>]
    : [H, ...Unpositioned<R, false>]
  : [];

type Join<Parts extends string[]> = Parts extends [infer H extends string]
  ? H
  : Parts extends [infer H extends string, ...infer R extends string[]]
    ? `${H}__${Join<R>}`
    : '';

type EndsAtPosition<Parts extends string[]> = Parts extends [string, ...string[], Position] ? true : false;

type ElementOf<V> = NonNullable<V> extends readonly (infer E)[] ? E : V;

/** A pull__ key ending with a lookup: the list (or its element's field) is checked here, the lookup at run time. */
type PulledWithLookup<T, Parts extends string[]> = Parts extends [...infer Rest extends string[], string]
  ? Rest extends []
    ? never
    : [FieldType<T, T, Join<Unpositioned<Rest>>>] extends [never]
      ? never
      : unknown
  : never;

/** The type an update key's path writes; never when it names no field. */
type PathValue<T, Op, Path extends string> =
  Split<Path> extends infer Parts extends string[]
    ? FieldType<T, T, Join<Unpositioned<Parts>>> extends infer V
      ? [V] extends [never]
        ? Op extends 'pull'
          ? PulledWithLookup<T, Parts>
          : never
        : EndsAtPosition<Parts> extends true
          ? Op extends 'push' | 'push_all'
            ? V // push__tags__0: the position is where the values go
            : ElementOf<V>
          : V
      : never
    : never;

type UpdateKey<T, K extends string> = K extends `${infer Op extends UpdateOp}__${infer Path}`
  ? [Op, PathValue<T, Op, Path>]
  : ['set', PathValue<T, 'set', K>];

/**
 * Checks the keys of update(): a field path, optionally after a MongoEngine
 * operator (`inc__views`, `push__tags`) and with list positions; numbers for
 * inc/dec/mul, the element type for push/pull/add_to_set, the field's type
 * for a bare key, a {@link RawUpdate} for `__raw__`.
 *
 * @example
 * ```ts
 * type Ok = CheckedUpdate<EntryRaw, { inc__rating: 1; push__tags__0: 'uk'; pull__comments__score__lt: 2 }>;
 * type Bad = CheckedUpdate<EntryRaw, { rating: 'x' }>; // { rating: number | null | … }
 * ```
 */
export type CheckedUpdate<T, U> = string extends keyof T
  ? U
  : string extends keyof U
    ? U // built at run time: checked there
    : {
        readonly [K in keyof U]: K extends '__raw__'
          ? RawUpdateDocument
          : K extends string
            ? UpdateKey<T, K> extends [infer Op, infer V]
              ? [V] extends [never]
                ? NameMessage<T, K extends `${UpdateOp}__${infer Path}` ? Path : K>
                : UpdateValue<Op, V>
              : never
            : never;
      };
