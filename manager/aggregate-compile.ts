// Aggregates over documents: each becomes $group accumulators, with a
// $project after the group for what one accumulator cannot give (a distinct
// count, a mean over every element of arrays). aggregate() groups all the
// matches into one row; values(...).annotate() groups by the values.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { resolveKey } from './resolve.js';
import { DATE_PARTS, isDatePart } from './date-parts.js';
import { joinedField, joinStages, type Join, type JoinMode } from './relations-join.js';
import { fieldExpression } from './filter.js';
import { stepExpression } from './f-compile.js';
import { FExpression } from './q.js';
import { namesAnnotation } from './annotations-scope.js';
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

/** What an aggregate folds: a path, the value there (a date part of it), whether it is the primary key or goes through an array, and the joins it reads through. */
export interface Target {
  readonly path: string;
  /** `$path`, or a date part of it (`{ $month: '$pub_date' }`). */
  readonly value: unknown;
  readonly isPrimaryKey: boolean;
  readonly isArray: boolean;
  readonly joins: readonly Join[];
}

const NO_JOINS: readonly Join[] = Object.freeze([]);

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
 * itself; a field across references (`authors__age`) is read through joins,
 * `rows` (one row per referenced document, for aggregate() and groups) or
 * `document` (their values as an array, for annotate()); a date part
 * (`pub_date__month`, Django's transform) is folded as that part. Another
 * lookup is a {@link FieldError}.
 *
 * @example
 * ```ts
 * aggregateTarget(scope, Sum('comments__score'), 'comments__score');
 * // { path: 'comments.score', value: '$comments.score', isPrimaryKey: false, isArray: true, joins: [] }
 * aggregateTarget(scope, Avg('authors__age'), 'authors__age', 'document');
 * // { path: '_join_authors.age', value: '$_join_authors.age', isArray: true, joins: [authors] }
 * ```
 */
export function aggregateTarget(
  scope: AggregateScope,
  agg: AggregateNode,
  field: string,
  mode: JoinMode = 'rows',
): Target {
  if (scope.annotations?.has(field)) {
    return held(scope, agg, { path: field, isPrimaryKey: false, isArray: false, joins: NO_JOINS });
  }
  const joined = joinedField(scope, field, mode, label(agg));
  if (joined) {
    const { path, isArray, joins } = joined;
    return { path, value: `$${path}`, isPrimaryKey: false, isArray, joins };
  }
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
    joins: NO_JOINS,
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
  return { path: at, value: `$${at}`, isPrimaryKey: false, isArray: t.isArray, joins: t.joins };
}

/**
 * An F() per row, with the names annotate() added read as the fields they are
 * by then. An F of stored fields only is parsed as a filter's is (its integer
 * divisions known); one naming an annotation, whose type is not kept, divides
 * as doubles.
 */
function rowExpression(scope: AggregateScope, f: FExpression): unknown {
  if (!namesAnnotation(scope.annotations ?? new Set<string>(), f)) return fieldExpression(scope, f);
  let expr = scope.annotations?.has(f.field) ? `$${f.field}` : fieldExpression(scope, new FExpression(f.field));
  for (const [op, operand, constantFirst] of f.ops) {
    const other = operand instanceof FExpression ? rowExpression(scope, operand) : operand;
    expr = constantFirst ? stepExpression(op, other, expr) : stepExpression(op, expr, other);
  }
  return expr;
}

/** What an aggregate of an expression (Django's `Sum(F('a') + F('b'))`) folds: its value per row. */
function expressionTarget(scope: AggregateScope, agg: AggregateNode, f: FExpression): Target {
  if (scope.rows) {
    throw new FieldError(
      `${label(agg)} folds distinct rows, which hold only the fields values() selected; drop distinct().`,
    );
  }
  return { path: '', value: rowExpression(scope, f), isPrimaryKey: false, isArray: false, joins: NO_JOINS };
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
 * The $group fields of one aggregate named `name` over its resolved target
 * (undefined for `Count()`), and, when one accumulator cannot give its value
 * (a distinct Sum, Avg or Count, a mean over arrays), the expression that
 * gives it after the group. `helper` is a $group field name free for it to use.
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

// Django joins an array of references once per query: beside
// Avg('authors__age'), Count('authors') counts the same join's rows, one per
// author, not the whole array on each of them.
function onJoinedRows(t: Target, joins: readonly Join[]): Target {
  const join = t.isArray && t.joins.length === 0 ? joins.find((j) => j.unwind && j.local === t.path) : undefined;
  return join ? { ...t, path: `${join.as}._id`, value: `$${join.as}._id`, isArray: false } : t;
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
    const target = agg.expression
      ? expressionTarget(scope, agg, agg.expression)
      : agg.field === undefined
        ? undefined
        : aggregateTarget(scope, agg, agg.field);
    return { name, agg, target };
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
    // aggregate()'s one row takes its defaults when it is read (queryset-exec.ts):
    // no row at all is a default too, and no $ifNull is needed on the server.
    const value =
      where === 'annotate' && agg.default !== undefined
        ? { $ifNull: [acc.finish ?? `$${name}`, { $literal: agg.default }] }
        : acc.finish;
    finish[name] = value ?? 1;
    finishing ||= value !== undefined;
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
