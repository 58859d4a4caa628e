// djongo's ArrayReferenceField: a list of the primary keys of another
// model's documents, stored in the document itself. The definition is a
// plain Mongoose array of refs, so populate() works for ObjectId keys; the
// related managers (references.ts, referenced-by.ts) read the same path
// through the helpers here, so they also work on a hand-written
// `[{ type: ObjectId, ref: 'Author' }]`.
import mongoose, { type HydratedDocument, type Model, type Schema } from 'mongoose';
import { FieldError, ValidationError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { castForQuery } from '../core/mongoose-internals.js';
import { fieldsAlong, shapeOf, type FieldShape, type ShapeLevel } from '../core/schema-shape.js';
import { primaryKeyOf } from '../manager/resolve.js';
import type { QuerySet } from '../manager/queryset.js';
import type { FilterInput, QNode } from '../manager/q.js';
import { presence, type Presence, type PresenceOptions } from './options.js';

/** The key types an {@link ArrayReferenceField} may store. */
export type ReferenceKeyType = typeof mongoose.Schema.Types.ObjectId | NumberConstructor | StringConstructor;

/** Options of {@link ArrayReferenceField}. */
export interface ArrayReferenceFieldOptions extends PresenceOptions {
  /**
   * The type of the stored keys: the target's primary key. ObjectId by
   * default; `Number` for a djongo model whose pk is an integer `id` (see
   * the manager's `setPrimaryKey`).
   */
  readonly type?: ReferenceKeyType;
  /**
   * What deleting a referenced document does to this array, Django's
   * on_delete: `PULL` removes its key (as Django removes the row of a
   * many-to-many), `CASCADE` deletes this document, `PROTECT` refuses the
   * delete; `DO_NOTHING` (the default) leaves the key.
   */
  readonly onDelete?: 'CASCADE' | 'PROTECT' | 'PULL' | 'DO_NOTHING';
}

type KeyTypeOf<O> = O extends { readonly type: infer T } ? T : typeof mongoose.Schema.Types.ObjectId;

/** The definition {@link ArrayReferenceField} returns. */
export type ArrayReferenceFieldDefinition<O> = {
  type: { type: KeyTypeOf<O>; ref: string; onDelete?: ArrayReferenceFieldOptions['onDelete'] }[];
} & Presence<O>;

/** Keys of a document type whose values are arrays. */
export type ArrayPaths<D> = {
  [K in keyof D & string]: NonNullable<D[K]> extends readonly unknown[] ? K : never;
}[keyof D & string];

/** The array paths of D when its type says what they are, else any string (checked at run time). */
export type ArrayPathOf<D> = [ArrayPaths<D>] extends [never] ? string : ArrayPaths<D>;

/** A model, or its name, as a reference target. */
export type ReferenceTarget = string | { readonly modelName: string };

/**
 * References to documents of another model, djongo's
 * `ArrayReferenceField(to=Author)`: an array of their primary keys. Read and
 * change it with {@link references}; find the documents that reference one
 * with {@link referencedBy}.
 *
 * @example
 * ```ts
 * const entrySchema = new Schema({ headline: String, authors: ArrayReferenceField('Author') });
 * // stored as { authors: [ObjectId('…'), ObjectId('…')] }
 * // ArrayReferenceField('Author', { onDelete: 'PULL' }): deleting an author removes its key
 * await references(entry, 'authors').add(john, paul);
 * ```
 */
export function ArrayReferenceField<const O extends ArrayReferenceFieldOptions = ArrayReferenceFieldOptions>(
  to: ReferenceTarget,
  options?: O,
): ArrayReferenceFieldDefinition<O> {
  const opts: ArrayReferenceFieldOptions = options ?? {};
  const ref = typeof to === 'string' ? to : to.modelName;
  return {
    type: [
      {
        type: opts.type ?? mongoose.Schema.Types.ObjectId,
        ref,
        ...(opts.onDelete === undefined ? {} : { onDelete: opts.onDelete }),
      },
    ],
    ...presence(opts),
  } as ArrayReferenceFieldDefinition<O>;
}

/** An array-of-references path of a schema, as the related managers need it. */
export interface ReferencePath {
  readonly path: string;
  /** `Entry.authors`, for messages. */
  readonly label: string;
  /** The target as the schema names it: a model name or a model. */
  readonly ref: ReferenceTarget | undefined;
  /** Casts one key to the element type, or throws ValidationError. */
  cast(value: unknown): unknown;
}

/** The array-of-references fields of a level and its nested objects, as the schema's shape has them. */
function referenceFields(level: ShapeLevel): FieldShape[] {
  return level.fields.flatMap((field) =>
    field.kind === 'nested' && field.child
      ? referenceFields(field.child)
      : field.kind === 'scalarArray' && field.ref !== undefined
        ? [field]
        : [],
  );
}

/**
 * The array-of-references paths of a schema, sorted, for "Choices are: …".
 *
 * @example
 * ```ts
 * referencePaths(entrySchema); // ['authors']: the paths made with ArrayReferenceField
 * ```
 */
export function referencePaths(schema: Schema): string[] {
  return referenceFields(shapeOf(schema))
    .map((field) => field.path)
    .sort();
}

/** A model seen without its document type, as the field helpers handle any. */
export type UntypedModel = Model<Record<string, unknown>>;

/** Looks `path` up in the model's schema, or throws FieldError naming the reference paths there are. */
export function referencePath(model: UntypedModel, path: string): ReferencePath {
  const label = `${model.modelName}.${path}`;
  const along = fieldsAlong(shapeOf(model.schema), path);
  const found = along.length === path.split('.').length ? along.at(-1) : undefined;
  const element = found?.kind === 'scalarArray' && found.ref !== undefined ? found.element : undefined;
  if (!element) {
    const choices = referencePaths(model.schema);
    const what = found?.instance ? `is a ${found.instance} field, not an array of references` : 'does not exist';
    throw new FieldError(
      `${label} ${what}. Array-reference fields of ${model.modelName}: ${choices.join(', ') || '(none)'}.` +
        didYouMean(path, choices),
    );
  }
  const ref = found?.ref;
  return Object.freeze({
    path,
    label,
    ref:
      typeof ref === 'string' || (typeof ref === 'function' && 'modelName' in ref)
        ? (ref as ReferenceTarget)
        : undefined,
    cast(value: unknown): unknown {
      try {
        return castForQuery(element, value);
      } catch (err) {
        throw new ValidationError(
          `${label}: cannot cast ${JSON.stringify(String(value))} to ${element.instance}, the type of its keys.`,
          label,
          { cause: err },
        );
      }
    },
  });
}

/** The target model of a reference path: the one given, or the one its `ref` names on the document's connection. */
export function targetModel<T>(
  field: ReferencePath,
  lookup: (name: string) => Model<T>,
  given: Model<T> | undefined,
): Model<T> {
  if (given) return given;
  const ref = field.ref;
  if (ref === undefined) {
    throw new FieldError(`${field.label} has a ref that is not a model name; pass the target model as well.`);
  }
  if (typeof ref !== 'string') return ref as Model<T>;
  return lookup(ref);
}

/** A document of a model, or a key given as it is. */
export type ReferenceInput = mongoose.Document<unknown> | mongoose.Types.ObjectId | string | number;

/**
 * The key a reference stores for an item: the primary key of a saved
 * document of `expected` (or of a discriminator of it), or a key given as it
 * is, cast to the element type.
 */
export function keyOf(field: ReferencePath, item: ReferenceInput, expected: UntypedModel): unknown {
  if (item instanceof mongoose.Model) {
    const doc = item as mongoose.Document<unknown>;
    const own = doc.constructor as UntypedModel;
    if (own.modelName !== expected.modelName && own.baseModelName !== expected.modelName) {
      throw new ValidationError(
        `${field.label}: expected a ${expected.modelName} or its key, got a ${own.modelName}.`,
        field.label,
      );
    }
    if (doc.isNew) {
      throw new ValidationError(
        `${field.label}: the ${own.modelName} is not saved yet; save it before referencing it.`,
        field.label,
      );
    }
    return field.cast(doc.get(primaryKeyOf(own.schema)));
  }
  if (item instanceof mongoose.Document) {
    throw new ValidationError(`${field.label}: an embedded document cannot be referenced.`, field.label);
  }
  return field.cast(item);
}

/** Identity of a key for set operations: ObjectIds by hex, others by type and value. */
export function keyId(key: unknown): string {
  if (key instanceof mongoose.Types.ObjectId) return `oid:${key.toHexString()}`;
  return `${typeof key}:${String(key)}`;
}

/** Keys without repeats, first occurrence first. */
export function uniqueKeys(keys: Iterable<unknown>): unknown[] {
  const seen = new Map<string, unknown>();
  for (const key of keys) if (!seen.has(keyId(key))) seen.set(keyId(key), key);
  return [...seen.values()];
}

/**
 * Sets `path` on a document to what the database now holds after an update
 * we sent ourselves, without leaving it modified (a later save would send it
 * again). A path the caller had already changed stays modified.
 */
export function mirror(
  doc: mongoose.Document<unknown>,
  path: string,
  next: (current: readonly unknown[]) => unknown[],
): void {
  if (!doc.isSelected(path)) return;
  const wasModified = doc.isModified(path);
  const current = (doc.get(path) as unknown[] | null | undefined) ?? [];
  doc.set(path, next([...current]));
  if (!wasModified && !doc.isNew) doc.unmarkModified(path);
}

/**
 * `all.filter(...filters)` for a related manager's `filter()`: the filters
 * were checked at the call against `T`; here `T` is open, so they pass
 * unchecked.
 *
 * @example
 * ```ts
 * filterRelated(entry.authors.all(), [{ name__startswith: 'A' }]); // entry.authors.filter(…)
 * ```
 */
export function filterRelated<T>(
  all: QuerySet<T, HydratedDocument<T>>,
  filters: readonly (QNode | FilterInput)[],
): QuerySet<T, HydratedDocument<T>> {
  const untyped = all as unknown as QuerySet;
  return untyped.filter(...filters) as unknown as QuerySet<T, HydratedDocument<T>>;
}
