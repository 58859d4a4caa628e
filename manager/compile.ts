// Compiles a Q tree into a MongoDB filter for one model's schema. Data flows
// one way: keys are resolved (resolve.ts), values cast by Mongoose's own
// schema types, lookups compiled (lookups.ts); nothing here edits its input.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { FExpression, F_OPERATORS, QNode, RawFilter, toQ, type FilterInput } from './q.js';
import {
  compileLookups,
  lookupRegistryVersion,
  planLookups,
  type LookupPlan,
  type LookupTarget,
  type MongoFilter,
} from './lookups.js';
import { fieldChoices, resolveKey, type ResolvedKey } from './resolve.js';
import { castWith } from './cast.js';
import { isPlainObject } from '../core/values.js';
import { checkNoted, noteRaw, noteValue, startNoting } from './sendable.js';
import './builtin-lookups.js';

/** The schema a filter is compiled against, and its model's name for messages. */
export interface CompileScope {
  readonly schema: Schema;
  readonly modelName: string;
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

const RAW_REFUSED =
  'a "__raw__" key is refused, since filter objects may come from a request; ' +
  'for a raw MongoDB filter, write Raw({ ... }) in code (import { Raw } from "djongoose").';

function compileCondition(scope: CompileScope, prefix: string, key: string, value: unknown): MongoFilter {
  if (key === '__raw__') throw new FieldError(`${scope.modelName}: ${RAW_REFUSED}`);
  const resolved: ResolvedKey = resolveKey(scope.schema, scope.modelName, key);
  const path = prefix + resolved.path;
  const label = resolved.label;
  noteValue(value);

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
  // An empty embedded value names no field: it is compared as it is, `{}`,
  // never read as "no condition", which would match every document.
  const byField = embedded !== undefined && isPlainObject(value) && resolved.lookups[0] !== 'match' && !isEmpty(value);
  if (!prefix && !byField) {
    // The common case, a top-level key: its target and lookup are the key's alone.
    const plan = planFor(resolved);
    return plan.lookup.compile(plan.target, value, plan.next);
  }
  // djongo's form, blog__startswith: { name: 'Beatles' }, and field-by-field
  // matching, blog: { name, tagline }: the outer key's lookup on each inner field.
  if (byField) return compileFields(embedded, label, `${path}.`, value, resolved.lookups);

  const target: LookupTarget = {
    path,
    label,
    schemaType: resolved.schemaType,
    cast: castWith(resolved.schemaType, label),
    within: withinOf(embedded, label),
  };
  return compileLookups(target, resolved.lookups, value);
}

function isEmpty(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

// The field names of each embedded schema, the only keys its values may hold.
const fieldNames = new WeakMap<Schema, ReadonlySet<string>>();

function fieldNamesOf(embedded: Schema): ReadonlySet<string> {
  let names = fieldNames.get(embedded);
  if (!names) fieldNames.set(embedded, (names = new Set(fieldChoices(embedded, '', false))));
  return names;
}

/**
 * An embedded value, `{ name: 'Beatles Blog', tagline }`, matched field by
 * field with the lookups of the outer key (code's), never with lookups,
 * operators or `__raw__` from the value (data's): its keys may only be the
 * embedded schema's field names.
 */
function compileFields(
  embedded: Schema,
  label: string,
  prefix: string,
  value: Record<string, unknown>,
  lookups: readonly string[],
  lookupHint = `${label.split('.').slice(1).join('__')}__<field>__<lookup>`,
): MongoFilter {
  const names = fieldNamesOf(embedded);
  const suffix = lookups.length > 0 ? `__${lookups.join('__')}` : '';
  const inner = { schema: embedded, modelName: label };
  const parts: MongoFilter[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (!names.has(k)) {
      const choices = [...names].join(', ');
      throw new FieldError(
        k === '__raw__'
          ? `${label}: ${RAW_REFUSED}`
          : `${label}: ${JSON.stringify(k)} is not a field of the embedded value; its keys can only be the ` +
              `embedded fields: ${choices}. Lookups are written in code: ${lookupHint}.`,
      );
    }
    parts.push(compileCondition(inner, prefix, `${k}${suffix}`, v));
  }
  return mergeAnd(parts);
}

/**
 * `match`'s value: Q(...) (code) is a nested filter with lookups; a plain
 * object (maybe a request's) matches the embedded fields exactly.
 */
function withinOf(embedded: Schema | undefined, label: string): LookupTarget['within'] {
  if (!embedded) return undefined;
  return (filters: unknown): MongoFilter => {
    if (filters instanceof QNode) return compileNode({ schema: embedded, modelName: label }, '', filters);
    if (!isPlainObject(filters)) {
      throw new FieldError(
        `${label}__match takes an object of the embedded fields' values ({ author: 'bob' }), or Q(...) ` +
          `for lookups (Q({ score__gte: 5 })).`,
      );
    }
    const name = label.split('.').slice(1).join('__');
    if (isEmpty(filters)) throw new FieldError(`${label}__match needs at least one field of the embedded documents.`);
    return compileFields(embedded, label, '', filters, [], `${name}__match: Q({ <field>__<lookup>: … })`);
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
      // An own "__proto__" (in a Raw part) assigned here would set merged's prototype.
      if (Object.hasOwn(merged, key) || key === '$and' || key === '__proto__') return { $and: [...parts] };
      merged[key] = part[key];
    }
  }
  return merged;
}

function compileNode(scope: CompileScope, prefix: string, node: QNode): MongoFilter {
  const parts: MongoFilter[] = [];
  for (const child of node.children) {
    if (child instanceof QNode) parts.push(compileNode(scope, prefix, child));
    else if (child instanceof RawFilter) {
      noteRaw();
      parts.push(child.filter);
    } else parts.push(compileCondition(scope, prefix, child[0], child[1]));
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
  startNoting();
  const filter = compileNode(scope, '', toQ(filters));
  checkNoted(scope.modelName, filter);
  return filter;
}
