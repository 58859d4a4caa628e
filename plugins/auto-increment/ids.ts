// Where the autoIncrement plugin's ids come from: explicit ids checked and
// the counter raised past them, new ids reserved from the `__schema__`
// counter, a whole batch's in one round trip. The plugin's hooks
// (index.ts, upserts.ts) all allocate through here.
import mongoose, { type Document, type Model, type Schema, type mongo } from 'mongoose';
import { OperationalError, ValidationError } from '../../core/errors.js';
import { counterFull, djongoFieldTypes, raiseSeq, reserveIds, type SchemaEntry } from '../../core/schema-collection.js';
import { ACCEPTED_IDS, MAX_ID } from '../../core/stored-ids.js';
import { describe } from '../../core/values.js';
import { hasNoSetters, setValueUncast } from '../../core/mongoose-internals.js';

export type AnyModel = Model<unknown>;

/**
 * Whether a value is a Mongoose document (not a plain object).
 *
 * @example
 * ```ts
 * isDocument(new Entry()); // true
 * isDocument({});          // false
 * ```
 */
export function isDocument(value: unknown): value is Document {
  return value instanceof mongoose.Document;
}

/**
 * Whether a value is an object with keys: not null, not an array.
 *
 * @example
 * ```ts
 * isRecord({ $set: {} }); // true
 * isRecord([{ $set: {} }]); // false: an update pipeline
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The value of a top-level field of a document or a plain object.
 *
 * @example
 * ```ts
 * valueOf({ id: 3 }, 'id');            // 3
 * valueOf(new Entry({ id: 4 }), 'id'); // 4
 * ```
 */
export function valueOf(item: unknown, field: string): unknown {
  if (isDocument(item)) return item.get(field);
  return isRecord(item) ? item[field] : undefined;
}

/**
 * An explicit id as a number; undefined when it cannot be one at all
 * (Mongoose's cast reports it). Strings and numbers are read here; other
 * values (a Long, a Decimal128, a boolean) through the field's own Mongoose
 * cast, so the number checked is the number stored. A fraction, or an id
 * past ±Number.MAX_SAFE_INTEGER, is refused here with ValidationError,
 * before anything is written, rather than by a schema validator, which
 * would cost every document of a batch its call.
 *
 * @example
 * ```ts
 * explicitId(Entry, 'id', '7');  // 7
 * explicitId(Entry, 'id', 'x');  // undefined
 * explicitId(Entry, 'id', 2.5);  // throws ValidationError: Entry.id must be one of the integers within ±9007199254740991 …, not 2.5.
 * explicitId(Entry, 'id', mongo.Long.fromString('1152921504606846976')); // throws ValidationError
 * ```
 */
export function explicitId(model: AnyModel, field: string, value: unknown): number | undefined {
  const n =
    typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value)) : castNumber(model, field, value);
  if (typeof n !== 'number' || Number.isNaN(n)) return undefined;
  if (!Number.isSafeInteger(n)) {
    throw new ValidationError(
      `${model.modelName}.${field} must be one of the ${ACCEPTED_IDS}, ` +
        `not ${typeof value === 'number' ? String(value) : describe(value)}.`,
      `${model.modelName}.${field}`,
    );
  }
  return n;
}

/** A number, or what the field's Mongoose cast makes of another value; undefined when it cannot cast it. */
function castNumber(model: AnyModel, field: string, value: unknown): unknown {
  if (typeof value === 'number') return value;
  try {
    return model.schema.path(field)?.cast(value);
  } catch {
    return undefined;
  }
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

const fieldTypes = new WeakMap<Schema, SchemaEntry['fields']>();

/**
 * The `fields` a new `__schema__` entry gets for this schema, computed once.
 *
 * @example
 * ```ts
 * fieldTypesOf(Entry.schema); // { id: { type_code: 'int' }, headline: { type_code: 'string' }, … }
 * ```
 */
export function fieldTypesOf(schema: Schema): SchemaEntry['fields'] {
  let found = fieldTypes.get(schema);
  if (!found) fieldTypes.set(schema, (found = djongoFieldTypes(schema)));
  return found;
}

/**
 * Makes a discriminator's schema describe the collection as its base schema
 * does: whichever model creates the `__schema__` entry, its `fields` are the
 * base's.
 *
 * @example
 * ```ts
 * const Link = Post.discriminator('Link', linkSchema);
 * shareFieldTypes(Link.schema, Post.schema);
 * ```
 */
export function shareFieldTypes(child: Schema, base: Schema): void {
  fieldTypes.set(child, fieldTypesOf(base));
}

/**
 * Raises the counter to `highest` first when given (so the reserved ids land
 * above every explicit one), then reserves `count` ids with ONE `$inc`.
 * Returns the first reserved id, or undefined when `count` is 0. Nothing is
 * sent when there is nothing to do. Ids past Number.MAX_SAFE_INTEGER are
 * never handed out: MigrationError (from {@link counterFull}), nothing written.
 *
 * @example
 * ```ts
 * await allocate(Entry, 'id', 3);         // seq 4 → 7: returns 5, the batch owns 5, 6, 7
 * await allocate(Entry, 'id', 1, 100);    // seq raised to 100, then 101 reserved: returns 101
 * await allocate(Entry, 'id', 0, 50);     // seq stays 101 ($max): returns undefined
 * await allocate(Entry, 'id', 1, Number.MAX_SAFE_INTEGER); // throws MigrationError, nothing written
 * ```
 */
export async function allocate(
  model: AnyModel,
  field: string,
  count: number,
  highest?: number,
): Promise<number | undefined> {
  if (count === 0 && highest === undefined) return undefined;
  const db = await databaseOf(model);
  const collection = model.collection.collectionName;
  const fields = fieldTypesOf(model.schema);
  // An explicit id at the limit leaves no room for the batch's new ones:
  // refused before the raise, so the counter is not moved for nothing.
  if (highest !== undefined && count > 0 && highest > MAX_ID - count) {
    throw counterFull(collection, field, highest, count);
  }
  if (highest !== undefined) await raiseSeq(db, collection, field, highest, fields);
  return count > 0 ? reserveIds(db, collection, field, count, { fields }) : undefined;
}

/**
 * Ids a batch call (`create([...])`, `bulkSave`) has just reserved or raised
 * the counter for, per collection, so that the save and bulkWrite hooks it
 * runs do not ask the server again. A count per id: concurrent calls may
 * hold the same explicit id.
 */
const settled = new WeakMap<object, Map<number, number>>();

/**
 * Marks ids as settled for a collection until {@link unsettle}: the counter
 * is known to be past them.
 *
 * @example
 * ```ts
 * settle(Entry.collection, ids);
 * try { await create.call(Entry, items); } finally { unsettle(Entry.collection, ids); }
 * ```
 */
export function settle(collection: object, ids: readonly number[]): void {
  let byId = settled.get(collection);
  if (!byId) settled.set(collection, (byId = new Map()));
  for (const id of ids) byId.set(id, (byId.get(id) ?? 0) + 1);
}

/**
 * Undoes one {@link settle} of these ids.
 *
 * @example
 * ```ts
 * unsettle(Entry.collection, ids);
 * ```
 */
export function unsettle(collection: object, ids: readonly number[]): void {
  const byId = settled.get(collection);
  for (const id of ids) {
    const left = (byId?.get(id) ?? 0) - 1;
    if (left > 0) byId?.set(id, left);
    else byId?.delete(id);
  }
}

/**
 * Whether a batch call in progress has settled this id for the collection.
 *
 * @example
 * ```ts
 * if (isSettled(model.collection, id)) return; // no raise needed
 * ```
 */
export function isSettled(collection: object, id: number): boolean {
  return (settled.get(collection)?.get(id) ?? 0) > 0;
}

/** What a batch holds: the items lacking an id, and the explicit ids. */
export interface BatchScan {
  /** Indexes of the items lacking the field (null counts as lacking). */
  readonly missing: number[];
  /** Every explicit id. */
  readonly ids: number[];
  /** The largest explicit id the counter may not be past yet, which it must be raised to; undefined when none. */
  readonly highest: number | undefined;
}

/**
 * Sorts a batch's items into those lacking `field` and those with an
 * explicit id, in one pass. Ids a batch call has settled need no raise.
 *
 * @example
 * ```ts
 * scanBatch(Entry, 'id', [{ headline: 'a' }, { id: 40 }, { id: 30 }]);
 * // { missing: [0], ids: [40, 30], highest: 40 }
 * ```
 */
export function scanBatch(model: AnyModel, field: string, items: readonly unknown[]): BatchScan {
  const missing: number[] = [];
  const ids: number[] = [];
  let highest: number | undefined;
  items.forEach((item, i) => {
    const value = valueOf(item, field);
    if (value === undefined || value === null) {
      if (item !== null && typeof item === 'object') missing.push(i);
      return;
    }
    const id = explicitId(model, field, value);
    if (id === undefined) return;
    ids.push(id);
    if (!isSettled(model.collection, id)) highest = highest === undefined ? id : Math.max(highest, id);
  });
  return { missing, ids, highest };
}

/**
 * Sets a new id on a document. A new document whose field has no setters
 * gets it put in place, as Mongoose puts `__v` into the documents insertMany
 * sends: a safe integer needs no cast, and a new document is sent whole,
 * whether or not the field is marked modified. `set()` otherwise.
 *
 * @example
 * ```ts
 * const doc = new Entry({ headline: 'a' });
 * setId(doc, 'id', 5); // doc.id === 5
 * ```
 */
export function setId(doc: Document, field: string, id: number): void {
  if (doc.isNew && hasNoSetters(doc.schema.path(field)) && setValueUncast(doc, field, id)) return;
  doc.set(field, id);
}

/**
 * `item` with `field` set to `id`: a plain object is copied, a Mongoose
 * document gets it set, as Mongoose sets `_id`.
 *
 * @example
 * ```ts
 * const input = { headline: 'a' };
 * withId(input, 'id', 5); // { headline: 'a', id: 5 }; input is unchanged
 * ```
 */
export function withId(item: unknown, field: string, id: number): unknown {
  if (isDocument(item)) {
    setId(item, field, id);
    return item;
  }
  // Object.assign then one assignment: measured ~8× faster here than
  // `{ ...item, [field]: id }`, which cost ~1 µs a document.
  const copy: Record<string, unknown> = Object.assign({}, item);
  copy[field] = id;
  return copy;
}

/** What a batch needs from the counter: its new ids, and the counter raised past its explicit ones. */
export interface BatchIds {
  readonly items: unknown[];
  /** Every id in the batch, new and explicit: the server has been told about each. */
  readonly ids: number[];
}

/**
 * Gives each item of a batch lacking `field` an id from ONE reservation of
 * as many ids, after raising the counter past the largest explicit id (a
 * second round trip only when the batch has explicit ids). Plain objects
 * are copied, never changed; Mongoose documents get the id set on them.
 *
 * @example
 * ```ts
 * const { items } = await assignBatch(Entry, 'id', [{ headline: 'a' }, { id: 40 }, { headline: 'b' }]);
 * // one $max: 40, one $inc: 2 → [{ headline: 'a', id: 41 }, { id: 40 }, { headline: 'b', id: 42 }]
 * ```
 */
export async function assignBatch(model: AnyModel, field: string, batch: readonly unknown[]): Promise<BatchIds> {
  const { missing, ids, highest } = scanBatch(model, field, batch);
  const items = [...batch];
  const first = await allocate(model, field, missing.length, highest);
  if (first !== undefined) {
    missing.forEach((index, k) => {
      items[index] = withId(items[index], field, first + k);
      ids.push(first + k);
    });
  }
  return { items, ids };
}
