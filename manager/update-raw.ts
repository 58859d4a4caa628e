// The explicit raw door of update(), MongoEngine's `update(__raw__={...})`:
// `update({ __raw__: RawUpdate({ $set: { 'a.b': 1 } }) })` merges a MongoDB
// update document into the compiled one. As Raw(...) for filters, the raw
// update is a class instance made in code; a `__raw__` key whose value is a
// plain object (what JSON.parse, qs or URLSearchParams make) is refused, so
// `update(req.body)` never sends a client's operators.
//
// RawUpdate([...stages]) is MongoEngine's `update(__raw__=[...])`: an
// aggregation pipeline update, sent as the pipeline F() across fields makes
// (after the update keys' own $set stage). A plain array under `__raw__`,
// which JSON.parse and qs make too, is refused like a plain object, and each
// stage must be one of the stages MongoDB runs in an update.
import { brand } from '../core/brand.js';
import { FieldError } from '../core/errors.js';
import { describe, isPlainObject } from '../core/values.js';

/**
 * A raw MongoDB update document, made only by {@link RawUpdate}: a frozen
 * class instance, which request data cannot produce.
 *
 * @example
 * ```ts
 * const raw = RawUpdate({ $inc: { 'data.hits': 1 } });
 * raw instanceof RawUpdateDocument; // true, and raw.update is { $inc: { 'data.hits': 1 } }
 * ```
 */
export class RawUpdateDocument {
  static {
    brand(this, 'RawUpdateDocument');
  }

  readonly kind = 'rawUpdate' as const;

  constructor(readonly update: RawUpdateOperators | RawUpdateStages) {
    Object.freeze(this);
  }
}

/** A raw update document: operators (`$set`, `$inc`, …), each with an object of paths. */
export type RawUpdateOperators = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** A stage MongoDB runs in a pipeline update. */
export type RawUpdateStage =
  | { readonly $set: Readonly<Record<string, unknown>> }
  | { readonly $addFields: Readonly<Record<string, unknown>> }
  | { readonly $unset: string | readonly string[] }
  | { readonly $project: Readonly<Record<string, unknown>> }
  | { readonly $replaceRoot: { readonly newRoot: unknown } }
  | { readonly $replaceWith: unknown };

/** An aggregation pipeline update: one stage or more. */
export type RawUpdateStages = readonly [RawUpdateStage, ...RawUpdateStage[]];

/** The stages MongoDB runs in a pipeline update (its documented list). */
const UPDATE_STAGES = ['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith'];

function isUpdateStage(stage: unknown): boolean {
  if (!isPlainObject(stage)) return false;
  const keys = Object.keys(stage);
  return keys.length === 1 && UPDATE_STAGES.includes(keys[0] as string);
}

/**
 * A raw MongoDB update for `update({ __raw__: … })`, sent as given (Mongoose
 * still casts an operator document by the schema). Either an update document
 * whose keys are update operators (`$set`, `$inc`, …), each with an object of
 * paths, or, as MongoEngine's `update(__raw__=[...])`, an aggregation
 * pipeline of update stages (`$set`/`$addFields`, `$unset`/`$project`,
 * `$replaceRoot`/`$replaceWith`), which servers before MongoDB 4.2 refuse
 * with a NotSupportedError.
 *
 * @example
 * ```ts
 * await Entry.objects.filter({ headline: 'Hey Jude' }).update({ rating: 5, __raw__: RawUpdate({ $inc: { 'data.hits': 1 } }) });
 * // updateMany(filter, { $set: { rating: 5 }, $inc: { 'data.hits': 1 } })
 * await Entry.objects.update({ __raw__: RawUpdate([{ $set: { headline: { $concat: ['$headline', '!'] } } }]) });
 * // updateMany({}, [{ $set: { headline: { $concat: ['$headline', '!'] } } }], { updatePipeline: true })
 * ```
 */
export function RawUpdate(update: RawUpdateOperators | RawUpdateStages): RawUpdateDocument {
  if (Array.isArray(update)) {
    if (update.length === 0 || !update.every(isUpdateStage)) {
      throw new FieldError(
        'RawUpdate([...]) takes an update pipeline: one stage or more, each an object with one of ' +
          `${UPDATE_STAGES.join(', ')}, e.g. RawUpdate([{ $set: { slug: { $concat: ['$slug', '!'] } } }]); ` +
          `got ${describe(update)}.`,
      );
    }
    return new RawUpdateDocument(Object.freeze([...update]) as unknown as RawUpdateStages);
  }
  const entries = isPlainObject(update) ? Object.entries(update) : [];
  if (entries.length === 0 || entries.some(([op, paths]) => !op.startsWith('$') || !isPlainObject(paths))) {
    throw new FieldError(
      'RawUpdate(...) takes a MongoDB update document of operators, each with an object of paths, ' +
        `e.g. RawUpdate({ $inc: { 'data.hits': 1 } }), or an update pipeline, RawUpdate([{ $set: … }]); ` +
        `got ${describe(update)}.`,
    );
  }
  return new RawUpdateDocument(update as RawUpdateOperators);
}

/** Why a `__raw__` value that is not a RawUpdate is refused. */
export const RAW_UPDATE_REFUSED =
  'a "__raw__" update key takes RawUpdate({ ... }), made in code (import { RawUpdate } from "djongoose"), ' +
  'not a plain object, since update objects may come from a request';

/**
 * The `__raw__` value as a RawUpdateDocument, or a FieldError: a plain object
 * or array may come from a request.
 *
 * @example
 * ```ts
 * rawUpdateOf('Entry', RawUpdate([{ $set: { a: '$b' } }])).update; // [{ $set: { a: '$b' } }]
 * rawUpdateOf('Entry', JSON.parse('[{"$set": {"a": "$b"}}]')); // FieldError naming RawUpdate
 * ```
 */
export function rawUpdateOf(modelName: string, raw: unknown): RawUpdateDocument {
  if (!(raw instanceof RawUpdateDocument)) {
    throw new FieldError(`${modelName}: ${RAW_UPDATE_REFUSED}; got ${describe(raw)}.`);
  }
  return raw;
}

/**
 * Merges a raw update document into compiled operators; a path both write is
 * a {@link FieldError}, as for two update keys on one field.
 *
 * @example
 * ```ts
 * mergeRawUpdate('Entry', { $set: { rating: 5 } }, RawUpdate({ $inc: { views: 1 } }));
 * // { $set: { rating: 5 }, $inc: { views: 1 } }
 * ```
 */
export function mergeRawUpdate(
  modelName: string,
  update: Record<string, Record<string, unknown>>,
  raw: unknown,
): Record<string, Record<string, unknown>> {
  const { update: rawUpdate } = rawUpdateOf(modelName, raw);
  if (Array.isArray(rawUpdate))
    throw new FieldError(`${modelName}: a raw update pipeline is not merged into operators.`);
  const written = new Set(Object.values(update).flatMap((paths) => Object.keys(paths)));
  const merged: Record<string, Record<string, unknown>> = { ...update };
  for (const [op, paths] of Object.entries(rawUpdate as RawUpdateOperators)) {
    for (const path of Object.keys(paths)) {
      if (written.has(path)) {
        throw new FieldError(
          `${modelName}: the raw update and an update key both change ${path}; one update changes each field once.`,
        );
      }
    }
    merged[op] = { ...merged[op], ...paths };
  }
  return merged;
}
