// DjongoManager: Model.objects. Django's Manager: a QuerySet factory bound to
// one model (its query methods are ManagerQueries', manager-queries.ts), plus
// the creating methods here. Subclass it for custom managers and override
// getQueryset() to change what every query starts from.
import mongoose, { type Document, type HydratedDocument, type mongo } from 'mongoose';
import { DoesNotExist, ValidationError } from '../core/errors.js';
import { describe, isDuplicateKey } from '../core/values.js';
import type { FilterInput } from './q.js';
import type { TypedFilter } from './filter-types.js';
import type { CheckedDefaults, WriteFields } from './write-types.js';
import { assertStorableDocument } from './storable.js';
import { assertBulkList, assertOwnDocument } from './bulk-checks.js';
import { checkFieldValues } from './write-fields.js';
import { checkCreateKeys } from './create-checks.js';
import { creationFields, defaultsToSet, newWithPaths, setPaths } from './get-or-create.js';
import { duplicateKeyAsIntegrity } from './duplicate-key.js';
import type { MongoPassthrough } from './passthrough.js';
import { ManagerQueries, untyped } from './manager-queries.js';

function asValidationError(err: unknown, modelName: string): never {
  // Ours is a Mongoose ValidationError too, and already names the field.
  if (err instanceof ValidationError) throw err;
  if (isDuplicateKey(err)) throw duplicateKeyAsIntegrity(err, modelName);
  if (err instanceof mongoose.Error.ValidationError || err instanceof mongoose.Error.CastError) {
    const field = err instanceof mongoose.Error.CastError ? err.path : (Object.keys(err.errors)[0] ?? '');
    throw new ValidationError(`${modelName}: ${err.message}`, `${modelName}.${field}`, { cause: err });
  }
  throw err;
}

/** A manager with its typed `mongo_*` driver methods. */
export type DjongoManagerWithDriver<TRaw> = DjongoManager<TRaw> & MongoPassthrough<mongo.Document & TRaw>;

/**
 * The manager behind `Model.objects`.
 *
 * @example
 * ```ts
 * class PublishedManager extends DjongoManager<EntryRaw> {
 *   override getQueryset() { return super.getQueryset().filter({ status: 'published' }); }
 *   recent() { return this.getQueryset().orderBy('-pub_date').slice(0, 5); }
 * }
 * entrySchema.plugin(manager, { name: 'published', manager: PublishedManager });
 * const Entry = conn.model<EntryRaw, Managed<EntryRaw, 'published', PublishedManager>>('Entry', entrySchema);
 * await Entry.published.recent();
 * ```
 */
export class DjongoManager<TRaw = Record<string, unknown>> extends ManagerQueries<TRaw> {
  /**
   * Saves a new document through Mongoose (validation, defaults, middleware).
   *
   * @example
   * ```ts
   * const entry = await Entry.objects.create({ headline: 'Hey Jude', blog: { name: 'Beatles Blog' } });
   * ```
   */
  async create(fields: WriteFields<TRaw>): Promise<HydratedDocument<TRaw>> {
    try {
      checkFieldValues(this.model, fields);
      checkCreateKeys(this.model, fields);
      const doc = new this.model(fields) as HydratedDocument<TRaw>;
      assertStorableDocument(doc, this.model.modelName);
      await doc.save();
      return doc;
    } catch (err) {
      return asValidationError(err, this.model.modelName);
    }
  }

  /**
   * The document matching `lookup`, or a new one made from its plain fields
   * and `defaults`. Returns `[doc, created]`. Safe under a concurrent
   * duplicate: when a unique index refuses the insert, the winner is read;
   * when no document matches the lookup even then, the collision was on
   * another field: {@link IntegrityError}. Without a lookup, as Django's
   * `get_or_create()`, it gets the only document or creates one. `defaults`
   * is read only when creating, as Django's: its functions are called and its
   * names checked then. A name there may be a virtual with a setter (Django's
   * property with a setter), which runs on the new document.
   *
   * @example
   * ```ts
   * const [entry, created] = await Entry.objects.getOrCreate({ headline: 'Hey Jude' }, { rating: 5 });
   * const [song] = await Entry.objects.getOrCreate({ headline: 'Let It Be' }, { pub_date: () => new Date() });
   * ```
   */
  async getOrCreate<const F extends FilterInput, const D extends FilterInput = Record<never, never>>(
    lookup: TypedFilter<TRaw, F> = {} as TypedFilter<TRaw, F>,
    defaults: CheckedDefaults<TRaw, D> = {} as CheckedDefaults<TRaw, D>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    try {
      return [await this.get(...untyped([lookup])), false];
    } catch (err) {
      if (!(err instanceof DoesNotExist)) throw err;
    }
    const paths = { ...creationFields(this.model, lookup), ...defaultsToSet(this.model, defaults) };
    const doc = newWithPaths(this.model, paths);
    try {
      assertStorableDocument(doc, this.model.modelName);
      await doc.save();
      return [doc, true];
    } catch (err) {
      if (isDuplicateKey(err)) return [await this.winner(lookup, err), false];
      return asValidationError(err, this.model.modelName);
    }
  }

  /** The document a concurrent getOrCreate inserted first; none means the key collided elsewhere. */
  private async winner(lookup: FilterInput, err: unknown): Promise<HydratedDocument<TRaw>> {
    try {
      return await this.get(...untyped([lookup]));
    } catch (missing) {
      if (missing instanceof DoesNotExist) throw duplicateKeyAsIntegrity(err, this.model.modelName);
      throw missing;
    }
  }

  /** Django's spelling of {@link getOrCreate}. */
  get_or_create<const F extends FilterInput, const D extends FilterInput = Record<never, never>>(
    lookup?: TypedFilter<TRaw, F>,
    defaults?: CheckedDefaults<TRaw, D>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    return this.getOrCreate<F, D>(lookup, defaults);
  }

  /**
   * Updates the document matching `lookup` with `defaults`, or creates it
   * from the lookup's plain fields and `createDefaults` (Django 5.0's
   * `create_defaults`), which are `defaults` when not given. Returns
   * `[doc, created]`. Functions in either are called when used.
   *
   * @example
   * ```ts
   * const [entry, created] = await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { rating: 4 });
   * // Created with 1 view; an existing entry keeps its views and gets rating 4.
   * await Entry.objects.updateOrCreate({ headline: 'Hey Jude' }, { rating: 4 }, { rating: 4, views: 1 });
   * ```
   */
  async updateOrCreate<
    const F extends FilterInput,
    const D extends FilterInput = Record<never, never>,
    const C extends FilterInput = D,
  >(
    lookup: TypedFilter<TRaw, F> = {} as TypedFilter<TRaw, F>,
    defaults: CheckedDefaults<TRaw, D> = {} as CheckedDefaults<TRaw, D>,
    createDefaults?: CheckedDefaults<TRaw, C>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    const forCreate = (createDefaults ?? defaults) as CheckedDefaults<TRaw, D>;
    const [doc, created] = await this.getOrCreate<F, D>(lookup, forCreate);
    if (created) return [doc, true];
    setPaths(doc, defaultsToSet(this.model, defaults), this.model.modelName);
    try {
      assertStorableDocument(doc, this.model.modelName);
      await doc.save();
    } catch (err) {
      return asValidationError(err, this.model.modelName);
    }
    return [doc, false];
  }

  /** Django's spelling of {@link updateOrCreate}. */
  update_or_create<
    const F extends FilterInput,
    const D extends FilterInput = Record<never, never>,
    const C extends FilterInput = D,
  >(
    lookup?: TypedFilter<TRaw, F>,
    defaults?: CheckedDefaults<TRaw, D>,
    createDefaults?: CheckedDefaults<TRaw, C>,
  ): Promise<[HydratedDocument<TRaw>, boolean]> {
    return this.updateOrCreate<F, D, C>(lookup, defaults, createDefaults);
  }

  /**
   * Inserts many documents, `batchSize` per round trip (default: all at once).
   * Items are plain objects (field → value) or new documents of the model,
   * which are inserted and returned as they are. Like Django's bulk_create, it
   * runs no save() hooks; the model's insertMany hooks run, and get documents.
   *
   * @example
   * ```ts
   * await Entry.objects.bulkCreate(rows, { batchSize: 500 });
   * ```
   */
  async bulkCreate(
    docs: readonly (WriteFields<TRaw> | Document)[],
    options: { batchSize?: number } = {},
  ): Promise<HydratedDocument<TRaw>[]> {
    assertBulkList(docs, this.model.modelName);
    const size = options.batchSize ?? docs.length;
    if (!Number.isInteger(size) || size < 1) {
      if (docs.length === 0) return [];
      throw new ValidationError(
        `bulkCreate batchSize must be a whole number of at least 1, not ${String(options.batchSize)}.`,
        this.model.modelName,
      );
    }
    // Built here, as insertMany would build them, so that its hooks get
    // documents: the autoIncrement plugin then sets each id in place rather
    // than copying every object. Every item is checked before anything is sent.
    const all = docs.map((doc, index) => this.newDocument(doc, index));
    const created: HydratedDocument<TRaw>[] = [];
    try {
      // insertMany validates its whole batch before writing; with several
      // batches, the later ones are validated up front too, so that a bad
      // document anywhere writes nothing.
      if (size < all.length) await Promise.all(all.map((doc) => doc.validate()));
      for (let i = 0; i < all.length; i += size) {
        const batch = size >= all.length ? all : all.slice(i, i + size);
        const inserted = (await this.model.insertMany(batch)) as unknown as HydratedDocument<TRaw>[];
        for (const doc of inserted) created.push(doc);
      }
    } catch (err) {
      return asValidationError(err, this.model.modelName);
    }
    return created;
  }

  /** A new document of the model for one item of {@link bulkCreate}; documents pass as they are. */
  private newDocument(doc: unknown, index: number): Document {
    if (doc instanceof mongoose.Document) {
      assertOwnDocument(this.model, doc, index);
      assertStorableDocument(doc, this.model.modelName);
      return doc;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ValidationError(
        `${this.model.modelName}.objects.bulkCreate takes objects (field → value); item ${index} is ` +
          `${describe(doc)}.`,
        this.model.modelName,
      );
    }
    checkCreateKeys(this.model, doc, ` (bulkCreate item ${index})`);
    const built = new this.model(doc) as unknown as Document;
    // A plain object far below the limit is not copied again (toBSON) to be
    // measured: bulkCreate is the fast path for many documents.
    if (checkFieldValues(this.model, doc as Record<string, unknown>))
      assertStorableDocument(built, this.model.modelName);
    return built;
  }

  /** Django's spelling of {@link bulkCreate}. */
  bulk_create(
    docs: readonly (WriteFields<TRaw> | Document)[],
    options?: { batchSize?: number },
  ): Promise<HydratedDocument<TRaw>[]> {
    return this.bulkCreate(docs, options);
  }
}
