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
// The type codes in `fields` are worked out in type-codes.ts.
import { mongo } from 'mongoose';
import { MigrationError, ValidationError } from './errors.js';

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
/** MongoDB's duplicate key error: a concurrent upsert created the entry first. */
const DUPLICATE_KEY = 11000;
const UPSERT_ATTEMPTS = 5;

/** A counter value as djongo stores it: int32, or int64 past int32's range. */
function storedInt(value: number): mongo.Int32 | mongo.Long {
  return Math.abs(value) <= INT32_MAX ? new mongo.Int32(value) : mongo.Long.fromNumber(value);
}

/** A number read back from the server, whatever its BSON type. */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof mongo.Int32 || value instanceof mongo.Double) return value.valueOf();
  if (value instanceof mongo.Long) return value.toNumber();
  if (value instanceof mongo.Decimal128) return Number(value.toString());
  return undefined;
}

function checkCount(what: string, value: number, min: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(
      `${label}: ${what} must be a whole number of at least ${min}, not ${String(value)}.`,
      label,
    );
  }
}

function isDuplicateKey(err: unknown): boolean {
  return err instanceof mongo.MongoServerError && err.code === DUPLICATE_KEY;
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

  // djongo's own filter: an entry with a counter (a table without an auto
  // field has an entry with `fields` only).
  const existing = await entries(db).findOneAndUpdate({ name: collection, 'auto.seq': { $exists: true } }, update, {
    returnDocument: 'before',
  });
  const first = firstAfter(existing);
  if (first !== undefined) return first;

  // No counter yet (djongo would fail here): seed it so ids continue after
  // the collection's own, then reserve with upsert in case it vanished
  // meanwhile (then the upsert made it, with seq = n: ours are 1 … n).
  await seedOnce(db, collection, field, options.fields);
  const seeded = await upserting(db, () =>
    entries(db).findOneAndUpdate({ name: collection }, update, { upsert: true, returnDocument: 'before' }),
  );
  return firstAfter(seeded) ?? 1;
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
      `${collection}.${field}: seq must be a whole number, not ${String(value)}.`,
      `${collection}.${field}`,
    );
  }
  const update: mongo.UpdateFilter<mongo.Document> = {
    $max: { 'auto.seq': storedInt(value) },
    $addToSet: { 'auto.field_names': field },
  };
  if (fields) update.$setOnInsert = { fields };
  // An update first: the upsert needs the unique index on `name`, which costs
  // round trips to check; only a missing entry pays for them.
  const previous =
    (await entries(db).findOneAndUpdate({ name: collection }, update, { returnDocument: 'before' })) ??
    (await upserting(db, () =>
      entries(db).findOneAndUpdate({ name: collection }, update, { upsert: true, returnDocument: 'before' }),
    ));
  if (previous && fields && previous['fields'] === undefined) {
    await entries(db).updateOne({ name: collection, fields: { $exists: false } }, { $set: { fields } });
  }
  const before = asNumber((previous?.['auto'] as { seq?: unknown } | undefined)?.seq) ?? null;
  return { before, after: before === null ? value : Math.max(before, value) };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || value === undefined) return String(value);
  return `a ${(value as object).constructor?.name ?? typeof value}`;
}

function notAnInteger(collection: string, field: string, doc: mongo.Document): MigrationError {
  const id = doc['_id'];
  return new MigrationError(
    `${collection}: document ${String(id)} has ${field} = ${describe(doc[field])}, not an integer; ` +
      `djongo's counters need whole-number ${field}s. Fix or remove that document, then retry.`,
    collection,
    { id },
  );
}

/**
 * The largest value of `field` in the collection (0 when empty). Throws
 * MigrationError naming the collection and a sample `_id` when a value is
 * not an integer (a string, a fraction). Documents without the field are
 * ignored.
 *
 * @example
 * ```ts
 * await maxId(conn.db!, 'blog_entry', 'id'); // 4
 * ```
 */
export async function maxId(db: mongo.Db, collection: string, field: string): Promise<number> {
  const col = db.collection(collection);
  const projection = { _id: 1, [field]: 1 };
  const notNumber = await col.findOne(
    { [field]: { $exists: true, $ne: null, $not: { $type: 'number' } } },
    { projection },
  );
  if (notNumber) throw notAnInteger(collection, field, notNumber);
  // Whole numbers stored as doubles (5.0, as Python may write them) are fine.
  // (Decimal128 is not looked at: FerretDB v1.24 rejects the 'decimal' alias.)
  for await (const doc of col.find({ [field]: { $type: 'double' } }, { projection })) {
    const value = asNumber(doc[field]);
    if (value === undefined || !Number.isInteger(value)) throw notAnInteger(collection, field, doc);
  }
  const [top] = await col
    .find({ [field]: { $type: 'number' } }, { projection })
    .sort({ [field]: -1 })
    .limit(1)
    .toArray();
  return top ? (asNumber(top[field]) ?? 0) : 0;
}
