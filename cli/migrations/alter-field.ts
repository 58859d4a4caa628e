// AlterField on the database: a scan counts the stored values that cannot
// convert (any: nothing is written, UnconvertibleValuesError), then the
// server converts the values whose `$convert` answer is convertValue's
// (where it runs pipeline updates), and djongoose converts the rest in
// batched compare-and-set bulkWrites. A value written meanwhile that cannot
// convert is left as it was and counted. Idempotent: every pass takes only
// the values not yet of the new type.
import type { mongo } from 'mongoose';
import { UnconvertibleValuesError } from '../../core/errors.js';
import { isPipelineRefusal } from '../../manager/update-run.js';
import { convertValue, serverConversion, toConvert } from './convert.js';
import { describeOperation, type Operation } from './operations.js';
import type { ModelState } from './state.js';
import { rewriteInBatches } from './bulk.js';

/** What AlterField runs with (apply.ts's ApplyContext). */
export interface ConversionContext {
  readonly db: mongo.Db;
  /** Documents per bulkWrite of the values djongoose converts. */
  readonly batchSize: number;
  readonly onProgress?: (progress: { readonly label: string; readonly done: number; readonly total: number }) => void;
}

/** What AlterField did. */
export interface AlterFieldResult {
  readonly modified: number;
  /** `server`: a pipeline update converted what it could; `batched`: djongoose converted everything. */
  readonly via: 'server' | 'batched';
  /** Values left as they were because they cannot convert (written during the migration). */
  readonly unconverted: number;
}

const SAMPLE = 5;

// Per MongoClient: whether its server runs pipeline updates, probed once by
// an update that matches no document, so a refusal never comes half way
// through a migration.
const pipelineSupport = new WeakMap<object, Promise<boolean>>();

/**
 * Whether the server of `db` runs pipeline updates (capability
 * `pipelineUpdates`; FerretDB v1.24 and mongo-java-server refuse them),
 * asked once per client with an update of no document in `collection`.
 *
 * @example
 * ```ts
 * await runsPipelineUpdates(db, 'blogs'); // false on FerretDB v1.24
 * ```
 */
export function runsPipelineUpdates(db: mongo.Db, collection: string): Promise<boolean> {
  const known = pipelineSupport.get(db.client);
  if (known) return known;
  const probe = db
    .collection(collection)
    .updateOne({ _id: { $in: [] } }, [{ $set: { _id: '$_id' } }])
    .then(
      () => true,
      (err: unknown) => {
        if (isPipelineRefusal(err)) return false;
        pipelineSupport.delete(db.client); // another failure says nothing about the server: ask again next time
        throw err;
      },
    );
  pipelineSupport.set(db.client, probe);
  return probe;
}

type AlterField = Extract<Operation, { op: 'AlterField' }>;

async function refuseUnconvertible(collection: mongo.Collection, model: ModelState, op: AlterField): Promise<void> {
  let failed = 0;
  const sample: unknown[] = [];
  for await (const doc of collection.find(toConvert(op.name, op.to.type), { projection: { [op.name]: 1 } })) {
    if (convertValue(doc[op.name], op.to.type).ok) continue;
    failed++;
    if (sample.length < SAMPLE) sample.push(doc['_id']);
  }
  if (failed === 0) return;
  throw new UnconvertibleValuesError(
    `${model.name}.${op.name}: ${failed} stored value${failed === 1 ? '' : 's'} cannot convert from ${op.from.type} ` +
      `to ${op.to.type} (_ids: ${sample.map(String).join(', ')}). Nothing was written; fix those documents ` +
      '(or unset the field), then migrate again.',
    model.name,
    failed,
    sample,
  );
}

function convertBatched(ctx: ConversionContext, collection: mongo.Collection, op: AlterField): Promise<number> {
  return rewriteInBatches(
    ctx,
    collection,
    toConvert(op.name, op.to.type),
    { [op.name]: 1 },
    describeOperation(op),
    (doc) => {
      const converted = convertValue(doc[op.name], op.to.type);
      // Compare-and-set: a value changed since the read is left for the next run.
      return converted.ok
        ? {
            updateOne: {
              filter: { _id: doc['_id'], [op.name]: doc[op.name] },
              update: { $set: { [op.name]: converted.value } },
            },
          }
        : undefined;
    },
  );
}

/**
 * Converts the stored values of an AlterField's field to its new type, or
 * raises UnconvertibleValuesError (with the count and a sample of `_id`s)
 * before writing anything when some cannot convert.
 *
 * @example
 * ```ts
 * await alterField(ctx, blogState, { op: 'AlterField', model: 'Blog', name: 'rank', from, to });
 * // { modified: 2, via: 'batched', unconverted: 0 }
 * ```
 */
export async function alterField(ctx: ConversionContext, model: ModelState, op: AlterField): Promise<AlterFieldResult> {
  const collection = ctx.db.collection(model.collection);
  await refuseUnconvertible(collection, model, op);
  const server = serverConversion(op.name, op.to.type);
  let modified = 0;
  let via: AlterFieldResult['via'] = 'batched';
  if (server && (await runsPipelineUpdates(ctx.db, model.collection))) {
    const filter = { $and: [toConvert(op.name, op.to.type), server.filter] };
    modified += (await collection.updateMany(filter, server.pipeline)).modifiedCount;
    via = 'server';
  }
  modified += await convertBatched(ctx, collection, op);
  return { modified, via, unconverted: await collection.countDocuments(toConvert(op.name, op.to.type)) };
}
