// A model with one field of each numeric type (the lookup registry's
// `Numeric` family), typed as Mongoose infers those paths.
import mongoose, { type Connection, type Types } from 'mongoose';
import { manager, type Managed } from '../../index.js';

export interface MeasureRaw {
  name: string;
  count?: number;
  ratio?: Types.Double;
  price?: Types.Decimal128;
  big?: bigint;
}

export function measureSchema() {
  const schema = new mongoose.Schema<MeasureRaw>({
    name: { type: String, required: true },
    count: mongoose.Schema.Types.Int32,
    ratio: mongoose.Schema.Types.Double,
    price: mongoose.Schema.Types.Decimal128,
    big: mongoose.Schema.Types.BigInt,
  });
  schema.plugin(manager);
  return schema;
}

export function measureModel(conn: Connection, name = 'Measure') {
  return conn.model<MeasureRaw, Managed<MeasureRaw>>(name, measureSchema());
}
