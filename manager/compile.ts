// Compiles a Q tree into a MongoDB filter for one model's schema. Data flows
// one way: keys are resolved (resolve.ts), values cast by Mongoose's own
// schema types, lookups compiled (lookups.ts); nothing here edits its input.
import type { Schema, SchemaType } from 'mongoose';
import { FieldError, ValidationError } from '../core/errors.js';
import { FExpression, F_OPERATORS, QNode, toQ, type FilterInput } from './q.js';
import {
  compileLookups,
  lookupRegistryVersion,
  planLookups,
  type LookupPlan,
  type LookupTarget,
  type MongoFilter,
} from './lookups.js';
import { resolveKey, type ResolvedKey } from './resolve.js';
import './builtin-lookups.js';

/** The schema a filter is compiled against, and its model's name for messages. */
export interface CompileScope {
  readonly schema: Schema;
  readonly modelName: string;
}

interface SchemaTypeInternals {
  instance?: string;
  schema?: Schema;
  embeddedSchemaType?: SchemaType & SchemaTypeInternals;
  caster?: SchemaType & SchemaTypeInternals;
}

// Documented (SchemaType#castForQuery) but missing from Mongoose's typings.
interface Castable {
  castForQuery(conditional: string | null, value: unknown): unknown;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return 'an array';
  return `a value of type ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const asIs = (value: unknown): unknown => value;
// One cast function per schema type and label, made once: filters are
// compiled on every query, and the same keys come back again and again.
const casts = new WeakMap<SchemaType, Map<string, (value: unknown) => unknown>>();

function castWith(schemaType: SchemaType | undefined, label: string): (value: unknown) => unknown {
  // Under a Mixed field the label holds the user's key: nothing to cast, nothing to keep.
  if (!schemaType || schemaType.instance === 'Mixed') return asIs;
  let byLabel = casts.get(schemaType);
  if (!byLabel) casts.set(schemaType, (byLabel = new Map()));
  let cast = byLabel.get(label);
  if (!cast) byLabel.set(label, (cast = makeCast(schemaType, label)));
  return cast;
}

function makeCast(schemaType: SchemaType, label: string): (value: unknown) => unknown {
  const st = schemaType as SchemaType & SchemaTypeInternals;
  if (st.instance === 'Mixed') return asIs;
  const caster = st.instance === 'Array' ? (st.embeddedSchemaType ?? st.caster) : st;
  if (!caster || caster.schema || caster.instance === 'Mixed') return asIs;
  return function castValue(value) {
    if (value === null || value === undefined) return value;
    try {
      return (caster as unknown as Castable).castForQuery(null, value);
    } catch (err) {
      throw new ValidationError(
        `${label}: cannot cast ${describe(value)} to ${caster.instance ?? 'the field type'}; give a value of that type.`,
        label,
        { cause: err },
      );
    }
  };
}

/** `$path` or an arithmetic expression, for $expr and pipeline updates. */
export function fieldExpression(scope: CompileScope, f: FExpression): unknown {
  const resolved = resolveKey(scope.schema, scope.modelName, f.field);
  if (resolved.lookups.length > 0) {
    throw new FieldError(
      `F(${JSON.stringify(f.field)}) must name a field, not a lookup (${resolved.lookups.join('__')}).`,
    );
  }
  let expr: unknown = `$${resolved.path}`;
  for (const [op, operand] of f.ops) {
    expr = { [F_OPERATORS[op]]: [expr, operand instanceof FExpression ? fieldExpression(scope, operand) : operand] };
  }
  return expr;
}

const F_COMPARISONS: Record<string, string> = {
  exact: '$eq',
  ne: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
};

function compileCondition(scope: CompileScope, prefix: string, key: string, value: unknown): MongoFilter {
  if (key === '__raw__') {
    if (!isPlainObject(value)) throw new FieldError('__raw__ takes a MongoDB filter object.');
    return value;
  }
  const resolved: ResolvedKey = resolveKey(scope.schema, scope.modelName, key);
  const path = prefix + resolved.path;
  const label = prefix ? `${scope.modelName}.${path}` : resolved.label;

  if (value instanceof FExpression) {
    const op = F_COMPARISONS[resolved.lookups[0] ?? 'exact'];
    if (!op || resolved.lookups.length > 1) {
      throw new FieldError(
        `${label}: F() compares with exact, ne, gt, gte, lt or lte, not ${resolved.lookups.join('__')}.`,
      );
    }
    return { $expr: { [op]: [`$${path}`, fieldExpression(scope, value)] } };
  }

  const embedded = resolved.embedded;
  if (!prefix && !(embedded && isPlainObject(value) && resolved.lookups[0] !== 'match')) {
    // The common case, a top-level key: its target and lookup are the key's alone.
    const plan = planFor(resolved);
    return plan.lookup.compile(plan.target, value, plan.next);
  }
  const within = withinOf(embedded, label);

  // djongo's form, blog__startswith: { name: 'Beatles' }, and field-by-field
  // matching, blog: { name, tagline }: the same lookup on each inner field.
  if (embedded && isPlainObject(value) && resolved.lookups[0] !== 'match') {
    const suffix = resolved.lookups.length > 0 ? `__${resolved.lookups.join('__')}` : '';
    const inner = { schema: embedded, modelName: label };
    const parts = Object.entries(value).map(([k, v]) => compileCondition(inner, `${path}.`, `${k}${suffix}`, v));
    return mergeAnd(parts);
  }

  const target: LookupTarget = {
    path,
    label,
    schemaType: resolved.schemaType,
    cast: castWith(resolved.schemaType, label),
    within,
  };
  return compileLookups(target, resolved.lookups, value);
}

/** Compiles `match`'s nested filters against an embedded schema. */
function withinOf(embedded: Schema | undefined, label: string): LookupTarget['within'] {
  if (!embedded) return undefined;
  return (filters: unknown): MongoFilter => {
    if (!isPlainObject(filters))
      throw new FieldError(`${label}__match takes an object of filters on the embedded fields.`);
    return compileNode({ schema: embedded, modelName: label }, '', toQ(filters));
  };
}

/** What a top-level key compiles with, whatever its value: made once per resolved key. */
interface KeyPlan extends LookupPlan {
  readonly target: LookupTarget;
  /** The lookup registry's version it was planned against. */
  readonly version: number;
}

const plans = new WeakMap<ResolvedKey, KeyPlan>();

function planFor(resolved: ResolvedKey): KeyPlan {
  const version = lookupRegistryVersion();
  const found = plans.get(resolved);
  if (found && found.version === version) return found;
  const embedded = resolved.embedded;
  const label = resolved.label;
  const target: LookupTarget = {
    path: resolved.path,
    label,
    schemaType: resolved.schemaType,
    cast: castWith(resolved.schemaType, label),
    within: withinOf(embedded, label),
  };
  const plan: KeyPlan = { ...planLookups(target, resolved.lookups), target, version };
  plans.set(resolved, plan);
  return plan;
}

/** One object when the keys are disjoint, else `$and`. */
function mergeAnd(parts: readonly MongoFilter[]): MongoFilter {
  const [only] = parts;
  if (only && parts.length === 1) return only;
  const merged: MongoFilter = {};
  for (const part of parts) {
    // for…in over plain filter objects: no array of keys per part.
    for (const key in part) {
      if (!Object.hasOwn(part, key)) continue;
      // An own "__proto__" (from JSON.parse, in a __raw__ part) assigned here would set merged's prototype.
      if (Object.hasOwn(merged, key) || key === '$and' || key === '__proto__') return { $and: [...parts] };
      merged[key] = part[key];
    }
  }
  return merged;
}

function compileNode(scope: CompileScope, prefix: string, node: QNode): MongoFilter {
  const parts: MongoFilter[] = [];
  for (const child of node.children) {
    parts.push(
      child instanceof QNode ? compileNode(scope, prefix, child) : compileCondition(scope, prefix, child[0], child[1]),
    );
  }
  let filter: MongoFilter;
  if (parts.length === 0) filter = {};
  else if (node.connector === 'AND') filter = mergeAnd(parts);
  else filter = parts.length === 1 && parts[0] ? parts[0] : { $or: parts };
  return node.negated ? { $nor: [filter] } : filter;
}

/**
 * Compiles keyword filters or a Q tree into a MongoDB filter for a schema.
 * Throws {@link FieldError} for unknown fields or lookups and
 * {@link ValidationError} for values that do not cast.
 *
 * @example
 * ```ts
 * compileFilter({ schema: entrySchema, modelName: 'Entry' }, { blog__name__startswith: 'Beatles' });
 * // { 'blog.name': /^Beatles/ }
 * ```
 */
export function compileFilter(scope: CompileScope, filters: QNode | FilterInput): MongoFilter {
  return compileNode(scope, '', toQ(filters));
}
