// F on the right of a lookup, parsed: `likes__gt: F('views')`,
// `headline__icontains: F('blog__name')`, and F among the values of `in` and
// `range` lists (`rating__in: [1, F('likes')]`). Comparisons and text lookups
// become compare nodes, compiled into `$expr` (compare-expr.ts). In a list the
// plain values keep their ordinary condition (cast by the field, able to use
// an index) and each F adds an `$expr` one beside it.
import { FieldError } from '../core/errors.js';
import { FExpression } from './q.js';
import { resolveKey, type ResolvedKey } from './resolve.js';
import { CompareNode, GroupNode, type FieldNode, type FilterNode } from './nodes.js';
import { TEXT_OPERATORS, type TextOperator } from './compare-expr.js';
import type { Schema } from 'mongoose';

/** The schema keys resolve against, and its model's name: parse.ts's CompileScope (imported there, not here, so that no loop forms). */
interface CompileScope {
  readonly schema: Schema;
  readonly modelName: string;
}

const COMPARISONS: Readonly<Record<string, string>> = {
  exact: '$eq',
  ne: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
};

const ACCEPTED =
  'F() compares with exact, ne, gt, gte, lt, lte, the text lookups (iexact, contains, icontains, startswith, ' +
  'istartswith, endswith, iendswith) on a String field, or stands inside the list of in and range';

/** What the caller parses a plain value with: the key's field under another lookup (`in`, `gte`, `lte`). */
export type PlainCondition = (lookup: string, value: unknown) => FilterNode;

/** Resolves an F to a field node (parse.ts's parseExpression). */
export type ParseExpression = (scope: CompileScope, f: FExpression) => FieldNode;

function isTextOperator(name: string): name is TextOperator {
  return (TEXT_OPERATORS as readonly string[]).includes(name);
}

/** A text lookup compares text with text: both fields must be String fields, the F without arithmetic. */
function checkText(scope: CompileScope, resolved: ResolvedKey, lookup: string, f: FExpression): void {
  const right = resolveKey(scope.schema, scope.modelName, f.field);
  const left = resolved.schemaType?.instance;
  if (left !== 'String' || right.schemaType?.instance !== 'String' || f.ops.length > 0) {
    throw new FieldError(
      `${resolved.label}__${lookup}: F() on the right of a text lookup compares two String fields, as they are ` +
        `(no arithmetic); ${resolved.label} is ${left ?? 'no field'} and ${right.label} is ` +
        `${right.schemaType?.instance ?? 'no field'}${f.ops.length > 0 ? ' with arithmetic' : ''}.`,
    );
  }
}

function compare(
  scope: CompileScope,
  prefix: string,
  resolved: ResolvedKey,
  lookup: string,
  f: FExpression,
  parse: ParseExpression,
): FilterNode {
  const path = prefix + resolved.path;
  const operator = COMPARISONS[lookup];
  if (operator) return CompareNode.create(path, operator, parse(scope, f));
  if (isTextOperator(lookup)) {
    checkText(scope, resolved, lookup, f);
    return CompareNode.create(path, lookup, parse(scope, f));
  }
  throw new FieldError(`${resolved.label}: ${ACCEPTED}; not ${lookup}.`);
}

function listOf(resolved: ResolvedKey, lookup: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) {
    throw new FieldError(`${resolved.label}__${lookup} needs a list of values, e.g. [1, F('likes')].`);
  }
  return value as unknown[];
}

/**
 * The condition a key with F in its value makes, or undefined when its value
 * holds no F (then it is an ordinary condition). Throws {@link FieldError}
 * for F after a lookup that cannot take it.
 *
 * @example
 * ```ts
 * parseFCondition(scope, '', resolveKey(entrySchema, 'Entry', 'rating__in'), [3, F('likes')], plain, parseExpression);
 * // OR of { rating: { $in: [3] } } and { $expr: { $eq: ['$rating', '$likes'] } }
 * ```
 */
export function parseFCondition(
  scope: CompileScope,
  prefix: string,
  resolved: ResolvedKey,
  value: unknown,
  plain: PlainCondition,
  parse: ParseExpression,
): FilterNode | undefined {
  const [lookup = 'exact', ...more] = resolved.lookups;
  if (value instanceof FExpression) {
    if (more.length > 0) throw new FieldError(`${resolved.label}: ${ACCEPTED}; not ${resolved.lookups.join('__')}.`);
    return compare(scope, prefix, resolved, lookup, value, parse);
  }
  if ((lookup !== 'in' && lookup !== 'range') || more.length > 0) return undefined;
  if (!Array.isArray(value) || !value.some((v) => v instanceof FExpression)) return undefined;
  const values = listOf(resolved, lookup, value);
  if (lookup === 'range') {
    if (values.length !== 2) throw new FieldError(`${resolved.label}__range needs [low, high], two values.`);
    const bound = (v: unknown, name: 'gte' | 'lte') =>
      v instanceof FExpression ? compare(scope, prefix, resolved, name, v, parse) : plain(name, v);
    return GroupNode.create('AND', false, [bound(values[0], 'gte'), bound(values[1], 'lte')]);
  }
  const constants = values.filter((v) => !(v instanceof FExpression));
  const fs = values.filter((v): v is FExpression => v instanceof FExpression);
  const parts = fs.map((f) => compare(scope, prefix, resolved, 'exact', f, parse));
  return GroupNode.create('OR', false, constants.length > 0 ? [plain('in', constants), ...parts] : parts);
}
