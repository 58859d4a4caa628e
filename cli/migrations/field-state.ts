// One field of a model as migrations record it, read from the schema's
// shape: its type, required flag and default, and, for an embedded
// document, a nested object or an array of embedded documents, the fields
// inside, recursively. State built from the models and state folded from the
// migration files then compare field by field at every depth.
import type { Schema } from 'mongoose';
import type { FieldShape, ShapeLevel } from '../../core/schema-shape.js';
import { storable, type StoredValue } from './stored.js';

/** One field of a model, as migrations see it. */
export interface FieldState {
  /** Mongoose's instance name: String, Number, Date, Boolean, ObjectId, Array, Embedded, Mixed, … */
  readonly type: string;
  readonly required: boolean;
  /** The schema's default (a function's value at makemigrations time); absent: none. */
  readonly default?: StoredValue;
  /** djongo's type code for `__schema__` (`string`, `double`, …); absent where djongo writes none. */
  readonly typeCode?: string;
  /**
   * The fields inside, by key: of an embedded document (type `Embedded`), a
   * nested object (`Nested`), or each element of an array of embedded
   * documents (`Array`). Absent for other types, and where an embedded schema
   * holds itself. Operations name them by dotted path (`blog.description`).
   */
  readonly fields?: Readonly<Record<string, FieldState>>;
}

function defaultOf(raw: unknown): StoredValue | undefined {
  // A function default (Date.now) is evaluated once: the backfill writes one value, as Django's does.
  const value = typeof raw === 'function' ? (raw as () => unknown)() : raw;
  return value === undefined
    ? undefined
    : storable(typeof value === 'number' && raw === Date.now ? new Date(value) : value);
}

function isRequired(required: unknown): boolean {
  return required === true || (Array.isArray(required) && required[0] === true);
}

/** The fields of one level (an embedded schema's, a nested object's), bookkeeping keys left out. */
function levelFields(level: ShapeLevel, ancestors: ReadonlySet<Schema>): Readonly<Record<string, FieldState>> {
  return Object.freeze(Object.fromEntries(level.expected.map((field) => [field.key, fieldState(field, ancestors)])));
}

/**
 * One field's state. `typeCode` is djongo's `__schema__` type code (top-level
 * fields only); `ancestors` are the embedded schemas around the field, so a
 * schema that holds itself (a tree of comments) is recorded once, not forever.
 *
 * @example
 * ```ts
 * fieldState(shapeOf(entrySchema).field('blog')!);
 * // { type: 'Embedded', required: false, fields: { name: { type: 'String', required: false } } }
 * ```
 */
export function fieldState(
  field: FieldShape,
  ancestors: ReadonlySet<Schema> = new Set(),
  typeCode?: string,
): FieldState {
  const options = (field.schemaType?.options ?? {}) as { required?: unknown; default?: unknown };
  const fallback = field.kind === 'scalarArray' || field.kind === 'embeddedArray' ? [] : undefined;
  const value = options.default !== undefined ? defaultOf(options.default) : fallback;
  const child = field.child;
  const embedded = field.kind === 'embedded' || field.kind === 'embeddedArray';
  const inside =
    child && (field.kind === 'nested' || (embedded && !ancestors.has(child.schema)))
      ? levelFields(child, embedded ? new Set([...ancestors, child.schema]) : ancestors)
      : undefined;
  return Object.freeze({
    type: field.instance ?? 'Nested',
    required: isRequired(options.required),
    ...(value === undefined ? {} : { default: value }),
    ...(typeCode ? { typeCode } : {}),
    ...(inside ? { fields: inside } : {}),
  });
}
