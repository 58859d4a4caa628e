// Django's deferred attribute, made explicit. Django loads a field deferred
// by defer()/only() when it is read (DeferredAttribute calls
// refresh_from_db(fields=[name])); a JavaScript property read cannot wait
// for the server, so the read that may load is an awaited call:
// `await doc.loadDeferred('name')`. Which fields a document has loaded this
// way is kept in a side table (a WeakMap: it goes with the document), so a
// second call sends nothing, as Django's second read.
import mongoose, { type Document, type Model } from 'mongoose';
import { DjongooseError, FieldError } from '../core/errors.js';
import { refreshFromDb, topLevelFields } from './refresh.js';

const loadedLater = new WeakMap<object, Set<string>>();

/** The field names {@link loadDeferred} takes for documents of TRaw: its top-level keys. */
export type DeferrableField<TRaw> = keyof TRaw & string;

function checkField(model: Model<unknown>, field: unknown): string {
  const known = topLevelFields(model);
  const choices = `It takes one top-level field of ${model.modelName}: ${known.join(', ')}.`;
  if (typeof field !== 'string') {
    throw new FieldError(`loadDeferred() takes a field name (a string), not ${typeof field}. ${choices}`);
  }
  if (field.includes('__')) {
    throw new FieldError(
      `loadDeferred(${JSON.stringify(field)}): a field of the document is loaded, not a path across references ` +
        `or a lookup. ${choices}`,
    );
  }
  if (!known.includes(field)) {
    throw new FieldError(`loadDeferred(): ${model.modelName} has no field ${JSON.stringify(field)}. ${choices}`);
  }
  return field;
}

/**
 * A field of a document read through a QuerySet with `defer()`/`only()`,
 * loaded if it was deferred: Django's read of a deferred attribute, which
 * loads it with `refresh_from_db(fields=[name])`. A field the document has
 * (loaded, or loaded by an earlier call) is returned without a query; a
 * deferred one with one query by primary key, and the document then holds
 * it, unmodified. A name that is no top-level field is a {@link FieldError}
 * naming those that are, and nothing is sent. Also a method of documents of
 * models with the manager plugin: `await doc.loadDeferred('name')`.
 *
 * @example
 * ```ts
 * const entry = await Entry.objects.defer('headline').get({ rating: 5 });
 * entry.headline; // undefined: deferred
 * await loadDeferred(entry, 'headline'); // 'Hey Jude', one query
 * entry.headline; // 'Hey Jude'
 * ```
 */
export async function loadDeferred<TRaw, K extends DeferrableField<TRaw>>(
  doc: Document<unknown, object, TRaw>,
  field: K,
): Promise<TRaw[K]> {
  if (!(doc instanceof mongoose.Document)) {
    throw new DjongooseError('loadDeferred() takes a Mongoose document, e.g. one of Book.objects.defer("name").');
  }
  const model = doc.constructor as Model<unknown>;
  const name = checkField(model, field);
  const loaded = loadedLater.get(doc);
  // A value set on the document is its own, as Django's assignment to a deferred attribute.
  if (!doc.isSelected(name) && !loaded?.has(name) && !doc.isModified(name)) {
    await refreshFromDb(doc, { fields: [name] });
    if (loaded) loaded.add(name);
    else loadedLater.set(doc, new Set([name]));
  }
  return doc.get(name) as TRaw[K];
}
