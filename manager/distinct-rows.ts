// Django's distinct() without a field: SELECT DISTINCT over the selected
// columns. After values() or valuesList() naming fields, the rows are the
// distinct combinations of those fields, one $group keyed on them; as in
// Django, the orderBy() fields join the key, so ordering by a field not
// selected can repeat a row. Over documents, or values() with no fields,
// every row carries its own primary key and is distinct already: nothing
// changes. count() groups on the selected fields alone, as Django's count()
// drops the ordering.
//
// A missing field and a stored null are one NULL in Django, but two $group
// keys in MongoDB, and FerretDB v1 has no $ifNull to merge them on the
// server. So the groups are merged while they are read: only keys holding a
// null can collide, and only those are remembered. The slice is applied
// after the merge, and reading stops once it is full.
import mongoose from 'mongoose';
import type { Model } from 'mongoose';
import { annotationJoins, compileAnnotations } from './annotations-compile.js';
import { compileAggregation } from './aggregate-compile.js';
import type { AggregateSpec } from './aggregates.js';
import { compileQuery, isAnnotated } from './queryset-compile.js';
import { propsJoins, scopeOf, type Props } from './queryset-props.js';
import { joinStages } from './relations-join.js';
import { shapeRow } from './queryset-shape.js';

/** Whether the props' rows are grouped: distinct() over values() that names fields. */
export function groupsRows(props: Props): boolean {
  return props.distinctRows && props.values !== undefined && props.values.paths.length > 0;
}

/** The paths the group is keyed on, each once: the selected fields, then (unless counting) the ordering's. */
function keyPaths(props: Props, counting: boolean): string[] {
  const selected = props.values?.paths ?? [];
  const ordering = counting ? [] : props.order.map((t) => t.path);
  return [...new Set([...selected, ...ordering])];
}

/**
 * The pipeline for distinct rows: `$match`, the annotations, one `$group`
 * keyed on the fields (`k0`, `k1`, … in the `_id`), then the ordering. The
 * slice is taken while the groups are read.
 *
 * @example
 * ```ts
 * // the props of Note.objects.values('misc').distinct().orderBy('note'):
 * compileDistinctRows(Note, props);
 * // [{ $match: {} }, { $group: { _id: { k0: '$misc', k1: '$note' } } }, { $sort: { '_id.k1': 1 } }]
 * ```
 */
export function compileDistinctRows<TRaw>(
  model: Model<TRaw>,
  props: Props,
  counting = false,
): Record<string, unknown>[] {
  const paths = keyPaths(props, counting);
  const alias = (path: string) => `k${paths.indexOf(path)}`;
  const pipeline: Record<string, unknown>[] = [{ $match: compileQuery(model, props).filter }];
  // values('author__name') and annotations across references read joined documents.
  const joined = new Set<string>();
  pipeline.push(...joinStages(propsJoins(props), joined));
  if (Object.keys(props.annotations).length > 0) {
    pipeline.push(...joinStages(annotationJoins(scopeOf(model), props.annotations), joined));
    pipeline.push({ $addFields: compileAnnotations(scopeOf(model), props.annotations) });
  }
  pipeline.push({ $group: { _id: Object.fromEntries(paths.map((p) => [alias(p), `$${p}`])) } });
  if (!counting && props.order.length > 0) {
    pipeline.push({ $sort: Object.fromEntries(props.order.map((t) => [`_id.${alias(t.path)}`, t.direction])) });
  }
  return pipeline;
}

/** A group's key as a document with the fields at their paths, for shapeRow to read. */
function rowOf(paths: readonly string[], key: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  paths.forEach((path, i) => {
    const parents = path.split('.');
    const leaf = parents.pop() ?? path;
    let at = row;
    for (const part of parents) {
      if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
      at = at[part] as Record<string, unknown>;
    }
    at[leaf] = key[`k${i}`] ?? null;
  });
  return row;
}

/**
 * The groups of a pipeline, a missing field and a null merged, within the
 * slice: each is given to `take` until it answers false.
 */
async function eachGroup<TRaw>(
  model: Model<TRaw>,
  props: Props,
  counting: boolean,
  take: (key: Record<string, unknown>) => boolean,
): Promise<void> {
  const width = keyPaths(props, counting).length;
  const nullKeys = new Set<string>();
  let skip = props.skip ?? 0;
  const cursor = run(model, compileDistinctRows(model, props, counting)).cursor();
  try {
    for await (const group of cursor) {
      const parts = Array.from({ length: width }, (_, i) => group._id[`k${i}`] ?? null);
      if (parts.includes(null)) {
        const id = mongoose.mongo.BSON.EJSON.stringify(parts, { relaxed: false });
        if (nullKeys.has(id)) continue;
        nullKeys.add(id);
      }
      if (skip > 0) {
        skip -= 1;
        continue;
      }
      if (!take(group._id)) break;
    }
  } finally {
    await cursor.close();
  }
}

function run<TRaw>(model: Model<TRaw>, pipeline: readonly Record<string, unknown>[]) {
  // Plain-object stages, which Mongoose's PipelineStage union does not describe.
  return model.aggregate<{ _id: Record<string, unknown> }>(pipeline as unknown as mongoose.PipelineStage[]);
}

/**
 * The distinct rows, shaped as values() or valuesList() shape them.
 *
 * @example
 * ```ts
 * await fetchDistinctRows(Note, props); // [{ misc: 'foo' }, { misc: 'bar' }]
 * ```
 */
export async function fetchDistinctRows<TRaw>(model: Model<TRaw>, props: Props): Promise<unknown[]> {
  if (props.empty || props.limit === 0) return [];
  const paths = keyPaths(props, false);
  const rows: unknown[] = [];
  await eachGroup(model, props, false, (key) => {
    rows.push(shapeRow(props, rowOf(paths, key)));
    return props.limit === undefined || rows.length < props.limit;
  });
  return rows;
}

/**
 * How many distinct rows there are, within the slice.
 *
 * @example
 * ```ts
 * await countDistinctRows(Item, props); // 4
 * ```
 */
export async function countDistinctRows<TRaw>(model: Model<TRaw>, props: Props): Promise<number> {
  if (props.empty || props.limit === 0) return 0;
  let n = 0;
  await eachGroup(model, props, true, () => {
    n += 1;
    return props.limit === undefined || n < props.limit;
  });
  return n;
}

/**
 * The pipeline of `aggregate(spec)` over distinct rows, Django's aggregate
 * over a `SELECT DISTINCT` subquery: the rows' `$group` (and their slice),
 * then the aggregates over the rows, which may name the selected fields only.
 * A missing field and a stored null are one row: the key reads each with
 * `$ifNull` where that changes the answer (a count of rows, or a slice).
 *
 * @example
 * ```ts
 * // the props of Book.objects.values('rating').distinct():
 * compileDistinctAggregation(Book, props, { total: Sum('rating') });
 * // [{ $match: {} }, { $group: { _id: { k0: '$rating' } } }, { $group: { _id: null, total: { $sum: '$_id.k0' } } }]
 * ```
 */
export function compileDistinctAggregation<TRaw>(
  model: Model<TRaw>,
  props: Props,
  spec: AggregateSpec,
): Record<string, unknown>[] {
  const sliced = props.skip !== undefined || props.limit !== undefined;
  // Unsliced, the ordering only orders: the rows are distinct on the selected fields, as count() is.
  const paths = keyPaths(props, !sliced);
  const countsRows = Object.values(spec).some((agg) => agg.field === undefined && agg.expression === undefined);
  const read = (path: string) => (countsRows || sliced ? { $ifNull: [`$${path}`, null] } : `$${path}`);
  const pipeline: Record<string, unknown>[] = [{ $match: compileQuery(model, props).filter }];
  if (isAnnotated(props)) pipeline.push({ $addFields: compileAnnotations(scopeOf(model), props.annotations) });
  pipeline.push({ $group: { _id: Object.fromEntries(paths.map((p, i) => [`k${i}`, read(p)])) } });
  if (sliced) {
    const order = props.order.map((t) => [`_id.k${paths.indexOf(t.path)}`, t.direction]);
    if (order.length > 0) pipeline.push({ $sort: Object.fromEntries(order) });
    if (props.skip) pipeline.push({ $skip: props.skip });
    if (props.limit !== undefined) pipeline.push({ $limit: props.limit });
  }
  const selected = props.values?.paths ?? [];
  const rows = new Map(selected.map((path) => [path, `_id.k${paths.indexOf(path)}`]));
  const annotations = new Set(Object.keys(props.annotations));
  return [...pipeline, ...compileAggregation({ ...scopeOf(model), annotations, rows }, spec)];
}
