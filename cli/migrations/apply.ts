// What each operation does to the database. Every one is idempotent (a
// filter picks only the documents still to change), so a migration killed
// half way finishes on the next run with the same result. Work runs on the
// server: one updateMany per field operation; only AlterField's conversion
// and AddAutoIncrement's numbering go document by document, in batched
// bulkWrites.
import type { mongo } from 'mongoose';
import { MigrationError } from '../../core/errors.js';
import { maxId, raiseSeq, reserveIds, SCHEMA_COLLECTION, writeSchemaFields } from '../../core/schema-collection.js';
import { isDuplicateKey } from '../../core/values.js';
import { collectionNames } from '../models.js';
import { alterField } from './alter-field.js';
import { bulkUpdate } from './bulk.js';
import { applyInside, reachesInside } from './embedded-apply.js';
import { createIndexOptions, indexRefused } from './indexes.js';
import { describeOperation, type Operation } from './operations.js';
import type { ApplyContext, OperationResult } from './context.js';
import type { IndexState, ModelState, ProjectState } from './state.js';

export type { ApplyContext, OperationProgress, OperationResult } from './context.js';

function modelIn(state: ProjectState, name: string): ModelState {
  const model = state[name];
  if (!model)
    throw new MigrationError(`The migrations name a model ${JSON.stringify(name)} no migration creates.`, name);
  return model;
}

async function createIndex(db: mongo.Db, model: ModelState, index: IndexState): Promise<void> {
  try {
    await db
      .collection(model.collection)
      .createIndex(index.keys as mongo.IndexSpecification, createIndexOptions(index));
  } catch (err) {
    if (!isDuplicateKey(err)) throw indexRefused(model.name, index, err);
    throw new MigrationError(
      `${model.name}: the unique index ${index.name} cannot be built, stored documents share a value of ` +
        `${Object.keys(index.keys).join(', ')}. Make them unique, then migrate again.`,
      model.name,
    );
  }
}

async function dropIndex(db: mongo.Db, model: ModelState, name: string): Promise<void> {
  const indexes = await db
    .collection(model.collection)
    .indexes()
    .catch(() => []);
  if (indexes.some((index) => index.name === name)) await db.collection(model.collection).dropIndex(name);
}

async function createModel(db: mongo.Db, model: ModelState): Promise<void> {
  if (!(await collectionNames(db)).has(model.collection)) await db.createCollection(model.collection);
  for (const index of model.indexes) await createIndex(db, model, index);
  const fields = Object.fromEntries(
    Object.entries(model.fields).flatMap(([key, f]) => (f.typeCode ? [[key, { type_code: f.typeCode }]] : [])),
  );
  if (model.autoField) {
    await raiseSeq(db, model.collection, model.autoField, await maxId(db, model.collection, model.autoField), fields);
  } else if (Object.keys(fields).length > 0) {
    await writeSchemaFields(db, model.collection, fields);
  }
}

async function deleteModel(db: mongo.Db, model: ModelState): Promise<void> {
  if ((await collectionNames(db)).has(model.collection)) await db.collection(model.collection).drop();
  await db.collection(SCHEMA_COLLECTION).deleteOne({ name: model.collection });
}

async function renameModel(db: mongo.Db, from: ModelState, collection: string): Promise<void> {
  const names = await collectionNames(db);
  if (names.has(from.collection) && !names.has(collection)) await db.renameCollection(from.collection, collection);
  await db.collection(SCHEMA_COLLECTION).updateOne({ name: from.collection }, { $set: { name: collection } });
}

/** Sets `__schema__`'s `fields.<name>` where the entry lists fields (djongo's column types). */
async function schemaField(
  db: mongo.Db,
  collection: string,
  update: mongo.UpdateFilter<mongo.Document>,
): Promise<void> {
  await db.collection(SCHEMA_COLLECTION).updateOne({ name: collection, fields: { $exists: true } }, update);
}

async function serverUpdate(
  ctx: ApplyContext,
  label: string,
  collection: string,
  filter: mongo.Filter<mongo.Document>,
  update: mongo.UpdateFilter<mongo.Document>,
): Promise<number> {
  const target = ctx.db.collection(collection);
  // The bar counts the documents the updateMany looks at: the whole collection, whose size the
  // server keeps. Counting the filter's matches instead would read the collection a second time
  // (the filter is on an unindexed field): up to twice the cost of the backfill itself.
  const total = ctx.onProgress ? await target.estimatedDocumentCount() : 0;
  ctx.onProgress?.({ label, done: 0, total });
  const result = await target.updateMany(filter, update);
  ctx.onProgress?.({ label, done: total, total });
  return result.modifiedCount;
}

async function addAutoIncrement(ctx: ApplyContext, model: ModelState, field: string): Promise<number> {
  const collection = ctx.db.collection(model.collection);
  const missing = { $or: [{ [field]: { $exists: false } }, { [field]: null }] };
  await raiseSeq(ctx.db, model.collection, field, await maxId(ctx.db, model.collection, field));
  // Documents stored without ids get the next ones, oldest _id first, as djongo's counter would have.
  let numbered = 0;
  for (;;) {
    const docs = await collection
      .find(missing, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .limit(ctx.batchSize)
      .toArray();
    if (docs.length === 0) return numbered;
    const first = await reserveIds(ctx.db, model.collection, field, docs.length);
    const writes = docs.map((doc, i) => ({
      updateOne: { filter: { _id: doc['_id'], ...missing }, update: { $set: { [field]: first + i } } },
    }));
    numbered += await bulkUpdate(collection, writes);
  }
}

/**
 * Runs one operation on the database. `before` is the project state the
 * operation starts from (where it finds collection names and indexes).
 *
 * @example
 * ```ts
 * await applyOperation({ op: 'RemoveField', model: 'Blog', name: 'tagline', field }, state, { db, batchSize: 1000 });
 * // { operation: 'Remove field tagline from Blog', modified: 2, via: 'server' }
 * ```
 */
export async function applyOperation(op: Operation, before: ProjectState, ctx: ApplyContext): Promise<OperationResult> {
  const operation = describeOperation(op);
  const done = (modified: number, via: 'server' | 'batched' = 'server'): OperationResult => ({
    operation,
    modified,
    via,
  });
  const { db } = ctx;
  const inside = reachesInside(op);
  if (inside) {
    const result = await applyInside(inside, modelIn(before, inside.model), ctx);
    return done(result.modified, result.via);
  }
  switch (op.op) {
    case 'CreateModel':
      await createModel(db, op.model);
      return done(0);
    case 'DeleteModel':
      await deleteModel(db, op.model);
      return done(0);
    case 'RenameModel':
      await renameModel(db, modelIn(before, op.from), op.collection);
      return done(0);
    case 'AddField': {
      const model = modelIn(before, op.model);
      if (op.field.typeCode)
        await schemaField(db, model.collection, { $set: { [`fields.${op.name}`]: { type_code: op.field.typeCode } } });
      return done(
        await serverUpdate(
          ctx,
          operation,
          model.collection,
          { [op.name]: { $exists: false } },
          { $set: { [op.name]: op.backfill } },
        ),
      );
    }
    case 'RemoveField': {
      const model = modelIn(before, op.model);
      await schemaField(db, model.collection, { $unset: { [`fields.${op.name}`]: '' } });
      return done(
        await serverUpdate(
          ctx,
          operation,
          model.collection,
          { [op.name]: { $exists: true } },
          { $unset: { [op.name]: '' } },
        ),
      );
    }
    case 'RenameField': {
      const model = modelIn(before, op.model);
      await db
        .collection(SCHEMA_COLLECTION)
        .updateOne(
          { name: model.collection, [`fields.${op.from}`]: { $exists: true } },
          { $rename: { [`fields.${op.from}`]: `fields.${op.to}` } },
        );
      const filter = { [op.from]: { $exists: true }, [op.to]: { $exists: false } };
      return done(await serverUpdate(ctx, operation, model.collection, filter, { $rename: { [op.from]: op.to } }));
    }
    case 'AlterField': {
      const model = modelIn(before, op.model);
      // Only its options changed (required, default): no stored value has another type to take.
      if (op.from.type === op.to.type) return done(0);
      const result = await alterField(ctx, model, op);
      if (op.to.typeCode)
        await schemaField(db, model.collection, { $set: { [`fields.${op.name}`]: { type_code: op.to.typeCode } } });
      return { ...done(result.modified, result.via), unconverted: result.unconverted };
    }
    case 'AddIndex':
      await createIndex(db, modelIn(before, op.model), op.index);
      return done(0);
    case 'RemoveIndex':
      await dropIndex(db, modelIn(before, op.model), op.index.name);
      return done(0);
    case 'AlterUnique': {
      const model = modelIn(before, op.model);
      const old = model.indexes.find((index) => index.name === op.index.name);
      await dropIndex(db, model, op.index.name);
      try {
        await createIndex(db, model, op.index);
      } catch (err) {
        if (old) await createIndex(db, model, old); // puts the old index back: nothing changed
        throw err;
      }
      return done(0);
    }
    case 'AddAutoIncrement':
      return done(await addAutoIncrement(ctx, modelIn(before, op.model), op.field), 'batched');
    case 'RemoveAutoIncrement':
      await db
        .collection(SCHEMA_COLLECTION)
        .updateOne({ name: modelIn(before, op.model).collection }, { $unset: { auto: '' } });
      return done(0);
    case 'RunScript':
      await op.up({ db });
      return done(0);
  }
}
