// What ENFORCE_SCHEMA checks in a stored document: the fields a document
// should have, at every depth, and the keys it may have, as a view of the
// schema's shape (core/schema-shape.ts), whose known keys `check` reads too.
// Reads then walk this plan against the raw document.
import type { Schema, SchemaType } from 'mongoose';
import { shapeOf, type ShapeLevel } from '../../core/schema-shape.js';

/** One field of a (sub)document. */
export interface FieldPlan {
  /** The key inside its parent object. */
  readonly key: string;
  /** The schema type, or undefined for a nested object with no schema of its own. */
  readonly type: SchemaType | undefined;
  /** The schema path from the root document, without array indices (`comments.author`). */
  readonly path: string;
  /**
   * Whether a hydrated read fills this field with null when it is missing.
   * False when the schema type has a default (arrays always do): Mongoose
   * applies the default on load, as it would without the plugin.
   */
  readonly fillHydrated: boolean;
  /** The embedded document's or nested object's own plan, when it has one. */
  readonly child: Plan | undefined;
  /** Whether the value is an array of embedded documents, each checked by `child`. */
  readonly array: boolean;
  /**
   * A nested object with no schema of its own (`{ blog: { name: String } }`).
   * A hydrated document always shows it as an object, so a hydrated read
   * fills it as `{}` with null fields; a lean read gets null.
   */
  readonly nested: boolean;
}

/** The fields of one (sub)document, and the keys it may hold. */
export interface Plan {
  /** Fields a stored document must have (all but `_id`, the version and discriminator keys). */
  readonly fields: readonly FieldPlan[];
  /** Every key the model knows at this level, the bookkeeping ones included. */
  readonly known: ReadonlySet<string>;
}

// A view of the shape, kept per shape level: a schema that gains paths gets
// a new shape, and so a new plan.
const plans = new WeakMap<ShapeLevel, Plan>();

/**
 * The plan of a schema: a view of its shape (core/schema-shape.ts), built on
 * first use.
 *
 * @example
 * ```ts
 * const plan = planOf(new Schema({ name: String, blog: new Schema({ tagline: String }) }));
 * plan.fields.map((f) => f.key); // ['name', 'blog']
 * ```
 */
export function planOf(schema: object): Plan {
  // `object`: a Schema of any document type (Schema<never> is not a Schema<any>).
  return planOfLevel(shapeOf(schema as Schema));
}

function planOfLevel(level: ShapeLevel): Plan {
  let plan = plans.get(level);
  if (!plan) plans.set(level, (plan = fromLevel(level)));
  return plan;
}

function fromLevel(level: ShapeLevel): Plan {
  const fields = level.expected.map((field): FieldPlan => {
    const plan = {
      key: field.key,
      type: field.schemaType,
      path: field.path,
      // Mongoose applies a default on load (arrays always have one), as it would without the plugin.
      fillHydrated: field.kind === 'nested' || !field.hasDefault,
      array: field.kind === 'embeddedArray',
      nested: field.kind === 'nested',
    };
    // Read when first needed, as the shape builds embedded children: a schema may hold itself.
    return Object.freeze(
      Object.defineProperty(plan as FieldPlan, 'child', {
        enumerable: true,
        get: () => (field.child ? planOfLevel(field.child) : undefined),
      }),
    );
  });
  return Object.freeze({ fields: Object.freeze(fields), known: level.known });
}

/** What a document disagrees with its model about, as positional paths (`comments.1.author`). */
export interface Findings {
  readonly missing: string[];
  readonly unknown: string[];
}

/** How {@link inspect} treats one document. */
export interface InspectOptions {
  /** Set missing fields to null in the raw document: true for lean results, 'hydrated' to spare fields with defaults. */
  readonly fill: boolean | 'hydrated';
  /** Collect missing and unknown fields. */
  readonly collect: boolean;
  /** Whether a schema path was selected by the query's projection; absent means everything was. */
  readonly selected?: ((path: string) => boolean) | undefined;
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Walks one raw document with its plan: fills missing fields with null
 * and/or collects what is missing and unknown. Returns undefined when there
 * is nothing to report (or nothing was collected).
 *
 * @example
 * ```ts
 * const raw = { _id: id, name: 'Beatles Blog' };
 * inspect(raw, planOf(blogSchema), { fill: true, collect: true }); // { missing: ['tagline'], unknown: [] }
 * raw.tagline; // null
 * ```
 */
export function inspect(raw: Raw, plan: Plan, options: InspectOptions): Findings | undefined {
  const findings: Findings = { missing: [], unknown: [] };
  walk(raw, plan, options, '', findings);
  return findings.missing.length > 0 || findings.unknown.length > 0 ? findings : undefined;
}

function walk(raw: Raw, plan: Plan, options: InspectOptions, at: string, findings: Findings): void {
  const { fill, collect, selected } = options;
  for (const field of plan.fields) {
    const value = raw[field.key];
    if (value === undefined) {
      if ((fill || collect) && (selected === undefined || selected(field.path))) {
        if (collect) findings.missing.push(at + field.key);
        if (fill === 'hydrated' && field.nested && field.child) {
          const filled: Raw = {};
          raw[field.key] = filled;
          walk(filled, field.child, { fill, collect: false, selected }, '', findings);
        } else if (fill === true || (fill === 'hydrated' && field.fillHydrated)) {
          raw[field.key] = null;
        }
      }
    } else if (field.child !== undefined) {
      if (field.array) {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const item: unknown = value[i];
            if (isObject(item)) walk(item, field.child, options, `${at}${field.key}.${i}.`, findings);
          }
        }
      } else if (isObject(value)) {
        walk(value, field.child, options, `${at}${field.key}.`, findings);
      }
    }
  }
  if (collect) {
    for (const key in raw) {
      if (!plan.known.has(key)) findings.unknown.push(at + key);
    }
  }
}

/**
 * A `selected(path)` predicate for a MongoDB projection, or undefined when
 * it selects everything. Inclusive projections keep a path when it, an
 * ancestor or a descendant is listed; exclusive ones drop a listed path and
 * what is under it. Operator values (`$slice`, `$elemMatch`) select.
 *
 * @example
 * ```ts
 * selection({ headline: 1 })?.('rating'); // false
 * selection({ 'blog.tagline': 0 })?.('blog'); // true
 * ```
 */
export function selection(projection: unknown): ((path: string) => boolean) | undefined {
  if (!isObject(projection)) return undefined;
  const included: string[] = [];
  const excluded: string[] = [];
  for (const [key, value] of Object.entries(projection)) {
    if (key === '_id' || isObject(value)) continue;
    if (value === 0 || value === false) excluded.push(key);
    else if (value === 1 || value === true) included.push(key);
  }
  const under = (path: string, key: string): boolean => path === key || path.startsWith(`${key}.`);
  if (included.length > 0) {
    return (path) => included.some((key) => under(path, key) || key.startsWith(`${path}.`));
  }
  if (excluded.length > 0) return (path) => !excluded.some((key) => under(path, key));
  return undefined;
}
