// djongo's two ObjectId fields. In djongo, ObjectIdField is an AutoField: the
// primary key, created for each new document (`_id = models.ObjectIdField()`),
// and GenericObjectIdField is a plain ObjectId value with no default. Both
// cast a 24-hex string to an ObjectId, as djongo's to_python does; here that
// is Mongoose's own ObjectId casting.
import mongoose from 'mongoose';
import { presence, type Presence, type PresenceOptions, type WithDefault } from './options.js';

type ObjectId = mongoose.Types.ObjectId;

/** Options of {@link ObjectIdField} and {@link GenericObjectIdField}. */
export interface ObjectIdFieldOptions extends PresenceOptions {
  /** Generate a new ObjectId for each new document. ObjectIdField: `true`; GenericObjectIdField: `false`. */
  readonly auto?: boolean;
  /** The value when none is given (instead of `auto`). */
  readonly default?: ObjectId | (() => ObjectId) | null;
  /** A unique index on the path. */
  readonly unique?: boolean;
  /** An index on the path. */
  readonly index?: boolean;
}

/** The definition {@link ObjectIdField} and {@link GenericObjectIdField} return. */
export type ObjectIdFieldDefinition<O> = { type: typeof mongoose.Schema.Types.ObjectId } & Presence<O> & WithDefault<O>;

function objectIdPath(auto: boolean, options: ObjectIdFieldOptions): Record<string, unknown> {
  const definition: Record<string, unknown> = { type: mongoose.Schema.Types.ObjectId, ...presence(options) };
  if ('default' in options) definition['default'] = options.default;
  else if (auto) definition['auto'] = true;
  if (options.unique !== undefined) definition['unique'] = options.unique;
  if (options.index !== undefined) definition['index'] = options.index;
  return definition;
}

/**
 * djongo's `ObjectIdField()`: an ObjectId generated for each new document,
 * as for a primary key. Use it as `_id`, or pass `auto: false` (or use
 * {@link GenericObjectIdField}) for an ObjectId that is only stored.
 *
 * @example
 * ```ts
 * const entrySchema = new Schema({ _id: ObjectIdField(), headline: String });
 * const tracked = new Schema({ trace: ObjectIdField({ unique: true }) }); // a new id per document
 * ```
 */
export function ObjectIdField<const O extends ObjectIdFieldOptions = ObjectIdFieldOptions>(
  options?: O,
): ObjectIdFieldDefinition<O> {
  const opts: ObjectIdFieldOptions = options ?? {};
  return objectIdPath(opts.auto ?? true, opts) as ObjectIdFieldDefinition<O>;
}

/**
 * djongo's `GenericObjectIdField()`: an ObjectId value with no default, such
 * as the id of a document elsewhere. Strings of 24 hex digits are cast.
 *
 * @example
 * ```ts
 * const eventSchema = new Schema({ source: GenericObjectIdField({ null: false, index: true }) });
 * ```
 */
export function GenericObjectIdField<const O extends ObjectIdFieldOptions = ObjectIdFieldOptions>(
  options?: O,
): ObjectIdFieldDefinition<O> {
  const opts: ObjectIdFieldOptions = options ?? {};
  return objectIdPath(opts.auto ?? false, opts) as ObjectIdFieldDefinition<O>;
}
