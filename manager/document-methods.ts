// The instance methods the manager plugin gives documents: Django's model
// instance methods, each a thin call into the module that does the work.
import type { Document, HydratedDocument } from 'mongoose';
import type { FilterInput } from './q.js';
import { refreshFromDb, type RefreshOptions } from './refresh.js';
import { getNextBy, getPreviousBy } from './next-by.js';
import { sameDocument } from './document-equality.js';
import { loadDeferred, type DeferrableField } from './deferred.js';

/** The keys of TRaw whose values are dates: what getNextBy/getPreviousBy order by. */
export type DateFieldOf<TRaw> = {
  [K in keyof TRaw]-?: NonNullable<TRaw[K]> extends Date ? K : never;
}[keyof TRaw] &
  string;

/**
 * What documents of a model with the manager plugin can do, as the instance
 * methods of a document type: `HydratedDocument<Raw, DjongooseDocument<Raw>>`
 * (Mongoose cannot learn a plugin's methods from the schema's type). Django's
 * `get_next_by_<field>()` spellings exist at run time for each top-level Date
 * field, untyped; `getNextBy(field)` is their typed form.
 *
 * @example
 * ```ts
 * import type { HydratedDocument } from 'mongoose';
 * const doc = entry as HydratedDocument<Entry, DjongooseDocument<Entry>>;
 * await doc.refreshFromDb({ fields: ['rating'] });
 * const next = await doc.getNextBy('pub_date');
 * doc.sameAs(await Entry.objects.get({ pk: doc._id })); // true: Django's `==`
 * const [deferred] = await Entry.objects.defer('headline').filter({ pk: doc._id });
 * await (deferred as typeof doc).loadDeferred('headline'); // loaded with one query, as Django's read
 * ```
 */
export interface DjongooseDocument<TRaw> {
  /** Django's `refresh_from_db()`: see {@link refreshFromDb}. */
  refreshFromDb(options?: RefreshOptions<TRaw>): Promise<void>;
  /** Django's spelling of {@link DjongooseDocument.refreshFromDb}. */
  refresh_from_db(options?: RefreshOptions<TRaw>): Promise<void>;
  /** Django's `get_next_by_<field>()`: see {@link getNextBy}. */
  getNextBy(field: DateFieldOf<TRaw>, filters?: FilterInput): Promise<HydratedDocument<TRaw, DjongooseDocument<TRaw>>>;
  /** Django's `get_previous_by_<field>()`: see {@link getPreviousBy}. */
  getPreviousBy(
    field: DateFieldOf<TRaw>,
    filters?: FilterInput,
  ): Promise<HydratedDocument<TRaw, DjongooseDocument<TRaw>>>;
  /**
   * Django's read of a field deferred by `defer()`/`only()`, made explicit:
   * the field's value, loaded with one query if it was deferred. See
   * {@link loadDeferred}.
   */
  loadDeferred<K extends DeferrableField<TRaw>>(field: K): Promise<TRaw[K]>;
  /**
   * Django's `==` between model instances: the same model and the same
   * primary key (the autoIncrement field's value, where there is one); a
   * document whose primary key is not set yet is the same only as itself.
   * Mongoose's `equals()` stays Mongoose's: it compares `_id`s only.
   */
  sameAs(other: unknown): boolean;
}

type Method = (this: Document, ...args: never) => unknown;

/** The methods, as the plugin adds them to a schema. */
export const documentMethods: { [K in keyof DjongooseDocument<unknown>]: Method } = {
  refreshFromDb(this: Document, options?: RefreshOptions) {
    return refreshFromDb(this, options);
  },
  refresh_from_db(this: Document, options?: RefreshOptions) {
    return refreshFromDb(this, options);
  },
  getNextBy(this: Document, field: string, filters?: FilterInput) {
    return getNextBy(this, field, filters);
  },
  getPreviousBy(this: Document, field: string, filters?: FilterInput) {
    return getPreviousBy(this, field, filters);
  },
  sameAs(this: Document, other: unknown) {
    return sameDocument(this, other);
  },
  loadDeferred(this: Document, field: string) {
    return loadDeferred(this, field as never);
  },
};

/**
 * Django's per-field spellings, `get_next_by_<field>()` and
 * `get_previous_by_<field>()`, for the given Date fields.
 *
 * @example
 * ```ts
 * dateFieldMethods(['pub_date']); // { get_next_by_pub_date, get_previous_by_pub_date }
 * ```
 */
export function dateFieldMethods(fields: readonly string[]): Record<string, Method> {
  const methods: Record<string, Method> = {};
  for (const field of fields) {
    methods[`get_next_by_${field}`] = function (this: Document, filters?: FilterInput) {
      return getNextBy(this, field, filters);
    };
    methods[`get_previous_by_${field}`] = function (this: Document, filters?: FilterInput) {
      return getPreviousBy(this, field, filters);
    };
  }
  return methods;
}
