// The parse stage: a filter's keys are resolved against the schema once, when
// filter(), exclude() or get() is called, into frozen nodes (nodes.ts). An
// unknown field or lookup is a FieldError then, not when the QuerySet is
// awaited. Values are left as they are: casting them is the compiler's.
// Q stays model-free; its keys are resolved here, when it meets a model.
import type { Connection, Schema } from 'mongoose';
import { FieldError, RelationError } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';
import { FExpression, QNode, RawFilter, toQ, type FilterArgument } from './q.js';
import { fieldChoices, resolveKey, type ResolvedKey } from './resolve.js';
import { lookupRegistryVersion, planLookups, type LookupPlan, type LookupTarget } from './lookups.js';
import { castWith } from './cast.js';
import { parseFCondition, type PlainCondition } from './parse-f.js';
import { ConditionNode, ExpressionNode, FieldNode, GroupNode, RawNode, type FilterNode } from './nodes.js';
import { inferKind, integerSteps } from './f-types.js';
import { mergeRelations, parseRelation, resolveNoCrossing } from './relations-parse.js';
import { fieldOverLookup } from './relations-model.js';
import { holdsF, ownModel, parseJoined } from './relations-filter-join.js';
import './builtin-lookups.js';
import './numeric-lookups.js';
import './text-form-lookups.js';

/** The schema keys are resolved against, and its model's name for messages. */
export interface CompileScope {
  readonly schema: Schema;
  readonly modelName: string;
  /** Where the models that references name are found; without it, no filter crosses a reference. */
  readonly connection?: Connection | undefined;
  /** Resolves a key that names an annotation (annotations-scope.ts); undefined for the schema's keys. */
  readonly annotation?: (key: string) => ResolvedKey | undefined;
}

/** A key resolved as an annotation of the scope, else against its schema. */
function resolveIn(scope: CompileScope, key: string): ResolvedKey {
  return scope.annotation?.(key) ?? resolveKey(scope.schema, scope.modelName, key);
}

const RAW_REFUSED =
  'a "__raw__" key is refused, since filter objects may come from a request; ' +
  'for a raw MongoDB filter, write Raw({ ... }) in code (import { Raw } from "djongoose").';

/** A field's resolution for an F: a field (or an annotation), never a lookup, and not across a reference. */
function resolveField(scope: CompileScope, field: string): ResolvedKey {
  const resolved = scope.annotation?.(field) ?? resolveNoCrossing(scope, field);
  if (resolved.lookups.length > 0) {
    throw new FieldError(
      `F(${JSON.stringify(field)}) must name a field, not a lookup (${resolved.lookups.join('__')}).`,
    );
  }
  return resolved;
}

function toFieldNode(scope: CompileScope, f: FExpression): FieldNode {
  // Which divisions divide integers, from the fields' shapes: only the F's own
  // steps; an operand F's are its own node's.
  const integers = f.ops.length > 0 ? integerSteps(f, (field) => resolveField(scope, field).field) : [];
  return FieldNode.create(
    resolveField(scope, f.field).path,
    f.ops.map(([op, operand, first], i) => {
      const parsed = operand instanceof FExpression ? toFieldNode(scope, operand) : operand;
      const integer = integers[i];
      if (integer !== undefined) return [op, parsed, first ?? false, integer];
      return first ? [op, parsed, true] : [op, parsed];
    }),
  );
}

/**
 * `F('views').plus(1)` resolved: the field's path and the operands, which may
 * be F's themselves. An F must name a field, not a lookup, and its steps
 * must combine the fields' types (f-types.ts), else {@link FieldError}.
 */
export function parseExpression(scope: CompileScope, f: FExpression): FieldNode {
  return toFieldNode(scope, f);
}

/**
 * A Boolean F as a whole condition, Django's `filter(~F('active'))`; any
 * other F is a {@link FieldError}, as Django's "Cannot filter against a
 * non-conditional expression".
 */
function parseConditional(scope: CompileScope, f: FExpression): FilterNode {
  const kind = inferKind(f, (field) => resolveField(scope, field).field);
  if (kind !== 'boolean' && kind !== 'unknown') {
    throw new FieldError(
      `Cannot filter against a non-conditional expression: F(${JSON.stringify(f.field)}) gives a ${kind} value; ` +
        "a filter takes keyword conditions, Q(...), Raw(...) or a Boolean F (F('active'), F('active').not()).",
    );
  }
  return ExpressionNode.create(toFieldNode(scope, f));
}

/** A top-level key's target and lookup plan, whatever its value: made once per resolved key. */
interface KeyPlan {
  readonly target: LookupTarget;
  readonly plan: LookupPlan;
  /** The lookup registry's version it was planned against. */
  readonly version: number;
}

const plans = new WeakMap<ResolvedKey, KeyPlan>();

function planKey(resolved: ResolvedKey, prefix: string): KeyPlan {
  const version = lookupRegistryVersion();
  if (!prefix) {
    const found = plans.get(resolved);
    if (found && found.version === version) return found;
  }
  const target: LookupTarget = {
    path: prefix + resolved.path,
    label: resolved.label,
    schemaType: resolved.schemaType,
    cast: castWith(resolved.schemaType, resolved.label),
    within: undefined,
  };
  const planned: KeyPlan = { target, plan: planLookups(target, resolved.lookups), version };
  if (!prefix) plans.set(resolved, planned);
  return planned;
}

/** The key's field under another lookup, for the plain values beside an F (parse-f.ts). */
function plainCondition(resolved: ResolvedKey, prefix: string): PlainCondition {
  return (lookup, value) => {
    const key: ResolvedKey = Object.freeze({ ...resolved, lookups: Object.freeze([lookup]) });
    const { target, plan } = planKey(key, prefix);
    return ConditionNode.create(key, target, plan, value);
  };
}

function isEmpty(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/**
 * `key: value` when a key or an F of it crosses a reference and the value
 * holds an F: the condition read through joins (relations-filter-join.ts),
 * for a model's own top-level filter; the error as it was elsewhere.
 */
function joinedOr(scope: CompileScope, prefix: string, key: string, value: unknown, err: RelationError): FilterNode {
  const model = prefix === '' && holdsF(value) ? ownModel(scope) : undefined;
  if (model === undefined) return parseRelation(scope, prefix, err, value, parseFilter);
  return parseJoined(scope, model, key, value, parseFilter);
}

function parseCondition(scope: CompileScope, prefix: string, key: string, value: unknown): FilterNode {
  if (key === '__raw__') throw new FieldError(`${scope.modelName}: ${RAW_REFUSED}`);
  let resolved: ResolvedKey;
  try {
    resolved = resolveIn(scope, key);
  } catch (err) {
    // `author__name`: a filter on the referenced documents (relations-parse.ts).
    if (err instanceof RelationError) return joinedOr(scope, prefix, key, value, err);
    throw err;
  }
  // `season__gt` where Season has a field `gt`: the field, as in Django.
  const collision = prefix === '' ? fieldOverLookup(scope.connection, scope.modelName, resolved) : undefined;
  if (collision) return joinedOr(scope, prefix, key, value, collision);
  const label = resolved.label;

  let withF: FilterNode | undefined;
  try {
    withF = parseFCondition(scope, prefix, resolved, value, plainCondition(resolved, prefix), parseExpression);
  } catch (err) {
    // `num_employees__gt: F('ceo__salary')`.
    if (!(err instanceof RelationError)) throw err;
    const model = prefix === '' ? ownModel(scope) : undefined;
    if (model === undefined) throw err;
    return parseJoined(scope, model, key, value, parseFilter);
  }
  if (withF) return withF;

  const embedded = resolved.embedded;
  const first = resolved.lookups[0];
  // djongo's form, blog__startswith: { name: 'Beatles' }, and field-by-field
  // matching, blog: { name, tagline }: the outer key's lookup on each inner
  // field. An empty embedded value names no field: it is compared as it is,
  // `{}`, never read as "no condition", which would match every document.
  if (embedded !== undefined && isPlainObject(value) && first !== 'match' && !isEmpty(value)) {
    return parseFields(embedded, label, `${prefix}${resolved.path}.`, value, resolved.lookups);
  }
  const { target, plan } = planKey(resolved, prefix);
  const inner = embedded !== undefined && first === 'match' ? parseMatch(embedded, label, value) : undefined;
  return ConditionNode.create(resolved, target, plan, value, inner);
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
function parseFields(
  embedded: Schema,
  label: string,
  prefix: string,
  value: Record<string, unknown>,
  lookups: readonly string[],
  lookupHint = `${label.split('.').slice(1).join('__')}__<field>__<lookup>`,
): GroupNode {
  const names = fieldNamesOf(embedded);
  const suffix = lookups.length > 0 ? `__${lookups.join('__')}` : '';
  const inner = { schema: embedded, modelName: label };
  const parts: FilterNode[] = [];
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
    parts.push(parseCondition(inner, prefix, `${k}${suffix}`, v));
  }
  return GroupNode.create('AND', false, parts);
}

/**
 * `match`'s value: Q(...) (code) is a nested filter with lookups; a plain
 * object (maybe a request's) matches the embedded fields exactly.
 */
function parseMatch(embedded: Schema, label: string, value: unknown): GroupNode {
  if (value instanceof QNode) return parseQ({ schema: embedded, modelName: label }, value);
  if (!isPlainObject(value)) {
    throw new FieldError(
      `${label}__match takes an object of the embedded fields' values ({ author: 'bob' }), or Q(...) ` +
        `for lookups (Q({ score__gte: 5 })).`,
    );
  }
  const name = label.split('.').slice(1).join('__');
  if (isEmpty(value)) throw new FieldError(`${label}__match needs at least one field of the embedded documents.`);
  return parseFields(embedded, label, '', value, [], `${name}__match: Q({ <field>__<lookup>: … })`);
}

function parseQ(scope: CompileScope, q: QNode): GroupNode {
  const children: FilterNode[] = [];
  for (const child of q.children) {
    if (child instanceof QNode) children.push(parseQ(scope, child));
    else if (child instanceof RawFilter) children.push(RawNode.create(child.filter));
    else if (child instanceof FExpression) children.push(parseConditional(scope, child));
    else children.push(parseCondition(scope, '', child[0], child[1]));
  }
  return GroupNode.create(q.connector, q.negated, q.connector === 'AND' ? mergeRelations(children) : children);
}

/**
 * Keyword filters and Q objects, taken together (AND) as filter() takes
 * them, resolved against the schema. Throws {@link FieldError} for an unknown
 * field or lookup, or an input that is not a filter.
 *
 * @example
 * ```ts
 * const where = parseFilter({ schema: entrySchema, modelName: 'Entry' }, [{ blog__name__startswith: 'Beatles' }]);
 * where.children[0]?.kind; // 'condition'
 * ```
 */
export function parseFilter(scope: CompileScope, filters: readonly FilterArgument[]): GroupNode {
  const [only] = filters;
  // One object of keyword filters is the common case: its conditions, with no Q made for them.
  if (filters.length === 1 && isPlainObject(only)) {
    const children = mergeRelations(Object.entries(only).map(([key, value]) => parseCondition(scope, '', key, value)));
    return children.length === 0 ? GroupNode.everything : GroupNode.create('AND', false, children);
  }
  const q = filters.length === 1 && only !== undefined ? toQ(only) : new QNode('AND', false, []).and(...filters);
  return q.children.length === 0 && !q.negated ? GroupNode.everything : parseQ(scope, q);
}
