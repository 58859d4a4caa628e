// The autoIncrement plugin: djongo's AutoField. Each new document gets the
// next integer `id` from the collection's `__schema__` counter, the very
// counter djongo uses, so Django and Node can write the same collection.
// Allocation is one atomic findOneAndUpdate ($inc) per call, and one per
// batch whatever its size: insertMany and Model.objects.bulkCreate reserve
// their N ids in their pre('insertMany') hook; Model.create([...]) has no hook
// of its own (Mongoose saves each document separately), so the plugin wraps
// the `create` static to reserve the batch's ids before it runs.
import mongoose, { type Document, type Model, type Schema, type mongo } from 'mongoose';
import { didYouMean } from '../core/closest.js';
import { ImproperlyConfigured, OperationalError, ValidationError } from '../core/errors.js';
import {
  djongoFieldTypes,
  raiseSeq,
  registerAutoField,
  reserveIds,
  type SchemaEntry,
} from '../core/schema-collection.js';
import { setPrimaryKey } from '../manager/resolve.js';

/** Options of the {@link autoIncrement} plugin. */
export interface AutoIncrementOptions {
  /** The integer field, djongo's AutoField; default `id`. `pk` resolves to it. */
  readonly field?: string;
}

const OPTION_KEYS = ['field'] as const;
/** djongo names the primary key's unique index so; using the same name keeps a djongo database's index. */
export const PRIMARY_KEY_INDEX = '__primary_key__';

type AnyModel = Model<unknown>;
type CreateStatic = (this: AnyModel, ...args: unknown[]) => Promise<unknown>;

/**
 * Ids a `create([...])` call has just reserved or raised the counter for,
 * per collection, so that its documents' pre('save') hooks do not ask the
 * server again. A count per id: concurrent calls may hold the same explicit id.
 */
const settled = new WeakMap<object, Map<number, number>>();

function settle(collection: object, ids: readonly number[]): void {
  let byId = settled.get(collection);
  if (!byId) settled.set(collection, (byId = new Map()));
  for (const id of ids) byId.set(id, (byId.get(id) ?? 0) + 1);
}

function unsettle(collection: object, ids: readonly number[]): void {
  const byId = settled.get(collection);
  for (const id of ids) {
    const left = (byId?.get(id) ?? 0) - 1;
    if (left > 0) byId?.set(id, left);
    else byId?.delete(id);
  }
}

function isSettled(collection: object, id: number): boolean {
  return (settled.get(collection)?.get(id) ?? 0) > 0;
}

function checkOptions(schema: Schema, given: unknown): string {
  const options = given ?? {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ImproperlyConfigured(
      `autoIncrement options must be an object such as { field: 'id' }, not ${Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new ImproperlyConfigured(
        `Unknown autoIncrement option ${JSON.stringify(key)}; accepted options are: ${OPTION_KEYS.join(', ')}.` +
          didYouMean(key, OPTION_KEYS),
      );
    }
  }
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

function isDocument(value: unknown): value is Document {
  return value instanceof mongoose.Document;
}

function valueOf(item: unknown, field: string): unknown {
  if (isDocument(item)) return item.get(field);
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined;
}

/**
 * An explicit id as a number; undefined when it is not a number at all
 * (Mongoose's cast reports it). A fraction is refused here rather than by a
 * schema validator, which would cost every document of a batch its call.
 */
function explicitId(model: AnyModel, field: string, value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) return undefined;
  if (!Number.isSafeInteger(n)) {
    throw new ValidationError(
      `${model.modelName}.${field} must be a whole number, not ${JSON.stringify(value)}.`,
      `${model.modelName}.${field}`,
    );
  }
  return n;
}

async function databaseOf(model: AnyModel): Promise<mongo.Db> {
  const conn = model.db;
  if (!conn.db) await conn.asPromise();
  if (!conn.db) {
    throw new OperationalError(
      `${model.modelName}: cannot allocate an id, the connection to database "${conn.name}" is not open.`,
      [],
    );
  }
  return conn.db;
}

/** What a batch needs from the counter: its new ids, and the counter raised past its explicit ones. */
interface BatchIds {
  readonly items: unknown[];
  /** Every id in the batch, new and explicit: the server has been told about each. */
  readonly ids: number[];
}

const fieldTypes = new WeakMap<Schema, SchemaEntry['fields']>();

function fieldTypesOf(schema: Schema): SchemaEntry['fields'] {
  let found = fieldTypes.get(schema);
  if (!found) fieldTypes.set(schema, (found = djongoFieldTypes(schema)));
  return found;
}

/**
 * Gives each item of a batch lacking `field` an id from ONE reservation of
 * as many ids, after raising the counter past the largest explicit id (a
 * second round trip only when the batch has explicit ids above nothing the
 * server knows of). Plain objects are copied, never changed; Mongoose
 * documents get the id set on them, as Mongoose sets their `_id`.
 */
async function assignBatch(model: AnyModel, field: string, batch: readonly unknown[]): Promise<BatchIds> {
  const missing: number[] = [];
  const ids: number[] = [];
  let highest: number | undefined;
  batch.forEach((item, i) => {
    const value = valueOf(item, field);
    if (value === undefined || value === null) {
      if (item !== null && typeof item === 'object') missing.push(i);
      return;
    }
    const id = explicitId(model, field, value);
    if (id === undefined) return;
    ids.push(id);
    highest = highest === undefined ? id : Math.max(highest, id);
  });
  const items = [...batch];
  if (missing.length === 0 && highest === undefined) return { items, ids };

  const db = await databaseOf(model);
  const collection = model.collection.collectionName;
  const fields = fieldTypesOf(model.schema);
  // Raise first, so the reserved ids land above every explicit one.
  if (highest !== undefined) await raiseSeq(db, collection, field, highest, fields);
  if (missing.length > 0) {
    const first = await reserveIds(db, collection, field, missing.length, { fields });
    missing.forEach((index, k) => {
      const id = first + k;
      const item = items[index];
      if (isDocument(item)) item.set(field, id);
      else {
        // Object.assign then one assignment: measured ~8× faster here than
        // `{ ...item, [field]: id }`, which cost ~1 µs a document.
        const copy: Record<string, unknown> = Object.assign({}, item);
        copy[field] = id;
        items[index] = copy;
      }
      ids.push(id);
    });
  }
  return { items, ids };
}

/**
 * djongo's AutoField for Mongoose: a Number `field` (default `id`) with a
 * unique index, filled from the collection's `__schema__` counter on every
 * insert, and the field `pk` stands for. Explicit ids are kept, and the
 * counter moves up past them. Batches cost one round trip to the counter:
 * `insertMany`, `Model.objects.bulkCreate` and `Model.create([...])`.
 *
 * @example
 * ```ts
 * import { autoIncrement } from 'djongoose/plugins';
 * entrySchema.plugin(manager);
 * entrySchema.plugin(autoIncrement);              // or { field: 'entry_id' }
 * const Entry = conn.model<EntryRaw, Managed<EntryRaw>>('Entry', entrySchema);
 * const entry = await Entry.create({ headline: 'Hey Jude' });
 * entry.id;                                       // 1
 * await Entry.objects.bulkCreate([{ headline: 'a' }, { headline: 'b' }]); // ids 2 and 3, one $inc: 2
 * await Entry.objects.get({ pk: 3 });
 * ```
 */
export function autoIncrement(schema: Schema, options?: AutoIncrementOptions): void {
  const field = checkOptions(schema, options);
  declareField(schema, field);
  setPrimaryKey(schema, field);
  registerAutoField(schema, field);

  // Every way a new document reaches the collection through Mongoose.
  schema.pre('save', assignIdBeforeSave);
  // Mongoose's types say an insertMany hook returns nothing; at run time it may
  // return overwriteMiddlewareArguments (public, documented for pre hooks).
  schema.pre('insertMany', assignIdsBeforeInsertMany as unknown as (this: AnyModel, docs: unknown) => Promise<void>);
  const previousCreate = schema.statics['create'] as CreateStatic | undefined;
  schema.static('create', createWithOneReservation);

  /** save(), Model.create(doc), Model.objects.create: one $inc: 1, or raise past an explicit id. */
  async function assignIdBeforeSave(this: Document): Promise<void> {
    const model = this.constructor as AnyModel;
    const value: unknown = this.get(field);
    if (value === undefined || value === null) {
      if (!this.isNew) return;
      const db = await databaseOf(model);
      const fields = fieldTypesOf(model.schema);
      this.set(field, await reserveIds(db, model.collection.collectionName, field, 1, { fields }));
      return;
    }
    if (!this.isNew && !this.isModified(field)) return;
    const id = explicitId(model, field, value);
    if (id === undefined || isSettled(model.collection, id)) return;
    await raiseSeq(await databaseOf(model), model.collection.collectionName, field, id, fieldTypesOf(model.schema));
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
    const create = previousCreate ?? (mongoose.Model.create as unknown as CreateStatic);
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
