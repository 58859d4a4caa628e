// The project state migrations work on: per model, its collection, fields,
// indexes and auto field, as plain frozen data. Built two ways: from the
// loaded models (what the code says now) and by folding the operations of
// the migration files (what the database has been told). The autodetector
// compares the two.
import type { IndexDefinition, IndexOptions } from 'mongoose';
import { shapeOf } from '../../core/schema-shape.js';
import { djongoFieldTypes } from '../../core/schema-collection.js';
import { fieldState, type FieldState } from './field-state.js';
import { autoIncrementField, modelList, type CommandModel, type CommandModels } from '../models.js';
import { indexState, type IndexState } from './indexes.js';
export type { StoredValue } from './stored.js';
export type { IndexState } from './indexes.js';
export type { FieldState } from './field-state.js';

/** One model as migrations see it. */
export interface ModelState {
  readonly name: string;
  readonly collection: string;
  readonly fields: Readonly<Record<string, FieldState>>;
  readonly indexes: readonly IndexState[];
  /** The autoIncrement field (`id`), when the model has one. */
  readonly autoField?: string;
}

/** Every model, by name. */
export type ProjectState = Readonly<Record<string, ModelState>>;

/**
 * The state of one loaded model: its top-level fields (not `_id` or the
 * version key), its declared indexes and its auto field.
 *
 * @example
 * ```ts
 * modelState(conn.model('Blog', new Schema({ name: String })));
 * // { name: 'Blog', collection: 'blogs', fields: { name: { type: 'String', required: false } }, indexes: [] }
 * ```
 */
export function modelState(model: CommandModel): ModelState {
  const shape = shapeOf(model.schema);
  const fields: Record<string, FieldState> = {};
  const codes = djongoFieldTypes(model.schema);
  for (const field of shape.fields) {
    if (field.key === '_id' || field.key === shape.versionKey || field.key === shape.discriminatorKey) continue;
    fields[field.key] = fieldState(field, new Set([model.schema]), codes[field.key]?.type_code);
  }
  const indexes = model.schema
    .indexes()
    .map(([keys, options]: [IndexDefinition, IndexOptions]) =>
      indexState(model.modelName, keys as Record<string, unknown>, options as Record<string, unknown>),
    );
  const autoField = autoIncrementField(model);
  return Object.freeze({
    name: model.modelName,
    collection: model.collection.collectionName,
    fields: Object.freeze(fields),
    indexes: Object.freeze(indexes),
    ...(autoField === undefined ? {} : { autoField }),
  });
}

/**
 * The state of the loaded models, by model name.
 *
 * @example
 * ```ts
 * Object.keys(stateOfModels({ Blog, Entry })); // ['Blog', 'Entry']
 * ```
 */
export function stateOfModels(models: CommandModels): ProjectState {
  return Object.freeze(Object.fromEntries(modelList(models).map((model) => [model.modelName, modelState(model)])));
}
