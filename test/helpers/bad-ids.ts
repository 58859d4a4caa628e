// Stored id values the __schema__ counter cannot count from, each with how
// the refusal names it, and a snapshot of a database to prove a refused
// command wrote nothing.
import { mongo } from 'mongoose';
import type { Capability } from '../harness/capabilities.js';

export interface BadIdKind {
  readonly label: string;
  readonly value: () => unknown;
  /** How the MigrationError quotes the value. */
  readonly quoted: string;
  /** A capability the server needs to store the value at all. */
  readonly needs?: Capability;
}

export const BAD_ID_KINDS: readonly BadIdKind[] = [
  { label: 'an array', value: () => [7], quoted: 'the array [7]' },
  { label: 'an empty array', value: () => [], quoted: 'the array []' },
  { label: 'a string', value: () => 'two', quoted: 'the string "two"' },
  { label: 'a fraction', value: () => 2.5, quoted: 'the number 2.5' },
  { label: 'an object', value: () => ({ n: 7 }), quoted: 'the object {"n":7}' },
  { label: 'a boolean', value: () => true, quoted: 'true' },
  {
    label: '2^60 as a Long',
    value: () => mongo.Long.fromBigInt(2n ** 60n),
    quoted: 'the Long 1152921504606846976',
  },
  { label: '2^60 as a double', value: () => 2 ** 60, quoted: 'the number 1152921504606847000' },
  { label: '-2^60', value: () => -(2 ** 60), quoted: 'the number -1152921504606847000' },
  { label: '2^53, one past the safe range', value: () => 2 ** 53, quoted: 'the number 9007199254740992' },
  {
    label: 'a Decimal128',
    value: () => mongo.Decimal128.fromString('5'),
    quoted: 'the Decimal128 5',
    needs: 'decimal128',
  },
  {
    label: 'a Decimal128 of 2^60',
    value: () => mongo.Decimal128.fromString('1152921504606846976'),
    quoted: 'the Decimal128 1152921504606846976',
    needs: 'decimal128',
  },
  { label: 'NaN', value: () => Number.NaN, quoted: 'the number NaN', needs: 'nonFiniteDoubles' },
];

/** The message's statement of what is accepted, as a pattern. */
export const ACCEPTED = /integers within ±9007199254740991 \(Number\.MAX_SAFE_INTEGER\)/;

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Everything a command could write: collections, their indexes, and every
 * document (`__schema__` included), as comparable JSON.
 */
export async function snapshot(db: mongo.Db): Promise<string> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const state: Record<string, unknown> = {};
  for (const name of names) {
    const col = db.collection(name);
    const indexes = (await col.indexes()).map((ix) => [ix.name, ix.key, ix.unique ?? false]);
    const docs = await col.find({}, { promoteValues: false }).sort({ _id: 1 }).toArray();
    state[name] = { indexes: indexes.sort((a, b) => String(a[0]).localeCompare(String(b[0]))), docs };
  }
  return mongo.BSON.EJSON.stringify(state, { relaxed: false });
}
