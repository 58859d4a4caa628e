// The families of Mongoose types that share lookups: one table, read by the
// schema's shape (each field's family) and the lookup registry.
/** A family of Mongoose types that share lookups (`registerLookup('Numeric', …)`). */
export type TypeFamily = 'Numeric';

// The one table of families: a SchemaType `instance` not listed has none.
const FAMILY_OF: Readonly<Record<string, TypeFamily>> = Object.freeze({
  Number: 'Numeric',
  Int32: 'Numeric',
  Double: 'Numeric',
  Decimal128: 'Numeric',
  BigInt: 'Numeric',
});

/**
 * The type family of a Mongoose instance name, or undefined.
 *
 * @example
 * ```ts
 * familyOf('Int32'); // 'Numeric'
 * familyOf('String'); // undefined
 * ```
 */
export function familyOf(instance: string | undefined): TypeFamily | undefined {
  return instance !== undefined && Object.hasOwn(FAMILY_OF, instance) ? FAMILY_OF[instance] : undefined;
}

/**
 * What numbers a field holds: whole numbers of 32 or 64 bits (Django's
 * IntegerField and BigIntegerField), or other numbers (a Mongoose `Number` is
 * a double, as Django's FloatField). Integer arithmetic follows SQL's: two
 * integers divide as integers.
 */
export type NumberType = 'int32' | 'int64' | 'double' | 'decimal';

// `Long` is mongoose-long's type name; Mongoose 9's own 64-bit type is BigInt.
const NUMBER_TYPE_OF: Readonly<Record<string, NumberType>> = Object.freeze({
  Number: 'double',
  Double: 'double',
  Int32: 'int32',
  BigInt: 'int64',
  Long: 'int64',
  Decimal128: 'decimal',
});

/**
 * The number type of a Mongoose instance name, or undefined when it holds no numbers.
 *
 * @example
 * ```ts
 * numberTypeOf('BigInt'); // 'int64'
 * numberTypeOf('Number'); // 'double'
 * ```
 */
export function numberTypeOf(instance: string | undefined): NumberType | undefined {
  return instance !== undefined && Object.hasOwn(NUMBER_TYPE_OF, instance) ? NUMBER_TYPE_OF[instance] : undefined;
}
