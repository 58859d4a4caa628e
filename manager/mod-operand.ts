// Mongoose casts every filter again when a query runs, and only its Number
// SchemaType knows `$mod`: on Int32 and BigInt it casts [divisor, remainder]
// as one field value and fails, on Double and Decimal128 it throws "Can't use
// $mod". Mongoose keeps a table of how a SchemaType class casts each query
// operator (core/mongoose-internals.ts, addOperatorCaster), so the numeric
// family gets a `$mod` entry there, on first use; it never replaces one
// Mongoose has.
import mongoose, { type SchemaType } from 'mongoose';
import { addOperatorCaster } from '../core/mongoose-internals.js';

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
  addOperatorCaster(schemaType, '$mod', castModOperand);
}
