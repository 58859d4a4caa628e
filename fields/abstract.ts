// Django's abstract models (`class Meta: abstract = True`): a schema that is
// only ever embedded, through EmbeddedField or ArrayField, and has no _id of
// its own, as djongo's embedded models have no primary key. Compiling one into
// a model is refused, from a named 'init' listener: Mongoose emits 'init' on a
// schema when conn.model() compiles it, never when it is embedded.
import mongoose, { Schema, type Model, type SchemaDefinition } from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';

const abstractSchemas = new WeakSet<Schema>();

function refuseAbstractModel(model: Model<unknown>): void {
  // Mongoose registers a global model before emitting 'init'; take it back so
  // that a retry gets the same error, not a half-made model.
  if (model.base.models[model.modelName] === model) model.base.deleteModel(model.modelName);
  if (model.db.models[model.modelName] === model) model.db.deleteModel(model.modelName);
  throw new ImproperlyConfigured(
    `Cannot make a model ${JSON.stringify(model.modelName)} from an abstract schema: an abstract model is ` +
      'only embedded, with EmbeddedField(schema) or ArrayField(schema). Give the model a schema of its own.',
  );
}

function markAbstract<S extends Schema>(schema: S): S {
  if (abstractSchemas.has(schema)) return schema;
  if (schema.path('_id')) schema.remove('_id');
  schema.set('_id', false);
  schema.on('init', refuseAbstractModel);
  abstractSchemas.add(schema);
  return schema;
}

function createAbstract<TDef extends SchemaDefinition<undefined>>(definition: TDef) {
  return Schema.create(definition, { _id: false });
}

/** The schema {@link abstractModel} builds from a definition, with its inferred type. */
export type AbstractSchema<TDef extends SchemaDefinition<undefined>> = ReturnType<typeof createAbstract<TDef>>;

/**
 * An abstract model: a schema used only embedded, with no `_id`, Django's
 * `class Meta: abstract = True`. Give it a definition (its type is inferred)
 * or a schema you built (it is marked abstract in place and loses its `_id`
 * path). `conn.model()`, `mongoose.model()` and `Model.discriminator()` on
 * it, or on its `clone()`, throw {@link ImproperlyConfigured}. One gap:
 * Mongoose copies a schema without its listeners when a connection of
 * another Mongoose instance compiles it, and that copy is not refused.
 *
 * @example
 * ```ts
 * const Blog = abstractModel({ name: { type: String, maxlength: 100 }, tagline: String });
 * const entrySchema = new Schema({ blog: EmbeddedField(Blog), headline: String });
 * conn.model('Blog', Blog); // ImproperlyConfigured: Cannot make a model "Blog" from an abstract schema …
 * ```
 */
export function abstractModel<S extends Schema>(schema: S): S;
export function abstractModel<TDef extends SchemaDefinition<undefined>>(definition: TDef): AbstractSchema<TDef>;
export function abstractModel(definitionOrSchema: Schema | SchemaDefinition<undefined>): Schema {
  return markAbstract(
    definitionOrSchema instanceof mongoose.Schema ? definitionOrSchema : createAbstract(definitionOrSchema),
  );
}

/**
 * Whether {@link abstractModel} made or marked this schema.
 *
 * @example
 * ```ts
 * isAbstract(abstractModel({ name: String })); // true
 * ```
 */
export function isAbstract(schema: Schema): boolean {
  return abstractSchemas.has(schema);
}
