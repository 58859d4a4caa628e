// A save refused for a duplicate key, as the fields that collide: AdminJS
// shows the error on them ("duplicate"), as @adminjs/mongoose does. The
// server names the index in most cases (manager/duplicate-key.ts reads it
// without the values); FerretDB names none (and refuses an update with
// another code), so the document's unique indexes are asked, one exists()
// each, which of them already holds its values. Only on a refused save,
// never on a list page.
import mongoose, { type Model } from 'mongoose';
import { IntegrityError } from '../core/errors.js';
import { isDuplicateKey } from '../core/values.js';
import { duplicateKeyAsIntegrity } from '../manager/duplicate-key.js';

type AnyModel = Model<Record<string, unknown>>;

/** What is read of the document whose save was refused. */
interface Saved {
  get(path: string): unknown;
  readonly _id: unknown;
}

// The unique indexes whose every field the document sets, colliding with another document.
async function collidingFields(model: AnyModel, doc: Saved): Promise<string[]> {
  const found: string[] = [];
  for (const [keys, options] of model.schema.indexes()) {
    if ((options as { unique?: unknown } | undefined)?.unique !== true) continue;
    const fields = Object.keys(keys);
    const values = fields.map((field) => doc.get(field));
    if (values.some((value) => value === undefined || value === null)) continue;
    // $eq: a stored value (a Mixed field's object from a form, say) is compared as data, never read as operators.
    const filter = Object.fromEntries([
      ...fields.map((field, i) => [field, { $eq: values[i] }]),
      ['_id', { $ne: doc._id }],
    ]);
    if (await model.exists(filter)) found.push(...fields);
  }
  return found;
}

/**
 * A duplicate-key error of `doc`'s save as an {@link IntegrityError} naming
 * the colliding fields (none when no unique index collides any more); any
 * other error is returned as it is.
 *
 * @example
 * ```ts
 * try { await doc.save(); } catch (err) { throw await duplicateError(err, Pesel, doc); } // IntegrityError, fields ['pesel']
 * ```
 */
export async function duplicateError(err: unknown, model: AnyModel, doc: Saved | undefined): Promise<unknown> {
  if (!isDuplicateKey(err)) {
    // FerretDB v1.24 refuses an update breaking a unique index with code 1 ("UNIQUE constraint failed").
    if (!(err instanceof mongoose.mongo.MongoServerError) || !doc) return err;
    const fields = await collidingFields(model, doc);
    return fields.length > 0 ? integrity(model.modelName, fields) : err;
  }
  const known = duplicateKeyAsIntegrity(err, model.modelName) as IntegrityError;
  if (known.fields.length > 0 || !doc) return known;
  const fields = await collidingFields(model, doc);
  if (fields.length === 0) return known;
  return integrity(model.modelName, fields);
}

function integrity(modelName: string, fields: readonly string[]): IntegrityError {
  return new IntegrityError(
    `${modelName}: duplicate key on the unique index of ${fields.join(', ')}; a document with the same value ` +
      'already exists. Give another value.',
    fields,
  );
}
