// A QuerySet's aggregation. aggregate() folds the matches into one row;
// annotate() adds values per document, and then results come from an
// aggregation pipeline: compiled here, sent, and its rows turned back into
// documents that carry their annotations.
import type mongoose from 'mongoose';
import type { Model } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { rowVerdict } from '../core/row-verdicts.js';
import { resolveKey } from './resolve.js';
import {
  compileAggregation,
  compileAnnotations,
  type AggregateResult,
  type AggregateSpec,
  type AnnotationSpec,
} from './aggregates.js';
import { compileQuery, scopeOf, type MongoQuery, type Props } from './queryset-props.js';
import { shapeRow } from './queryset-values.js';

// Stages are compiled as plain objects, which Mongoose's PipelineStage
// union does not describe. Mongoose does not cast pipelines; the filter in
// $match was cast when it was compiled.
export function runPipeline<TRaw>(model: Model<TRaw>, pipeline: readonly Record<string, unknown>[]) {
  return model.aggregate<Record<string, unknown>>(pipeline as unknown as mongoose.PipelineStage[]);
}

/** Whether results come from the pipeline rather than find(). */
export function isAnnotated(props: Props): boolean {
  return Object.keys(props.annotations).length > 0;
}

function isModelMember<TRaw>(model: Model<TRaw>, name: string): boolean {
  try {
    if (resolveKey(model.schema, model.modelName, name).lookups.length === 0) return true;
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
  }
  return name in (model.prototype as object);
}

/** Refuses annotate()'s spec when it does not compile, or a name is taken already. */
export function checkAnnotations<TRaw>(model: Model<TRaw>, annotations: AnnotationSpec, spec: AnnotationSpec): void {
  compileAnnotations(scopeOf(model), spec);
  for (const name of Object.keys(spec)) {
    if (Object.hasOwn(annotations, name)) {
      throw new FieldError(`The annotation ${JSON.stringify(name)} is already defined on this QuerySet.`);
    }
    if (isModelMember(model, name)) {
      throw new FieldError(
        `The annotation ${JSON.stringify(name)} conflicts with a field or method of ${model.modelName}.`,
      );
    }
  }
}

/** aggregate()'s one row; Count gives 0 and the others null over no matches. */
export async function aggregateRow<TRaw, S extends AggregateSpec>(
  model: Model<TRaw>,
  props: Props,
  spec: S,
): Promise<AggregateResult<S>> {
  const pipeline = compilePipeline(model, props, spec);
  const names = Object.keys(spec);
  let row: Record<string, unknown> | undefined;
  if (names.length > 0 && !props.empty && props.limit !== 0) {
    [row] = await runPipeline(model, pipeline).exec();
  }
  return Object.fromEntries(
    names.map((name) => [name, row?.[name] ?? (spec[name]?.fn === 'count' ? 0 : null)]),
  ) as AggregateResult<S>;
}

/** The pipeline that `qs.toPipeline(aggregates)` shows. */
export function compilePipeline<TRaw>(
  model: Model<TRaw>,
  props: Props,
  aggregates?: AggregateSpec,
): Record<string, unknown>[] {
  const query = compileQuery(model, props);
  const names = Object.keys(props.annotations);
  const pipeline: Record<string, unknown>[] = [{ $match: query.filter }];
  if (names.length > 0) pipeline.push({ $addFields: compileAnnotations(scopeOf(model), props.annotations) });
  // Ordering changes an aggregate only through which rows a slice keeps.
  const window = aggregates === undefined || Boolean(query.skip) || query.limit !== undefined;
  if (window && query.sort) pipeline.push({ $sort: query.sort });
  if (window && query.skip) pipeline.push({ $skip: query.skip });
  if (window && query.limit !== undefined) pipeline.push({ $limit: query.limit });
  if (aggregates !== undefined) {
    return [...pipeline, ...compileAggregation({ ...scopeOf(model), annotations: new Set(names) }, aggregates)];
  }
  const projection = pipelineProjection(props, query.projection);
  if (projection) pipeline.push({ $project: projection });
  return pipeline;
}

// only() lists fields to keep; the annotations are kept too, as Django's.
export function pipelineProjection(props: Props, projection: MongoQuery['projection']): MongoQuery['projection'] {
  if (!projection || props.values || !Object.values(projection).includes(1)) return projection;
  return { ...projection, ...Object.fromEntries(Object.keys(props.annotations).map((n) => [n, 1 as const])) };
}

/** Every result of an annotated QuerySet, from one pipeline. */
export async function fetchAnnotated<TRaw, TResult>(model: Model<TRaw>, props: Props): Promise<TResult[]> {
  const pipeline = compilePipeline(model, props);
  const rows = await runPipeline(model, pipeline).exec();
  const projection = pipelineProjection(props, compileQuery(model, props).projection);
  return rows.map((row) => annotatedResult(model, props, row, projection)) as TResult[];
}

/** One pipeline row as a result: shaped when lean, else a document with its annotations. */
export function annotatedResult<TRaw>(
  model: Model<TRaw>,
  props: Props,
  row: Record<string, unknown>,
  projection: MongoQuery['projection'],
): unknown {
  if (props.lean) {
    // A strict model's cursor row that failed its check (hydrate raises it otherwise).
    const verdict = rowVerdict(row);
    if (verdict) throw verdict;
    return shapeRow(model, props, row);
  }
  // Model.hydrate keeps the schema's strict mode, so the document behaves as
  // one from find(). Each annotation becomes an own, non-enumerable property,
  // a plain attribute as in Django. Not doc.set(name, v, { strict: false }):
  // that marks the path modified and a later save() would store it. Not
  // hydrate(row, p, { strict: false }): that turns strict mode off for the
  // whole document, so any later set() of an unknown path would be saved.
  const doc = model.hydrate(row, projection) as object;
  for (const name of Object.keys(props.annotations)) {
    Object.defineProperty(doc, name, { value: row[name], writable: true, configurable: true, enumerable: false });
  }
  return doc;
}
