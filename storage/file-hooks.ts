// The hooks a schema with file paths gets, installed once by the first file
// path's schema type (no plugin to remember):
//   post init    remember the stored names, to know later what was replaced
//   pre validate refuse a plain string naming a stored file (assigned-names.ts),
//   pre update   and the same in query updates and replacements;
//   pre validate judge the dimensions of images held in memory (dimension-checks.ts)
//   pre save     upload pending content and set the stored names, in one
//                record per save with the subdocuments' (save-uploads.ts)
//   post save    with deleteOrphans: delete the names this save replaced
//   save error   delete the files this save uploaded (a later upload refused,
//                or the write failed), so a failed save stores nothing; a
//                subdocument's refusal does the same from its pre-save hook
//                (Mongoose runs no error hook of a subdocument), once the
//                uploads running in parallel have settled
//   post deleteOne (document), and the query deletes: with deleteOrphans,
//                delete the files of the documents that are gone
// and the static Model.fileUpload(path), the field-bound multer engine.
// Old files are removed only after the write succeeded, and only when no
// document of the collection still names them; a failed save or delete
// leaves every file in place.
import type { Collection, Document, Model, Query, SaveOptions, Schema } from 'mongoose';
import { checkAssignedNames, checkUpdateNames, clearAssignments } from './assigned-names.js';
import { checkPendingDimensions } from './dimension-checks.js';
// The hooks see a file path through its contract, not the class (which installs them).
import { filePaths, type FilePath } from './file-path.js';
import { fileUpload, type FieldUploadOptions } from './field-upload.js';
import { pendingUploads } from './pending-uploads.js';
import { endSave, failSave, storeForSave, undoFailedSave } from './save-uploads.js';

type Named = { field: FilePath; name: string };

const installed = new WeakSet<Schema>();
const persisted = new WeakMap<Document, Map<string, string>>();
const orphans = new WeakMap<Document, { field: FilePath; name: string }[]>();
const doomed = new WeakMap<object, { id: unknown; files: { field: FilePath; name: string }[] }[]>();

/** A dotted path's value in a plain object. */
function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

const schemaOf = (doc: Document): Schema => doc.schema;

function storedName(doc: Document, field: FilePath): string | undefined {
  const raw = doc.get(field.path, null, { getters: false }) as unknown;
  return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

function remember(doc: Document): void {
  const names = new Map<string, string>();
  for (const field of filePaths(schemaOf(doc))) {
    const name = storedName(doc, field);
    if (name !== undefined) names.set(field.path, name);
  }
  persisted.set(doc, names);
}

/** True when a document of the collection still names the file in a path of the same storage. */
async function stillNamed(collection: Collection, fields: readonly FilePath[], { field, name }: Named) {
  const paths = fields.filter((f) => f.storage === field.storage).map((f) => ({ [f.path]: name }));
  return (await collection.findOne({ $or: paths }, { projection: { _id: 1 } })) !== null;
}

async function removeQuietly(
  collection: Collection | undefined,
  fields: readonly FilePath[],
  files: readonly Named[],
): Promise<void> {
  // Without a collection to ask (a file path in a subdocument) no file is
  // removed: an orphan is better than another document's lost file.
  if (!collection) return;
  // The write already succeeded; a file that cannot be removed now stays an
  // orphan rather than turning a successful save into an error.
  await Promise.all(
    files.map(async (file) => {
      if (await stillNamed(collection, fields, file).catch(() => true)) return;
      await file.field.storage.delete(file.name).catch(() => undefined);
    }),
  );
}

/** The collection of a document's model; undefined for a subdocument. */
function collectionOf(doc: Document): Collection | undefined {
  const collection = (doc.constructor as { collection?: Collection }).collection;
  return typeof collection?.findOne === 'function' ? collection : undefined;
}

/**
 * Installs the file hooks on a schema, once.
 *
 * @example
 * ```ts
 * installFileHooks(profileSchema); // done for you by FileField and ImageField
 * ```
 */
export function installFileHooks(schema: Schema): void {
  if (installed.has(schema)) return;
  installed.add(schema);

  if (!('fileUpload' in schema.statics)) {
    schema.static(
      'fileUpload',
      function fieldBoundUpload(this: Model<unknown>, path: string, options?: FieldUploadOptions) {
        return fileUpload(this, path as never, options);
      },
    );
  }

  schema.post('init', function rememberStoredFiles(this: Document) {
    remember(this);
  });

  schema.pre('validate', async function checkFileNames(this: Document) {
    await checkAssignedNames(this, filePaths(schemaOf(this)), persisted.get(this));
  });

  schema.pre('validate', async function checkImageDimensions(this: Document) {
    await checkPendingDimensions(this, filePaths(schemaOf(this)));
  });

  schema.pre('save', async function uploadPendingFiles(this: Document, options: SaveOptions) {
    const fields = filePaths(schemaOf(this));
    try {
      // Again here for save({ validateBeforeSave: false }); names checked at validation are not asked twice.
      await checkAssignedNames(this, fields, persisted.get(this));
      const waiting = pendingUploads(this);
      const uploads = fields.flatMap((field) => {
        const upload = waiting.get(field.path);
        return upload ? [{ field, upload, before: persisted.get(this)?.get(field.path) }] : [];
      });
      await storeForSave(this, options, uploads);
    } catch (error) {
      await failSave(this, options);
      throw error;
    }
    const before = persisted.get(this);
    const replaced = fields
      .filter((f) => f.deleteOrphans)
      .map((field) => ({ field, name: before?.get(field.path) }))
      .filter(
        (o): o is { field: FilePath; name: string } => o.name !== undefined && o.name !== storedName(this, o.field),
      );
    orphans.set(this, replaced);
  });

  schema.post('save', async function deleteReplacedFiles(this: Document) {
    endSave(this);
    const replaced = orphans.get(this) ?? [];
    orphans.delete(this);
    remember(this);
    clearAssignments(this);
    await removeQuietly(collectionOf(this), filePaths(schemaOf(this)), replaced);
  });

  // The save's error goes on to the caller as it is; this only cleans up.
  schema.post('save', { errorHandler: true }, async function discardFilesOfFailedSave(this: Document) {
    await undoFailedSave(this);
  });

  schema.post('deleteOne', { document: true, query: false }, async function deleteFilesOfDeleted(this: Document) {
    const names = new Set<string>();
    const files: { field: FilePath; name: string }[] = [];
    for (const field of filePaths(schemaOf(this)).filter((f) => f.deleteOrphans)) {
      for (const name of [storedName(this, field), persisted.get(this)?.get(field.path)]) {
        if (name === undefined || names.has(name)) continue;
        files.push({ field, name });
        names.add(name);
      }
    }
    await removeQuietly(collectionOf(this), filePaths(schemaOf(this)), files);
  });

  for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const) {
    schema.pre(op, async function checkUpdatedFileNames(this: Query<unknown, unknown>) {
      await checkUpdateNames(this, filePaths(this.model.schema));
    });
  }

  for (const op of ['deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
    schema.pre(
      op,
      { document: false, query: true },
      async function collectFilesOfDeleted(this: Query<unknown, unknown>) {
        const fields = filePaths(this.model.schema).filter((f) => f.deleteOrphans);
        if (fields.length === 0) return;
        const projection = Object.fromEntries(fields.map((f) => [f.path, 1]));
        const cursor = this.model.find(this.getFilter(), projection).lean();
        const docs = (await (op === 'deleteMany' ? cursor : cursor.limit(1))) as Record<string, unknown>[];
        doomed.set(
          this,
          docs.map((doc) => ({
            id: doc['_id'],
            files: fields
              .map((field) => ({ field, name: valueAt(doc, field.path) }))
              .filter((f): f is { field: FilePath; name: string } => typeof f.name === 'string' && f.name !== ''),
          })),
        );
      },
    );
    schema.post(
      op,
      { document: false, query: true },
      async function deleteFilesOfDeleted(this: Query<unknown, unknown>) {
        const candidates = doomed.get(this);
        doomed.delete(this);
        if (!candidates || candidates.length === 0) return;
        // Only the documents that are really gone lose their files.
        const still = await this.model.find({ _id: { $in: candidates.map((c) => c.id) } }, { _id: 1 }).lean();
        const kept = new Set(still.map((d) => String((d as { _id: unknown })._id)));
        await removeQuietly(
          this.model.collection,
          filePaths(this.model.schema),
          candidates.filter((c) => !kept.has(String(c.id))).flatMap((c) => c.files),
        );
      },
    );
  }
}
