// How a filter value is cast to a path's type: by the path's own Mongoose
// schema type (castForQuery), as Mongoose's cast.js does. One cast function
// per schema type, shared by every shape and label that reaches it.
import type { SchemaType } from 'mongoose';
import { ValidationError } from './errors.js';
import { describe } from './values.js';
import { arrayElementOf, castForQuery, embeddedSchemaOf } from './mongoose-internals.js';

/** Casts a value for a path; `label` (`Entry.rating`) names the field in the error. */
export type Cast = (value: unknown, label: string) => unknown;

/** Values of Mixed fields and embedded documents pass as they are. */
export const passAsIs: Cast = (value) => value;

// Keyed by the schema type, which lives as long as its schema; a handful per field.
const casts = new WeakMap<SchemaType, Cast>();

/**
 * The cast of a path's values in filters: to the field's type, or for an
 * array to its element type. A value that does not cast is a
 * {@link ValidationError} naming the field and the type it takes.
 *
 * @example
 * ```ts
 * castOf(entrySchema.path('rating'))('4', 'Entry.rating'); // 4
 * castOf(entrySchema.path('rating'))('x', 'Entry.rating'); // ValidationError: Entry.rating: cannot cast the string "x" to Number; …
 * ```
 */
export function castOf(type: SchemaType | undefined): Cast {
  if (!type) return passAsIs;
  let cast = casts.get(type);
  if (!cast) casts.set(type, (cast = makeCast(type)));
  return cast;
}

function makeCast(type: SchemaType): Cast {
  const target = type.instance === 'Array' ? arrayElementOf(type) : type;
  if (!target || target.instance === 'Mixed' || embeddedSchemaOf(type) || embeddedSchemaOf(target)) return passAsIs;
  return function castValue(value, label) {
    if (value === null || value === undefined) return value;
    try {
      return castForQuery(target, value);
    } catch (err) {
      throw new ValidationError(
        `${label}: cannot cast ${describe(value)} to ${target.instance}; give a value of that type.`,
        label,
        { cause: err },
      );
    }
  };
}
