// The explicit raw door of update(), MongoEngine's `update(__raw__={...})`:
// `update({ __raw__: RawUpdate({ $set: { 'a.b': 1 } }) })` merges a MongoDB
// update document into the compiled one. As Raw(...) for filters, the raw
// update is a class instance made in code; a `__raw__` key whose value is a
// plain object (what JSON.parse, qs or URLSearchParams make) is refused, so
// `update(req.body)` never sends a client's operators.
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

  constructor(readonly update: Readonly<Record<string, Readonly<Record<string, unknown>>>>) {
    Object.freeze(this);
  }
}

/**
 * A raw MongoDB update for `update({ __raw__: … })`, sent as given (Mongoose
 * still casts it by the schema). Its keys are update operators (`$set`,
 * `$inc`, …), each with an object of paths.
 *
 * @example
 * ```ts
 * await Entry.objects.filter({ headline: 'Hey Jude' }).update({ rating: 5, __raw__: RawUpdate({ $inc: { 'data.hits': 1 } }) });
 * // updateMany(filter, { $set: { rating: 5 }, $inc: { 'data.hits': 1 } })
 * ```
 */
export function RawUpdate(update: Readonly<Record<string, Readonly<Record<string, unknown>>>>): RawUpdateDocument {
  const entries = isPlainObject(update) ? Object.entries(update) : [];
  if (entries.length === 0 || entries.some(([op, paths]) => !op.startsWith('$') || !isPlainObject(paths))) {
    throw new FieldError(
      'RawUpdate(...) takes a MongoDB update document of operators, each with an object of paths, ' +
        `e.g. RawUpdate({ $inc: { 'data.hits': 1 } }); got ${describe(update)}.`,
    );
  }
  return new RawUpdateDocument(update);
}

/** Why a `__raw__` value that is not a RawUpdate is refused. */
export const RAW_UPDATE_REFUSED =
  'a "__raw__" update key takes RawUpdate({ ... }), made in code (import { RawUpdate } from "djongoose"), ' +
  'not a plain object, since update objects may come from a request';

/**
 * Merges a raw update into compiled operators; a path both write is a
 * {@link FieldError}, as for two update keys on one field.
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
  if (!(raw instanceof RawUpdateDocument)) {
    throw new FieldError(`${modelName}: ${RAW_UPDATE_REFUSED}; got ${describe(raw)}.`);
  }
  const written = new Set(Object.values(update).flatMap((paths) => Object.keys(paths)));
  const merged: Record<string, Record<string, unknown>> = { ...update };
  for (const [op, paths] of Object.entries(raw.update)) {
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
