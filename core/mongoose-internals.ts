// Every private Mongoose access djongoose makes, in one place, so a Mongoose
// upgrade means reading this file and running test/unit/mongoose-internals*.
// Each export says why the public API does not suffice, falls back to a
// public route where one exists, and has a unit test that fails if an
// upgrade changes what it reads.
//
// Nothing outside this file reads a private Mongoose member (`_doc`,
// `$__…`, `$is…`, `defaultValue`, `castForQuery`, `schema.nested`,
// `schema.base`, SchemaType `.schema` or `setters`, …).

// ───────────────────────────────────────────────────────────────────────
// Section A: schemas and schema types (read by core/schema-shape.ts).
// ───────────────────────────────────────────────────────────────────────

import mongoose, { type Schema, type SchemaType } from 'mongoose';

/** The schema of an embedded document, and whether it comes as an array of them. */
export interface EmbeddedSchema {
  readonly schema: Schema;
  readonly array: boolean;
}

interface SchemaTypeFlags {
  readonly $isSingleNested?: unknown;
  readonly $isMongooseDocumentArray?: unknown;
  readonly schema?: unknown;
}

/**
 * The schema an embedded document path (`new Schema({ blog: blogSchema })`)
 * or a document array path (`comments: [commentSchema]`) holds.
 *
 * Why private: the public route is `instanceof Schema.Types.Subdocument` /
 * `DocumentArray`, which holds only for SchemaTypes of this copy of
 * Mongoose; a schema built by another copy (npm link, a pinned app) fails it.
 * Mongoose marks its own classes with `$isSingleNested` and
 * `$isMongooseDocumentArray` for that reason. The instanceof route is the fallback.
 *
 * @example
 * ```ts
 * embeddedSchemaOf(entrySchema.path('comments')); // { schema: commentSchema, array: true }
 * ```
 */
export function embeddedSchemaOf(type: SchemaType): EmbeddedSchema | undefined {
  const flags = type as SchemaType & SchemaTypeFlags;
  const schema = flags.schema instanceof mongoose.Schema || isSchemaLike(flags.schema) ? flags.schema : undefined;
  if (schema && flags.$isSingleNested === true) return { schema, array: false };
  if (schema && flags.$isMongooseDocumentArray === true) return { schema, array: true };
  if (type instanceof mongoose.Schema.Types.Subdocument) return { schema: type.schema, array: false };
  if (type instanceof mongoose.Schema.Types.DocumentArray) return { schema: type.schema, array: true };
  return undefined;
}

// A Schema of another copy of Mongoose is not `instanceof` ours; `instanceOfSchema` is how Mongoose tells.
function isSchemaLike(value: unknown): value is Schema {
  return (
    typeof value === 'object' && value !== null && (value as { instanceOfSchema?: unknown }).instanceOfSchema === true
  );
}

/**
 * The element type of an array path (`tags: [String]` gives the String
 * type), or undefined for any other path.
 *
 * Why here: `embeddedSchemaType` is public and typed on SchemaArray, but
 * only reachable after an `instanceof` narrowing that fails across two
 * copies of Mongoose; reading it by `instance === 'Array'` is this file's
 * business. `caster`, its older name, is never set in Mongoose 9: no
 * fallback reads it.
 *
 * @example
 * ```ts
 * arrayElementOf(entrySchema.path('tags'))?.instance; // 'String'
 * ```
 */
export function arrayElementOf(type: SchemaType): SchemaType | undefined {
  if (type.instance !== 'Array') return undefined;
  const element = (type as SchemaType & { embeddedSchemaType?: unknown }).embeddedSchemaType;
  return element instanceof mongoose.SchemaType || isSchemaTypeLike(element) ? element : undefined;
}

function isSchemaTypeLike(value: unknown): value is SchemaType {
  return typeof value === 'object' && value !== null && typeof (value as { instance?: unknown }).instance === 'string';
}

/** Whether a path has a default, and which. */
export interface PathDefault {
  readonly has: boolean;
  /** The value or the function Mongoose calls for one. */
  readonly value: unknown;
}

/**
 * The default of a path: `{ default: 3 }`, and the ones Mongoose gives
 * itself (arrays default to `[]`, `_id` to a new ObjectId).
 *
 * Why private: the public `options.default` holds only what the user wrote,
 * not the defaults Mongoose adds (arrays, `_id`), and `SchemaType#default()`
 * called with no argument is undocumented. `defaultValue` is where Mongoose
 * keeps both; `options.default` is the fallback.
 *
 * @example
 * ```ts
 * defaultOf(new Schema({ n: { type: Number, default: 3 } }).path('n')); // { has: true, value: 3 }
 * ```
 */
export function defaultOf(type: SchemaType): PathDefault {
  if ('defaultValue' in type) {
    const value = (type as SchemaType & { defaultValue?: unknown }).defaultValue;
    return { has: value !== undefined, value };
  }
  const options = (type.options ?? {}) as { default?: unknown };
  return { has: options.default !== undefined, value: options.default };
}

/**
 * Casts a filter value as Mongoose's own query casting does, by the path's
 * type: `'4'` to 4 for a Number, a hex string to an ObjectId. Throws
 * Mongoose's CastError when the value does not cast.
 *
 * Why private: `SchemaType#castForQuery` is marked `@api private` in
 * Mongoose 9 and missing from its typings; `SchemaType#cast` is public but
 * casts a document value (no query conditionals, arrays wrapped
 * differently), and `Query#cast` needs a model and a whole filter. This is
 * the one typed wrapper.
 *
 * @example
 * ```ts
 * castForQuery(entrySchema.path('rating'), '4'); // 4
 * ```
 */
export function castForQuery(type: SchemaType, value: unknown): unknown {
  return (type as SchemaType & { castForQuery(conditional: null, value: unknown): unknown }).castForQuery(null, value);
}

/**
 * The value a discriminator schema's documents store under the
 * discriminator key (`discriminator(name, schema, { value })`, the name by
 * default), or undefined for a schema that is no discriminator's.
 *
 * Why private: Mongoose keeps it only in `schema.discriminatorMapping`; the
 * public `Model.discriminators` is keyed by model name, which differs from
 * the stored value when `{ value }` is given.
 *
 * @example
 * ```ts
 * discriminatorValueOf(Entry.discriminator('Review', reviewSchema).schema); // 'Review'
 * ```
 */
export function discriminatorValueOf(schema: Schema): unknown {
  const mapping = (schema as Schema & { discriminatorMapping?: { isRoot?: unknown; value?: unknown } })
    .discriminatorMapping;
  return mapping && mapping.isRoot !== true ? (mapping.value ?? undefined) : undefined;
}

// (end of section A)

// ───────────────────────────────────────────────────────────────────────
// Section B: documents, queries, models and the Mongoose instance.
// These are reached at run time, per document or per query, rather than
// once per schema.
// ───────────────────────────────────────────────────────────────────────

// (end of section B)
