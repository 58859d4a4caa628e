// The types of modelAdmin's options: field names checked against the model's
// document type, one level into embedded documents (`blog.name`).
import type { Types } from 'mongoose';

type Key<T> = Extract<keyof T, string>;

// Values whose keys are not fields: lists, dates, ids, buffers.
type Leaf = readonly unknown[] | Date | Types.ObjectId | Types.Decimal128 | Buffer | Types.Buffer;

type Inner<V> = [NonNullable<V>] extends [never]
  ? never
  : NonNullable<V> extends Leaf
    ? never
    : NonNullable<V> extends object
      ? Key<NonNullable<V>>
      : never;

/** A field of the model's documents, `_id`, or a field of an embedded document (`blog.name`). */
export type FieldName<TRaw> = '_id' | { [K in Key<TRaw>]: K | `${K}.${Inner<TRaw[K]>}` }[Key<TRaw>];

/** Django's fieldsets: a title (or null) and the fields it groups. */
export type Fieldset<TRaw> = readonly [
  title: string | null,
  options: { readonly fields: readonly FieldName<TRaw>[]; readonly description?: string },
];

/** Django's ModelAdmin options, in camelCase. */
export interface ModelAdminOptions<TRaw> {
  /** `list_display`: the list's columns. */
  readonly listDisplay?: readonly FieldName<TRaw>[];
  /** `list_filter`: the fields the filter drawer offers. */
  readonly listFilter?: readonly FieldName<TRaw>[];
  /** `search_fields`: what the search box matches, `icontains`; `^name` starts with, `=name` exact. */
  readonly searchFields?: readonly (FieldName<TRaw> | `^${FieldName<TRaw>}` | `=${FieldName<TRaw>}`)[];
  /** `ordering`: the list's default order; `-name` descending. AdminJS sorts by one field: the first. */
  readonly ordering?: readonly (FieldName<TRaw> | `-${FieldName<TRaw>}`)[];
  /** `readonly_fields`: shown, never written, whatever the form sends. */
  readonly readonlyFields?: readonly FieldName<TRaw>[];
  /** `fieldsets`: the show and edit pages' fields, in groups. */
  readonly fieldsets?: readonly Fieldset<TRaw>[];
  /** `list_per_page`: the list's page size when the request names none (1 to 500). */
  readonly listPerPage?: number;
}
