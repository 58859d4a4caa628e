// Reading a QuerySet whose selectRelated references are joined: its
// pipeline (the find() it stands for, as stages), the $lookup stages after
// it, each row then made the document (or lean row) populate would give.
// prefetchRelated's references are then populated, one find() per name.
import type { Document, Model, PipelineStage } from 'mongoose';
import type { Props } from './queryset-props.js';
import { compilePipeline, pipelineProjection, type MongoQuery } from './queryset-compile.js';
import { annotatedResult } from './queryset-shape.js';
import { isLookupRefusal, lookupRefused, rememberLookupRefused } from './lookup-support.js';
import {
  hydrateJoined,
  placeJoined,
  rowHiddenPaths,
  selectStages,
  type JoinedRef,
  type SelectPlan,
} from './relations-select-join.js';

/**
 * The pipeline that reads `props` with the plan's references joined.
 *
 * @example
 * ```ts
 * joinedPipeline(Book, props, plan); // [{ $match }, { $sort }, …, { $lookup: { from: 'authors', … } }, { $unwind }]
 * ```
 */
export function joinedPipeline<TRaw>(model: Model<TRaw>, props: Props, plan: SelectPlan): Record<string, unknown>[] {
  return [...compilePipeline(model, props), ...selectStages(plan.refs, rowHiddenPaths(model.schema, props.projection))];
}

/**
 * One joined row as a result: a lean row with the documents in place, or a
 * document (with its annotations) whose references are populated.
 *
 * @example
 * ```ts
 * joinedResult(Book, props, row, projection, plan.refs); // a Book document, its author an Author document
 * ```
 */
export function joinedResult<TRaw>(
  model: Model<TRaw>,
  props: Props,
  row: Record<string, unknown>,
  projection: MongoQuery['projection'],
  refs: readonly JoinedRef[],
): unknown {
  if (props.lean) {
    placeJoined(row, refs);
    return annotatedResult(model, props, row, projection);
  }
  const hidden = rowHiddenPaths(model.schema, projection);
  const hydrateProjection =
    hidden.length > 0
      ? { ...projection, ...Object.fromEntries(hidden.map((p) => [p, 0 as const])) }
      : withId(projection);
  return hydrateJoined(row, refs, (raw) => annotatedResult(model, props, raw, hydrateProjection) as Document);
}

// The server keeps `_id` under an inclusion projection unless told not to;
// Model.hydrate applies the projection as given, so it is named, as find() has it.
function withId(projection: MongoQuery['projection']): MongoQuery['projection'] {
  if (!projection || !Object.values(projection).includes(1) || '_id' in projection) return projection;
  return { _id: 1, ...projection };
}

/**
 * Every result of `props`, its selectRelated references read in the same
 * aggregate; prefetchRelated's with one find() per name after it.
 *
 * @example
 * ```ts
 * const books = await fetchJoined(Book, props, plan); // one aggregate: books with their authors
 * ```
 */
export async function fetchJoined<TRaw, TResult>(
  model: Model<TRaw>,
  props: Props,
  plan: SelectPlan,
): Promise<TResult[]> {
  const pipeline = joinedPipeline(model, props, plan);
  // Plain-object stages, which Mongoose's PipelineStage union does not describe.
  const rows = await model.aggregate<Record<string, unknown>>(pipeline as unknown as PipelineStage[]).exec();
  const projection = pipelineProjection(props, props.projection);
  const results = rows.map((row) => joinedResult(model, props, row, projection, plan.refs));
  if (plan.rest.length > 0 && results.length > 0) await model.populate(results, [...plan.rest]);
  return results as TResult[];
}

/**
 * The results of `props` through a server cursor, its selectRelated
 * references joined in each batch; `fallback` gives them (populate) where
 * the server refuses $lookup, known already or found at the first read.
 * A plan with prefetchRelated references left is read by `fallback`: a
 * cursor populates per batch, which the joined rows cannot.
 *
 * @example
 * ```ts
 * for await (const book of iterateJoinedOr(Book, props, plan, 2000, () => populatedCursor())) book.author;
 * ```
 */
export async function* iterateJoinedOr<TRaw, TResult>(
  model: Model<TRaw>,
  props: Props,
  plan: SelectPlan,
  chunkSize: number,
  fallback: () => AsyncGenerator<TResult>,
): AsyncGenerator<TResult> {
  if (plan.rest.length === 0 && !lookupRefused(model.db)) {
    const pipeline = joinedPipeline(model, props, plan);
    const projection = pipelineProjection(props, props.projection);
    const cursor = model
      .aggregate<Record<string, unknown>>(pipeline as unknown as PipelineStage[])
      .cursor({ batchSize: chunkSize });
    let read = false;
    try {
      for await (const row of cursor) {
        read = true;
        yield joinedResult(model, props, row, projection, plan.refs) as TResult;
      }
      return;
    } catch (err) {
      // Refused before any row was read: nothing was given, the fallback gives it all.
      if (read || !isLookupRefusal(err)) throw err;
      rememberLookupRefused(model.db, model.modelName);
    }
  }
  yield* fallback();
}
