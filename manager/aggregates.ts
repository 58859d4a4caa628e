// Django's aggregates: Sum, Avg, Min, Max and Count, as frozen nodes. Over a
// QuerySet (aggregate) each becomes one $group accumulator; per document
// (annotate) each folds an array of that document, which MongoEngine users
// expect and Django has no form for. This module compiles; QuerySet runs.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { describe } from '../core/values.js';
import { fieldExpression, type CompileScope } from './filter.js';
import { FExpression } from './q.js';
import { resolveKey } from './resolve.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';

/** The functions an {@link AggregateNode} can apply. */
export type AggregateFunction = 'sum' | 'avg' | 'min' | 'max' | 'count';

/**
 * One aggregate: a function and the field it folds. Frozen; made by
 * {@link Sum}, {@link Avg}, {@link Min}, {@link Max} and {@link Count}.
 *
 * @example
 * ```ts
 * Count('blog__name', { distinct: true }); // { kind: 'aggregate', fn: 'count', field: 'blog__name', distinct: true }
 * ```
 */
export interface AggregateNode<
  Fn extends AggregateFunction = AggregateFunction,
  Field extends string | undefined = string | undefined,
> {
  readonly kind: 'aggregate';
  readonly fn: Fn;
  /** The field in filter-key form (`blog__name`, `pk`); undefined for `Count()`. */
  readonly field: Field;
  /** Count distinct values only. Always false except on Count. */
  readonly distinct: boolean;
}

/**
 * `aggregate()`'s argument: output names to aggregates.
 *
 * @example
 * ```ts
 * const spec: AggregateSpec = { total: Sum('views'), n: Count() };
 * ```
 */
export type AggregateSpec = Readonly<Record<string, AggregateNode>>;

/**
 * A per-document value `annotate()` can compute: an F() expression, or an
 * aggregate over an array of the document.
 *
 * @example
 * ```ts
 * const net: Annotation = F('likes').minus(F('views'));
 * ```
 */
export type Annotation = AggregateNode | FExpression;

/**
 * `annotate()`'s argument: new names to expressions.
 *
 * @example
 * ```ts
 * const spec: AnnotationSpec = { n_comments: Count('comments'), best: Max('comments__score') };
 * ```
 */
export type AnnotationSpec = Readonly<Record<string, Annotation>>;

/**
 * A scope for aggregates: the schema, and the names annotate() has added,
 * which aggregate() may fold.
 *
 * @example
 * ```ts
 * compileAggregation({ schema, modelName: 'Entry', annotations: new Set(['points']) }, { total: Sum('points') });
 * ```
 */
export interface AggregateScope extends CompileScope {
  readonly annotations?: ReadonlySet<string>;
}

const NAMES: Record<AggregateFunction, string> = { sum: 'Sum', avg: 'Avg', min: 'Min', max: 'Max', count: 'Count' };
const ACCUMULATORS: Record<Exclude<AggregateFunction, 'count'>, string> = {
  sum: '$sum',
  avg: '$avg',
  min: '$min',
  max: '$max',
};

function node<Fn extends AggregateFunction, F extends string | undefined>(
  fn: Fn,
  field: F,
  distinct = false,
): AggregateNode<Fn, F> {
  if (field !== undefined && (typeof field !== 'string' || field === '')) {
    throw new FieldError(`${NAMES[fn]}() takes a field name in filter-key form, e.g. 'views' or 'blog__name'.`);
  }
  return Object.freeze({ kind: 'aggregate', fn, field, distinct });
}

/**
 * The total of a field: `$sum`. Over no rows it is null, as Django's; over an
 * array (in `annotate`) an empty array gives 0, MongoDB's `$sum`.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ total: Sum('views') }); // { total: 450 }
 * // [{ $match: {} }, { $group: { _id: null, total: { $sum: '$views' } } }]
 * ```
 */
export function Sum<const K extends string>(field: K): AggregateNode<'sum', K> {
  return node('sum', field);
}

/**
 * The mean of a field's numbers: `$avg`. Null over no rows.
 *
 * @example
 * ```ts
 * await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ avg: Avg('rating') }); // { avg: 4.5 }
 * ```
 */
export function Avg<const K extends string>(field: K): AggregateNode<'avg', K> {
  return node('avg', field);
}

/**
 * The smallest value of a field: `$min`. Null over no rows.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ fewest: Min('views') }); // { fewest: 50 }
 * ```
 */
export function Min<const K extends string>(field: K): AggregateNode<'min', K> {
  return node('min', field);
}

/**
 * The largest value of a field: `$max`. Null over no rows.
 *
 * @example
 * ```ts
 * await Entry.objects.annotate({ best: Max('comments__score') }).orderBy('-best'); // per entry, over its comments
 * ```
 */
export function Max<const K extends string>(field: K): AggregateNode<'max', K> {
  return node('max', field);
}

/**
 * How many: `Count()`, `Count('id')` and `Count('pk')` count documents;
 * `Count(field)` counts documents where the field is not null, as SQL's
 * COUNT(field); `{ distinct: true }` counts distinct non-null values. In
 * `annotate`, it counts the elements of an array of the document.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ n: Count(), blogs: Count('blog__name', { distinct: true }) }); // { n: 3, blogs: 2 }
 * await Entry.objects.annotate({ n_comments: Count('comments') }).orderBy('-n_comments');
 * ```
 */
export function Count<const K extends string | undefined = undefined>(
  field?: K,
  options: { readonly distinct?: boolean } = {},
): AggregateNode<'count', K> {
  return node('count', field as K, options.distinct === true);
}

/**
 * Whether a value is an aggregate node.
 *
 * @example
 * ```ts
 * isAggregate(Sum('views')); // true
 * isAggregate(F('views')); // false
 * ```
 */
export function isAggregate(value: unknown): value is AggregateNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'aggregate';
}

function label(agg: AggregateNode): string {
  const args = agg.field === undefined ? '' : JSON.stringify(agg.field);
  return `${NAMES[agg.fn]}(${args}${agg.distinct ? ', { distinct: true }' : ''})`;
}

/** An F() as written; anything else as every message describes a value. */
function describeOperand(value: unknown): string {
  return value instanceof FExpression ? `F(${JSON.stringify(value.field)})` : describe(value);
}

// The rules MongoDB puts on output names ($group and $addFields keys).
function checkName(name: string, where: 'aggregate' | 'annotate'): void {
  const problem =
    name === ''
      ? 'is empty'
      : name.startsWith('$')
        ? 'starts with "$"'
        : name.includes('.')
          ? 'contains "."'
          : where === 'aggregate' && name === '_id'
            ? 'is the group key "_id"'
            : where === 'annotate' && name.startsWith('_')
              ? 'starts with "_", which documents keep for their own fields'
              : where === 'annotate' && name.includes('__')
                ? 'contains "__", which orderBy and values read as a path'
                : undefined;
  if (problem) throw new FieldError(`${where}() name ${JSON.stringify(name)} ${problem}; choose another name.`);
}

/** Whether a dotted path goes through an array of the schema (`comments.score`, `tags`). */
function throughArray(schema: Schema, path: string): boolean {
  return fieldsAlong(shapeOf(schema), path).some((f) => f.kind === 'scalarArray' || f.kind === 'embeddedArray');
}

interface Target {
  readonly path: string;
  readonly isPrimaryKey: boolean;
  readonly isArray: boolean;
}

function target(scope: AggregateScope, agg: AggregateNode, field: string): Target {
  if (scope.annotations?.has(field)) return { path: field, isPrimaryKey: false, isArray: false };
  const resolved = resolveKey(scope.schema, scope.modelName, field);
  if (resolved.lookups.length > 0) {
    throw new FieldError(`${label(agg)} must name a field, not a lookup (${resolved.lookups.join('__')}).`);
  }
  return {
    path: resolved.path,
    isPrimaryKey: resolved.path === '_id' || resolved.path === shapeOf(scope.schema).primaryKey,
    isArray: throughArray(scope.schema, resolved.path),
  };
}

function accumulator(scope: AggregateScope, agg: AggregateNode): unknown {
  if (agg.field === undefined) {
    if (agg.fn !== 'count') throw new FieldError(`${NAMES[agg.fn]}() needs a field.`);
    return { $sum: 1 };
  }
  const t = target(scope, agg, agg.field);
  if (t.isArray) {
    throw new FieldError(
      `${label(agg)} in aggregate() folds one value per document, but ${scope.modelName}.${t.path} is an array. ` +
        `Fold each array first: annotate({ x: ${label(agg)} }).aggregate({ total: Sum('x') }).`,
    );
  }
  const path = `$${t.path}`;
  if (agg.fn !== 'count') return { [ACCUMULATORS[agg.fn]]: path };
  // The primary key is never null, so counting it is counting documents.
  // `$sum: 1` rather than `$count`, which MongoDB 5 added and mongo-java-server lacks.
  if (t.isPrimaryKey) return { $sum: 1 };
  if (agg.distinct) return { $addToSet: path };
  // COUNT(field) skips nulls; in BSON order null and missing sort below every value.
  return { $sum: { $cond: [{ $gt: [path, null] }, 1, 0] } };
}

/**
 * The stages after `$match` that compute `aggregate(spec)` in one document:
 * a `$group` with `_id: null`, and for distinct counts a `$project` that
 * sizes each set (without null, as SQL's COUNT(DISTINCT)).
 *
 * @example
 * ```ts
 * compileAggregation(scope, { total: Sum('views'), n: Count() });
 * // [{ $group: { _id: null, total: { $sum: '$views' }, n: { $sum: 1 } } }]
 * ```
 */
export function compileAggregation(scope: AggregateScope, spec: AggregateSpec): Record<string, unknown>[] {
  const group: Record<string, unknown> = { _id: null };
  const sets = new Set<string>();
  for (const [name, agg] of Object.entries(spec)) {
    checkName(name, 'aggregate');
    if (!isAggregate(agg)) {
      throw new FieldError(
        `aggregate() takes Sum, Avg, Min, Max or Count; ${JSON.stringify(name)} is ${describeOperand(agg)}.`,
      );
    }
    const acc = accumulator(scope, agg);
    group[name] = acc;
    if ((acc as { $addToSet?: unknown }).$addToSet !== undefined) sets.add(name);
  }
  if (sets.size === 0) return [{ $group: group }];
  const project = Object.fromEntries(
    Object.keys(spec).map((name) => [name, sets.has(name) ? { $size: { $setDifference: [`$${name}`, [null]] } } : 1]),
  );
  return [{ $group: group }, { $project: { _id: 0, ...project } }];
}

function annotation(scope: CompileScope, name: string, expr: unknown): unknown {
  if (expr instanceof FExpression) return fieldExpression(scope, expr);
  if (!isAggregate(expr)) {
    throw new FieldError(
      `annotate() takes F() expressions or Sum, Avg, Min, Max or Count over an array; ` +
        `${JSON.stringify(name)} is ${describeOperand(expr)}.`,
    );
  }
  if (expr.field === undefined) {
    throw new FieldError(`${label(expr)} in annotate() needs the array to count, e.g. Count('comments').`);
  }
  const t = target(scope, expr, expr.field);
  if (!t.isArray) {
    throw new FieldError(
      `${label(expr)} in annotate() folds an array of each document, but ${scope.modelName}.${t.path} is not ` +
        `an array. To fold over documents, use aggregate().`,
    );
  }
  const path = `$${t.path}`;
  if (expr.fn !== 'count') return { [ACCUMULATORS[expr.fn]]: path };
  // $size refuses a missing array; a document without one has none.
  const array = { $ifNull: [path, []] };
  return { $size: expr.distinct ? { $setUnion: [array] } : array };
}

/**
 * The `$addFields` stage body for `annotate(spec)`: F() expressions, and
 * aggregates over an array of the same document (`$size` for Count, `$sum`,
 * `$avg`, `$min`, `$max` of the array's values).
 *
 * @example
 * ```ts
 * compileAnnotations(scope, { net: F('likes').minus(F('views')), n_comments: Count('comments') });
 * // { net: { $subtract: ['$likes', '$views'] }, n_comments: { $size: { $ifNull: ['$comments', []] } } }
 * ```
 */
export function compileAnnotations(scope: CompileScope, spec: AnnotationSpec): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(spec).map(([name, expr]) => {
      checkName(name, 'annotate');
      return [name, annotation(scope, name, expr)];
    }),
  );
}
