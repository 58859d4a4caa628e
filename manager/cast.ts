// Filter values are cast by the field's own Mongoose schema type
// (SchemaType#castForQuery), as Mongoose's cast.js does, once per schema type
// and label: filters are compiled on every query, and the same keys come back.
import type { Schema, SchemaType } from 'mongoose';
import { ValidationError } from '../core/errors.js';
import { describe } from '../core/values.js';

interface SchemaTypeInternals {
  instance?: string;
  schema?: Schema;
  embeddedSchemaType?: SchemaType & SchemaTypeInternals;
  caster?: SchemaType & SchemaTypeInternals;
}

// Documented (SchemaType#castForQuery) but missing from Mongoose's typings.
interface Castable {
  castForQuery(conditional: string | null, value: unknown): unknown;
}

const asIs = (value: unknown): unknown => value;
const casts = new WeakMap<SchemaType, Map<string, (value: unknown) => unknown>>();

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
  let byLabel = casts.get(schemaType);
  if (!byLabel) casts.set(schemaType, (byLabel = new Map()));
  let cast = byLabel.get(label);
  if (!cast) byLabel.set(label, (cast = makeCast(schemaType, label)));
  return cast;
}

function makeCast(schemaType: SchemaType, label: string): (value: unknown) => unknown {
  const st = schemaType as SchemaType & SchemaTypeInternals;
  if (st.instance === 'Mixed') return asIs;
  const caster = st.instance === 'Array' ? (st.embeddedSchemaType ?? st.caster) : st;
  if (!caster || caster.schema || caster.instance === 'Mixed') return asIs;
  return function castValue(value) {
    if (value === null || value === undefined) return value;
    try {
      return (caster as unknown as Castable).castForQuery(null, value);
    } catch (err) {
      throw new ValidationError(
        `${label}: cannot cast ${describe(value)} to ${caster.instance ?? 'the field type'}; give a value of that type.`,
        label,
        { cause: err },
      );
    }
  };
}
