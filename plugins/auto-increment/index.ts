// The autoIncrement plugin: djongo's AutoField. Each new document gets the
// next integer `id` from the collection's `__schema__` counter, the very
// counter djongo uses, so Django and Node can write the same collection.
// Allocation is one atomic findOneAndUpdate ($inc) per call, and one per
// batch whatever its size: insertMany and Model.objects.bulkCreate reserve
// their N ids in their pre('insertMany') hook; Model.create([...]) and
// Model.bulkSave have no hook of their own (Mongoose saves each document
// separately), so the plugin wraps those statics to reserve the batch's ids
// before they run. Upserts and bulkWrite get theirs in
// upserts.ts, and allocation itself is in ids.ts.
//
// A discriminator (Base.discriminator('Child', childSchema)) is compiled
// from a merged copy of the two schemas: it keeps our hooks and statics, so
// its documents get ids from the base collection's counter, but it is a new
// Schema object, unknown to the side tables keyed by schema (pk, the auto
// field, djongo's field types). The plugin wraps the `discriminator` static
// to tell them, as it wraps `create`.
import mongoose, { type Document, type Schema } from 'mongoose';
import { checkOptionKeys } from '../../core/values.js';
import { ImproperlyConfigured } from '../../core/errors.js';
import { checkSameMongoose } from '../../core/one-mongoose.js';
import { autoFieldOf, registerAutoField } from '../../core/schema-collection.js';
import { setPrimaryKey } from '../../manager/resolve.js';
import {
  allocate,
  assignBatch,
  explicitId,
  isDocument,
  isRecord,
  isSettled,
  settle,
  shareFieldTypes,
  unsettle,
  type AnyModel,
} from './ids.js';
import { REPLACE_OPS, UPDATE_OPS, idOnReplaceUpsert, idOnUpdateUpsert, idsOnBulkWrite } from './upserts.js';

/** Options of the {@link autoIncrement} plugin. */
export interface AutoIncrementOptions {
  /** The integer field, djongo's AutoField; default `id`. `pk` resolves to it. */
  readonly field?: string;
}

const OPTION_KEYS = ['field'] as const;
/** djongo names the primary key's unique index so; using the same name keeps a djongo database's index. */
export const PRIMARY_KEY_INDEX = '__primary_key__';

type BatchStatic = (this: AnyModel, ...args: unknown[]) => Promise<unknown>;
type DiscriminatorStatic = (this: AnyModel, ...args: unknown[]) => AnyModel;

function checkOptions(schema: Schema, given: unknown): string {
  const options = given ?? {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ImproperlyConfigured(
      `autoIncrement options must be an object such as { field: 'id' }, not ${Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  checkOptionKeys(options, OPTION_KEYS, (key, hint) => {
    throw new ImproperlyConfigured(
      `Unknown autoIncrement option ${JSON.stringify(key)}; accepted options are: ${OPTION_KEYS.join(', ')}.${hint}`,
    );
  });
  const field = (options as { field?: unknown }).field ?? 'id';
  if (typeof field !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(field) || field === '_id') {
    throw new ImproperlyConfigured(
      `autoIncrement field must be a top-level field name (letters, digits and _, not "_id"), such as 'id', ` +
        `not ${JSON.stringify(field)}.`,
    );
  }
  const existing = schema.path(field) as { instance?: string } | undefined;
  if (existing && existing.instance !== 'Number') {
    throw new ImproperlyConfigured(
      `autoIncrement field "${field}" is declared as ${existing.instance ?? 'a nested object'}; ` +
        `it must be a Number, or left out for the plugin to declare it.`,
    );
  }
  return field;
}

/**
 * djongo's AutoField for Mongoose: a Number `field` (default `id`) with a
 * unique index, filled from the collection's `__schema__` counter on every
 * insert, and the field `pk` stands for. Explicit ids are kept, and the
 * counter moves up past them. Batches cost one round trip to the counter:
 * `insertMany`, `Model.objects.bulkCreate`, `Model.create([...])`,
 * `Model.bulkSave` and `Model.bulkWrite`. Upserts that insert get an id too (`$setOnInsert`);
 * one that matches keeps its document's id. Discriminators share the base
 * model's field, counter and `pk`.
 *
 * @example
 * ```ts
 * import { autoIncrement } from 'djongoose/plugins';
 * interface EntryRaw { id: number; headline?: string; rating?: number } // id: the field the plugin adds
 * const entrySchema = new mongoose.Schema<EntryRaw>({ headline: String, rating: Number });
 * entrySchema.plugin(manager);
 * entrySchema.plugin(autoIncrement);              // or { field: 'entry_id' }
 * const Entry = conn.model<EntryRaw, Managed<EntryRaw>>('Entry', entrySchema);
 * const entry = await Entry.create({ headline: 'Hey Jude' });
 * entry.id;                                       // 1
 * await Entry.objects.bulkCreate([{ headline: 'a' }, { headline: 'b' }]); // ids 2 and 3, one $inc: 2
 * await Entry.updateOne({ headline: 'c' }, { rating: 5 }, { upsert: true }); // inserts id 4
 * await Entry.objects.get({ pk: 3 });
 * ```
 */
export function autoIncrement(schema: Schema, options?: AutoIncrementOptions): void {
  checkSameMongoose(schema, 'autoIncrement');
  const field = checkOptions(schema, options);
  declareField(schema, field);
  setPrimaryKey(schema, field);
  registerAutoField(schema, field);
  installHooks(schema, field);
}

/** The hooks and statics that give `field` its ids: every way a new document reaches the collection through Mongoose. */
function installHooks(schema: Schema, field: string): void {
  schema.pre('save', assignIdBeforeSave);
  // Mongoose's types say insertMany and bulkWrite hooks return nothing; at run
  // time they may return overwriteMiddlewareArguments (public, documented for
  // pre hooks), which is how these hand Mongoose the copies carrying ids.
  schema.pre('insertMany', assignIdsBeforeInsertMany as unknown as (this: AnyModel, docs: unknown) => Promise<void>);
  schema.pre('bulkWrite', idsOnBulkWrite(field) as unknown as (this: AnyModel, ops: unknown) => Promise<void>);
  schema.pre([...UPDATE_OPS], { document: false, query: true }, idOnUpdateUpsert(field));
  schema.pre([...REPLACE_OPS], { document: false, query: true }, idOnReplaceUpsert(field));
  const previousCreate = schema.statics['create'] as BatchStatic | undefined;
  schema.static('create', createWithOneReservation);
  const previousBulkSave = schema.statics['bulkSave'] as BatchStatic | undefined;
  schema.static('bulkSave', bulkSaveWithOneReservation);
  const previousDiscriminator = schema.statics['discriminator'] as DiscriminatorStatic | undefined;
  schema.static('discriminator', discriminatorSharingField);

  /** save(), Model.create(doc), Model.objects.create: one $inc: 1, or raise past an explicit id. */
  async function assignIdBeforeSave(this: Document): Promise<void> {
    const model = this.constructor as AnyModel;
    const value: unknown = this.get(field);
    if (value === undefined || value === null) {
      if (!this.isNew) return;
      this.set(field, await allocate(model, field, 1));
      return;
    }
    if (!this.isNew && !this.isModified(field)) return;
    const id = explicitId(model, field, value);
    if (id === undefined || isSettled(model.collection, id)) return;
    await allocate(model, field, 0, id);
  }

  /** insertMany and bulkCreate: Mongoose 9 hands the hook the raw array; ids for all of it at once. */
  async function assignIdsBeforeInsertMany(this: AnyModel, docs: unknown): Promise<unknown> {
    const { items } = await assignBatch(this, field, Array.isArray(docs) ? docs : [docs]);
    return mongoose.overwriteMiddlewareArguments(items);
  }

  /**
   * Model.create([...]) and Model.create(a, b, …): Mongoose saves each
   * document on its own, so the batch's ids are reserved here first and the
   * save hooks find them settled.
   */
  async function createWithOneReservation(this: AnyModel, ...args: unknown[]): Promise<unknown> {
    const create = previousCreate ?? (mongoose.Model.create as unknown as BatchStatic);
    const [first, second] = args;
    const spread = !Array.isArray(first) && args.length > 1 && args.every((a) => a !== null && typeof a === 'object');
    const batch = Array.isArray(first) ? first : spread ? args : undefined;
    if (!batch || batch.length < 2) return create.apply(this, args);
    const { items, ids } = await assignBatch(this, field, batch);
    settle(this.collection, ids);
    try {
      return await (spread ? create.apply(this, items) : create.call(this, items, second));
    } finally {
      unsettle(this.collection, ids);
    }
  }

  /**
   * Model.bulkSave(docs): Mongoose runs the documents' save hooks all at
   * once, then sends one bulkWrite; the new documents' ids are reserved here
   * first, in one round trip, and the save and bulkWrite hooks find them settled.
   */
  async function bulkSaveWithOneReservation(this: AnyModel, ...args: unknown[]): Promise<unknown> {
    const bulkSave = previousBulkSave ?? (mongoose.Model.bulkSave as unknown as BatchStatic);
    const [documents] = args;
    const fresh = Array.isArray(documents) ? documents.filter((doc) => isDocument(doc) && doc.isNew) : [];
    if (fresh.length === 0) return bulkSave.apply(this, args);
    const { ids } = await assignBatch(this, field, fresh);
    settle(this.collection, ids);
    try {
      return await bulkSave.apply(this, args);
    } finally {
      unsettle(this.collection, ids);
    }
  }

  /**
   * Base.discriminator(...): the child's merged schema gets the base's
   * field as its `pk` and auto field, and the base's djongo field types.
   */
  function discriminatorSharingField(this: AnyModel, ...args: unknown[]): AnyModel {
    const discriminator = previousDiscriminator ?? (mongoose.Model.discriminator as unknown as DiscriminatorStatic);
    const [, childSchema, options] = args;
    // { mergeHooks: false } leaves the child without the base's hooks: its
    // documents would get no id (and the unique index would refuse the second
    // of them), so its own schema gets them, before Mongoose compiles it.
    if (
      isRecord(options) &&
      options['mergeHooks'] === false &&
      childSchema instanceof mongoose.Schema &&
      autoFieldOf(childSchema) === undefined
    ) {
      installHooks(childSchema, field);
    }
    const child = discriminator.apply(this, args);
    setPrimaryKey(child.schema, field);
    registerAutoField(child.schema, field);
    shareFieldTypes(child.schema, this.schema);
    return child;
  }
}

function declareField(schema: Schema, field: string): void {
  if (!schema.path(field)) {
    schema.add({ [field]: { type: Number } });
  }
  const indexed = schema.indexes().some(([keys, opts]) => {
    const names = Object.keys(keys);
    return names.length === 1 && names[0] === field && (opts as { unique?: boolean } | undefined)?.unique === true;
  });
  if (!indexed) schema.index({ [field]: 1 }, { unique: true, name: PRIMARY_KEY_INDEX });
}
