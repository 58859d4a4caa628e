// What ENFORCE_SCHEMA checks in a stored document, worked out once per
// schema: the fields a document should have, at every depth, and the keys it
// may have. Reads then walk this plan against the raw document; nothing here
// walks the Mongoose schema per document.
import type { Schema, SchemaType } from 'mongoose';

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

interface Node {
  type: SchemaType | undefined;
  children: Map<string, Node>;
}

const plans = new WeakMap<object, Plan>();

/**
 * The plan of a schema, built on first use and cached per schema object.
 *
 * @example
 * ```ts
 * const plan = planOf(new Schema({ name: String, blog: new Schema({ tagline: String }) }));
 * plan.fields.map((f) => f.key); // ['name', 'blog']
 * ```
 */
export function planOf(schema: object): Plan {
  // `object`: a Schema of any document type (Schema<never> is not a Schema<any>).
  let plan = plans.get(schema);
  if (!plan) plans.set(schema, (plan = build(schema as Schema, '')));
  return plan;
}

function embeddedSchema(type: SchemaType): { schema: Schema; array: boolean } | undefined {
  const t = type as SchemaType & {
    $isSingleNested?: boolean;
    $isMongooseDocumentArray?: boolean;
    schema?: Schema;
  };
  if (t.schema && t.$isSingleNested) return { schema: t.schema, array: false };
  if (t.schema && t.$isMongooseDocumentArray) return { schema: t.schema, array: true };
  return undefined;
}

function build(schema: Schema, prefix: string): Plan {
  // Dotted paths of nested objects (`{ blog: { name: String } }` gives
  // `blog.name`) become a tree, so `blog` is checked as an object of its own.
  const root: Node = { type: undefined, children: new Map() };
  for (const [pathname, type] of Object.entries(schema.paths)) {
    let node = root;
    for (const part of pathname.split('.')) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { type: undefined, children: new Map() }));
      node = next;
    }
    node.type = type;
  }
  const versionKey = schema.get('versionKey');
  const bookkeeping = new Set<string>(['_id']);
  if (typeof versionKey === 'string') bookkeeping.add(versionKey);
  const discriminatorKey = schema.get('discriminatorKey');
  if (typeof discriminatorKey === 'string') bookkeeping.add(discriminatorKey);
  return fromNode(root, prefix, bookkeeping);
}

function fromNode(node: Node, prefix: string, rootBookkeeping: ReadonlySet<string> | undefined): Plan {
  const fields: FieldPlan[] = [];
  const known = new Set<string>(rootBookkeeping ?? []);
  for (const [key, child] of node.children) {
    known.add(key);
    if (rootBookkeeping?.has(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const type = child.type;
    if (!type) {
      fields.push({
        key,
        type: undefined,
        path,
        fillHydrated: true,
        child: fromNode(child, path, undefined),
        array: false,
        nested: true,
      });
      continue;
    }
    const embedded = embeddedSchema(type);
    const hasDefault = (type as SchemaType & { defaultValue?: unknown }).defaultValue !== undefined;
    fields.push({
      key,
      type,
      path,
      fillHydrated: !hasDefault,
      child: embedded ? build(embedded.schema, path) : undefined,
      array: embedded?.array ?? false,
      nested: false,
    });
  }
  return Object.freeze({ fields: Object.freeze(fields), known });
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
