// A pipeline update computed in djongoose, for servers that refuse pipeline
// updates (MongoDB before 4.2, FerretDB v1, mongo-java-server): the matching
// documents are read in batches of _id and the fields the pipeline reads,
// the pipeline's stages run in JavaScript (pipeline-stages.ts), and each
// document is written with a compare-and-set, an updateOne whose filter
// holds every field read at the value read. A concurrent writer makes it
// match nothing: the document is read again and computed again.
//
// The driver is used directly: values keep their BSON types (read with
// promoteValues: false, written as computed), as the server's own pipeline
// would, and Mongoose's update middleware, which the server's pipeline
// update would have run, has already run or has nothing to see (an array).
import type mongoose from 'mongoose';
import type { Model } from 'mongoose';
import { ConcurrentUpdateError, NotSupportedError, ValidationError } from '../core/errors.js';
import { applyPlan, planPipeline, type DocumentUpdate, type PipelinePlan } from './pipeline-stages.js';
import { ExpressionError } from './pipeline-numbers.js';

type Doc = Record<string, unknown>;

/** How the fallback runs: retries and batch size, and a test's hook before each write. */
export interface FallbackOptions {
  /** Compare-and-set attempts per document before ConcurrentUpdateError; default 10. */
  readonly attempts?: number;
  /** Documents read per batch; default 500. */
  readonly batchSize?: number;
  /** Called before each compare-and-set (tests race a writer here). */
  readonly beforeWrite?: (id: unknown, attempt: number) => Promise<void>;
}

// Mongoose adds this stage to a pipeline update of a schema with timestamps.
function withTimestamps(model: Model<never>, pipeline: readonly Doc[]): readonly Doc[] {
  const timestamps: unknown = model.schema.get('timestamps');
  if (!timestamps) return pipeline;
  const updatedAt =
    typeof timestamps === 'object' && 'updatedAt' in timestamps
      ? (timestamps as { updatedAt?: unknown }).updatedAt
      : 'updatedAt';
  if (updatedAt === false) return pipeline;
  const name = typeof updatedAt === 'string' ? updatedAt : 'updatedAt';
  return [...pipeline, { $set: { [name]: { $literal: new Date() } } }];
}

/** A field read, as the compare-and-set expects it: the value read, or absent. */
function unchanged(doc: Doc, field: string): Doc {
  if (!Object.hasOwn(doc, field)) return { [field]: { $exists: false } };
  // { $eq: null } would also match a missing field.
  if (doc[field] === null) return { [field]: { $type: 'null' } };
  return { [field]: { $eq: doc[field] } };
}

function asUpdate(update: DocumentUpdate): Doc {
  const out: Doc = {};
  if (Object.keys(update.$set).length > 0) out['$set'] = update.$set;
  if (Object.keys(update.$unset).length > 0) out['$unset'] = update.$unset;
  return out;
}

// Fields computed from a Decimal128 field would need exact decimal
// arithmetic, which JS lacks: refused before anything is read or written.
function refuseDecimalFields(model: Model<never>, plan: PipelinePlan): void {
  const decimal = plan.operands.filter((path) => model.schema.path(path)?.instance === 'Decimal128');
  if (decimal.length === 0) return;
  throw new NotSupportedError(
    `${model.modelName}: the update computes with ${decimal.join(', ')}, a Decimal128 field; djongoose's own ` +
      'evaluation of pipeline updates, for a server without them, computes int, long and double numbers only, ' +
      'as JavaScript has no exact decimal arithmetic. Use a server that runs pipeline updates (MongoDB 4.2 and ' +
      'later). Nothing was written.',
  );
}

function computed(model: Model<never>, plan: PipelinePlan, doc: Doc): Doc {
  try {
    return asUpdate(applyPlan(plan, doc));
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    throw new ValidationError(
      `${model.modelName}: the update of ${plan.writes.join(', ')} cannot be computed for the document ${String(doc['_id'])}: ${err.message}, ` +
        'as MongoDB would refuse it. Give values the operators take (numbers for arithmetic, a non-zero divisor). ' +
        'Documents updated before this one keep their change.',
      `${model.modelName}.${plan.writes.join(', ')}`,
      { cause: err },
    );
  }
}

/**
 * Runs a pipeline update in djongoose over the documents matching `filter`
 * (already compiled; cast here as Mongoose casts it) and returns how many
 * were updated. Throws {@link NotSupportedError} before anything is read for
 * a stage or operator it does not compute, or a Decimal128 operand field;
 * {@link ConcurrentUpdateError} when a document keeps changing under it.
 *
 * @example
 * ```ts
 * await pipelineFallback(Entry, { rating: { $gte: 3 } }, [{ $set: { likes: { $add: ['$views', 1] } } }], false);
 * // 2: each matching document read, computed, written with { _id, views: <read> } as its filter
 * ```
 */
export async function pipelineFallback<TRaw>(
  model: Model<TRaw>,
  filter: Readonly<Doc>,
  pipeline: readonly Doc[],
  upsert: boolean,
  options: FallbackOptions = {},
): Promise<number> {
  const any = model as unknown as Model<never>;
  const plan = planPipeline(withTimestamps(any, pipeline));
  refuseDecimalFields(any, plan);
  if (upsert) {
    throw new NotSupportedError(
      `${model.modelName}: update(…, { upsert: true }) with F() across fields needs the server's pipeline update, ` +
        'which this server does not run; djongoose computes such an update only for documents that exist. ' +
        'Create the document first (getOrCreate), then update it. Nothing was written.',
    );
  }
  const matching = model.find(filter as mongoose.QueryFilter<TRaw>).cast(model) as Doc;
  const db = model.db.getClient().db(model.db.name);
  const collection = db.collection<Doc>(model.collection.collectionName);
  const projection = Object.fromEntries(plan.reads.filter((f) => f !== '_id').map((f) => [f, 1]));
  const read = { projection, promoteValues: false } as const;
  const attempts = options.attempts ?? 10;
  const batchSize = options.batchSize ?? 500;
  let updated = 0;
  let last: unknown;
  for (;;) {
    // Walking forward by _id, which the update never changes, reads each
    // document once, whatever index the filter uses and however it moves.
    const where = last === undefined ? matching : { $and: [matching, { _id: { $gt: last } }] };
    const batch = await collection.find(where, read).sort({ _id: 1 }).limit(batchSize).toArray();
    for (const first of batch) {
      let doc: Doc | null = first;
      for (let attempt = 1; doc !== null; attempt++) {
        if (attempt > attempts) {
          throw new ConcurrentUpdateError(
            `${model.modelName}: the document ${String(first['_id'])} changed under the update ${attempts} times ` +
              `(another writer kept changing ${plan.reads.join(', ')}); djongoose computes this update per document ` +
              'on this server, as it does not run pipeline updates. Documents before it were updated; run the update again.',
            first['_id'],
          );
        }
        const update = computed(any, plan, doc);
        await options.beforeWrite?.(first['_id'], attempt);
        const guard = [matching, { _id: first['_id'] }, ...plan.reads.map((f) => unchanged(doc as Doc, f))];
        const result = await collection.updateOne({ $and: guard }, update);
        if (result.matchedCount === 1) {
          updated++;
          break;
        }
        // Changed, deleted, or no longer matching: read it again, or skip it.
        doc = await collection.findOne({ $and: [matching, { _id: first['_id'] }] }, read);
      }
    }
    if (batch.length < batchSize) return updated;
    last = batch[batch.length - 1]?.['_id'];
  }
}
