// djongo's column types, as `__schema__` entries record them in `fields`:
// the type codes, the one for each Mongoose path type, and the auto field of
// each schema, which djongo types as AutoField (`int`) whatever Mongoose says.
// A view of the schema's shape (core/schema-shape.ts).
import type { Schema } from 'mongoose';
import { shapeOf } from './schema-shape.js';

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

// The auto field is declared once, in the shape module; these names stay for callers.
export { autoFieldOf, registerAutoField } from './schema-shape.js';

/** djongo's type code for a Mongoose path type; undefined where djongo writes none (JSONField). */
function typeCodeOf(instance: string | undefined): TypeCode | undefined {
  switch (instance) {
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
 * An ArrayReferenceField's code: djongo types it as a ForeignKey, by the
 * referenced primary key (`rel_db_type`), so `int` for ids from an AutoField
 * (a Number here), `objectId` for an ObjectIdField's.
 */
function referenceCodeOf(element: string | undefined): TypeCode | undefined {
  return element === 'Number' ? 'int' : typeCodeOf(element);
}

/**
 * djongo's `fields: { <col>: { type_code } }` for a Mongoose schema: one
 * entry per top-level field, with djongo's codes (`int` for the auto field,
 * as AutoField; `double` for Number, as FloatField; `string`, `date`,
 * `bool`, `objectId`, `object` for embedded documents, maps and nested
 * objects, `array` for arrays, and for an ArrayReferenceField the code of
 * the key it holds: `int` for Number ids, as djongo's ForeignKey to an
 * AutoField). `_id`, the version key and Mixed (JSONField) fields get none,
 * as in djongo. Columns come in the model's order, the auto field first, as
 * Django lists them.
 *
 * @example
 * ```ts
 * entrySchema.plugin(autoIncrement);
 * djongoFieldTypes(entrySchema);
 * // { id: { type_code: 'int' }, blog: { type_code: 'object' }, headline: { type_code: 'string' }, … }
 * ```
 */
export function djongoFieldTypes(schema: Schema): Record<string, { type_code: string }> {
  const shape = shapeOf(schema);
  const codes: [string, { type_code: string }][] = [];
  for (const field of shape.fields) {
    if (field.key === '_id' || field.key === shape.versionKey) continue;
    const code: TypeCode | undefined =
      field.key === shape.autoField
        ? 'int'
        : field.kind === 'nested'
          ? 'object'
          : field.kind === 'scalarArray' && field.ref !== undefined
            ? referenceCodeOf(field.element?.instance)
            : typeCodeOf(field.instance);
    if (!code) continue;
    // Django's auto-created `id` is its model's first field; the plugin adds it last.
    if (field.key === shape.autoField) codes.unshift([field.key, { type_code: code }]);
    else codes.push([field.key, { type_code: code }]);
  }
  return Object.fromEntries(codes);
}
