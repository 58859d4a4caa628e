// The project state migrations work on: per model, its collection, fields,
// indexes and auto field, as plain frozen data. Built two ways: from the
// loaded models (what the code says now) and by folding the operations of
// the migration files (what the database has been told). The autodetector
// compares the two.
import type { IndexDefinition, IndexOptions } from 'mongoose';
import { shapeOf } from '../../core/schema-shape.js';
import { djongoFieldTypes } from '../../core/schema-collection.js';
import { fieldState } from './field-state.js';
import { autoIncrementField, modelList, type CommandModel, type CommandModels } from '../models.js';

/** A value a migration file can hold: JSON, plus Dates. */
export type StoredValue =
  string | number | boolean | null | Date | readonly StoredValue[] | { readonly [key: string]: StoredValue };

/** One field of a model, as migrations see it. */
export interface FieldState {
  /** Mongoose's instance name: String, Number, Date, Boolean, ObjectId, Array, Embedded, Mixed, … */
  readonly type: string;
  readonly required: boolean;
  /** The schema's default (a function's value at makemigrations time); absent: none. */
  readonly default?: StoredValue;
  /** djongo's type code for `__schema__` (`string`, `double`, …); absent where djongo writes none. */
  readonly typeCode?: string;
  /**
   * The fields inside, by key: of an embedded document (type `Embedded`), a
   * nested object (`Nested`), or each element of an array of embedded
   * documents (`Array`). Absent for other types, and where an embedded schema
   * holds itself. Operations name them by dotted path (`blog.description`).
   */
  readonly fields?: Readonly<Record<string, FieldState>>;
}

/** One index of a model, as the schema declares it. */
export interface IndexState {
  readonly name: string;
  readonly keys: Readonly<Record<string, 1 | -1 | string>>;
  readonly unique: boolean;
  readonly sparse: boolean;
}

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

/** The name the server gives an index without an explicit one: `a_1_b_-1`. */
export function indexName(keys: Readonly<Record<string, unknown>>, options: Readonly<Record<string, unknown>>): string {
  if (typeof options['name'] === 'string') return options['name'];
  return Object.entries(keys)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

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
  const indexes = model.schema.indexes().map(([keys, options]: [IndexDefinition, IndexOptions]) =>
    Object.freeze({
      name: indexName(keys, options as Record<string, unknown>),
      keys: { ...(keys as Record<string, 1 | -1 | string>) },
      unique: options.unique === true,
      sparse: options.sparse === true,
    }),
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
