// The uploads waiting for a document's save, by path: a side table that
// FileField's setter fills, and that storing (FileField.store, from the
// pre-save hook or FieldFile.save) empties. A leaf, so the field and its
// hooks both reach it without reaching each other.
import type { Document } from 'mongoose';
import type { FileContent } from './content.js';
import type { ImageDimensions } from './image.js';

/** An upload waiting for `doc.save()`. */
export interface PendingUpload {
  readonly name: string;
  readonly content: FileContent;
  readonly contentType: string | undefined;
  readonly dimensions: ImageDimensions | undefined;
}

const pending = new WeakMap<Document, Map<string, PendingUpload>>();

/**
 * The uploads waiting for the document's save, by path.
 *
 * @example
 * ```ts
 * pendingUploads(profile).has('avatar'); // true after profile.avatar = pngBytes
 * ```
 */
export function pendingUploads(doc: Document): Map<string, PendingUpload> {
  let map = pending.get(doc);
  if (!map) pending.set(doc, (map = new Map()));
  return map;
}
