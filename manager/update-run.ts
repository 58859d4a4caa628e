// How a compiled update is sent, and what its refusals mean: the options
// updateMany gets (upsert, and Mongoose's `updatePipeline` only for the
// updates that are pipelines), and the server's refusals as typed errors.
import mongoose from 'mongoose';
import { FieldError, NotSupportedError, ValidationError } from '../core/errors.js';
import type { CompiledUpdate } from './update.js';
import { checkMatchedPositions } from './update-paths.js';

/** Options of `update()`. */
export interface UpdateOptions {
  /**
   * Insert a document when none matches, MongoEngine's `update(upsert=True)`:
   * built from the filter's equalities, the update and the schema's
   * defaults; `set_on_insert__` keys are written only then.
   */
  readonly upsert?: boolean;
}

/**
 * The options updateMany is given for a compiled update. Mongoose 9 refuses
 * an array (a pipeline) unless `updatePipeline` is set: only the updates
 * that need one (F() across fields) are pipelines, so only they set it.
 *
 * @example
 * ```ts
 * updateOptions('Entry', [{ $set: { likes: '$views' } }], {}, {}); // { strict: 'throw', updatePipeline: true }
 * ```
 */
export function updateOptions(
  modelName: string,
  update: CompiledUpdate,
  filter: Readonly<Record<string, unknown>>,
  options: UpdateOptions,
): mongoose.MongooseUpdateQueryOptions {
  if (!Array.isArray(update)) checkMatchedPositions(modelName, update, filter);
  return {
    // strict: 'throw': a key Mongoose's schema does not have.
    strict: 'throw',
    ...(Array.isArray(update) ? { updatePipeline: true } : {}),
    ...(options.upsert === true ? { upsert: true } : {}),
  };
}

/**
 * The update an upsert with no changes sends: MongoEngine's
 * `update(upsert=True)` still inserts (the filter's equalities, the schema's
 * defaults), where it adds `_cls` to an otherwise empty update. The version
 * key plays that part here: `$setOnInsert` of the `__v: 0` a created document
 * has, which changes nothing in a document that matches. A schema without
 * a version key has nothing to send, as MongoEngine without `_cls`: a
 * {@link FieldError} says to give a change.
 *
 * @example
 * ```ts
 * insertOnlyUpdate('Person', Person.schema); // { $setOnInsert: { __v: 0 } }
 * ```
 */
export function insertOnlyUpdate(modelName: string, schema: mongoose.Schema): CompiledUpdate {
  const versionKey: unknown = schema.get('versionKey');
  if (typeof versionKey !== 'string' || versionKey === '') {
    throw new FieldError(
      `${modelName}: update({}, { upsert: true }) has nothing to send, as ${modelName}'s schema has no version key; ` +
        "give a change, e.g. update({ set_on_insert__name: 'Bob' }, { upsert: true }).",
    );
  }
  return { $setOnInsert: { [versionKey]: 0 } };
}

// TypeMismatch, BadValue, PathNotViable, and mongo-java-server's codes for
// $addToSet and $pop on a non-array: the update is well formed, but a value
// stored inside a JSON field has another type than it expects. Typed fields
// are checked before sending (update-values.ts); inside JSON only the server
// knows what is stored.
const STORED_VALUE_CODES = new Set([2, 14, 28, 10141, 10143]);

// How the emulators refuse a pipeline update (capability pipelineUpdates):
// FerretDB v1.24 "BSON field 'update.updates.u' is the wrong type 'array'",
// mongo-java-server "java.util.ArrayList cannot be cast to … Document".
const PIPELINE_REFUSED = /update\.updates\.u' is the wrong type 'array'|ArrayList cannot be cast/;

/**
 * True for a server's refusal of a pipeline update as such (not of what it
 * computes): the emulators' known messages.
 *
 * @example
 * ```ts
 * isPipelineRefusal(serverError); // true on FerretDB v1.24 and mongo-java-server for [{ $set: … }]
 * ```
 */
export function isPipelineRefusal(err: unknown): boolean {
  return err instanceof mongoose.mongo.MongoServerError && PIPELINE_REFUSED.test(err.message);
}
// MongoDB's refusal of a zero divisor in a pipeline ($divide, $mod).
const BY_ZERO = /can't \$(?:divide|mod) by zero/;
/**
 * The server's refusal of a zero divisor in an F() (`$divide`, `$mod`), as a
 * {@link ValidationError}, as djongoose's own evaluation gives it; undefined
 * for any other error.
 *
 * @example
 * ```ts
 * zeroDivisor(serverError, 'Entry', ''); // ValidationError "Entry: … can't $divide by zero …"
 * ```
 */
export function zeroDivisor(err: unknown, modelName: string, after: string): ValidationError | undefined {
  if (!(err instanceof mongoose.mongo.MongoServerError)) return undefined;
  const found = BY_ZERO.exec(err.message);
  if (!found) return undefined;
  return new ValidationError(
    `${modelName}: an F() expression cannot be computed: ${found[0]}, as the server refused it. Give values ` +
      `the operators take (a non-zero divisor).${after === '' ? '' : ` ${after}`}`,
    modelName,
    { cause: err },
  );
}

// FerretDB v1.24 refuses the positional $ (capability positionalUpdates).
const POSITIONAL_REFUSED = /Cannot create field '\$'/;

/**
 * The server's refusal of an update as a typed error: a pipeline or a
 * positional `$` the server does not run is a {@link NotSupportedError}, a value that does not fit
 * what is stored inside a JSON field a {@link ValidationError}; anything else
 * is returned as it is.
 *
 * @example
 * ```ts
 * refusedUpdate(serverError, 'Entry', [{ $set: { likes: '$views' } }]); // NotSupportedError on mongo-java-server
 * ```
 */
export function refusedUpdate(err: unknown, modelName: string, update: CompiledUpdate): unknown {
  if (!(err instanceof mongoose.mongo.MongoServerError)) return err;
  if (Array.isArray(update) && PIPELINE_REFUSED.test(err.message)) {
    return new NotSupportedError(
      `${modelName}: this server does not run pipeline updates, which F() across fields and RawUpdate([...stages]) ` +
        "need (e.g. update({ likes: F('views') })); MongoDB 4.2 and later do. Nothing was written. " +
        "Settings PIPELINE_UPDATES: 'auto' or 'client' have djongoose compute such updates itself.",
      { cause: err },
    );
  }
  if (!Array.isArray(update) && POSITIONAL_REFUSED.test(err.message)) {
    return new NotSupportedError(
      `${modelName}: this server does not run the positional $ in updates, which S in an update key ` +
        '(inc__comments__S__votes) needs; MongoDB does. Name the element by its number instead (inc__comments__0__votes).',
      { cause: err },
    );
  }
  // What djongoose's own evaluation of the pipeline says (update-fallback.ts), on a server that runs it.
  if (Array.isArray(update)) {
    const zero = zeroDivisor(err, modelName, 'Documents updated before the refused one keep their change.');
    if (zero) return zero;
  }
  if (!STORED_VALUE_CODES.has(Number(err.code))) return err;
  return new ValidationError(
    `${modelName}: the server refused the update, as it does not fit a value stored inside a JSON field ` +
      `(${err.message.split(' in document ')[0]}). Give a value that fits what is stored, e.g. a list for ` +
      'push__/pull__, a number for inc__. Documents changed before the refused one keep their change.',
    modelName,
    { cause: err },
  );
}
