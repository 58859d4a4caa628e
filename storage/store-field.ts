// One checked save for a file path: the field's checks on the head (see
// field-checks.ts), an image's dimensions judged by the schema's validators
// (dimension-checks.ts), then the storage save under the sniffed content
// type. The one way a file path's content is stored: FileField.store (the
// pre-save hook, FieldFile.save()), the field-bound multer engine and
// storeUpload, which set what was stored where each needs it.
import type { Document } from 'mongoose';
import { contentChunks, type FileContent } from './content.js';
import { checkContentType, essence, OCTET_STREAM } from './content-type.js';
import { checkDimensions } from './dimension-checks.js';
import { checkFieldContent, type CheckedContent } from './field-checks.js';
import type { FilePath } from './file-path.js';
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
 * Checks `content` as `field` requires and stores it as `name`; `doc` is the
 * document it is for (its model's validators judge an image's dimensions,
 * on a scratch document). Nothing is stored when a check fails. The stored
 * content type is the sniffed one; a `contentType` given by code is used only
 * when the bytes are of no type the sniffer knows, and never when it is a
 * type a browser could render as a page (text, HTML, XML, script).
 *
 * @example
 * ```ts
 * const { name, contentType } = await storeChecked(field, author, 'avatars/me.png', pngBytes, {});
 * ```
 */
export async function storeChecked(
  field: FilePath,
  doc: Document,
  name: string,
  content: FileContent,
  options: {
    readonly contentType?: string | undefined;
    readonly fileName?: string;
  },
): Promise<StoredContent> {
  const given = options.contentType;
  if (given !== undefined) checkContentType(given, name);
  const fileName = options.fileName ?? baseName(name);
  const { value, body } = await checkFieldContent(field, fileName, contentChunks(content, name), (checked) =>
    checkDimensions(field, doc, fileName, checked.dimensions),
  );
  const contentType =
    value.contentType === OCTET_STREAM && given !== undefined && !ACTIVE.test(essence(given))
      ? given
      : value.contentType;
  const stored = await field.storage.save(name, body, { contentType });
  return { ...value, contentType, name: stored };
}
