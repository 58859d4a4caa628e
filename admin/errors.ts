// What went wrong in a write, as AdminJS shows it: a field's error on its
// form field (Mongoose's ValidationError paths are already the flattened
// paths AdminJS keys its form by, `comments.0.text`), anything else about the
// document as the record's base error. Errors AdminJS cannot show (a server
// going away) are left to AdminJS's error page.
import mongoose from 'mongoose';
import { ValidationError as AdminValidationError, type PropertyErrors } from 'adminjs';
import { DjongooseError, MigrationError } from '../core/errors.js';
import type { ParamErrors } from './params.js';

/**
 * AdminJS's ValidationError for refused params: each on its form field.
 *
 * @example
 * ```ts
 * throw paramsError({ data: { type: 'json', message: 'Not valid JSON …' } });
 * ```
 */
export function paramsError(errors: ParamErrors): AdminValidationError {
  return new AdminValidationError({ ...errors }, { type: 'params', message: 'Some fields were refused.' });
}

/**
 * The AdminJS error a failed write shows as: Mongoose's ValidationError (and
 * djongoose's, which extends it) on its fields, a MigrationError or other
 * djongoose error as the record's base error; anything else is returned as it is.
 *
 * @example
 * ```ts
 * try { await doc.save(); } catch (err) { throw adminError(err); }
 * ```
 */
export function adminError(err: unknown): unknown {
  if (err instanceof mongoose.Error.ValidationError) {
    const propertyErrors: PropertyErrors = {};
    for (const [path, entry] of Object.entries(err.errors)) {
      propertyErrors[path] = { type: (entry as { kind?: string }).kind ?? 'validation', message: entry.message };
    }
    return new AdminValidationError(propertyErrors, { type: err.name, message: err.message });
  }
  if (err instanceof mongoose.Error.CastError) {
    return new AdminValidationError(
      { [err.path]: { type: 'cast', message: err.message } },
      { type: 'CastError', message: err.message },
    );
  }
  if (err instanceof MigrationError || err instanceof DjongooseError) {
    return new AdminValidationError({}, { type: err.name, message: err.message });
  }
  return err;
}
