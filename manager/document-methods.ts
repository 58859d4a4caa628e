// The instance methods the manager plugin gives documents: Django's model
// instance methods, each a thin call into the module that does the work.
import type { Document } from 'mongoose';
import { refreshFromDb, type RefreshOptions } from './refresh.js';

/**
 * What documents of a model with the manager plugin can do, as the instance
 * methods of a document type: `HydratedDocument<Raw, DjongooseDocument<Raw>>`
 * (Mongoose cannot learn a plugin's methods from the schema's type).
 *
 * @example
 * ```ts
 * const entry = (await Entry.objects.get({ pk: id })) as HydratedDocument<EntryRaw, DjongooseDocument<EntryRaw>>;
 * await entry.refreshFromDb({ fields: ['rating'] });
 * ```
 */
export interface DjongooseDocument<TRaw> {
  /** Django's `refresh_from_db()`: see {@link refreshFromDb}. */
  refreshFromDb(options?: RefreshOptions<TRaw>): Promise<void>;
  /** Django's spelling of {@link DjongooseDocument.refreshFromDb}. */
  refresh_from_db(options?: RefreshOptions<TRaw>): Promise<void>;
}

/** The methods, as the plugin adds them to a schema. */
export const documentMethods: {
  [K in keyof DjongooseDocument<unknown>]: (this: Document, options?: never) => unknown;
} = {
  refreshFromDb(this: Document, options?: RefreshOptions) {
    return refreshFromDb(this, options);
  },
  refresh_from_db(this: Document, options?: RefreshOptions) {
    return refreshFromDb(this, options);
  },
};
