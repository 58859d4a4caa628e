// The model a reference names. Mongoose's `ref` is a model name (looked up
// on the referring model's connection, as populate does), a model, or a
// function choosing one per document, which no filter can compile.
import type { Connection, Model, Schema } from 'mongoose';
import { RelationError } from '../core/errors.js';
import { shapeOf } from '../core/schema-shape.js';
import type { ResolvedKey } from './resolve.js';
import { crossesReference, refName } from './relations-errors.js';

/** A referenced model, as a filter across a reference or selectRelated reads it. */
export type RelatedModel = Model<Record<string, unknown>>;

function isModel(ref: unknown): ref is RelatedModel {
  return typeof ref === 'function' && typeof (ref as { modelName?: unknown }).modelName === 'string';
}

/**
 * The model `ref` names, from `connection`; a {@link RelationError} naming
 * selectRelated when it cannot be known before the documents are read.
 *
 * @example
 * ```ts
 * relatedModel(Entry.db, 'Author', 'Entry', 'author', ['name'], false); // the Author model of Entry's connection
 * ```
 */
export function relatedModel(
  connection: Connection | undefined,
  ref: unknown,
  modelName: string,
  path: string,
  rest: readonly string[],
  many: boolean,
): RelatedModel {
  if (isModel(ref)) return ref;
  const found = typeof ref === 'string' ? connection?.models[ref] : undefined;
  if (found) return found as unknown as RelatedModel;
  const why =
    typeof ref !== 'string'
      ? `its ref is a function, which chooses the model per document`
      : connection === undefined
        ? `the key is filtered inside an embedded value or without a model's connection`
        : `no model named ${JSON.stringify(refName(ref))} is registered on ${modelName}'s connection ` +
          `(registered: ${Object.keys(connection.models).sort().join(', ') || 'none'})`;
  const base = crossesReference(modelName, path, ref, rest, many);
  return raise(`${base.message} Here it cannot be compiled: ${why}.`, path, rest);
}

function raise(message: string, path: string, rest: readonly string[]): never {
  throw new RelationError(message, path, rest);
}

/**
 * Django's rule for a name that is both a lookup and a field of the
 * referenced model (`season__gt` where Season has a field `gt`): the field
 * wins, and the key crosses the reference. The crossing, as the
 * {@link RelationError} resolution raises for other names; undefined when
 * the key stays on the reference (or its model is not known here).
 *
 * @example
 * ```ts
 * fieldOverLookup(Game.db, 'Game', resolveKey(gameSchema, 'Game', 'season__gt')); // RelationError(path 'season', rest ['gt'])
 * fieldOverLookup(Game.db, 'Game', resolveKey(gameSchema, 'Game', 'season__in')); // undefined
 * ```
 */
export function fieldOverLookup(
  connection: Connection | undefined,
  modelName: string,
  resolved: ResolvedKey,
): RelationError | undefined {
  const [first] = resolved.lookups;
  const ref = resolved.field?.ref;
  if (first === undefined || ref === undefined || resolved.embedded !== undefined) return undefined;
  // A model ref is a function with a schema; a name is looked up as populate does.
  const schema: Schema | undefined = typeof ref === 'string' ? connection?.models[ref]?.schema : relatedSchema(ref);
  if (schema === undefined || shapeOf(schema).named(first) === undefined) return undefined;
  const many = resolved.field?.kind === 'scalarArray';
  return crossesReference(modelName, resolved.path, ref, resolved.lookups, many);
}

// A model given as the ref itself: its schema, as relatedModel reads the model.
function relatedSchema(ref: unknown): Schema | undefined {
  return isModel(ref) ? ref.schema : undefined;
}
