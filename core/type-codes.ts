// djongo's column types, as `__schema__` entries record them in `fields`:
// the type codes, the one for each Mongoose path type, and the auto field of
// each schema, which djongo types as AutoField (`int`) whatever Mongoose says.
import type { Schema, SchemaType } from 'mongoose';

/**
 * djongo's column types: the values of `DatabaseWrapper.data_types` in
 * djongo/base.py (`AutoField: 'int'`, `BigIntegerField: 'long'`,
 * `EmbeddedField: 'object'`, …). JSONField has none there, so djongo writes
 * no `fields` entry for it.
 */
export const TYPE_CODES = [
  'int',
  'long',
  'double',
  'decimal',
  'string',
  'bool',
  'date',
  'binData',
  'objectId',
  'object',
  'array',
] as const;

/** One of {@link TYPE_CODES}. */
export type TypeCode = (typeof TYPE_CODES)[number];

/** The auto field of each schema, as the autoIncrement plugin declared it. */
const autoFields = new WeakMap<Schema, string>();

/**
 * Records that `field` is the schema's auto-increment field, so that
 * {@link djongoFieldTypes} gives it djongo's AutoField type, `int`. The
 * autoIncrement plugin calls it.
 *
 * @example
 * ```ts
 * registerAutoField(entrySchema, 'id');
 * autoFieldOf(entrySchema); // 'id'
 * ```
 */
export function registerAutoField(schema: Schema, field: string): void {
  autoFields.set(schema, field);
}

/**
 * The schema's auto-increment field, or undefined when it has none.
 *
 * @example
 * ```ts
 * entrySchema.plugin(autoIncrement);
 * autoFieldOf(entrySchema); // 'id'
 * ```
 */
export function autoFieldOf(schema: Schema): string | undefined {
  return autoFields.get(schema);
}

interface SchemaTypeShape {
  readonly instance?: string;
}

/** djongo's type code for a Mongoose path type; undefined where djongo writes none (JSONField). */
function typeCodeOf(type: SchemaType & SchemaTypeShape): TypeCode | undefined {
  switch (type.instance) {
    case 'Number':
    case 'Double':
      return 'double';
    case 'Int32':
      return 'int';
    case 'BigInt':
      return 'long';
    case 'Decimal128':
      return 'decimal';
    case 'String':
      return 'string';
    case 'Boolean':
      return 'bool';
    case 'Date':
      return 'date';
    case 'Buffer':
    case 'UUID':
      return 'binData';
    case 'ObjectId':
      return 'objectId';
    case 'Embedded':
    case 'Map':
      return 'object';
    case 'Array':
      return 'array';
    default:
      return undefined; // Mixed: djongo's JSONField has no column type.
  }
}

/**
 * djongo's `fields: { <col>: { type_code } }` for a Mongoose schema: one
 * entry per top-level field, with djongo's codes (`int` for the auto field,
 * as AutoField; `double` for Number, as FloatField; `string`, `date`,
 * `bool`, `objectId`, `object` for embedded documents, maps and nested
 * objects, `array` for arrays). `_id`, the version key and Mixed (JSONField)
 * fields get none, as in djongo.
 *
 * @example
 * ```ts
 * entrySchema.plugin(autoIncrement);
 * djongoFieldTypes(entrySchema);
 * // { id: { type_code: 'int' }, headline: { type_code: 'string' }, blog: { type_code: 'object' }, … }
 * ```
 */
export function djongoFieldTypes(schema: Schema): Record<string, { type_code: string }> {
  const auto = autoFields.get(schema);
  const versionKey = schema.get('versionKey');
  const result: Record<string, { type_code: string }> = {};
  schema.eachPath((path, type) => {
    const [top = path] = path.split('.');
    if (top === '_id' || top === versionKey || top in result) return;
    const code: TypeCode | undefined =
      top === auto ? 'int' : top !== path ? 'object' : typeCodeOf(type as SchemaType & SchemaTypeShape);
    if (code) result[top] = { type_code: code };
  });
  return result;
}
