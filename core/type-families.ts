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
