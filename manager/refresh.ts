// Django's Model.refresh_from_db(fields=None, from_queryset=None) for
// Mongoose documents: one query by primary key, whose values replace the
// document's own, without setters and without marking them modified (they are
// what the database holds). A document loaded with only()/defer() reloads
// only the fields it has, as Django keeps deferred fields deferred.
import mongoose, { type Document, type Model } from 'mongoose';
import { DjongooseError, DoesNotExist, FieldError } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';
import { primaryKeyOf } from './resolve.js';
import { QuerySet } from './queryset.js';

/** Options of {@link refreshFromDb}; Django's `fields` and `from_queryset`. */
export interface RefreshOptions<TRaw = unknown> {
  /** Only these top-level fields; `[]` reloads nothing and sends nothing. */
  readonly fields?: readonly string[];
  /** The QuerySet to read from (e.g. with `only()`); default: the model's, unfiltered and unordered. */
  readonly fromQueryset?: QuerySet<TRaw, unknown>;
  /** Django's spelling of {@link RefreshOptions.fromQueryset}. */
  readonly from_queryset?: QuerySet<TRaw, unknown>;
}

const OPTION_NAMES = ['fields', 'fromQueryset', 'from_queryset'] as const;

function checkOptions(options: unknown): RefreshOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new DjongooseError(`refreshFromDb() takes an options object ({ ${OPTION_NAMES.join(', ')} }).`);
  }
  const unknown = Object.keys(options).filter((k) => !(OPTION_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new DjongooseError(
      `refreshFromDb() got unexpected options: ${unknown.map((k) => `'${k}'`).join(', ')}. ` +
        `It takes ${OPTION_NAMES.join(', ')}.`,
    );
  }
  const qs = (options as RefreshOptions).fromQueryset ?? (options as RefreshOptions).from_queryset;
  if (qs !== undefined && !(qs instanceof QuerySet)) {
    throw new DjongooseError('refreshFromDb(): fromQueryset takes a QuerySet, e.g. Entry.objects.only("headline").');
  }
  return options as RefreshOptions;
}

function checkFields(model: Model<unknown>, fields: unknown): readonly string[] | undefined {
  if (fields === undefined || fields === null) return undefined;
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string')) {
    throw new FieldError(`refreshFromDb(): fields takes a list of field names, e.g. ['headline'].`);
  }
  const names = fields as string[];
  if (names.some((f) => f.includes('__'))) {
    throw new FieldError('Found "__" in fields argument. Relations and transforms are not allowed in fields.');
  }
  const pk = primaryKeyOf(model.schema);
  const known = topLevelFields(model);
  const resolved = names.map((f) => (f === 'pk' ? pk : f));
  const bad = resolved.filter((f) => !known.includes(f));
  if (bad.length > 0) {
    throw new FieldError(
      `refreshFromDb(): ${model.modelName} has no field ${bad.map((f) => JSON.stringify(f)).join(', ')}. ` +
        `Choices are: pk, ${known.join(', ')}.`,
    );
  }
  return resolved;
}

/**
 * The top-level field names of a model's schema, as `fields` takes them.
 *
 * @example
 * ```ts
 * topLevelFields(Entry); // ['headline', 'blog', '_id', '__v']
 * ```
 */
export function topLevelFields(model: Model<unknown>): string[] {
  const names = new Set<string>();
  model.schema.eachPath((path) => names.add(path.split('.')[0] ?? path));
  return [...names];
}

/**
 * Reloads a document's fields from the database, Django's
 * `instance.refresh_from_db()`: one query by primary key; the document's
 * values (all, or `fields`) become the stored ones, unmodified. A document
 * that was deleted meanwhile raises {@link DoesNotExist}. References the
 * document had loaded (selectRelated, populate) are read again (one find()
 * per path), as Django clears its related cache and reads them on access;
 * those a `fromQueryset` with selectRelated loads are taken from it. Also a method of
 * documents of models with the manager plugin: `doc.refreshFromDb()`, and
 * Django's `doc.refresh_from_db()`.
 *
 * @example
 * ```ts
 * await Entry.objects.filter({ pk: entry._id }).update({ rating: 5 });
 * await refreshFromDb(entry); // entry.rating === 5
 * await refreshFromDb(entry, { fields: ['headline'] }); // only headline
 * // or, typed as HydratedDocument<Entry, DjongooseDocument<Entry>>: entry.refreshFromDb()
 * ```
 */
export async function refreshFromDb<TRaw>(
  doc: Document<unknown, object, TRaw>,
  options?: RefreshOptions<TRaw>,
): Promise<void> {
  if (!(doc instanceof mongoose.Document)) {
    throw new DjongooseError('refreshFromDb() takes a Mongoose document.');
  }
  const model = doc.constructor as Model<unknown>;
  const checked = checkOptions(options) as unknown as RefreshOptions<never>;
  let fields = checkFields(model, checked.fields);
  if (fields?.length === 0) return;
  // A document loaded with only()/defer() reloads what it has, as Django keeps deferred fields deferred.
  const loaded = topLevelFields(model).filter((f) => doc.isSelected(f));
  if (fields === undefined && loaded.length < topLevelFields(model).length) fields = loaded;

  const pkPath = primaryKeyOf(model.schema);
  const pk: unknown = doc.get(pkPath);
  if (pk === undefined || pk === null) {
    throw new DoesNotExist(`${model.modelName} matching query does not exist (the document has no ${pkPath}).`);
  }
  let qs: QuerySet<never, unknown> = checked.fromQueryset ?? checked.from_queryset ?? new QuerySet(model as never);
  qs = qs.filter({ pk } as never);
  if (fields !== undefined) qs = qs.only(...(fields as never[]));
  const fresh = await qs.get();
  if (!(fresh instanceof mongoose.Document)) {
    throw new DjongooseError('refreshFromDb(): fromQueryset must return documents, not values() or lean() rows.');
  }
  const target = doc as unknown as Document;
  const copied = fields ?? topLevelFields(model);
  // References loaded before (selectRelated, populate) are read again below, as Django clears its
  // related cache and reads the referenced row again on access, which JavaScript cannot do lazily.
  const wasLoaded = copied.filter((f) => target.populated(f) !== undefined);
  copyFields(target, fresh, copied);
  await loadRelated(target, fresh, copied, wasLoaded);
}

/**
 * The references loaded on the document after the copy: those the fresh one
 * has loaded (fromQueryset with selectRelated) are taken from it; those the
 * document had loaded before are read again, one find() per path.
 */
async function loadRelated(doc: Document, fresh: Document, copied: readonly string[], wasLoaded: readonly string[]) {
  const again: string[] = [];
  for (const f of copied) {
    if (!fresh.isSelected(f)) continue;
    if (fresh.populated(f) !== undefined) {
      // A document assigned to a reference path is kept as populated, as Mongoose does on set().
      doc.set(f, fresh.get(f));
      doc.unmarkModified(f);
    } else if (wasLoaded.includes(f)) again.push(f);
  }
  if (again.length > 0) await doc.populate(again);
}

/** The fresh document's loaded values of `fields`, set on `doc` as stored (no setters, not modified). */
function copyFields(doc: Document, fresh: Document, fields: readonly string[]): void {
  const raw = fresh.toObject({ depopulate: true, getters: false, virtuals: false, transform: false });
  const present: Record<string, unknown> = {};
  for (const f of fields) {
    if (!fresh.isSelected(f)) continue; // deferred in the QuerySet: left as it is, as Django does
    if (doc.populated(f) !== undefined) doc.depopulate(f);
    if (f in raw) present[f] = (raw as Record<string, unknown>)[f];
    else {
      // Not stored: the field is unset, as Django reads NULL.
      doc.set(f, undefined);
      doc.unmarkModified(f);
    }
  }
  // Document.init is Mongoose's public "set from the database" door: no setters, not new. It
  // leaves a path modified earlier marked, so the copied ones (and what is under them) are unmarked.
  doc.init(present);
  const copied = Object.keys(present);
  for (const path of doc.modifiedPaths({ includeChildren: true })) {
    if (copied.some((f) => path === f || path.startsWith(`${f}.`))) doc.unmarkModified(path);
  }
}
