// One upload for a file path: the storage save (with the image check on a
// stream), then the path and an ImageField's dimension paths set on the
// document. Shared by the pre-save hook and FieldFile.save().
import type { Document } from 'mongoose';
import { contentChunks } from './content.js';
import { imageContentType, type FileContent } from './content.js';
import { ImageField, type FileField, type PendingUpload } from './file-field.js';
import { pendingUploads } from './file-hooks.js';
import { checkedImage, type ImageDimensions } from './image.js';

/**
 * Stores the content for the path and sets the path to the stored name.
 *
 * @example
 * ```ts
 * await storeFieldContent(doc, field, { name: 'avatars/me.png', content, contentType: undefined, dimensions: undefined });
 * ```
 */
export async function storeFieldContent(doc: Document, field: FileField, upload: PendingUpload): Promise<string> {
  let dimensions: ImageDimensions | undefined = upload.dimensions;
  let content: FileContent = upload.content;
  if (field instanceof ImageField && !dimensions) {
    content = checkedImage(contentChunks(upload.content, upload.name), field.path, upload.name, (d) => {
      dimensions = d;
    });
  }
  const contentType =
    upload.contentType ?? (field instanceof ImageField ? imageContentType(upload.dimensions?.type) : undefined);
  const stored = await field.storage.save(upload.name, content, contentType ? { contentType } : {});
  doc.set(field.path, stored);
  pendingUploads(doc).delete(field.path);
  if (field instanceof ImageField && dimensions) {
    if (field.widthField) doc.set(field.widthField, dimensions.width);
    if (field.heightField) doc.set(field.heightField, dimensions.height);
  }
  return stored;
}
