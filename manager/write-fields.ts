// What the manager's creating methods take from data before Mongoose builds
// a document: getOrCreate/updateOrCreate `defaults` name fields and fit them,
// as an update's keys and values do; the values of create, bulkCreate and
// getOrCreate hold only keys MongoDB stores as given.
import type { Schema } from 'mongoose';
import { FieldError, ValidationError } from '../core/errors.js';
import { fieldChoices, resolveKey } from './resolve.js';
import { MAX_DOCUMENT_BYTES, assertStorableKeys, unsafeKey } from './storable.js';
import { isPlainObject } from '../core/values.js';
import { checkValue, slotAt } from './update-values.js';

/** What these checks need of a model. */
interface ModelShape {
  readonly modelName: string;
  readonly schema: Schema;
}

/**
 * `defaults` of getOrCreate/updateOrCreate as paths: each key names a field
 * (`rating`, `blog__name`), not the primary key, and each value fits it, as
 * an update's would. Throws {@link FieldError} or {@link ValidationError}.
 *
 * @example
 * ```ts
 * defaultFields(Entry, { rating: 5, blog__name: 'B' }); // { rating: 5, 'blog.name': 'B' }
 * defaultFields(Entry, { $set: { rating: 5 } }); // FieldError: Invalid field name "$set" in defaults for Entry: … Choices are: …
 * ```
 */
export function defaultFields(model: ModelShape, defaults: unknown): Record<string, unknown> {
  const { modelName, schema } = model;
  if (!isPlainObject(defaults)) {
    throw new ValidationError(`${modelName}: defaults takes an object (field → value).`, modelName);
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const bad = key.split('__').find((p) => p === '' || unsafeKey(p) !== undefined);
    const resolved = bad === undefined ? resolveKey(schema, modelName, key) : undefined;
    if (!resolved || resolved.lookups.length > 0) {
      throw new FieldError(
        `Invalid field name ${JSON.stringify(key)} in defaults for ${modelName}: defaults take field names ` +
          `joined by "__", without lookups. Choices are: ${fieldChoices(schema, '', true).join(', ')}.`,
      );
    }
    if (resolved.path === '_id') {
      throw new FieldError(
        `defaults cannot set ${modelName}._id: the primary key comes from the lookup (e.g. { pk: id }).`,
      );
    }
    // A function is called later, when its value is needed; its result is checked then.
    if (typeof value !== 'function') checkValue(slotAt(schema, resolved.path), value, resolved.label);
    fields[resolved.path] = value;
  }
  return fields;
}

/**
 * `defaults` with each function value replaced by what it returns, as
 * Django calls callables in defaults. Anything else is returned as it is,
 * for {@link defaultFields} to refuse.
 *
 * @example
 * ```ts
 * callDefaults({ rating: 5, pub_date: () => new Date() }); // { rating: 5, pub_date: <now> }
 * ```
 */
export function callDefaults(defaults: unknown): unknown {
  if (!isPlainObject(defaults)) return defaults;
  // fromEntries keeps an own "__proto__" key as data, for defaultFields to refuse.
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => [
      key,
      typeof value === 'function' ? (value as () => unknown)() : value,
    ]),
  );
}

/**
 * Checks the keys inside the values of a plain object of fields, before
 * Mongoose builds a document from them: it would silently drop an own
 * "__proto__" key (which JSON.parse makes) rather than store it. Returns
 * whether the built document still needs `assertStorableDocument`: it may be
 * near the size limit, or a non-strict schema keeps extra top-level keys.
 *
 * @example
 * ```ts
 * checkFieldValues(Entry, { headline: 'Hey Jude', data: { label: 'Apple' } }); // false: small, strict schema
 * checkFieldValues(Entry, { data: { $bad: 1 } }); // ValidationError: Entry.data: the key "$bad" starts with "$", …
 * ```
 */
export function checkFieldValues(model: ModelShape, fields: Readonly<Record<string, unknown>>): boolean {
  if (!isPlainObject(fields)) {
    // A document or another object from code: measured whole once built.
    if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) return true;
    throw new ValidationError(
      `${model.modelName}: a new document takes an object (field → value), not ${Array.isArray(fields) ? 'a list' : String(fields)}.`,
      model.modelName,
    );
  }
  let bound = 0;
  for (const [key, value] of Object.entries(fields)) {
    bound += assertStorableKeys(value, `${model.modelName}.${key}`) + 3 * key.length + 2;
  }
  // Half the limit leaves room for the schema's defaults.
  return bound > MAX_DOCUMENT_BYTES / 2 || model.schema.get('strict') === false;
}
