// Django's tests/expressions/models.py as Mongoose schemas with the manager
// plugin. A ForeignKey is an ObjectId reference. An IntegerField (and a
// PositiveIntegerField, with min 0) is an Int32, a BigIntegerField a BigInt
// (read back as a bigint), a FloatField a Number (a double): two integers
// divide as integers, as in SQL. Django's db_column names
// (Number's `the_integer`, `the_float`) are a column detail left out: the
// fields are stored under their own names. A DurationField is a Number of
// milliseconds, what MongoDB adds to a date; a DateField is a Date at
// midnight UTC. RemoteEmployee (multi-table), Time and SimulationRun
// (TimeField), UUIDPK and Text serve only cases that are not ported.
import mongoose, { type Connection } from 'mongoose';
import { manager, type Managed } from '../../../../index.js';

type Ref = mongoose.Types.ObjectId;

export interface ManagerRaw {
  name?: string;
  secretary?: Ref | null;
}

export interface EmployeeRaw {
  firstname?: string;
  lastname?: string;
  salary?: number | null;
  manager?: Ref | null;
  based_in_eu: boolean;
}

export interface CompanyRaw {
  name: string;
  num_employees: number;
  num_chairs: number;
  ceo: Ref;
  point_of_contact?: Ref | null;
  based_in_eu: boolean;
}

export interface NumberRaw {
  integer: bigint;
  float?: number | null;
  decimal_value?: mongoose.Types.Decimal128 | null;
}

export interface ExperimentRaw {
  name: string;
  assigned: Date;
  completed: Date;
  /** Milliseconds. */
  estimated_time: number;
  start: Date;
  end: Date;
  scalar?: number | null;
}

export interface ResultRaw {
  experiment: Ref;
  result_time: Date;
}

export interface UUIDRaw {
  uuid?: mongoose.Types.UUID | null;
}

function managed<T>(definition: mongoose.SchemaDefinition<T>): mongoose.Schema<T> {
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager);
  return schema;
}

/** Every model of the module, on `conn`. */
export function expressionsModels(conn: Connection) {
  const ref = (model: string, required = false) => ({
    type: mongoose.Schema.Types.ObjectId,
    ref: model,
    required,
    default: required ? undefined : null,
  });
  return {
    Manager: conn.model<ManagerRaw, Managed<ManagerRaw>>(
      'ExprManager',
      managed<ManagerRaw>({ name: { type: String, maxlength: 50 }, secretary: ref('ExprEmployee') }),
    ),
    Employee: conn.model<EmployeeRaw, Managed<EmployeeRaw>>(
      'ExprEmployee',
      managed<EmployeeRaw>({
        firstname: { type: String, maxlength: 50 },
        lastname: { type: String, maxlength: 50 },
        salary: { type: mongoose.Schema.Types.Int32, default: null },
        manager: ref('ExprManager'),
        based_in_eu: { type: Boolean, default: false },
      }),
    ),
    Company: conn.model<CompanyRaw, Managed<CompanyRaw>>(
      'ExprCompany',
      managed<CompanyRaw>({
        name: { type: String, maxlength: 100, required: true },
        num_employees: { type: mongoose.Schema.Types.Int32, min: 0, required: true },
        num_chairs: { type: mongoose.Schema.Types.Int32, min: 0, required: true },
        ceo: ref('ExprEmployee', true),
        point_of_contact: ref('ExprEmployee'),
        based_in_eu: { type: Boolean, default: false },
      }),
    ),
    Number: conn.model<NumberRaw, Managed<NumberRaw>>(
      'ExprNumber',
      managed<NumberRaw>({
        integer: { type: mongoose.Schema.Types.BigInt, required: true },
        float: { type: Number, default: null },
        decimal_value: { type: mongoose.Schema.Types.Decimal128, default: null },
      }),
    ),
    Experiment: conn.model<ExperimentRaw, Managed<ExperimentRaw>>(
      'ExprExperiment',
      managed<ExperimentRaw>({
        name: { type: String, maxlength: 24, required: true },
        assigned: { type: Date, required: true },
        completed: { type: Date, required: true },
        estimated_time: { type: Number, required: true },
        start: { type: Date, required: true },
        end: { type: Date, required: true },
        scalar: { type: Number, default: null },
      }),
    ),
    Result: conn.model<ResultRaw, Managed<ResultRaw>>(
      'ExprResult',
      managed<ResultRaw>({ experiment: ref('ExprExperiment', true), result_time: { type: Date, required: true } }),
    ),
    UUID: conn.model<UUIDRaw, Managed<UUIDRaw>>(
      'ExprUUID',
      managed<UUIDRaw>({ uuid: { type: mongoose.Schema.Types.UUID, default: null } }),
    ),
  };
}
