// Aggregates over documents: each becomes $group accumulators, with a
// $project after the group for what one accumulator cannot give (a distinct
// count, a mean over every element of arrays). aggregate() groups all the
// matches into one row; values(...).annotate() groups by the values.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { resolveKey } from './resolve.js';
import { DATE_PARTS, isDatePart } from './date-parts.js';
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

/** What an aggregate folds: a path, the value there (a date part of it), and whether it is the primary key or goes through an array. */
export interface Target {
  readonly path: string;
  /** `$path`, or a date part of it (`{ $month: '$pub_date' }`). */
  readonly value: unknown;
  readonly isPrimaryKey: boolean;
  readonly isArray: boolean;
}

/** The date part a key ends with (`month` of `pub_date__month`), checked; undefined when none. */
function datePartOf(agg: AggregateNode, lookups: readonly string[], instance: string | undefined): string | undefined {
  const [part, ...more] = lookups;
  if (part === undefined) return undefined;
  if (!isDatePart(part) || more.length > 0) {
    throw new FieldError(
      `${label(agg)} must name a field, not a lookup (${lookups.join('__')}); ` +
        `after a Date field, one date part is taken: ${Object.keys(DATE_PARTS).join(', ')}.`,
    );
  }
  if (instance !== 'Date') {
    throw new FieldError(`${label(agg)}: ${part} is a part of a date, and this field is not a Date.`);
  }
  return part;
}

/**
 * The field an aggregate names, resolved: an annotation's name stands for
 * itself; a date part (`pub_date__month`, Django's transform) is folded as
 * that part. Another lookup is a {@link FieldError}.
 *
 * @example
 * ```ts
 * aggregateTarget(scope, Sum('comments__score'), 'comments__score');
 * // { path: 'comments.score', value: '$comments.score', isPrimaryKey: false, isArray: true }
 * ```
 */
export function aggregateTarget(scope: AggregateScope, agg: AggregateNode, field: string): Target {
  if (scope.annotations?.has(field)) return held(scope, agg, { path: field, isPrimaryKey: false, isArray: false });
  const resolved = resolveKey(scope.schema, scope.modelName, field);
  const part = datePartOf(agg, resolved.lookups, resolved.schemaType?.instance);
  const isArray = throughArray(scope.schema, resolved.path);
  if (part !== undefined && isArray) {
    throw new FieldError(`${label(agg)}: a date part of an array's elements is not supported; name a Date field.`);
  }
  const target = held(scope, agg, {
    path: resolved.path,
    isPrimaryKey: resolved.path === '_id' || resolved.path === shapeOf(scope.schema).primaryKey,
    isArray,
  });
  return part === undefined ? target : { ...target, value: DATE_PARTS[part]?.(target.value) };
}

/** A target where the rows hold it: the document's path, or (distinct rows) the row's. */
function held(scope: AggregateScope, agg: AggregateNode, t: Omit<Target, 'value'>): Target {
  if (!scope.rows) return { ...t, value: `$${t.path}` };
  const at = scope.rows.get(t.path);
  if (at === undefined) {
    throw new FieldError(
      `${label(agg)} folds distinct rows, which hold only the fields values() selected ` +
        `(${[...scope.rows.keys()].join(', ')}); aggregate one of them, or drop distinct().`,
    );
  }
  return { path: at, value: `$${at}`, isPrimaryKey: false, isArray: t.isArray };
}

/** One aggregate's $group fields (its name, and helpers), and its value after the group when it needs one. */
interface Accumulated {
  readonly group: Readonly<Record<string, unknown>>;
  readonly finish?: unknown;
}

const EMPTY: unknown[] = [];

/** The distinct non-null elements of the arrays a $group gathered with `$addToSet` under `name`. */
function unionOf(name: string): unknown {
  return {
    $setDifference: [
      { $reduce: { input: `$${name}`, initialValue: EMPTY, in: { $setUnion: ['$$value', '$$this'] } } },
      [null],
    ],
  };
}

/** Sum or Avg of a set of values a $group gathered (distinct ones): `$sum`/`$avg` of the array. */
function foldSet(agg: AggregateNode, set: unknown): unknown {
  return agg.fn === 'count' ? { $size: set } : { [`$${agg.fn}`]: set };
}

// Over arrays, MongoEngine's sum('tags')/average('tags') fold every element
// of every document: each document's array is folded first ($sum, $min,
// $max and $size of an array), then the documents. A mean is a total over a
// count of elements, since a mean of the means would weigh documents, not
// elements. `helper` names a $group field that is no output name.
function overArrays(agg: AggregateNode, name: string, path: unknown, helper: string): Accumulated {
  const array = { $ifNull: [path, EMPTY] };
  // Distinct: the union of the documents' arrays, then folded.
  if (agg.distinct) return { group: { [name]: { $addToSet: array } }, finish: foldSet(agg, unionOf(name)) };
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
      return { group: { [name]: { $sum: { $size: array } } } };
  }
}

/**
 * The $group fields of one aggregate named `name`, and, when one
 * accumulator cannot give its value (a distinct Sum, Avg or Count, a mean over arrays), the expression that gives it after the
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
  const value = t.value;
  if (t.isArray) return overArrays(agg, name, value, helper);
  // Distinct: the set of values, then folded; a stored null is no value (SQL's DISTINCT skips NULL).
  if (agg.distinct && !(agg.fn === 'count' && t.isPrimaryKey)) {
    return { group: { [name]: { $addToSet: value } }, finish: foldSet(agg, { $setDifference: [`$${name}`, [null]] }) };
  }
  if (agg.fn !== 'count') return { group: { [name]: { [`$${agg.fn}`]: value } } };
  // The primary key is never null, so counting it is counting documents.
  // `$sum: 1` rather than `$count`, which MongoDB 5 added and mongo-java-server lacks.
  if (t.isPrimaryKey) return { group: { [name]: { $sum: 1 } } };
  // COUNT(field) skips nulls; in BSON order null and missing sort below every value.
  return { group: { [name]: { $sum: { $cond: [{ $gt: [value, null] }, 1, 0] } } } };
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
    // aggregate()'s one row takes its defaults when it is read (queryset-exec.ts):
    // no row at all is a default too, and no $ifNull is needed on the server.
    const value =
      where === 'annotate' && agg.default !== undefined
        ? { $ifNull: [acc.finish ?? `$${name}`, { $literal: agg.default }] }
        : acc.finish;
    finish[name] = value ?? 1;
    finishing ||= value !== undefined;
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
