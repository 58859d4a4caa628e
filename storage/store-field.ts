// One upload for a file path: the field's checks on the head (see
// field-checks.ts), the storage save under the sniffed content type, then
// the path and an ImageField's dimension paths set on the document. Shared
// by the pre-save hook, FieldFile.save() and the field-bound multer engine.
import type { Document } from 'mongoose';
import { contentChunks, type FileContent } from './content.js';
import { checkContentType, essence, OCTET_STREAM } from './content-type.js';
import { ExistingFile } from './file-refs.js';
import { checkFieldContent, type CheckedContent } from './field-checks.js';
import type { FileField, PendingUpload } from './file-field.js';
import { pendingUploads } from './file-hooks.js';
import type { ImageDimensions } from './image.js';
import { splitName } from './names.js';

/** What one checked upload stored. */
export interface StoredContent extends CheckedContent {
  /** The stored name (an alternative when the wanted one was taken). */
  readonly name: string;
}

// Types a browser could run or render as a page: never taken from a caller's word.
const ACTIVE = /html|xml|javascript|ecmascript|^text\//i;

/** The client's name for the extension check: the stored name's last segment. */
function baseName(name: string): string {
  const [, root, ext] = splitName(name);
  return root + ext;
}

/**
 * Checks `content` as `field` requires and stores it as `name`. The stored
 * content type is the sniffed one; a `contentType` given by code is used only
 * when the bytes are of no type the sniffer knows, and never when it is a
 * type a browser could render as a page (text, HTML, XML, script).
 *
 * @example
 * ```ts
 * const { name, contentType } = await storeChecked(field, 'avatars/me.png', pngBytes, {});
 * ```
 */
export async function storeChecked(
  field: FileField,
  name: string,
  content: FileContent,
  options: {
    readonly contentType?: string | undefined;
    readonly fileName?: string;
    readonly extra?: (checked: CheckedContent) => Promise<void>;
  },
): Promise<StoredContent> {
  const given = options.contentType;
  if (given !== undefined) checkContentType(given, name);
  const fileName = options.fileName ?? baseName(name);
  const { value, body } = await checkFieldContent(field, fileName, contentChunks(content, name), options.extra);
  const contentType =
    value.contentType === OCTET_STREAM && given !== undefined && !ACTIVE.test(essence(given))
      ? given
      : value.contentType;
  const stored = await field.storage.save(name, body, { contentType });
  return { ...value, contentType, name: stored };
}

/**
 * Stores a pending upload for the path and sets the path (and an ImageField's
 * dimension paths) on the document.
 *
 * @example
 * ```ts
 * await storeFieldContent(doc, field, { name: 'avatars/me.png', content, contentType: undefined, dimensions: undefined });
 * ```
 */
export async function storeFieldContent(doc: Document, field: FileField, upload: PendingUpload): Promise<string> {
  const stored = await storeChecked(field, upload.name, upload.content, { contentType: upload.contentType });
  doc.set(field.path, new ExistingFile(stored.name)); // stored just now: not a name from data
  pendingUploads(doc).delete(field.path);
  setDimensions(doc, field, stored.dimensions);
  return stored.name;
}

/**
 * Fills an ImageField's `widthField` and `heightField` on the document.
 *
 * @example
 * ```ts
 * setDimensions(doc, field, { width: 64, height: 48, type: 'png' });
 * ```
 */
export function setDimensions(doc: Document, field: FileField, dimensions: ImageDimensions | undefined): void {
  if (!dimensions) return;
  const { widthField, heightField } = field as FileField & { widthField?: string; heightField?: string };
  if (widthField) doc.set(widthField, dimensions.width);
  if (heightField) doc.set(heightField, dimensions.height);
}
