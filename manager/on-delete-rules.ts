// Django's on_delete, declared on a reference path: `{ type: ObjectId,
// ref: 'Article', onDelete: 'SET_NULL' }`, or on the element of an array of
// references (ArrayReferenceField's `onDelete` option). This module reads
// the declarations; on-delete.ts applies them. A declaration is checked when
// the manager plugin is applied to its schema, and read again, per
// connection, when a document of the referenced model is deleted (the
// referring models may be registered after the referenced one).
import type { Connection, Model, Schema, SchemaType } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { primaryKeyOf } from '../core/schema-shape.js';

/**
 * What deleting a referenced document does to the documents that refer to
 * it, Django's `on_delete`. `PULL` is for arrays of references only: it
 * removes the key from the array, as deleting an object removes its rows
 * from a Django many-to-many. `DO_NOTHING` (the default) leaves the dangling
 * key, as djongoose did before on_delete existed.
 */
export type OnDelete = 'CASCADE' | 'PROTECT' | 'SET_NULL' | 'SET_DEFAULT' | 'DO_NOTHING' | 'PULL';

declare module 'mongoose' {
  // A reference path's option: Mongoose keeps unknown options on the SchemaType, typed here.
  // The type parameters must repeat Mongoose's to merge, though unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface SchemaTypeOptions<T, EnforcedDocType, THydratedDocumentType> {
    /** Django's on_delete for this reference: see djongoose's {@link OnDelete}. */
    onDelete?: OnDelete;
  }
}

const SINGLE: readonly OnDelete[] = ['CASCADE', 'PROTECT', 'SET_NULL', 'SET_DEFAULT', 'DO_NOTHING'];
const ARRAY: readonly OnDelete[] = ['CASCADE', 'PROTECT', 'PULL', 'DO_NOTHING'];

/** One reference path that does something when its target is deleted. */
export interface OnDeleteRule {
  /** The referring model. */
  readonly model: Model<Record<string, unknown>>;
  readonly path: string;
  readonly action: Exclude<OnDelete, 'DO_NOTHING'>;
  readonly many: boolean;
  /** The target's field the reference stores: `_id` for ObjectId keys, else the target's primary key. */
  readonly key: string;
  /** The path's SchemaType, for SET_DEFAULT's default. */
  readonly type: SchemaType;
}

/** A reference declaration of a schema, before its target is known. */
interface Declared {
  readonly path: string;
  readonly ref: unknown;
  readonly action: OnDelete;
  readonly many: boolean;
  readonly keyType: string;
  readonly type: SchemaType;
}

function refNameOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'function' && typeof (ref as { modelName?: unknown }).modelName === 'string') {
    return (ref as unknown as { modelName: string }).modelName;
  }
  return undefined;
}

/** The declarations of a schema's top-level and nested paths, each checked. */
function declarations(schema: Schema, modelName: string): Declared[] {
  const found: Declared[] = [];
  schema.eachPath((path, type) => {
    const element = (type as { embeddedSchemaType?: SchemaType }).embeddedSchemaType;
    const many = type.instance === 'Array' && element !== undefined;
    const options = (many ? element.options : type.options) as { ref?: unknown; onDelete?: unknown };
    const action = options.onDelete ?? (type.options as { onDelete?: unknown }).onDelete;
    if (action === undefined) return;
    const label = `${modelName}.${path}`;
    const accepted = many ? ARRAY : SINGLE;
    if (options.ref === undefined) {
      throw new FieldError(`${label}: onDelete is given, but the path is not a reference (it has no ref).`);
    }
    if (!accepted.includes(action as OnDelete)) {
      throw new FieldError(
        `${label}: onDelete ${JSON.stringify(action)} is not accepted on ${many ? 'an array of references' : 'a reference'}. ` +
          `It takes ${accepted.join(', ')}.` +
          (many ? ' (PULL removes the key from the array, as Django removes the row of a many-to-many.)' : ''),
      );
    }
    if (action === 'SET_NULL' && type.isRequired) {
      throw new FieldError(
        `${label}: onDelete SET_NULL on a required reference; make it optional, as Django's null=True.`,
      );
    }
    if (action === 'SET_DEFAULT' && type.options.default === undefined) {
      throw new FieldError(`${label}: onDelete SET_DEFAULT on a reference without a default; give it one.`);
    }
    found.push({
      path,
      ref: options.ref,
      action: action as OnDelete,
      many,
      keyType: (many ? element : type).instance,
      type,
    });
  });
  return found;
}

/**
 * Checks a schema's onDelete declarations, so that a typo fails when the
 * model is defined, not at its first delete. The manager plugin calls it.
 *
 * @example
 * ```ts
 * checkOnDelete(new Schema({ article: { type: ObjectId, ref: 'Article', onDelete: 'SET_NUL' } }), 'SelfRef');
 * // FieldError: SelfRef.article: onDelete "SET_NUL" is not accepted on a reference. It takes CASCADE, PROTECT, …
 * ```
 */
export function checkOnDelete(schema: Schema, modelName = 'the schema'): void {
  declarations(schema, modelName);
}

/**
 * The rules of every model on `target`'s connection whose references to
 * `target` do something on delete (DO_NOTHING ones left out).
 *
 * @example
 * ```ts
 * onDeleteRules(Article); // [{ model: SelfRef, path: 'article', action: 'SET_NULL', key: '_id', … }]
 * ```
 */
export function onDeleteRules(target: Model<unknown>): OnDeleteRule[] {
  const conn: Connection = target.db;
  const names = new Set([target.modelName, target.baseModelName].filter((n): n is string => n !== undefined));
  const rules: OnDeleteRule[] = [];
  // A discriminator shares its base's collection and paths: each (collection, path) once.
  const seen = new Set<string>();
  for (const model of Object.values(conn.models) as Model<Record<string, unknown>>[]) {
    for (const d of declarations(model.schema, model.modelName)) {
      const name = refNameOf(d.ref);
      if (d.action === 'DO_NOTHING' || name === undefined || !names.has(name)) continue;
      const id = `${model.collection.collectionName}\0${d.path}`;
      if (seen.has(id)) continue;
      seen.add(id);
      rules.push({
        model,
        path: d.path,
        action: d.action,
        many: d.many,
        key: d.keyType === 'ObjectId' ? '_id' : primaryKeyOf(target.schema),
        type: d.type,
      });
    }
  }
  return rules;
}
