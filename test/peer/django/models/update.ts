// Django's tests/update/models.py as Mongoose schemas with the manager
// plugin. A ForeignKey is an ObjectId reference; Django's multi-table child D
// (of C) is a Mongoose discriminator; Bar's foreign key to Foo's `target`
// (Django's to_field, the `toField` option) stores the target string. UniqueNumber serves only the
// MySQL-only cases, which are not ported.
import mongoose, { type Connection } from 'mongoose';
import { manager, type Managed } from '../../../../index.js';

export interface DataPointRaw {
  name: string;
  is_active: boolean;
  value: string;
  another_value: string;
}

export interface RelatedPointRaw {
  name: string;
  data: mongoose.Types.ObjectId;
}

export interface ARaw {
  x: number;
}

export interface BRaw {
  a: mongoose.Types.ObjectId;
  y: number;
}

export interface CRaw {
  y: number;
}

export interface DRaw extends CRaw {
  a: mongoose.Types.ObjectId;
}

export interface FooRaw {
  target: string;
}

export interface BarRaw {
  foo: string;
  x: number;
  m2m_foo: mongoose.Types.ObjectId[];
}

function managed<T>(definition: mongoose.SchemaDefinition<T>): mongoose.Schema<T> {
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager);
  return schema;
}

/** Every model of the module, on `conn`. */
export function updateModels(conn: Connection) {
  const ref = (model: string) => ({ type: mongoose.Schema.Types.ObjectId, ref: model, required: true });
  const C = conn.model<CRaw, Managed<CRaw>>('UpdateC', managed<CRaw>({ y: { type: Number, default: 10 } }));
  return {
    DataPoint: conn.model<DataPointRaw, Managed<DataPointRaw>>(
      'UpdateDataPoint',
      managed<DataPointRaw>({
        name: { type: String, maxlength: 20 },
        is_active: { type: Boolean, default: true },
        value: { type: String, maxlength: 20 },
        another_value: { type: String, maxlength: 20, default: '' },
      }),
    ),
    RelatedPoint: conn.model<RelatedPointRaw, Managed<RelatedPointRaw>>(
      'UpdateRelatedPoint',
      managed<RelatedPointRaw>({ name: { type: String, maxlength: 20 }, data: ref('UpdateDataPoint') }),
    ),
    A: conn.model<ARaw, Managed<ARaw>>('UpdateA', managed<ARaw>({ x: { type: Number, default: 10 } })),
    B: conn.model<BRaw, Managed<BRaw>>(
      'UpdateB',
      managed<BRaw>({ a: ref('UpdateA'), y: { type: Number, default: 10 } }),
    ),
    C,
    // A discriminator shares its base's statics, so `objects` too.
    D: C.discriminator('UpdateD', new mongoose.Schema<DRaw>({ a: ref('UpdateA') })) as unknown as Managed<DRaw>,
    Foo: conn.model<FooRaw, Managed<FooRaw>>(
      'UpdateFoo',
      managed<FooRaw>({ target: { type: String, maxlength: 10, unique: true } }),
    ),
    Bar: conn.model<BarRaw, Managed<BarRaw>>(
      'UpdateBar',
      managed<BarRaw>({
        foo: { type: String, ref: 'UpdateFoo', toField: 'target', required: true },
        x: { type: Number, default: 0 },
        m2m_foo: [{ type: mongoose.Schema.Types.ObjectId, ref: 'UpdateFoo' }],
      }),
    ),
  };
}
