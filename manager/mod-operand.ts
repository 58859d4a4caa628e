// Mongoose casts every filter again when a query runs, and only its Number
// SchemaType knows `$mod`: on Int32 and BigInt it casts [divisor, remainder]
// as one field value and fails, on Double and Decimal128 it throws "Can't use
// $mod". `$conditionalHandlers` is Mongoose's public table of how a SchemaType
// casts each query operator (mongoose#15497 made it public for this), so the
// numeric family gets a `$mod` entry there. The table is shared by every path
// of that SchemaType class, in whichever copy of Mongoose made the schema, so
// the entry is added on first use, and never replaces one Mongoose has.
import mongoose, { type SchemaType } from 'mongoose';

function castModOperand(this: SchemaType, value: unknown): unknown {
  if (Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return value;
  }
  throw new mongoose.Error.CastError('[divisor, remainder]', value, this.path);
}

/**
 * Lets Mongoose cast `$mod` on this field's SchemaType class, if it cannot yet.
 *
 * @example
 * ```ts
 * allowModOn(measureSchema.path('count')); // Int32: { count: { $mod: [2, 1] } } now runs
 * ```
 */
export function allowModOn(schemaType: SchemaType | undefined): void {
  const handlers = schemaType?.$conditionalHandlers;
  if (handlers && !handlers['$mod']) handlers['$mod'] = castModOperand;
}
