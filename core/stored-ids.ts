// What ids a collection already holds, for the `__schema__` counter: the
// largest one, and the ones it cannot count from. The counter lives in
// JavaScript numbers, so an id is only usable when it is a safe integer
// (within ±(2^53 − 1)) stored as one of BSON's plain number types; anything
// else (an array, a string, a fraction, a Long or a Decimal128 past the safe
// range) would make a seq that is wrong or not exact, and the next insert
// would collide. Checked before anything is written.
import { mongo } from 'mongoose';
import { MigrationError } from './errors.js';
import { describe } from './values.js';

/** The largest id the counter hands out or accepts: Number.MAX_SAFE_INTEGER, 2^53 − 1. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** What an id may be, for messages. */
export const ACCEPTED_IDS = `integers within ±${MAX_ID} (Number.MAX_SAFE_INTEGER)`;

/** How many offending ids a message quotes. */
const SAMPLE = 3;

/** The BSON number types a counter-made id can have; Decimal128 is not one (djongo's AutoField is an int). */
const PLAIN_NUMBER_TYPES = ['int', 'long', 'double'];

/**
 * A number read back from the server, whatever its BSON type; undefined for
 * anything else.
 *
 * @example
 * ```ts
 * asNumber(new mongo.Int32(4));        // 4
 * asNumber(mongo.Long.fromNumber(7));  // 7
 * asNumber('7');                       // undefined
 * ```
 */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof mongo.Int32 || value instanceof mongo.Double) return value.valueOf();
  if (value instanceof mongo.Long) return value.toNumber();
  if (value instanceof mongo.Decimal128) return Number(value.toString());
  return undefined;
}

/** One stored document whose id the counter cannot count from. */
export interface BadId {
  readonly _id: unknown;
  readonly value: unknown;
}

/**
 * Up to `limit` documents whose `field` is set (not null) but is not a safe
 * integer of a plain BSON number type: arrays, strings, objects, Decimal128,
 * fractions, NaN, and numbers past ±(2^53 − 1). Reads only; two queries.
 *
 * `$type: 'array'` is asked for on its own because `{ $type: 'int' }` matches
 * `[7]` through its element. Every operator here works on FerretDB v1.24 and
 * mongo-java-server (both lack `$isArray`, and FerretDB the `'decimal'`
 * alias). Fractions and NaN are found by reading the doubles, since `$mod`
 * truncates a fraction.
 *
 * @example
 * ```ts
 * await badIds(conn.db!, 'entries', 'id'); // [{ _id: ObjectId('…'), value: [7] }]
 * ```
 */
export async function badIds(db: mongo.Db, collection: string, field: string, limit = SAMPLE): Promise<BadId[]> {
  const col = db.collection(collection);
  const projection = { _id: 1, [field]: 1 };
  const found: BadId[] = (
    await col
      .find(
        {
          $or: [
            { [field]: { $exists: true, $ne: null, $not: { $type: PLAIN_NUMBER_TYPES } } },
            { [field]: { $type: 'array' } },
            { [field]: { $gt: MAX_ID } },
            { [field]: { $lt: -MAX_ID } },
          ],
        },
        { projection },
      )
      .limit(limit)
      .toArray()
  ).map((doc) => ({ _id: doc['_id'], value: doc[field] }));
  if (found.length >= limit) return found;
  // Whole numbers stored as doubles (5.0, as Python may write them) are fine.
  for await (const doc of col.find({ [field]: { $type: 'double' } }, { projection })) {
    const value = asNumber(doc[field]);
    if (value !== undefined && Number.isSafeInteger(value)) continue;
    if (!found.some((bad) => String(bad._id) === String(doc['_id'])))
      found.push({ _id: doc['_id'], value: doc[field] });
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * The error for ids the counter cannot count from: names the collection,
 * each sample document and value, and what is accepted.
 *
 * @example
 * ```ts
 * throw badIdsError('entries', 'id', [{ _id: 1, value: [7] }]);
 * // MigrationError: entries: document 1 has id = the array [7]: not an integer the counter can use. djongo's counters accept integers within ±9007199254740991 …
 * ```
 */
export function badIdsError(collection: string, field: string, bad: readonly BadId[]): MigrationError {
  const listed = bad.map((doc) => `document ${String(doc._id)} has ${field} = ${describe(doc.value)}`).join('; ');
  const one = bad.length === 1;
  return new MigrationError(
    `${collection}: ${listed}: not ${one ? 'an integer' : 'integers'} the counter can use. djongo's counters accept ` +
      `${ACCEPTED_IDS}, stored as int, long or a whole double. Fix or remove ${one ? 'that document' : 'those documents'}, ` +
      `then retry; nothing was written.`,
    collection,
    { id: bad[0]?._id },
  );
}

/**
 * The largest value of `field` in the collection (0 when empty). Throws
 * MigrationError naming the collection, a few offending documents and their
 * values, and what is accepted, when any value is not a safe integer (see
 * {@link badIds}). Documents without the field, or with null, are ignored:
 * they hold no id a new one could collide with.
 *
 * @example
 * ```ts
 * await maxId(conn.db!, 'blog_entry', 'id'); // 4
 * ```
 */
export async function maxId(db: mongo.Db, collection: string, field: string): Promise<number> {
  const bad = await badIds(db, collection, field);
  if (bad.length > 0) throw badIdsError(collection, field, bad);
  const [top] = await db
    .collection(collection)
    .find({ [field]: { $type: 'number' } }, { projection: { _id: 0, [field]: 1 } })
    .sort({ [field]: -1 })
    .limit(1)
    .toArray();
  return top ? (asNumber(top[field]) ?? 0) : 0;
}
