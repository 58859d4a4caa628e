// From what the database says of a collection (its `__schema__` entry and a
// sample's observations) to a plan of its model: frozen nodes, one per field,
// that emit.ts prints. Pure. djongo's type codes win where the sample agrees
// with them (or there is no sample); the sample decides the rest, and says
// where the two disagree.
import type { SchemaEntry } from '../../core/schema-collection.js';
import { quote } from './names.js';
import type { Observed, ObservedLevel } from './observe.js';

/** The Mongoose types a field can be planned as. */
export type ScalarType =
  'String' | 'Number' | 'Int32' | 'BigInt' | 'Decimal128' | 'Boolean' | 'Date' | 'ObjectId' | 'Buffer' | 'Mixed';

/** One field's plan. `note` is a remark for the generated comment. */
export type FieldPlan =
  | { readonly kind: 'scalar'; readonly type: ScalarType; readonly note?: string }
  | { readonly kind: 'scalarArray'; readonly type: ScalarType; readonly note?: string }
  | { readonly kind: 'embedded'; readonly fields: readonly NamedField[]; readonly note?: string }
  | { readonly kind: 'embeddedArray'; readonly fields: readonly NamedField[]; readonly note?: string }
  | { readonly kind: 'json'; readonly note?: string };

/** A field of a model or of an embedded document. */
export interface NamedField {
  readonly name: string;
  readonly plan: FieldPlan;
}

/** One collection's model. */
export interface ModelPlan {
  readonly collection: string;
  /** The fields, `_id` and the auto field left out. */
  readonly fields: readonly NamedField[];
  /** `_id`'s type when it is not an ObjectId. */
  readonly id: FieldPlan | undefined;
  /** The autoIncrement field, from the `__schema__` counter. */
  readonly autoField: string | undefined;
  /** Remarks on the whole model. */
  readonly notes: readonly string[];
  /** Documents sampled. */
  readonly sampled: number;
  /** Whether djongo's `__schema__` gave column types. */
  readonly typed: boolean;
}

const CODE_TYPES: Readonly<Record<string, ScalarType>> = {
  int: 'Int32',
  long: 'BigInt',
  double: 'Number',
  decimal: 'Decimal128',
  string: 'String',
  bool: 'Boolean',
  date: 'Date',
  binData: 'Buffer',
  objectId: 'ObjectId',
};

// Stored type names (drift.ts's storedType) → the type that holds them.
const STORED_TYPES: Readonly<Record<string, ScalarType>> = {
  string: 'String',
  int: 'Number',
  double: 'Number',
  number: 'Number',
  long: 'Number',
  decimal: 'Decimal128',
  boolean: 'Boolean',
  date: 'Date',
  objectId: 'ObjectId',
  binData: 'Buffer',
};

// Which stored types a declared type accepts, as check judges them.
const ACCEPTS: Readonly<Record<ScalarType, readonly string[]>> = {
  String: ['string'],
  Number: ['int', 'double', 'number', 'long'],
  Int32: ['int'],
  BigInt: ['int', 'long'],
  Decimal128: ['decimal'],
  Boolean: ['boolean'],
  Date: ['date'],
  ObjectId: ['objectId'],
  Buffer: ['binData'],
  Mixed: [],
};

/** Why a name cannot be a Mongoose path, or undefined when it can. */
export function undeclarable(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name.includes('.')) return 'a dot makes a nested path in Mongoose';
  if (name.startsWith('$')) return 'a leading $ is an operator to MongoDB';
  if (name.includes('\0')) return 'a NUL character';
  if (name === '__proto__' || name === 'constructor' || name === 'prototype') return 'Mongoose ignores it';
  return undefined;
}

const frozen = <T>(value: T): T => Object.freeze(value);
const seenTypes = (types: ReadonlyMap<string, number>): string =>
  [...types.entries()].map(([type, n]) => `${type} (${n})`).join(', ');

/** The stored types seen, nulls left out (they fit every type). */
function nonNull(at: Observed): Map<string, number> {
  return new Map([...at.types].filter(([type]) => type !== 'null'));
}

/** The one scalar type that holds every stored type seen, if any. */
function scalarOf(types: ReadonlyMap<string, number>): ScalarType | undefined {
  const found = new Set([...types.keys()].map((type) => STORED_TYPES[type]));
  const [only] = found;
  return found.size === 1 && only !== undefined ? only : undefined;
}

function elementsPlan(at: Observed): FieldPlan {
  const elements = at.elements;
  const types = elements ? nonNull(elements) : new Map<string, number>();
  if (types.size === 0) return frozen({ kind: 'scalarArray', type: 'Mixed', note: 'only empty arrays seen' });
  if (types.size === 1 && types.has('object') && elements?.object && !elements.object.overflow) {
    return frozen({ kind: 'embeddedArray', fields: levelFields(elements.object) });
  }
  const type = scalarOf(types);
  if (type) return frozen({ kind: 'scalarArray', type });
  return frozen({ kind: 'scalarArray', type: 'Mixed', note: `elements of mixed types: ${seenTypes(types)}` });
}

/** A field's plan from the sample alone. */
function observedPlan(at: Observed): FieldPlan {
  const types = nonNull(at);
  if (types.size === 0) return frozen({ kind: 'scalar', type: 'Mixed', note: 'only null seen' });
  if (types.size === 1 && types.has('object')) {
    if (!at.object || at.object.overflow) return frozen({ kind: 'json', note: 'too many keys or levels for a schema' });
    return frozen({ kind: 'embedded', fields: levelFields(at.object) });
  }
  if (types.size === 1 && types.has('array')) return elementsPlan(at);
  const type = scalarOf(types);
  if (type) return frozen({ kind: 'scalar', type });
  return frozen({ kind: 'scalar', type: 'Mixed', note: `mixed types: ${seenTypes(types)}` });
}

/** A field's plan from its djongo type code and what the sample holds. */
function typedPlan(code: string, at: Observed | undefined): FieldPlan {
  const types = at ? nonNull(at) : new Map<string, number>();
  const declared = CODE_TYPES[code];
  if (types.size === 0) {
    if (declared) return frozen({ kind: 'scalar', type: declared });
    if (code === 'array') return frozen({ kind: 'scalarArray', type: 'Mixed', note: 'no sample to read it from' });
    return frozen({ kind: 'json', note: `__schema__ says ${code}; no sample to read it from` });
  }
  if (declared && [...types.keys()].every((type) => ACCEPTS[declared].includes(type))) {
    return frozen({ kind: 'scalar', type: declared });
  }
  const sampled = observedPlan(at as Observed);
  if (code === 'int' && sampled.kind === 'scalarArray' && types.size === 1) {
    // djongo types an ArrayReferenceField by the key it holds: `int` over arrays of ids.
    return frozen({
      kind: 'scalarArray',
      type: [...(at?.elements?.types.keys() ?? [])].every((t) => t === 'int') ? 'Int32' : sampled.type,
      note: "djongo's ArrayReferenceField (int ids): ArrayReferenceField('<Model>', { type: Number }) follows it",
    });
  }
  const agrees =
    (code === 'object' && (sampled.kind === 'embedded' || sampled.kind === 'json')) ||
    (code === 'array' && (sampled.kind === 'scalarArray' || sampled.kind === 'embeddedArray'));
  if (agrees) return sampled;
  return frozen({ ...sampled, note: `__schema__ says ${code}, the sample holds ${seenTypes(types)}` });
}

function presence(at: Observed, documents: number, plan: FieldPlan): FieldPlan {
  if (at.count >= documents) return plan;
  const note = `in ${at.count} of ${documents} sampled documents`;
  return frozen({ ...plan, note: plan.note ? `${plan.note}; ${note}` : note });
}

function levelFields(level: ObservedLevel): NamedField[] {
  return [...level.fields.entries()].map(([name, at]) =>
    frozen({ name, plan: presence(at, level.documents, observedPlan(at)) }),
  );
}

/**
 * The plan of one collection's model, from its `__schema__` entry (or null)
 * and the observations of its sampled documents.
 *
 * @example
 * ```ts
 * planModel('blog_entry', await readSchemaEntry(db, 'blog_entry'), sampledLevel);
 * // { collection: 'blog_entry', autoField: 'id', fields: [{ name: 'headline', plan: { kind: 'scalar', type: 'String' } }, …], … }
 * ```
 */
export function planModel(collection: string, entry: SchemaEntry | null, level: ObservedLevel): ModelPlan {
  const notes: string[] = [];
  const codes = entry?.fields ?? {};
  const typed = entry?.fields !== undefined;
  const counted = entry?.auto?.field_names[0];
  // autoIncrement numbers a plain top-level name other than _id; another stays a field, with a note.
  const autoField =
    counted !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(counted) && counted !== '_id' ? counted : undefined;
  if (counted !== undefined && autoField === undefined) {
    notes.push(`__schema__ counts ${quote(counted)}, which autoIncrement cannot number (a plain name other than _id)`);
  }
  const fields: NamedField[] = [];
  const names = [...new Set([...Object.keys(codes), ...level.fields.keys()])];
  for (const name of names) {
    if (name === '_id' || name === autoField) continue;
    const at = level.fields.get(name);
    if (name === '__v' && at && [...nonNull(at).keys()].every((type) => ACCEPTS.Number.includes(type))) continue;
    const code = Object.hasOwn(codes, name) ? codes[name]?.type_code : undefined;
    let plan: FieldPlan;
    if (typeof code === 'string') plan = typedPlan(code, at);
    else if (typed && at) plan = frozen({ kind: 'json', note: "no __schema__ type code: djongo's JSONField" });
    else plan = observedPlan(at as Observed);
    fields.push(frozen({ name, plan: at && level.documents > 0 ? presence(at, level.documents, plan) : plan }));
  }
  const idSeen = level.fields.get('_id');
  const idTypes = idSeen ? nonNull(idSeen) : new Map<string, number>();
  const id =
    idTypes.size > 0 && !(idTypes.size === 1 && idTypes.has('objectId')) ? observedPlan(idSeen as Observed) : undefined;
  if (level.overflow) notes.push(`more than the keys kept per level; the schema lists the first ones`);
  return frozen({
    collection,
    fields: frozen(fields),
    id,
    autoField,
    notes: frozen(notes),
    sampled: level.documents,
    typed,
  });
}
