// Compiles a QuerySet's props into what is sent: the find() that toMongo()
// shows, or the aggregation pipeline that toPipeline() shows. The props are
// parsed already; nothing here resolves a key.
import type { Model } from 'mongoose';
import { compileWhere } from './compile.js';
import type { MongoFilter } from './lookups.js';
import type { AggregateSpec } from './aggregates.js';
import { compileAggregation } from './aggregate-compile.js';
import { annotationStages, groupedSort } from './annotations-pipeline.js';
import { propsJoins, scopeOf, type Props } from './queryset-props.js';
import { joinStages } from './relations-join.js';

/** What `qs.toMongo()` shows: exactly what will be sent. */
export interface MongoQuery {
  readonly collection: string;
  readonly filter: MongoFilter;
  readonly projection: Readonly<Record<string, 0 | 1>> | undefined;
  readonly sort: Readonly<Record<string, 1 | -1>> | undefined;
  readonly skip: number | undefined;
  readonly limit: number | undefined;
}

/** The find() that props stand for, as `qs.toMongo()` shows it. */
export function compileQuery<TRaw>(model: Model<TRaw>, p: Props): MongoQuery {
  const sort = p.order.length ? Object.fromEntries(p.order.map((t) => [t.path, t.direction])) : undefined;
  let projection = p.projection;
  if (p.values && p.values.paths.length > 0) {
    projection = Object.fromEntries(p.values.paths.map((path) => [path, 1 as const]));
  }
  return Object.freeze({
    collection: model.collection.collectionName,
    filter: compileWhere(p.where, model.modelName),
    projection,
    sort,
    skip: p.skip,
    limit: p.limit,
  });
}

/** Whether results come from the pipeline rather than find(): annotations, or orderBy/values across references. */
export function isAnnotated(props: Props): boolean {
  return Object.keys(props.annotations).length > 0 || props.grouping !== undefined || propsJoins(props).length > 0;
}

/** The pipeline that `qs.toPipeline(aggregates)` shows. */
export function compilePipeline<TRaw>(
  model: Model<TRaw>,
  props: Props,
  aggregates?: AggregateSpec,
): Record<string, unknown>[] {
  const query = compileQuery(model, props);
  const names = Object.keys(props.annotations);
  // A query with no key across references gets no $lookup: the pipeline is as it always was.
  const joined = new Set<string>();
  const pipeline: Record<string, unknown>[] = [
    { $match: query.filter },
    ...joinStages(propsJoins(props), joined),
    ...annotationStages(model, props, joined),
  ];
  // Ordering changes an aggregate only through which rows a slice keeps.
  const window = aggregates === undefined || Boolean(query.skip) || query.limit !== undefined;
  if (window && query.sort) pipeline.push({ $sort: groupedSort(props, query.sort) });
  if (window && query.skip) pipeline.push({ $skip: query.skip });
  if (window && query.limit !== undefined) pipeline.push({ $limit: query.limit });
  if (aggregates !== undefined) {
    return [...pipeline, ...compileAggregation({ ...scopeOf(model), annotations: new Set(names) }, aggregates, joined)];
  }
  // A grouped row is put in the values' shape when it is read (annotations-group.ts).
  const projection = props.grouping ? undefined : hideJoins(pipelineProjection(props, query.projection), joined);
  if (projection) pipeline.push({ $project: projection });
  return pipeline;
}

// The joined documents are the pipeline's own: a row carries none of them,
// unless values() asked for a field of one (an inclusion projection names it).
function hideJoins(projection: MongoQuery['projection'], joined: ReadonlySet<string>): MongoQuery['projection'] {
  if (joined.size === 0 || (projection && Object.values(projection).includes(1))) return projection;
  return { ...projection, ...Object.fromEntries([...joined].map((as) => [as, 0 as const])) };
}

// only() lists fields to keep; the annotations are kept too, as Django's.
export function pipelineProjection(props: Props, projection: MongoQuery['projection']): MongoQuery['projection'] {
  if (!projection || props.values || !Object.values(projection).includes(1)) return projection;
  return { ...projection, ...Object.fromEntries(Object.keys(props.annotations).map((n) => [n, 1 as const])) };
}
