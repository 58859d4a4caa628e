// Django refuses a model instance built with a keyword that is no field
// ("Article() got unexpected keyword arguments: 'foo'"); Mongoose's strict
// mode drops such keys silently, so a typo in create() loses data without a
// word. create() and bulkCreate() check a plain object's keys first. A schema
// with `strict: false` keeps extra keys on purpose and is left alone.
import type { Schema } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';
import { fieldChoices } from './resolve.js';

/** What the check needs of a model. */
interface ModelShape {
  readonly modelName: string;
  readonly schema: Schema;
}

/**
 * Throws {@link FieldError} when a plain object of a new document's values
 * has keys that are no path (field, nested object or virtual) of a strict
 * schema, naming them and the fields accepted. `where` says which item of a
 * list it is, for bulkCreate.
 *
 * @example
 * ```ts
 * checkCreateKeys(Entry, { headline: 'x', foo: 'bar' });
 * // FieldError: Entry() got unexpected keyword argument: 'foo'. Fields of Entry: blog, headline, …
 * ```
 */
export function checkCreateKeys(model: ModelShape, fields: unknown, where = ''): void {
  const { schema, modelName } = model;
  if (!isPlainObject(fields) || schema.get('strict') === false) return;
  const unknown = Object.keys(fields).filter((key) => schema.pathType(key) === 'adhocOrUndefined');
  if (unknown.length === 0) return;
  throw new FieldError(
    `${modelName}()${where} got unexpected keyword argument${unknown.length > 1 ? 's' : ''}: ` +
      `${unknown.map((k) => `'${k}'`).join(', ')}. Fields of ${modelName}: ${fieldChoices(schema, '', true).join(', ')}.`,
  );
}
