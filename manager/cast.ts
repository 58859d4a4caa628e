// Filter values are cast by the field's own Mongoose schema type, as
// Mongoose's cast.js does. The cast itself is the shape's (core/schema-cast.ts,
// one per schema type); this names the field in its errors.
import type { SchemaType } from 'mongoose';
import { castOf } from '../core/schema-cast.js';

const asIs = (value: unknown): unknown => value;

/**
 * The function that casts a filter value to the field's type (for arrays, the
 * element type); values of Mixed fields and embedded documents pass as they
 * are. A value that does not cast is a {@link ValidationError}.
 *
 * @example
 * ```ts
 * castWith(entrySchema.path('rating'), 'Entry.rating')('4'); // 4
 * ```
 */
export function castWith(schemaType: SchemaType | undefined, label: string): (value: unknown) => unknown {
  // Under a Mixed field the label holds the user's key: nothing to cast, nothing to keep.
  if (!schemaType || schemaType.instance === 'Mixed') return asIs;
  const cast = castOf(schemaType);
  return function castValue(value) {
    return cast(value, label);
  };
}
