// What a QuerySet's terminal methods send to the server: find() for fetch,
// iteration and exists (the pipeline instead, when it has annotations), then
// explain, count, distinct, update, delete and aggregate. Mongoose's cast and validation
// errors come back as our ValidationError, naming the field.
import mongoose, { type Model } from 'mongoose';
import { FieldError, NotSupportedError, ValidationError } from '../core/errors.js';
import { compileUpdate } from './update.js';
import { insertOnlyUpdate, refusedUpdate, updateOptions, zeroDivisor, type UpdateOptions } from './update-run.js';
import { runPipelineUpdate } from './update-pipeline.js';
import type { AggregateSpec } from './aggregates.js';
import type { AggregateResult } from './aggregate-types.js';
import { fieldPath } from './parse-names.js';
import { scopeOf, type Props } from './queryset-props.js';
import { compilePipeline, compileQuery, isAnnotated, pipelineProjection, type MongoQuery } from './queryset-compile.js';
import { annotatedResult, shapeRow } from './queryset-shape.js';
import { withRelatedIds } from './relations-prefetch.js';
import { populateRows, withPopulate } from './relations-load.js';
import { filtersAnnotations } from './annotations-pipeline.js';
import { compileDistinctAggregation, groupsRows } from './distinct-rows.js';
import { deleteWithRules } from './on-delete.js';
import { selectPlan } from './relations-select-join.js';
import { fetchJoined, iterateJoinedOr } from './relations-select-fetch.js';
import { joinOr } from './lookup-support.js';

function wrapCast(err: unknown, modelName: string): never {
  // Ours is a Mongoose ValidationError too, and already names the field.
  if (err instanceof ValidationError) throw err;
  // strict: 'throw' on an update: a key Mongoose's schema does not have.
  if (err instanceof mongoose.Error.StrictModeError) {
    throw new FieldError(`${modelName}: ${err.message}`, { cause: err });
  }
  if (err instanceof mongoose.Error.CastError) {
    throw new ValidationError(`${modelName}.${err.path}: ${err.message}`, `${modelName}.${err.path}`, { cause: err });
  }
  if (err instanceof mongoose.Error.ValidationError) {
    const field = Object.keys(err.errors)[0] ?? '';
    throw new ValidationError(`${modelName}: ${err.message}`, `${modelName}.${field}`, { cause: err });
  }
  // An F() dividing by zero in a filter or an annotation.
  throw zeroDivisor(err, modelName, '') ?? err;
}

/** Runs a query, with Mongoose's cast errors as our ValidationError: a filter value may come from a request. */
async function casting<T>(modelName: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    return wrapCast(err, modelName);
  }
}

/** The Mongoose find() for a compiled query. */
function findQuery<TRaw>(model: Model<TRaw>, query: MongoQuery) {
  const q = model.find(query.filter as mongoose.QueryFilter<TRaw>, query.projection);
  if (query.sort) q.sort(query.sort);
  if (query.skip) q.skip(query.skip);
  if (query.limit !== undefined) q.limit(query.limit);
  return q;
}

// Stages are compiled as plain objects, which Mongoose's PipelineStage
// union does not describe. Mongoose does not cast pipelines; the filter in
// $match was cast when it was compiled.
function runPipeline<TRaw>(model: Model<TRaw>, pipeline: readonly Record<string, unknown>[]) {
  return model.aggregate<Record<string, unknown>>(pipeline as unknown as mongoose.PipelineStage[]);
}

/** Every result of an annotated QuerySet, from one pipeline. */
async function fetchAnnotated<TRaw, TResult>(model: Model<TRaw>, props: Props): Promise<TResult[]> {
  const rows = await casting(model.modelName, () => runPipeline(model, compilePipeline(model, props)).exec());
  const projection = pipelineProjection(props, compileQuery(model, props).projection);
  return populateRows(
    model,
    props,
    rows.map((row) => annotatedResult(model, props, row, projection)),
  ) as Promise<TResult[]>;
}

/** Every result, as `qs.fetch()` gives them. */
export async function fetchAll<TRaw, TResult>(model: Model<TRaw>, props: Props): Promise<TResult[]> {
  props = await withRelatedIds(props);
  if (props.empty || props.limit === 0) return [];
  const ready = props;
  // selectRelated's references in the same command where the server has $lookup, else populate.
  const plan = selectPlan(ready, model.db.name);
  if (plan) {
    const join = () => fetchJoined<TRaw, TResult>(model, ready, plan);
    return joinOr(model.db, model.modelName, join, () => fetchFound<TRaw, TResult>(model, ready));
  }
  return fetchFound<TRaw, TResult>(model, ready);
}

/** Every result, with populate for the references. */
async function fetchFound<TRaw, TResult>(model: Model<TRaw>, props: Props): Promise<TResult[]> {
  if (isAnnotated(props)) return fetchAnnotated<TRaw, TResult>(model, props);
  const query = compileQuery(model, props);
  try {
    const q = withPopulate(findQuery(model, query), props);
    const found = props.lean ? await q.lean() : await q;
    return (props.values ? (found as Record<string, unknown>[]).map((d) => shapeRow(props, d)) : found) as TResult[];
  } catch (err) {
    return wrapCast(err, model.modelName);
  }
}

/** The results through a server cursor, as `qs.iterator(options)` streams them. */
export async function* iterate<TRaw, TResult>(
  model: Model<TRaw>,
  props: Props,
  options: { chunkSize?: number },
): AsyncGenerator<TResult> {
  props = await withRelatedIds(props);
  if (props.empty || props.limit === 0) return;
  const ready = props;
  const plan = selectPlan(ready, model.db.name);
  if (plan) {
    const fallback = () => iterateFound<TRaw, TResult>(model, ready, options);
    yield* iterateJoinedOr<TRaw, TResult>(model, ready, plan, options.chunkSize ?? 2000, fallback);
    return;
  }
  yield* iterateFound<TRaw, TResult>(model, ready, options);
}

/** The results through a server cursor, with populate for the references. */
async function* iterateFound<TRaw, TResult>(
  model: Model<TRaw>,
  props: Props,
  options: { chunkSize?: number },
): AsyncGenerator<TResult> {
  if (isAnnotated(props)) {
    const cursor = runPipeline(model, compilePipeline(model, props)).cursor({
      batchSize: options.chunkSize ?? 2000,
    });
    const projection = pipelineProjection(props, compileQuery(model, props).projection);
    for await (const row of cursor)
      yield annotatedResult(model, props, row as Record<string, unknown>, projection) as TResult;
    return;
  }
  const query = withPopulate(findQuery(model, compileQuery(model, props)), props).batchSize(options.chunkSize ?? 2000);
  const cursor = (props.lean ? query.lean() : query).cursor();
  try {
    for await (const doc of cursor) yield shapeRow(props, doc as Record<string, unknown>) as TResult;
  } catch (err) {
    wrapCast(err, model.modelName);
  }
}

/** The server's plan for the pipeline or the find(), as `qs.explain()` asks for it. */
export async function explainQuery<TRaw>(model: Model<TRaw>, props: Props): Promise<unknown> {
  props = await withRelatedIds(props);
  if (isAnnotated(props)) return runPipeline(model, compilePipeline(model, props)).explain();
  return casting(model.modelName, () => findQuery(model, compileQuery(model, props)).explain());
}

/**
 * The documents a QuerySet that filters on annotations matches, as a find()
 * filter: their ids, read through its pipeline (the annotations exist only
 * there), as Django's `pk__in` subquery. Its rows must be documents, not groups.
 */
async function matchesOf<TRaw>(model: Model<TRaw>, props: Props, method: string): Promise<mongoose.QueryFilter<TRaw>> {
  if (props.grouping) {
    throw new NotSupportedError(
      `${method}() cannot run on values(...).annotate(): its rows are groups, not documents. ` +
        'Filter the documents instead, e.g. filter({ rating__in: [...] }).',
    );
  }
  if (!filtersAnnotations(props)) return compileQuery(model, props).filter as mongoose.QueryFilter<TRaw>;
  const plain = { ...props, values: undefined, projection: undefined };
  const rows = await runPipeline(model, [...compilePipeline(model, plain), { $project: { _id: 1 } }]).exec();
  return { _id: { $in: rows.map((row) => row['_id']) } } as mongoose.QueryFilter<TRaw>;
}

/** `qs.count()`: how many documents match, within the slice. */
export async function countMatches<TRaw>(model: Model<TRaw>, props: Props): Promise<number> {
  props = await withRelatedIds(props);
  // The server refuses a limit of 0 (slice(n, n)); nothing is in that window anyway.
  if (props.empty || props.limit === 0) return 0;
  // Groups, or matches known only after the annotations: counted by the pipeline.
  if (props.grouping || filtersAnnotations(props)) {
    const pipeline = [
      ...compilePipeline(model, { ...props, values: undefined }),
      { $group: { _id: null, n: { $sum: 1 } } },
    ];
    const [row] = await runPipeline(model, pipeline).exec();
    return Number(row?.['n'] ?? 0);
  }
  const { filter, skip, limit } = compileQuery(model, props);
  return casting(model.modelName, () =>
    model.countDocuments(filter as mongoose.QueryFilter<TRaw>, { skip, limit }).exec(),
  );
}

/** `qs.exists()`: whether any document matches; reads at most one `_id`. */
export async function anyMatches<TRaw>(model: Model<TRaw>, props: Props): Promise<boolean> {
  props = await withRelatedIds(props);
  if (props.empty || props.limit === 0) return false;
  if (props.grouping || filtersAnnotations(props))
    return (await countMatches(model, props.limit === undefined ? { ...props, limit: 1 } : props)) > 0;
  const query = compileQuery(model, props);
  const found = await casting(model.modelName, () =>
    findQuery(model, { ...query, projection: { _id: 1 }, limit: 1 }).lean(),
  );
  return found.length > 0;
}

/**
 * `qs.distinct(field)`: the distinct values of a field among the matches,
 * with null when a match lacks the field. MongoDB's distinct leaves such a
 * document out; values()/valuesList() read it as null (lax mode), and
 * djongo's GROUP BY gives a NULL group, so distinct() agrees with them.
 */
export async function distinctValues<TRaw>(model: Model<TRaw>, props: Props, field: string): Promise<unknown[]> {
  props = await withRelatedIds(props);
  if (props.empty) return [];
  const path = fieldPath(scopeOf(model), field);
  const filter = await matchesOf(model, props, 'distinct');
  const lacking = { [path]: { $exists: false } };
  const [values, lacks] = await casting(model.modelName, () =>
    Promise.all([
      model.distinct(path, filter as mongoose.QueryFilter<TRaw>).exec() as Promise<unknown[]>,
      model
        .exists(
          (Object.keys(filter).length === 0 ? lacking : { $and: [filter, lacking] }) as mongoose.QueryFilter<TRaw>,
        )
        .exec(),
    ]),
  );
  // null sorts first in BSON order, as the server lists it when stored.
  return lacks && !values.includes(null) ? [null, ...values] : values;
}

// updateMany and deleteMany take no skip or limit: a sliced update or
// delete would change every match, so it is refused, as in Django.
function refuseSlice(props: Props, method: 'update' | 'delete'): void {
  if (props.skip === undefined && props.limit === undefined) return;
  throw new NotSupportedError(
    `Cannot use a slice (skip/limit) with ${method}(): it would change every match, not the slice. ` +
      `Select the documents first, e.g. filter({ pk__in: await qs.valuesList('pk', { flat: true }) }).${method}(…).`,
  );
}

/** `qs.update(changes, { upsert })`: how many documents matched, or were inserted. */
export async function updateMatches<TRaw>(
  model: Model<TRaw>,
  props: Props,
  changes: Readonly<Record<string, unknown>>,
  options: UpdateOptions = {},
): Promise<number> {
  refuseSlice(props, 'update');
  props = await withRelatedIds(props);
  const unchanged = Object.keys(changes).length === 0;
  // Django sends no UPDATE without columns; Mongoose would answer without a
  // count. An upsert still inserts, as MongoEngine's.
  if (props.empty || (unchanged && options.upsert !== true)) return 0;
  const update = unchanged ? insertOnlyUpdate(model.modelName, model.schema) : compileUpdate(scopeOf(model), changes);
  const filter = await matchesOf(model, props, 'update');
  const send = async () => {
    try {
      const result = await model
        .updateMany(
          filter,
          update as mongoose.UpdateQuery<TRaw>,
          updateOptions(model.modelName, update, filter, options),
        )
        .exec();
      return result.matchedCount + result.upsertedCount;
    } catch (err) {
      return wrapCast(refusedUpdate(err, model.modelName, update), model.modelName);
    }
  };
  // A pipeline (F() across fields) goes where PIPELINE_UPDATES says.
  return Array.isArray(update) ? runPipelineUpdate(model, filter, update, options.upsert === true, send) : send();
}

/** `qs.delete()`: how many documents were deleted. */
export async function deleteMatches<TRaw>(model: Model<TRaw>, props: Props): Promise<number> {
  refuseSlice(props, 'delete');
  props = await withRelatedIds(props);
  if (props.empty) return 0;
  const filter = await matchesOf(model, props, 'delete');
  // References to these documents declared with onDelete are followed (on-delete.ts).
  return casting(model.modelName, () =>
    deleteWithRules(model as unknown as Model<Record<string, unknown>>, filter as Record<string, unknown>),
  );
}

/**
 * Whether aggregate() folds distinct rows (values(...).distinct()) rather
 * than documents. values(...).annotate() rows are groups, distinct already.
 */
export function aggregatesDistinctRows(props: Props): boolean {
  return groupsRows(props) && props.grouping === undefined;
}

/** aggregate()'s one row; Count gives 0 and the others null (or their default) over no matches. */
export async function aggregateRow<TRaw, S extends AggregateSpec>(
  model: Model<TRaw>,
  props: Props,
  spec: S,
): Promise<AggregateResult<S>> {
  props = await withRelatedIds(props);
  const pipeline = aggregatesDistinctRows(props)
    ? compileDistinctAggregation(model, props, spec)
    : compilePipeline(model, props, spec);
  const names = Object.keys(spec);
  let row: Record<string, unknown> | undefined;
  if (names.length > 0 && !props.empty && props.limit !== 0) {
    [row] = await runPipeline(model, pipeline).exec();
  }
  return Object.fromEntries(
    // Over no rows, or where the server gives null: the aggregate's default (Django's Coalesce).
    names.map((name) => [name, row?.[name] ?? (spec[name]?.fn === 'count' ? 0 : (spec[name]?.default ?? null))]),
  ) as AggregateResult<S>;
}
