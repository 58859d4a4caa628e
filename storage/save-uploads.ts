// The uploads of one save, across a document and its subdocuments, undone
// together when the save fails. Mongoose runs the pre-save hooks of all the
// subdocuments in parallel and rejects the save as soon as one of them fails,
// while the others may still be streaming; and a subdocument's own error
// hooks never run. So one save is one record, shared by every hook of that
// save (they all receive the same save options object): the first failure
// marks it failed, waits for every upload still in flight to settle, then
// deletes all the files the save stored and puts each document back. A hook
// that starts after the failure stores nothing.
import type { Document } from 'mongoose';
import type { FileContent } from './content.js';
import type { FilePath } from './file-path.js';
import { existingFile } from './file-refs.js';
import { pendingUploads, type PendingUpload } from './pending-uploads.js';

/** One upload a save is to make: the path, its content, and the name the path held before. */
export interface SaveUpload {
  readonly field: FilePath;
  readonly upload: PendingUpload;
  readonly before: string | undefined;
}

type Stored = SaveUpload & { readonly name: string };

interface SaveRecord {
  failed: boolean;
  readonly running: Set<Promise<unknown>>;
  readonly stored: Map<Document, Stored[]>;
  undone?: Promise<void>;
}

// Keyed by the save options object Mongoose hands every pre-save hook of one save.
const byOptions = new WeakMap<object, SaveRecord>();
// The record of the top-level document's latest save, for its own error hook.
const byOwner = new WeakMap<Document, SaveRecord>();

/** The top-level document whose save this is (a subdocument's ownerDocument()). */
function ownerOf(doc: Document): Document {
  const owned = doc as { ownerDocument?: () => Document };
  return typeof owned.ownerDocument === 'function' ? owned.ownerDocument() : doc;
}

function recordOf(doc: Document, options: unknown): SaveRecord {
  const owner = ownerOf(doc);
  const key = typeof options === 'object' && options !== null ? options : owner;
  let record = byOptions.get(key);
  if (!record) {
    record = { failed: false, running: new Set(), stored: new Map() };
    byOptions.set(key, record);
    byOwner.set(owner, record);
  }
  return record;
}

const isStream = (content: FileContent): boolean => typeof content !== 'string' && !(content instanceof Uint8Array);

/**
 * Puts a document back as it was before the save and deletes the files
 * stored for it (nobody can name them: the document holding their names was
 * never written). In-memory content waits again for the next save; a stream
 * was read once, so its path goes back to the old file.
 */
async function discard(doc: Document, files: readonly Stored[]): Promise<void> {
  for (const { field, upload, before } of files) {
    doc.set(field.path, before === undefined ? undefined : existingFile(before));
    if (!isStream(upload.content)) pendingUploads(doc).set(field.path, upload);
  }
  await Promise.all(files.map((f) => f.field.storage.delete(f.name).catch(() => undefined)));
}

/** Fails the save once: waits for the uploads still running, then undoes every one that was stored. */
function undo(record: SaveRecord): Promise<void> {
  record.failed = true;
  record.undone ??= (async () => {
    // No upload joins a failed save, so the running set only shrinks from here.
    await Promise.allSettled([...record.running]);
    await Promise.all([...record.stored].map(([doc, files]) => discard(doc, files)));
    record.stored.clear();
  })();
  return record.undone;
}

/**
 * Stores a document's uploads for the save `options` belongs to, one after
 * another, each through `field.store`. Stops early when another document of
 * the same save failed; a failure of its own goes on to the caller, who
 * fails the save with {@link failSave}.
 *
 * @example
 * ```ts
 * schema.pre('save', async function (options) {
 *   await storeForSave(this, options, [{ field, upload, before: undefined }]);
 * });
 * ```
 */
export async function storeForSave(doc: Document, options: unknown, uploads: readonly SaveUpload[]): Promise<void> {
  if (uploads.length === 0) return;
  const record = recordOf(doc, options);
  const work = (async () => {
    for (const upload of uploads) {
      // The save was refused already: what this hook stored now nobody would delete.
      if (record.failed) return;
      const name = await upload.field.store(doc, upload.upload);
      record.stored.set(doc, [...(record.stored.get(doc) ?? []), { ...upload, name }]);
    }
  })();
  record.running.add(work);
  await work;
}

/**
 * Fails the save `options` belongs to, from one of its documents' hooks:
 * once every upload still running has settled, the files the whole save
 * stored (its subdocuments' included) are deleted and their documents put back.
 *
 * @example
 * ```ts
 * try { await storeForSave(this, options, uploads); } catch (error) { await failSave(this, options); throw error; }
 * ```
 */
export function failSave(doc: Document, options: unknown): Promise<void> {
  return undo(recordOf(doc, options));
}

/**
 * Undoes the uploads of the top-level document's failed save, its
 * subdocuments' included; for its save-error hook (the write failed, or a
 * hook did).
 *
 * @example
 * ```ts
 * schema.post('save', { errorHandler: true }, async function () {
 *   await undoFailedSave(this);
 * });
 * ```
 */
export async function undoFailedSave(doc: Document): Promise<void> {
  const record = byOwner.get(doc);
  if (record) await undo(record);
}

/**
 * Forgets the uploads of a save that succeeded: they are the document's files now.
 *
 * @example
 * ```ts
 * schema.post('save', function () {
 *   endSave(this);
 * });
 * ```
 */
export function endSave(doc: Document): void {
  const record = byOwner.get(doc);
  if (record && !record.failed) record.stored.clear();
  byOwner.delete(doc);
}
