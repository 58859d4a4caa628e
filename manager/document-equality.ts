// Django's Model.__eq__ for documents: two instances are the same when they
// are of the same model and have the same primary key; one whose primary key
// is not set yet (an autoIncrement document before its first save) is the
// same only as itself. Mongoose's own doc.equals() compares `_id`s whatever
// the model and the primary key, so it is left as it is and this is a
// method of its own name (sameAs).
import type { Document } from 'mongoose';
import { primaryKeyOf } from './resolve.js';

function isDocument(value: unknown): value is Document {
  const doc = value as { $model?: unknown; get?: unknown } | null;
  return typeof doc === 'object' && doc !== null && typeof doc.$model === 'function' && typeof doc.get === 'function';
}

/** BSON values (ObjectId, Decimal128, Long) compare with their own equals(); others with ===. */
function samePk(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const bson = a as { equals?: unknown; _bsontype?: unknown } | null;
  if (typeof bson !== 'object' || bson === null || typeof bson.equals !== 'function') return false;
  const other = b as { _bsontype?: unknown } | null;
  // ObjectId.equals also takes a hex string: a string pk is another value.
  if (typeof other !== 'object' || other === null || other._bsontype !== bson._bsontype) return false;
  return (bson.equals as (v: unknown) => boolean).call(a, b);
}

/**
 * Whether `doc` and `other` are the same document in Django's sense: the same
 * model (by name) and the same primary key (`_id`, or the autoIncrement
 * field). A document without a primary key yet is the same only as itself;
 * anything but a document is never the same.
 *
 * @example
 * ```ts
 * sameDocument(new Article({ id: 1 }), new Article({ id: 1 })); // true
 * sameDocument(new Article(), new Article());                   // false: no id before save()
 * ```
 */
export function sameDocument(doc: Document, other: unknown): boolean {
  if (doc === other) return true;
  if (!isDocument(other)) return false;
  const model = doc.$model();
  if (model.modelName !== other.$model().modelName) return false;
  const pk = primaryKeyOf(model.schema);
  const mine: unknown = doc.get(pk);
  if (mine === null || mine === undefined) return false;
  return samePk(mine, other.get(pk));
}
