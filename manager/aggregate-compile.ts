// Aggregates over documents: each becomes $group accumulators, with a
// $project after the group for what one accumulator cannot give (a distinct
// count, a mean over every element of arrays). aggregate() groups all the
// matches into one row; values(...).annotate() groups by the values.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { resolveKey } from './resolve.js';
import { joinedField, joinStages, type Join, type JoinMode } from './relations-join.js';
import {
  checkName,
  describeOperand,
  isAggregate,
  label,
  type AggregateNode,
  type AggregateScope,
  type AggregateSpec,
} from './aggregates.js';

/** Whether a dotted path goes through an array of the schema (`comments.score`, `tags`). */
function throughArray(schema: Schema, path: string): boolean {
  return fieldsAlong(shapeOf(schema), path).some((f) => f.kind === 'scalarArray' || f.kind === 'embeddedArray');
}

/** What an aggregate folds: a path, whether it is the primary key or goes through an array, and the joins it reads through. */
export interface Target {
  readonly path: string;
  readonly isPrimaryKey: boolean;
  readonly isArray: boolean;
  readonly joins: readonly Join[];
}

const NO_JOINS: readonly Join[] = Object.freeze([]);

/**
 * The field an aggregate names, resolved: an annotation's name stands for
 * itself; a field across references (`authors__age`) is read through joins,
 * `rows` (one row per referenced document, for aggregate() and groups) or
 * `document` (their values as an array, for annotate()). A lookup is a {@link FieldError}.
 *
 * @example
 * ```ts
 * aggregateTarget(scope, Sum('comments__score'), 'comments__score'); // { path: 'comments.score', isPrimaryKey: false, isArray: true, joins: [] }
 * aggregateTarget(scope, Avg('authors__age'), 'authors__age', 'document'); // { path: '_join_authors.age', isArray: true, joins: [authors] }
 * ```
 */
export function aggregateTarget(
  scope: AggregateScope,
  agg: AggregateNode,
  field: string,
  mode: JoinMode = 'rows',
): Target {
  if (scope.annotations?.has(field)) return { path: field, isPrimaryKey: false, isArray: false, joins: NO_JOINS };
  const joined = joinedField(scope, field, mode, label(agg));
  if (joined) return { path: joined.path, isPrimaryKey: false, isArray: joined.isArray, joins: joined.joins };
  const resolved = resolveKey(scope.schema, scope.modelName, field);
  if (resolved.lookups.length > 0) {
    throw new FieldError(`${label(agg)} must name a field, not a lookup (${resolved.lookups.join('__')}).`);
  }
  return {
    path: resolved.path,
    isPrimaryKey: resolved.path === '_id' || resolved.path === shapeOf(scope.schema).primaryKey,
    isArray: throughArray(scope.schema, resolved.path),
    joins: NO_JOINS,
  };
}

/** One aggregate's $group fields (its name, and helpers), and its value after the group when it needs one. */
interface Accumulated {
  readonly group: Readonly<Record<string, unknown>>;
  readonly finish?: unknown;
}

const EMPTY: unknown[] = [];

// Over arrays, MongoEngine's sum('tags')/average('tags') fold every element
// of every document: each document's array is folded first ($sum, $min,
// $max and $size of an array), then the documents. A mean is a total over a
// count of elements, since a mean of the means would weigh documents, not
// elements. `helper` names a $group field that is no output name.
function overArrays(agg: AggregateNode, name: string, path: string, helper: string): Accumulated {
  const array = { $ifNull: [path, EMPTY] };
  switch (agg.fn) {
    case 'sum':
      // Matches whose arrays are all empty sum to 0, as MongoEngine's sum().
      return { group: { [name]: { $sum: { $sum: path } } } };
    case 'min':
    case 'max':
      return { group: { [name]: { [`$${agg.fn}`]: { [`$${agg.fn}`]: path } } } };
    case 'avg':
      return {
        group: { [name]: { $sum: { $sum: path } }, [helper]: { $sum: { $size: array } } },
        finish: { $cond: [{ $eq: [`$${helper}`, 0] }, null, { $divide: [`$${name}`, `$${helper}`] }] },
      };
    case 'count':
      if (!agg.distinct) return { group: { [name]: { $sum: { $size: array } } } };
      return {
        group: { [name]: { $addToSet: array } },
        finish: {
          $size: {
            $setDifference: [
              { $reduce: { input: `$${name}`, initialValue: EMPTY, in: { $setUnion: ['$$value', '$$this'] } } },
              [null],
            ],
          },
        },
      };
  }
}

/**
 * The $group fields of one aggregate named `name` over its resolved target
 * (undefined for `Count()`), and, when one accumulator cannot give its
 * value, the expression that gives it after the group. `helper` is a $group
 * field name free for it to use.
 *
 * @example
 * ```ts
 * accumulate('total', Sum('views'), { path: 'views', … }, '__total'); // { group: { total: { $sum: '$views' } } }
 * ```
 */
export function accumulate(name: string, agg: AggregateNode, t: Target | undefined, helper: string): Accumulated {
  if (t === undefined) {
    if (agg.fn !== 'count') throw new FieldError(`${label(agg)} needs a field.`);
    return { group: { [name]: { $sum: 1 } } };
  }
  const path = `$${t.path}`;
  if (t.isArray) return overArrays(agg, name, path, helper);
  if (agg.fn !== 'count') return { group: { [name]: { [`$${agg.fn}`]: path } } };
  // The primary key is never null, so counting it is counting documents.
  // `$sum: 1` rather than `$count`, which MongoDB 5 added and mongo-java-server lacks.
  if (t.isPrimaryKey) return { group: { [name]: { $sum: 1 } } };
  if (agg.distinct) {
    return { group: { [name]: { $addToSet: path } }, finish: { $size: { $setDifference: [`$${name}`, [null]] } } };
  }
  // COUNT(field) skips nulls; in BSON order null and missing sort below every value.
  return { group: { [name]: { $sum: { $cond: [{ $gt: [path, null] }, 1, 0] } } } };
}

// Django joins an array of references once per query: beside
// Avg('authors__age'), Count('authors') counts the same join's rows, one per
// author, not the whole array on each of them.
function onJoinedRows(t: Target, joins: readonly Join[]): Target {
  const join = t.isArray && t.joins.length === 0 ? joins.find((j) => j.unwind && j.local === t.path) : undefined;
  return join ? { ...t, path: `${join.as}._id`, isArray: false } : t;
}

/**
 * A $group (by `key`) that computes every aggregate of `spec`, the values
 * to finish after it, by name (`1` for those the group gives as they are),
 * and the joins its fields across references read through, before it.
 *
 * @example
 * ```ts
 * groupStage(scope, null, { n: Count() }); // { group: { _id: null, n: { $sum: 1 } }, finish: undefined, joins: [] }
 * ```
 */
export function groupStage(
  scope: AggregateScope,
  key: unknown,
  spec: AggregateSpec,
  where: 'aggregate' | 'annotate' = 'aggregate',
): { group: Record<string, unknown>; finish: Record<string, unknown> | undefined; joins: readonly Join[] } {
  const targets = Object.entries(spec).map(([name, agg]) => {
    checkName(name, where);
    if (!isAggregate(agg)) {
      throw new FieldError(
        `${where}() takes Sum, Avg, Min, Max or Count; ${JSON.stringify(name)} is ${describeOperand(agg)}.`,
      );
    }
    return { name, agg, target: agg.field === undefined ? undefined : aggregateTarget(scope, agg, agg.field) };
  });
  const joins = targets.flatMap(({ target }) => target?.joins ?? []);
  const group: Record<string, unknown> = { _id: key };
  const finish: Record<string, unknown> = {};
  let finishing = false;
  for (const { name, agg, target } of targets) {
    let helper = `${name}__elements`;
    while (Object.hasOwn(spec, helper)) helper = `_${helper}`;
    const acc = accumulate(name, agg, target && onJoinedRows(target, joins), helper);
    Object.assign(group, acc.group);
    finish[name] = acc.finish ?? 1;
    finishing ||= acc.finish !== undefined;
  }
  return { group, finish: finishing ? finish : undefined, joins };
}

/**
 * The stages after `$match` that compute `aggregate(spec)` in one document:
 * a `$group` with `_id: null`, and, for distinct counts and means over
 * arrays, a `$project` that finishes them. Over an array field an aggregate
 * folds every element of every document (MongoEngine's `sum('tags')`).
 * Across references (`Avg('authors__age')`), $lookup stages come first,
 * one row per referenced document, as Django's join; `joined` names the
 * joins earlier stages made already.
 *
 * @example
 * ```ts
 * compileAggregation(scope, { total: Sum('views'), n: Count() });
 * // [{ $group: { _id: null, total: { $sum: '$views' }, n: { $sum: 1 } } }]
 * ```
 */
export function compileAggregation(
  scope: AggregateScope,
  spec: AggregateSpec,
  joined: Set<string> = new Set(),
): Record<string, unknown>[] {
  const { group, finish, joins } = groupStage(scope, null, spec);
  const grouped = finish ? [{ $group: group }, { $project: { _id: 0, ...finish } }] : [{ $group: group }];
  return [...joinStages(joins, joined), ...grouped];
}
