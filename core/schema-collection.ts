// djongo's `__schema__` collection: one document per collection, `name`
// unique, with the auto-increment counter in `auto` and the column types in
// `fields`, exactly as djongo's CreateQuery writes it and its InsertQuery
// reads it (djongo/sql2mongo/query.py):
//
//   { name: 'blog_entry', auto: { field_names: ['id'], seq: 4 }, fields: { id: { type_code: 'int' }, … } }
//
// djongo stores `seq` as a 32-bit integer and only ever `$inc`s it; so do we.
// Unlike djongo we create a missing entry (upsert), seeded from the largest
// id already in the collection so that no new id collides with an old one.
// Ids stay JavaScript-safe integers: seeding refuses stored ids that are not
// (stored-ids.ts), and a counter never hands out one past 2^53 − 1.
// The type codes in `fields` are worked out in type-codes.ts.
import { mongo } from 'mongoose';
import { MigrationError, ValidationError } from './errors.js';
import { describe, isDuplicateKey } from './values.js';
import { ACCEPTED_IDS, MAX_ID, asNumber, maxId } from './stored-ids.js';

export { maxId } from './stored-ids.js';
export { TYPE_CODES, autoFieldOf, djongoFieldTypes, registerAutoField, type TypeCode } from './type-codes.js';

/** The collection djongo keeps its counters and column types in. */
export const SCHEMA_COLLECTION = '__schema__';

/** One document of `__schema__`, without its `_id`. */
export interface SchemaEntry {
  readonly name: string;
  readonly auto?: { readonly field_names: readonly string[]; readonly seq: number };
  readonly fields?: Readonly<Record<string, { readonly type_code: string }>>;
}

const INT32_MAX = 0x7fff_ffff;
/** Tries when a duplicate key error says a concurrent upsert created the entry first. */
const UPSERT_ATTEMPTS = 5;

/** A counter value as djongo stores it: int32, or int64 past int32's range. */
function storedInt(value: number): mongo.Int32 | mongo.Long {
  return Math.abs(value) <= INT32_MAX ? new mongo.Int32(value) : mongo.Long.fromNumber(value);
}

function checkCount(what: string, value: number, min: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(
      `${label}: ${what} must be a whole number of at least ${min}, not ${String(value)}.`,
      label,
    );
  }
}

function entries(db: mongo.Db): mongo.Collection<mongo.Document> {
  return db.collection(SCHEMA_COLLECTION);
}

/**
 * Creates djongo's two indexes on `__schema__` (`name` unique, and `auto`)
 * when they are missing. The unique index is what makes two concurrent
 * upserts of the same entry safe: the second one fails and is retried as an
 * update. Called before any upsert; a no-op when djongo made them already.
 *
 * @example
 * ```ts
 * await ensureSchemaCollection(conn.db!);
 * ```
 */
export async function ensureSchemaCollection(db: mongo.Db): Promise<void> {
  // One index per command: FerretDB v1.24 drops the connection when a
  // createIndexes of several indexes finds them all present.
  await entries(db).createIndex({ name: 1 }, { unique: true });
  await entries(db).createIndex({ auto: 1 });
}

/**
 * The collection's `__schema__` entry, or null when djongo (or djongoose)
 * never wrote one. `seq` is read as a plain number.
 *
 * @example
 * ```ts
 * const entry = await readSchemaEntry(conn.db!, 'blog_entry');
 * entry?.auto?.seq; // 4
 * ```
 */
export async function readSchemaEntry(db: mongo.Db, collection: string): Promise<SchemaEntry | null> {
  const found = await entries(db).findOne({ name: collection });
  return found ? toEntry(found) : null;
}

function toEntry(doc: mongo.Document): SchemaEntry {
  const auto = doc['auto'] as { field_names?: unknown; seq?: unknown } | undefined;
  const fields = doc['fields'] as SchemaEntry['fields'] | undefined;
  return Object.freeze({
    name: String(doc['name']),
    ...(auto && typeof auto === 'object'
      ? {
          auto: Object.freeze({
            field_names: Object.freeze(Array.isArray(auto.field_names) ? auto.field_names.map(String) : []),
            seq: asNumber(auto.seq) ?? 0,
          }),
        }
      : {}),
    ...(fields && typeof fields === 'object' ? { fields } : {}),
  });
}

/**
 * The collection's counter as the management commands plan from it: its seq,
 * or null when there is no counter (no entry, no seq, or a null one, which
 * `$max` then replaces). A seq that is not a safe integer (a string, a Long
 * past 2^53 − 1) raises MigrationError: the counter cannot hand out ids from
 * it, and `$max` would compare it by BSON type, not by value.
 *
 * @example
 * ```ts
 * await readCounterSeq(conn.db!, 'blog_entry', 'id'); // 4
 * ```
 */
export async function readCounterSeq(db: mongo.Db, collection: string, field: string): Promise<number | null> {
  const found = await entries(db).findOne({ name: collection }, { projection: { auto: 1 } });
  const seq: unknown = (found?.['auto'] as { seq?: unknown } | undefined)?.seq;
  if (seq === undefined || seq === null) return null;
  const value = asNumber(seq);
  if (value !== undefined && Number.isSafeInteger(value)) return value;
  throw new MigrationError(
    `${collection}.${field}: the ${SCHEMA_COLLECTION} counter's seq is ${describe(seq)}, not one of the ` +
      `${ACCEPTED_IDS}, so the counter cannot hand out ids from it. Set auto.seq by hand to the largest ` +
      `${field} stored, then retry; nothing was written.`,
    collection,
  );
}

/** Runs an upsert, retrying it when a concurrent upsert created the entry first. */
async function upserting<T>(db: mongo.Db, attempt: () => Promise<T>): Promise<T> {
  await ensureSchemaCollection(db);
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isDuplicateKey(err) || tries >= UPSERT_ATTEMPTS) throw err;
    }
  }
}

/**
 * Atomically reserves `n` ids (findOneAndUpdate, `$inc: n` on `auto.seq`,
 * upsert); returns the FIRST reserved id, so the
 * batch owns `first … first + n - 1`. One round trip while the entry exists.
 * A missing entry is created, its `seq` first raised to the largest `field`
 * already in the collection ({@link maxId}) and `fields` written from
 * `options.fields`.
 *
 * @example
 * ```ts
 * const docs: { id?: number }[] = [{}, {}, {}];
 * const first = await reserveIds(conn.db!, 'blog_entry', 'id', 3); // seq 4 → 7, returns 5
 * docs.forEach((doc, i) => (doc.id = first + i));
 * ```
 */
export async function reserveIds(
  db: mongo.Db,
  collection: string,
  field: string,
  n: number,
  options: { readonly fields?: SchemaEntry['fields'] } = {},
): Promise<number> {
  checkCount('the number of ids to reserve', n, 1, `${collection}.${field}`);
  const update = {
    $inc: { 'auto.seq': storedInt(n) },
    // djongo gives every name in field_names the same value; ours must be one.
    $addToSet: { 'auto.field_names': field },
  };
  // The counter BEFORE the $inc is what we read: the ids after it are ours.
  // (mongo-java-server answers returnDocument 'after' with its live document,
  // which a concurrent $inc may change before it is sent; 'before' is a copy
  // taken under its lock, and on MongoDB both are atomic.)
  const firstAfter = (doc: mongo.Document | null): number | undefined => {
    const seq = asNumber((doc?.['auto'] as { seq?: unknown } | undefined)?.seq);
    return seq === undefined ? undefined : seq + 1;
  };

  // djongo's own filter, an entry with a counter (a table without an auto
  // field has an entry with `fields` only), and room left for n more ids:
  // a counter at the limit is never moved past it.
  const within = { name: collection, 'auto.seq': { $exists: true, $lte: storedInt(MAX_ID - n) } };
  const reserve = async () =>
    firstAfter(await entries(db).findOneAndUpdate(within, update, { returnDocument: 'before' }));
  const first = await reserve();
  if (first !== undefined) return first;
  await refuseWhenFull(db, collection, field, n);

  // No counter yet (djongo would fail here): seed it so ids continue after
  // the collection's own, then reserve; with upsert only in case it vanished
  // meanwhile (then the upsert makes it, with seq = n: ours are 1 … n).
  await seedOnce(db, collection, field, options.fields);
  const seeded = await reserve();
  if (seeded !== undefined) return seeded;
  await refuseWhenFull(db, collection, field, n);
  const made = firstAfter(
    await upserting(db, () =>
      entries(db).findOneAndUpdate({ name: collection }, update, { upsert: true, returnDocument: 'before' }),
    ),
  );
  // Only a concurrent writer filling the counter in between gets here past
  // the limit: the ids are refused (seq keeps the $inc), none is handed out.
  if (made !== undefined && made - 1 > MAX_ID - n) throw counterFull(collection, field, made - 1, n, true);
  return made ?? 1;
}

/**
 * The error for a counter with no room for `n` more ids below
 * Number.MAX_SAFE_INTEGER (or a seq that is not a number). `moved`: the
 * refused `$inc` was already applied (a race only a concurrent writer causes).
 *
 * @example
 * ```ts
 * throw counterFull('entries', 'id', Number.MAX_SAFE_INTEGER, 1);
 * ```
 */
export function counterFull(collection: string, field: string, seq: unknown, n: number, moved = false): MigrationError {
  const ids = n === 1 ? 'id' : `${n} ids`;
  const value = asNumber(seq);
  const at = value !== undefined && Number.isSafeInteger(value) ? String(value) : describe(seq);
  return new MigrationError(
    `${collection}.${field}: the ${SCHEMA_COLLECTION} counter is at ${at}, with no room for ${ids} more: ` +
      `ids must be ${ACCEPTED_IDS}, past which JavaScript cannot tell them apart. ` +
      (moved
        ? 'Nothing was inserted; a concurrent writer had just filled the counter, and seq keeps this $inc.'
        : 'Nothing was inserted and seq was left as it was.'),
    collection,
  );
}

/** Raises counterFull when the collection's counter exists and has no room for n more ids; nothing is written. */
async function refuseWhenFull(db: mongo.Db, collection: string, field: string, n: number): Promise<void> {
  const found = await entries(db).findOne({ name: collection, 'auto.seq': { $exists: true } });
  if (!found) return;
  const seq: unknown = (found['auto'] as { seq?: unknown }).seq;
  const value = asNumber(seq);
  if (value !== undefined && Number.isSafeInteger(value) && value <= MAX_ID - n) return;
  throw counterFull(collection, field, seq, n);
}

/** Seeding in progress, per database and collection: concurrent first saves share one. */
const seeding = new WeakMap<mongo.Db, Map<string, Promise<unknown>>>();

function seedOnce(db: mongo.Db, collection: string, field: string, fields?: SchemaEntry['fields']): Promise<unknown> {
  let byName = seeding.get(db);
  if (!byName) seeding.set(db, (byName = new Map()));
  let pending = byName.get(collection);
  if (!pending) {
    const seed = async () => raiseSeq(db, collection, field, Math.max(0, await maxId(db, collection, field)), fields);
    pending = seed().finally(() => byName.delete(collection));
    byName.set(collection, pending);
  }
  return pending;
}

/**
 * `fields` as djongo's CreateQuery sets it, one `fields.<col>` key per column,
 * so that the server orders the columns as it orders djongo's (MongoDB and
 * mongo-java-server sort new fields by name; FerretDB keeps them in order).
 * inspectdb prints the columns in the stored order.
 */
function columns(fields: NonNullable<SchemaEntry['fields']>): mongo.Document {
  const keys = Object.keys(fields);
  if (keys.length === 0) return { fields: {} };
  return Object.fromEntries(keys.map((key) => [`fields.${key}`, fields[key]]));
}

/**
 * Raises `auto.seq` to at least `value`, never lowers it; upserts the entry
 * (with `field` in `auto.field_names`, and `fields` type codes if given and
 * absent). `before` is null when there was no counter.
 *
 * @example
 * ```ts
 * await raiseSeq(conn.db!, 'blog_entry', 'id', 100); // { before: 4, after: 100 }
 * await raiseSeq(conn.db!, 'blog_entry', 'id', 50);  // { before: 100, after: 100 }
 * ```
 */
export async function raiseSeq(
  db: mongo.Db,
  collection: string,
  field: string,
  value: number,
  fields?: SchemaEntry['fields'],
): Promise<{ before: number | null; after: number }> {
  if (!Number.isSafeInteger(value)) {
    throw new ValidationError(
      `${collection}.${field}: seq must be one of the ${ACCEPTED_IDS}, not ${String(value)}.`,
      `${collection}.${field}`,
    );
  }
  const update: mongo.UpdateFilter<mongo.Document> = {
    $max: { 'auto.seq': storedInt(value) },
    $addToSet: { 'auto.field_names': field },
  };
  if (fields) update.$setOnInsert = columns(fields);
  // An update first: the upsert needs the unique index on `name`, which costs
  // round trips to check; only a missing entry pays for them.
  const previous =
    (await entries(db).findOneAndUpdate({ name: collection }, update, { returnDocument: 'before' })) ??
    (await upserting(db, () =>
      entries(db).findOneAndUpdate({ name: collection }, update, { upsert: true, returnDocument: 'before' }),
    ));
  if (previous && fields && previous['fields'] === undefined) {
    await entries(db).updateOne({ name: collection, fields: { $exists: false } }, { $set: columns(fields) });
  }
  const before = asNumber((previous?.['auto'] as { seq?: unknown } | undefined)?.seq) ?? null;
  return { before, after: before === null ? value : Math.max(before, value) };
}

/**
 * Writes a collection's column types in its `__schema__` entry, as djongo's
 * CREATE TABLE does for every table (`$set` of `fields.<column>`, upsert),
 * for a model without a counter: an entry with `fields` and no `auto`. An
 * entry that has `fields` already keeps them; its counter, if any, is not
 * touched. Returns whether anything was written.
 *
 * @example
 * ```ts
 * await writeSchemaFields(conn.db!, 'authors', { name: { type_code: 'string' } });
 * // __schema__: { name: 'authors', fields: { name: { type_code: 'string' } } }
 * ```
 */
export async function writeSchemaFields(
  db: mongo.Db,
  collection: string,
  fields: NonNullable<SchemaEntry['fields']>,
): Promise<boolean> {
  const previous = await upserting(db, () =>
    entries(db).findOneAndUpdate(
      { name: collection },
      { $setOnInsert: { fields } },
      { upsert: true, returnDocument: 'before' },
    ),
  );
  if (!previous) return true;
  if (previous['fields'] !== undefined) return false;
  const result = await entries(db).updateOne({ name: collection, fields: { $exists: false } }, { $set: { fields } });
  return result.modifiedCount > 0;
}
