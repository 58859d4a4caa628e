// Aggregates over documents: each becomes $group accumulators, with a
// $project after the group for what one accumulator cannot give (a distinct
// count, a mean over every element of arrays). aggregate() groups all the
// matches into one row; values(...).annotate() groups by the values.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { resolveKey } from './resolve.js';
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

/** What an aggregate folds: a path, and whether it is the primary key or goes through an array. */
export interface Target {
  readonly path: string;
  readonly isPrimaryKey: boolean;
  readonly isArray: boolean;
}

/**
 * The field an aggregate names, resolved: an annotation's name stands for
 * itself. A lookup is a {@link FieldError}.
 *
 * @example
 * ```ts
 * aggregateTarget(scope, Sum('comments__score'), 'comments__score'); // { path: 'comments.score', isPrimaryKey: false, isArray: true }
 * ```
 */
export function aggregateTarget(scope: AggregateScope, agg: AggregateNode, field: string): Target {
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
 * The $group fields of one aggregate named `name`, and, when one
 * accumulator cannot give its value, the expression that gives it after the
 * group. `helper` is a $group field name free for it to use.
 *
 * @example
 * ```ts
 * accumulate(scope, 'total', Sum('views'), '__total'); // { group: { total: { $sum: '$views' } } }
 * ```
 */
export function accumulate(scope: AggregateScope, name: string, agg: AggregateNode, helper: string): Accumulated {
  if (agg.field === undefined) {
    if (agg.fn !== 'count') throw new FieldError(`${label(agg)} needs a field.`);
    return { group: { [name]: { $sum: 1 } } };
  }
  const t = aggregateTarget(scope, agg, agg.field);
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

/**
 * A $group (by `key`) that computes every aggregate of `spec`, and the
 * values to finish after it, by name (`1` for those the group gives as they are).
 *
 * @example
 * ```ts
 * groupStage(scope, null, { n: Count() }); // { group: { _id: null, n: { $sum: 1 } }, finish: undefined }
 * ```
 */
export function groupStage(
  scope: AggregateScope,
  key: unknown,
  spec: AggregateSpec,
  where: 'aggregate' | 'annotate' = 'aggregate',
): { group: Record<string, unknown>; finish: Record<string, unknown> | undefined } {
  const group: Record<string, unknown> = { _id: key };
  const finish: Record<string, unknown> = {};
  let finishing = false;
  for (const [name, agg] of Object.entries(spec)) {
    checkName(name, where);
    if (!isAggregate(agg)) {
      throw new FieldError(
        `${where}() takes Sum, Avg, Min, Max or Count; ${JSON.stringify(name)} is ${describeOperand(agg)}.`,
      );
    }
    let helper = `${name}__elements`;
    while (Object.hasOwn(spec, helper)) helper = `_${helper}`;
    const acc = accumulate(scope, name, agg, helper);
    Object.assign(group, acc.group);
    finish[name] = acc.finish ?? 1;
    finishing ||= acc.finish !== undefined;
  }
  return { group, finish: finishing ? finish : undefined };
}

/**
 * The stages after `$match` that compute `aggregate(spec)` in one document:
 * a `$group` with `_id: null`, and, for distinct counts and means over
 * arrays, a `$project` that finishes them. Over an array field an aggregate
 * folds every element of every document (MongoEngine's `sum('tags')`).
 *
 * @example
 * ```ts
 * compileAggregation(scope, { total: Sum('views'), n: Count() });
 * // [{ $group: { _id: null, total: { $sum: '$views' }, n: { $sum: 1 } } }]
 * ```
 */
export function compileAggregation(scope: AggregateScope, spec: AggregateSpec): Record<string, unknown>[] {
  const { group, finish } = groupStage(scope, null, spec);
  return finish ? [{ $group: group }, { $project: { _id: 0, ...finish } }] : [{ $group: group }];
}
