// What getOrCreate and updateOrCreate write, from a lookup and defaults.
// Django reads `defaults` (or updateOrCreate's `create_defaults`) only when
// it writes them, so the manager calls these after its lookup; a name there
// is a field, or a virtual with a setter (Django's property with a setter),
// which runs on the document after its fields are set.
import type { HydratedDocument, Model, Schema } from 'mongoose';
import { ValidationError } from '../core/errors.js';
import { hasVirtualSetter } from '../core/mongoose-internals.js';
import { isPlainObject } from '../core/values.js';
import type { FilterInput } from './q.js';
import { resolveKey } from './resolve.js';
import { callDefaults, checkFieldValues, defaultFields } from './write-fields.js';

/** What these need of a model. */
interface ModelShape {
  readonly modelName: string;
  readonly schema: Schema;
}

/**
 * The plain field values of a lookup, for creating: `blog__name: 'x'` sets
 * `blog.name`; a key with a lookup other than `exact` sets nothing.
 *
 * @example
 * ```ts
 * creationFields(Entry, { headline: 'Hey Jude', blog__name: 'B', rating__gte: 4 }); // { headline: 'Hey Jude', 'blog.name': 'B' }
 * ```
 */
export function creationFields(model: ModelShape, lookup: FilterInput): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(lookup)) {
    const resolved = resolveKey(model.schema, model.modelName, key);
    if (resolved.lookups.length === 0 || (resolved.lookups.length === 1 && resolved.lookups[0] === 'exact')) {
      fields[resolved.path] = value;
    }
  }
  return fields;
}

/**
 * `defaults` as the paths to set, in order: its functions called, its field
 * names resolved and their values checked ({@link defaultFields}), then the
 * virtuals with a setter, last, as Django sets properties after fields.
 * Throws {@link FieldError} for a name that is neither, naming it.
 *
 * @example
 * ```ts
 * defaultsToSet(Thing, { capitalized_name: 'annie', tags: [] }); // { tags: [], capitalized_name: 'annie' }
 * ```
 */
export function defaultsToSet(model: ModelShape, defaults: unknown): Record<string, unknown> {
  const called = callDefaults(defaults);
  if (!isPlainObject(called)) return defaultFields(model, called);
  const fields: Record<string, unknown> = {};
  const virtuals: [string, unknown][] = [];
  for (const [key, value] of Object.entries(called)) {
    // A schema path of the same name wins, as Mongoose's own set() does.
    if (model.schema.path(key) === undefined && hasVirtualSetter(model.schema, key)) virtuals.push([key, value]);
    else fields[key] = value;
  }
  return Object.assign(defaultFields(model, fields), Object.fromEntries(virtuals));
}

/**
 * Sets each path on the document through Mongoose (casts and setters). A
 * setter of the user's that throws is reported as a {@link ValidationError}
 * naming the path, with the setter's error as its cause.
 *
 * @example
 * ```ts
 * setPaths(doc, { 'blog.name': 'B', capitalized_name: 'annie' }, 'Thing');
 * ```
 */
export function setPaths(
  doc: { set(path: string, value: unknown): unknown },
  paths: Readonly<Record<string, unknown>>,
  modelName: string,
): void {
  for (const [path, value] of Object.entries(paths)) {
    try {
      doc.set(path, value);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ValidationError(
        `${modelName}.${path}: its setter refused the value (${why}); give a value the setter takes.`,
        `${modelName}.${path}`,
        { cause: err },
      );
    }
  }
}

/**
 * A new, unsaved document of the model with these paths set.
 *
 * @example
 * ```ts
 * const doc = newWithPaths(Entry, { headline: 'Hey Jude', 'blog.name': 'B' });
 * ```
 */
export function newWithPaths<TRaw>(
  model: Model<TRaw>,
  paths: Readonly<Record<string, unknown>>,
): HydratedDocument<TRaw> {
  checkFieldValues(model, paths);
  const doc = new model() as HydratedDocument<TRaw>;
  setPaths(doc, paths, model.modelName);
  return doc;
}
