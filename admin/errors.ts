// What went wrong in a write, as AdminJS shows it: a field's error on its
// form field (Mongoose's ValidationError paths are already the flattened
// paths AdminJS keys its form by, `comments.0.text`), anything else about the
// document as the record's base error. Errors AdminJS cannot show (a server
// going away) are left to AdminJS's error page.
import mongoose from 'mongoose';
import { ValidationError as AdminValidationError, type PropertyErrors } from 'adminjs';
import {
  DjongooseError,
  FileNotFound,
  IntegrityError,
  InvalidContentType,
  InvalidFileContent,
  SuspiciousFileOperation,
} from '../core/errors.js';
import type { ParamErrors } from './params.js';

/** Where a write's errors go that name no field. */
export interface ErrorPlaces {
  /** The file paths the write set: a file error is theirs. */
  readonly filePaths: readonly string[];
  /**
   * The record's id path. AdminJS reports a save as done when no property
   * has an error, whatever the base error says, so an error about the whole
   * document is also put there (the form shows no id field; the notice
   * shows the base error's message).
   */
  readonly idPath: string;
}

const isFileError = (err: unknown): err is DjongooseError =>
  err instanceof InvalidFileContent ||
  err instanceof SuspiciousFileOperation ||
  err instanceof InvalidContentType ||
  err instanceof FileNotFound;

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
 * djongoose's, which extends it) on its fields, a file error (content,
 * name) on the file field written, a duplicate key ({@link duplicateError})
 * on the colliding fields, a MigrationError or other djongoose
 * error as the record's base error; anything else is returned as it is.
 *
 * @example
 * ```ts
 * try { await doc.save(); } catch (err) { throw adminError(err, { filePaths: ['avatar'], idPath: '_id' }); }
 * ```
 */
export function adminError(err: unknown, places: ErrorPlaces): unknown {
  if (err instanceof mongoose.Error.ValidationError) {
    const propertyErrors: PropertyErrors = {};
    for (const [path, entry] of Object.entries(err.errors)) {
      propertyErrors[path] = { type: (entry as { kind?: string }).kind ?? 'validation', message: entry.message };
    }
    const base = { type: err.name, message: err.message };
    if (Object.keys(propertyErrors).length === 0) propertyErrors[places.idPath] = base;
    return new AdminValidationError(propertyErrors, base);
  }
  if (err instanceof mongoose.Error.CastError) {
    return new AdminValidationError(
      { [err.path]: { type: 'cast', message: err.message } },
      { type: 'CastError', message: err.message },
    );
  }
  if (isFileError(err) && places.filePaths.length > 0) {
    const path = places.filePaths.find((p) => err.message.startsWith(`${p}:`)) ?? places.filePaths[0] ?? places.idPath;
    return new AdminValidationError(
      { [path]: { type: err.name, message: err.message } },
      { type: err.name, message: err.message },
    );
  }
  if (err instanceof IntegrityError && err.fields.length > 0) {
    const message = `Another document already has this value; ${err.fields.join(' + ')} must be unique. Give another value.`;
    const propertyErrors: PropertyErrors = {};
    for (const field of err.fields) propertyErrors[field] = { type: 'duplicate', message };
    return new AdminValidationError(propertyErrors, { type: err.name, message: err.message });
  }
  if (err instanceof DjongooseError) {
    const base = { type: err.name, message: err.message };
    return new AdminValidationError({ [places.idPath]: base }, base);
  }
  return err;
}
