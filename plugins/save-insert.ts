// Django's save() of an object deleted meanwhile: its UPDATE matches no row,
// so Django sends an INSERT, and the object exists again with its primary
// key. Mongoose's save() raises DocumentNotFoundError instead. Under the
// manager plugin, save() does as Django's: the document is inserted again,
// whole, with its `_id` and validation and save hooks run again, as a new
// document's. It keeps raising when Django would too: `forceUpdate: true`
// (Django's force_update), `pathsToSave` (update_fields), or a document
// loaded with only()/defer() (Django saves only its loaded fields, and
// raises "did not affect any rows"). A VersionError (optimisticConcurrency,
// or an array changed elsewhere) is Mongoose's and is left as it is.
import mongoose, { type Document, type Model, type Schema, type SaveOptions } from 'mongoose';

declare module 'mongoose' {
  interface SaveOptions {
    /**
     * Django's `save(force_update=True)`: a document deleted meanwhile raises
     * Mongoose's DocumentNotFoundError instead of being inserted again.
     */
    forceUpdate?: boolean;
  }
}

// Mongoose's own save, which the method below calls (checkSameMongoose makes it the model's).
const mongooseSave = mongoose.Model.prototype.save;

function fullyLoaded(doc: Document): boolean {
  const model = doc.constructor as Model<unknown>;
  const names = new Set<string>();
  model.schema.eachPath((path) => names.add(path.split('.')[0] ?? path));
  return [...names].every((name) => doc.isSelected(name));
}

async function saveOrInsert(this: Document, options?: SaveOptions): Promise<Document> {
  const wasNew = this.isNew;
  try {
    return await mongooseSave.call(this, options);
  } catch (err) {
    const insert =
      err instanceof mongoose.Error.DocumentNotFoundError &&
      !wasNew &&
      options?.forceUpdate !== true &&
      options?.pathsToSave === undefined &&
      fullyLoaded(this);
    if (!insert) throw err;
    // Django's INSERT after an UPDATE that matched nothing.
    this.isNew = true;
    return await mongooseSave.call(this, options);
  }
}

/**
 * Makes `doc.save()` insert a document that was deleted meanwhile, as
 * Django's save() does, instead of raising DocumentNotFoundError; the
 * manager plugin applies it. `doc.save({ forceUpdate: true })` keeps
 * Mongoose's error.
 *
 * @example
 * ```ts
 * saveInsertsDeleted(articleSchema); // the manager plugin does this
 * await Article.objects.filter({ pk: a.id }).delete();
 * await a.save(); // inserted again, with the same _id
 * ```
 */
export function saveInsertsDeleted(schema: Schema): void {
  if ('save' in schema.methods) return;
  schema.method('save', saveOrInsert, { suppressWarning: true });
}
