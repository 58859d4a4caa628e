// Which values a migration file can hold (StoredValue): the schema's
// defaults and index options pass through here on their way into a file.

/** A value a migration file can hold: JSON, plus Dates. */
export type StoredValue =
  string | number | boolean | null | Date | readonly StoredValue[] | { readonly [key: string]: StoredValue };

/**
 * `value` as a migration file can hold it, or undefined when it cannot (a
 * function, NaN, a RegExp, a class instance).
 *
 * @example
 * ```ts
 * storable({ a: [1, new Date(0)] }); // { a: [1, new Date(0)] }
 * storable(/x/); // undefined
 * ```
 */
export function storable(value: unknown): StoredValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map(storable);
    return items.every((item) => item !== undefined) ? (items as StoredValue[]) : undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, storable(v)] as const);
    return entries.every(([, v]) => v !== undefined) ? (Object.fromEntries(entries) as StoredValue) : undefined;
  }
  return undefined;
}
