// Compiles parsed filter nodes (nodes.ts) into a MongoDB filter: an
// exhaustive switch over the node kinds. Keys were resolved by the parser;
// here values are cast by Mongoose's own schema types and lookups compiled
// (lookups.ts). Nothing here edits its input or reads the schema's keys.
import { FieldError } from '../core/errors.js';
import { stepExpression } from './f-compile.js';
import type { LookupTarget, MongoFilter } from './lookups.js';
import { compareExpression } from './compare-expr.js';
import { checkNoted, noteRaw, noteValue, startNoting } from './sendable.js';
import { FieldNode, GroupNode, type ConditionNode, type FilterNode } from './nodes.js';
import { compileRelation } from './relations-compile.js';

export type { CompileScope } from './parse.js';

/**
 * `$path`, or the arithmetic on it, for $expr and pipeline updates.
 *
 * @example
 * ```ts
 * compileExpression(parseExpression(scope, F('views').plus(1))); // { $add: ['$views', 1] }
 * ```
 */
export function compileExpression(node: FieldNode): unknown {
  let expr: unknown = `$${node.path}`;
  for (const [op, operand, constantFirst, integer] of node.ops) {
    const other = FieldNode.is(operand) ? compileExpression(operand) : operand;
    expr = constantFirst ? stepExpression(op, other, expr, integer) : stepExpression(op, expr, other, integer);
  }
  return expr;
}

/**
 * What the `match` lookup compiles its value with: the value parsed with the
 * condition (a Q or an object of the embedded fields). Only that value: any
 * other would have to be parsed, and its keys checked, here.
 */
function withinFor(node: ConditionNode): LookupTarget['within'] {
  return (filters: unknown): MongoFilter => {
    if (node.inner && filters === node.value) return compileGroup(node.inner);
    throw new FieldError(
      `${node.key.label}: an embedded filter is compiled from the value of ${node.key.label}__match only.`,
    );
  };
}

function compileCondition(node: ConditionNode): MongoFilter {
  noteValue(node.value);
  const target = node.key.embedded ? { ...node.target, within: withinFor(node) } : node.target;
  return node.plan.lookup.compile(target, node.value, node.plan.next);
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

// A group with no conditions under it is no condition, negated or not, as
// Django's empty Q (falsy: add_q and _combine never add it): `exclude()` and
// `Q(a).or(Q().not())` leave the query as it was.
function isVacuous(node: FilterNode): boolean {
  return GroupNode.is(node) && node.children.every(isVacuous);
}

function compileGroup(node: GroupNode): MongoFilter {
  const parts = node.children.filter((child) => !isVacuous(child)).map(compileNode);
  if (parts.length === 0) return {};
  let filter: MongoFilter;
  if (node.connector === 'AND') filter = mergeAnd(parts);
  else filter = parts.length === 1 && parts[0] ? parts[0] : { $or: parts };
  return node.negated ? { $nor: [filter] } : filter;
}

// A new kind of node that the switch below misses fails to compile here.
function unreachable(node: never): never {
  throw new Error(`No compilation for the filter node ${JSON.stringify(node)}.`);
}

function compileNode(node: FilterNode): MongoFilter {
  switch (node.kind) {
    case 'condition':
      return compileCondition(node);
    case 'compare':
      return { $expr: compareExpression(node, compileExpression(node.expression)) };
    case 'expression':
      // Where the condition is true, as SQL's WHERE: null and false are out.
      return { $expr: { $eq: [compileExpression(node.expression), true] } };
    case 'raw':
      noteRaw();
      return node.filter;
    case 'relation':
      return compileRelation(node, compileGroup);
    case 'group':
      return compileGroup(node);
    default:
      return unreachable(node);
  }
}

/**
 * Compiles a parsed filter into a MongoDB filter. Throws
 * {@link ValidationError} for values that do not cast or that BSON cannot
 * carry, naming `label` (the model's name).
 *
 * @example
 * ```ts
 * compileWhere(parseFilter(scope, [{ blog__name__startswith: 'Beatles' }]), 'Entry');
 * // { 'blog.name': /^Beatles/ }
 * ```
 */
export function compileWhere(where: GroupNode, label: string): MongoFilter {
  startNoting();
  const filter = compileGroup(where);
  checkNoted(label, filter);
  return filter;
}
