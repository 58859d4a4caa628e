// Which fields hold one value per document: what in_bulk() may key its
// result by. Django asks the field (`unique=True`, the primary key, or a
// UniqueConstraint on it alone); here the schema's indexes say the same.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { primaryKeyOf } from '../core/schema-shape.js';

/**
 * Whether `path` is unique in every document of the schema's collection: the
 * primary key, or a unique index on that path alone with no partial filter
 * (which leaves the documents outside it free to repeat a value).
 *
 * @example
 * ```ts
 * isUniquePath(new Schema({ slug: { type: String, unique: true } }), 'slug'); // true
 * isUniquePath(new Schema({ n: Number }), 'n'); // false
 * ```
 */
export function isUniquePath(schema: Schema, path: string): boolean {
  if (path === '_id' || path === primaryKeyOf(schema)) return true;
  return schema.indexes().some(([fields, options]) => {
    const keys = Object.keys(fields);
    return keys.length === 1 && keys[0] === path && options?.['unique'] === true && !options['partialFilterExpression'];
  });
}

/**
 * Throws {@link FieldError} unless `path` is unique, for in_bulk()'s
 * `fieldName`, with Django's words and what is accepted instead.
 *
 * @example
 * ```ts
 * assertUniqueField(entrySchema, 'Entry', 'rating', 'rating'); // FieldError: in_bulk()'s field_name must be a unique field but 'rating' isn't. …
 * ```
 */
export function assertUniqueField(schema: Schema, modelName: string, field: string, path: string): void {
  if (isUniquePath(schema, path)) return;
  throw new FieldError(
    // Django's wording, which quotes the name with %r.
    `in_bulk()'s field_name must be a unique field but '${field}' isn't. ` +
      `${modelName}.${path} has no unique index of its own: use the primary key ('pk'), a field declared ` +
      '`unique: true`, or one with a single-field unique index (schema.index({ field: 1 }, { unique: true })).',
  );
}
