// What one update key writes: its operand, checked against the field's shape
// and wrapped so that the server reads it as data. A value from a request
// body never becomes an operator: pushes go through `$each`, pulls of plain
// values through `$pullAll`, pulls of embedded documents through `$eq` on
// each named field, numbers are checked before `$inc`, and keys inside
// values are field names (embedded documents) or storable names (JSON/Mixed).
import mongoose, { type Schema, type SchemaType } from 'mongoose';
import { FieldError, ValidationError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { fieldChoices } from './resolve.js';
import { arrayElementOf } from '../core/mongoose-internals.js';
import { familyOf, fieldsAlong, shapeOf, type FieldShape, type ShapeLevel } from '../core/schema-shape.js';
import { assertStorableKeys, unsafeKey } from './storable.js';
import { describe, isPlainObject } from '../core/values.js';
import { checkScalarType } from './update-scalars.js';
import { toFieldValue } from './to-field.js';

/** The shape of what a path holds, as far as the schema knows it. */
export type Slot =
  | { readonly kind: 'mixed' }
  | { readonly kind: 'scalar'; readonly type: string; readonly toField?: string }
  | { readonly kind: 'array'; readonly element: Slot }
  | { readonly kind: 'document'; readonly level: ShapeLevel };

const MIXED: Slot = Object.freeze({ kind: 'mixed' });
// The Numeric family's members, as the shape names them (core/schema-shape-build.ts), for messages.
const NUMERIC = 'Number, Decimal128, BigInt, Double, Int32';
const isNumeric = (slot: Slot): boolean => slot.kind === 'scalar' && familyOf(slot.type) === 'Numeric';

/** The slot of a field of the schema's shape. */
function slotOf(field: FieldShape): Slot {
  switch (field.kind) {
    case 'embedded':
    case 'nested':
      return field.child ? { kind: 'document', level: field.child } : MIXED;
    case 'embeddedArray':
      return { kind: 'array', element: field.child ? { kind: 'document', level: field.child } : MIXED };
    case 'scalarArray':
      return { kind: 'array', element: elementSlot(field.element) };
    // A Map's keys are the user's, as in a JSON value; Mongoose casts its values.
    case 'mixed':
    case 'map':
      return MIXED;
    case 'scalar':
      return field.toField === undefined
        ? { kind: 'scalar', type: field.instance ?? 'value' }
        : { kind: 'scalar', type: field.instance ?? 'value', toField: field.toField };
  }
}

/** The slot of an array's elements: scalars, or arrays of them (an array of Mixed takes anything). */
function elementSlot(element: SchemaType | undefined): Slot {
  if (!element || element.instance === 'Mixed' || element.instance === 'Map') return MIXED;
  if (element.instance === 'Array') return { kind: 'array', element: elementSlot(arrayElementOf(element)) };
  return { kind: 'scalar', type: element.instance };
}

/**
 * The slot at a resolved dotted path: walks the schema's shape through
 * embedded documents and nested objects as resolveKey did, and stops inside
 * JSON/Mixed values. `at` holds the indexes of the path's parts followed by a
 * position (`comments.1.text`: part 0): there the walk goes into one element
 * of the list. A path through a list of embedded documents without a
 * position is a {@link FieldError}.
 *
 * @example
 * ```ts
 * slotAt(entrySchema, 'tags'); // { kind: 'array', element: { kind: 'scalar', type: 'String' } }
 * slotAt(entrySchema, 'comments.author', new Set([0])); // { kind: 'scalar', type: 'String' }
 * ```
 */
export function slotAt(schema: Schema, path: string, at: ReadonlySet<number> = new Set()): Slot {
  const parts = path.split('.');
  const along = fieldsAlong(shapeOf(schema), path);
  for (const [i, field] of along.entries()) {
    const isList = field.kind === 'scalarArray' || field.kind === 'embeddedArray';
    if (i === parts.length - 1) {
      const slot = slotOf(field);
      return at.has(i) && slot.kind === 'array' ? slot.element : slot;
    }
    if (isList && !at.has(i)) {
      throw new FieldError(
        `${path} names a field inside the list ${parts.slice(0, i + 1).join('.')}, which would change every element or none; ` +
          'change the list with push__, pull__, pull_all__ or add_to_set__, set it whole, or name an element ' +
          `by its position (${parts.slice(0, i + 1).join('__')}__0__…) or by the filter's match (…__S__…).`,
      );
    }
  }
  return MIXED;
}

/**
 * Throws unless `value` fits `slot` as data: a scalar field takes a scalar
 * (Mongoose casts it later), a list field a list or one element, an embedded
 * document only its own field names, a JSON value only storable keys.
 *
 * @example
 * ```ts
 * checkValue(slotAt(entrySchema, 'blog'), { name: 'B', $where: '1' }, 'Entry.blog');
 * // FieldError: Cannot resolve keyword "$where" into field of Entry.blog. Choices are: name, tagline.
 * ```
 */
export function checkValue(slot: Slot, value: unknown, label: string): void {
  if (value === null || value === undefined) return;
  switch (slot.kind) {
    case 'mixed':
      assertStorableKeys(value, label);
      return;
    case 'scalar':
      if (Array.isArray(value) || isPlainObject(value)) {
        throw new ValidationError(`${label} takes a ${slot.type}, not ${describe(value)}.`, label);
      }
      checkScalarType(slot.type, value, label);
      return;
    case 'array':
      for (const item of Array.isArray(value) ? value : [value]) checkValue(slot.element, item, label);
      return;
    case 'document':
      checkDocument(slot, value, label);
  }
}

/** The slot of one key of an embedded document's value, or a FieldError naming its fields. */
function innerSlot(slot: Extract<Slot, { kind: 'document' }>, key: string, label: string): Slot {
  const found = unsafeKey(key) === undefined && key !== '' ? slot.level.field(key) : undefined;
  if (found) return slotOf(found);
  const choices = fieldChoices(slot.level.schema, slot.level.prefix, false);
  throw new FieldError(
    `Cannot resolve keyword ${JSON.stringify(key)} into field of ${label}. Choices are: ${choices.join(', ')}.` +
      didYouMean(key, choices),
  );
}

function checkDocument(slot: Extract<Slot, { kind: 'document' }>, value: unknown, label: string): void {
  // Documents and other class instances come from code, and Mongoose casts them.
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isPlainObject(value)) return;
  if (!isPlainObject(value)) {
    throw new ValidationError(
      `${label} takes an embedded document (an object of its fields), not ${describe(value)}.`,
      label,
    );
  }
  for (const [key, inner] of Object.entries(value)) {
    checkValue(innerSlot(slot, key, label), inner, `${label}.${key}`);
  }
}

/** `pull__comments: { author: 'ann' }`: the elements equal on each given field, each compared with `$eq`. */
function pullDocumentCondition(
  slot: Extract<Slot, { kind: 'document' }>,
  value: unknown,
  label: string,
): Record<string, unknown> {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    throw new ValidationError(
      `${label}: pull__ on a list of embedded documents takes an object of at least one field, ` +
        `e.g. { author: 'ann' }, not ${describe(value)}; pull_all__ takes whole documents.`,
      label,
    );
  }
  const condition: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    checkValue(innerSlot(slot, key, label), inner, `${label}.${key}`);
    condition[key] = { $eq: inner };
  }
  return condition;
}

/** The field a key writes: its path, label (`Entry.tags`) and slot. */
export interface UpdateTarget {
  /** The model's schema, which a rename's new name is checked against. */
  readonly schema: Schema;
  readonly path: string;
  readonly label: string;
  readonly slot: Slot;
}

/** One `$operator: { path: operand }` entry of the update. */
export type UpdateEntry = readonly [operator: string, operand: unknown];

function requireList(target: UpdateTarget, op: string): void {
  const { slot } = target;
  if (slot.kind === 'array' || slot.kind === 'mixed') return;
  throw new FieldError(
    `${op}__ works on list fields; ${target.label} is ${slot.kind === 'scalar' ? `a ${slot.type}` : 'an embedded document'}.`,
  );
}

const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/** A number for inc/dec/mul; a numeric field also takes a numeric string, as its cast would. */
function numberOperand(target: UpdateTarget, op: string, value: unknown): unknown {
  const { slot } = target;
  if (slot.kind !== 'mixed' && !isNumeric(slot)) {
    throw new FieldError(
      `${op}__ works on numeric fields (${NUMERIC}) or inside JSON values; ` +
        `${target.label} is ${slot.kind === 'scalar' ? `a ${slot.type}` : slot.kind === 'array' ? 'a list' : 'an embedded document'}.`,
    );
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (slot.kind === 'scalar' && typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  // A Decimal128 or Long from code: Mongoose casts it.
  if (
    slot.kind === 'scalar' &&
    typeof value === 'object' &&
    value !== null &&
    !isPlainObject(value) &&
    !Array.isArray(value)
  ) {
    return value;
  }
  throw new ValidationError(
    `${op}__ on ${target.label} takes a finite number (or a numeric string), not ${describe(value)}.`,
    target.label,
  );
}

function minMax(target: UpdateTarget, op: string, value: unknown): unknown {
  if (target.slot.kind === 'array' || target.slot.kind === 'document') {
    throw new FieldError(`${op}__ compares single values; ${target.label} is not one.`);
  }
  if (isNumeric(target.slot)) return numberOperand(target, op, value);
  checkValue(target.slot, value, target.label);
  return value;
}

function asList(value: unknown, key: string): unknown[] {
  if (!Array.isArray(value)) throw new FieldError(`${key} takes a list of values, not ${describe(value)}.`);
  return value;
}

function elements(target: UpdateTarget, values: readonly unknown[]): unknown[] {
  const element = target.slot.kind === 'array' ? target.slot.element : MIXED;
  for (const v of values) checkValue(element, v, target.label);
  return [...values];
}

function renameTarget(target: UpdateTarget, value: unknown): string {
  const parts = typeof value === 'string' ? value.split('__') : [];
  if (parts.length === 0 || parts.some((p) => p === '' || unsafeKey(p) !== undefined) || parts[0] === '_id') {
    throw new FieldError(
      `rename__ on ${target.label} takes the new field name as a string of plain names joined by "__" ` +
        `(no "$", ".", NUL or empty part, not _id), not ${describe(value)}.`,
    );
  }
  const path = parts.join('.');
  if (path === target.path) throw new FieldError(`rename__ on ${target.label}: the new name is the same field.`);
  // A new name inside a list would make the server refuse the whole update.
  slotAt(target.schema, path);
  return path;
}

/** dec__'s operand, negated for $inc: a number, or a Decimal128 or Long from code (as inc__ takes them). */
function negated(target: UpdateTarget, n: unknown): unknown {
  const { Decimal128, Long } = mongoose.mongo;
  if (typeof n === 'number') return -n;
  if (n instanceof Decimal128) {
    const text = n.toString();
    return Decimal128.fromString(text.startsWith('-') ? text.slice(1) : `-${text}`);
  }
  if (n instanceof Long) return n.negate();
  throw new ValidationError(
    `dec__ on ${target.label} takes a finite number, a numeric string, a Decimal128 or a Long, not ${describe(n)}.`,
    target.label,
  );
}

/** Each update key's prefix and what it writes for `(target, value)`. */
export const UPDATE_OPERATORS: Readonly<Record<string, (target: UpdateTarget, value: unknown) => UpdateEntry>> = {
  set: (t, v) => {
    // Django's to_field: a document stands for the field the reference stores.
    const value = t.slot.kind === 'scalar' && t.slot.toField !== undefined ? toFieldValue(t.slot.toField, v) : v;
    checkValue(t.slot, value, t.label);
    return ['$set', value];
  },
  unset: () => ['$unset', ''],
  inc: (t, v) => ['$inc', numberOperand(t, 'inc', v)],
  dec: (t, v) => ['$inc', negated(t, numberOperand(t, 'dec', v))],
  mul: (t, v) => ['$mul', numberOperand(t, 'mul', v)],
  min: (t, v) => ['$min', minMax(t, 'min', v)],
  max: (t, v) => ['$max', minMax(t, 'max', v)],
  pop: (t, v) => {
    requireList(t, 'pop');
    if (v !== 1 && v !== -1 && v !== '1' && v !== '-1') {
      throw new FieldError(`pop__ on ${t.label} takes 1 (last element) or -1 (first element), not ${describe(v)}.`);
    }
    return ['$pop', Number(v)];
  },
  push: (t, v) => (requireList(t, 'push'), ['$push', { $each: elements(t, [v]) }]),
  push_all: (t, v) => (
    requireList(t, 'push_all'),
    ['$push', { $each: elements(t, asList(v, `push_all__ on ${t.label}`)) }]
  ),
  pull: (t, v) => {
    requireList(t, 'pull');
    if (t.slot.kind === 'array' && t.slot.element.kind === 'document') {
      return ['$pull', pullDocumentCondition(t.slot.element, v, t.label)];
    }
    return ['$pullAll', elements(t, [v])];
  },
  pull_all: (t, v) => (requireList(t, 'pull_all'), ['$pullAll', elements(t, asList(v, `pull_all__ on ${t.label}`))]),
  add_to_set: (t, v) => (
    requireList(t, 'add_to_set'),
    ['$addToSet', { $each: elements(t, Array.isArray(v) ? v : [v]) }]
  ),
  set_on_insert: (t, v) => (checkValue(t.slot, v, t.label), ['$setOnInsert', v]),
  rename: (t, v) => ['$rename', renameTarget(t, v)],
};
