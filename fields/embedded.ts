// djongo's EmbeddedField and ArrayField(model_container=…) as Mongoose path
// definitions: what goes on the right of `blog:` in `new Schema({ blog: … })`.
// They return plain definitions, so Mongoose's own casting, validation and
// type inference apply, and the manager's key resolution walks into them
// (`blog__name__startswith`, `comments__author`) with no help from here.
import mongoose, { type InferRawDocTypeFromSchema, type Schema, type SchemaTypeOptions } from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';
import { presence, type Presence, type PresenceOptions, type WithDefault } from './options.js';

/** The plain value an embedded schema holds. */
export type EmbeddedValue<S extends Schema> = InferRawDocTypeFromSchema<S>;

/** Options of {@link EmbeddedField}. */
export interface EmbeddedFieldOptions<T> extends PresenceOptions {
  /** The value when none is given: an object, a function returning one, or null. */
  readonly default?: Partial<T> | (() => Partial<T>) | null;
}

/** The definition {@link EmbeddedField} returns. */
export type EmbeddedFieldDefinition<S extends Schema, O> = { type: S } & Presence<O> & WithDefault<O>;

/** Scalar types an {@link ArrayField} may hold, as Mongoose spells them. */
export type ArrayScalarType =
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | DateConstructor
  | BufferConstructor
  | BigIntConstructor
  | typeof mongoose.Schema.Types.ObjectId
  | typeof mongoose.Schema.Types.Decimal128
  | typeof mongoose.Schema.Types.UUID
  | typeof mongoose.Schema.Types.Double
  | typeof mongoose.Schema.Types.Int32;

/** What an {@link ArrayField} holds: an embedded schema, a scalar type, or a scalar type with its options. */
export type ArrayItem = Schema | ArrayScalarType | (SchemaTypeOptions<unknown> & { type: ArrayScalarType });

/** Options of {@link ArrayField}. */
export interface ArrayFieldOptions extends PresenceOptions {
  /** The value when none is given; Mongoose's default is `[]`. */
  readonly default?: readonly unknown[] | (() => readonly unknown[]) | null;
}

/** The definition {@link ArrayField} returns. */
export type ArrayFieldDefinition<I extends ArrayItem, O> = { type: I[] } & Presence<O> & WithDefault<O>;

function isSchema(value: unknown): value is Schema {
  return value instanceof mongoose.Schema;
}

function defaults(options: { readonly default?: unknown }): Record<string, unknown> {
  return 'default' in options ? { default: options.default } : {};
}

/**
 * One embedded document of an abstract model, djongo's
 * `EmbeddedField(model_container=Blog)`. Optional unless `null: false`,
 * `blank: false` or `required: true`.
 *
 * @example
 * ```ts
 * const Blog = abstractModel({ name: String, tagline: String });
 * const entrySchema = new Schema({ blog: EmbeddedField(Blog, { null: false }), headline: String });
 * entrySchema.plugin(manager);
 * await Entry.objects.filter({ blog__name__startswith: 'Beatles' }); // { 'blog.name': { $regex: '^Beatles' } }
 * ```
 */
export function EmbeddedField<
  S extends Schema,
  const O extends EmbeddedFieldOptions<EmbeddedValue<S>> = EmbeddedFieldOptions<EmbeddedValue<S>>,
>(schema: S, options?: O): EmbeddedFieldDefinition<S, O> {
  if (!isSchema(schema)) {
    throw new ImproperlyConfigured('EmbeddedField takes a Schema, e.g. abstractModel({ name: String }).');
  }
  const opts: EmbeddedFieldOptions<EmbeddedValue<S>> = options ?? {};
  return { type: schema, ...presence(opts), ...defaults(opts) } as EmbeddedFieldDefinition<S, O>;
}

/**
 * A list of embedded documents, djongo's `ArrayField(model_container=Comment)`,
 * or of scalars (`ArrayField(String)`). Filter inside it with the manager:
 * `comments__author: 'ann'` matches a document with any such comment.
 *
 * @example
 * ```ts
 * const Comment = abstractModel({ author: String, text: String });
 * const entrySchema = new Schema({ comments: ArrayField(Comment), tags: ArrayField(String, { blank: false }) });
 * await Entry.objects.filter({ comments__author: 'ann' }); // { 'comments.author': 'ann' }
 * ```
 */
export function ArrayField<I extends ArrayItem, const O extends ArrayFieldOptions = ArrayFieldOptions>(
  item: I,
  options?: O,
): ArrayFieldDefinition<I, O> {
  const scalar = typeof item === 'function' || (typeof item === 'object' && item !== null && 'type' in item);
  if (!isSchema(item) && !scalar) {
    throw new ImproperlyConfigured(
      'ArrayField takes a Schema (an abstract model) or a scalar type such as String, Number or Schema.Types.ObjectId.',
    );
  }
  const opts: ArrayFieldOptions = options ?? {};
  // Mongoose gives every array a default `[]`, so a missing list would never be
  // missing: a list that must be present (`null: false`, `required`) has none,
  // and a document without it fails validation, as Django's null=False does.
  const demanded = opts.null === false || opts.required === true;
  const fallback = 'default' in opts ? defaults(opts) : demanded ? { default: undefined } : {};
  return { type: [item], ...presence(opts), ...fallback } as ArrayFieldDefinition<I, O>;
}
