// An ImageField's dimensions judged by the schema's own validators on its
// widthField and heightField (`avatarWidth: { type: Number, max: 1024 }`),
// before a byte is stored. Every way of storing an image reaches this one
// check through storeChecked (store-field.ts): content assigned in code
// (the pre-save hook, FieldFile.save), the field-bound multer engine, and
// storeUpload (the admin). The validators run on a scratch document of the
// same model, so a refusal leaves the caller's document as it was. Content
// held in memory is also judged at validation (its dimensions are known
// from the assignment), so that no upload of the document, or of a
// subdocument saved alongside it, starts when one of them is refused.
import mongoose, { type Document } from 'mongoose';
import { InvalidFileContent } from '../core/errors.js';
import type { FilePath } from './file-path.js';
import type { ImageDimensions } from './image.js';
import { pendingUploads } from './pending-uploads.js';

/** A new, empty document of `doc`'s model (or subdocument type), for validators to run on. */
function scratchOf(doc: Document): Document {
  return new (doc.constructor as new () => Document)();
}

/**
 * Raises {@link InvalidFileContent} when the schema's validators on the
 * field's dimension paths refuse an image of `dimensions`; a FileField, or
 * an ImageField without widthField / heightField, has nothing to check.
 *
 * @example
 * ```ts
 * await checkDimensions(avatarField, author, 'wide.png', { width: 300, height: 10, type: 'png' });
 * // InvalidFileContent: avatar: the image is 300×10, which the schema refuses: Path `avatarWidth` (300) is more than maximum allowed value (256). …
 * ```
 */
export async function checkDimensions(
  field: FilePath,
  doc: Document,
  fileName: string,
  dimensions: ImageDimensions | undefined,
): Promise<void> {
  if (!dimensions) return;
  const paths = Object.keys(field.dimensionValues(dimensions));
  if (paths.length === 0) return;
  const scratch = scratchOf(doc);
  field.setDimensions(scratch, dimensions);
  try {
    await scratch.validate(paths);
  } catch (err) {
    // A document reports a ValidationError; an array's subdocument its first ValidatorError.
    const errors =
      err instanceof mongoose.Error.ValidationError
        ? Object.values(err.errors)
        : err instanceof mongoose.Error.ValidatorError
          ? [err]
          : undefined;
    if (!errors) throw err;
    const reasons = errors.map((e) => e.message.replace(/\.$/, ''));
    throw new InvalidFileContent(
      `${field.path}: the image is ${dimensions.width}×${dimensions.height}, which the schema refuses: ` +
        `${reasons.join('; ')}. Upload an image whose dimensions those validators accept.`,
      fileName,
      { cause: err },
    );
  }
}

/**
 * Judges the images waiting for the document's save whose dimensions are
 * already known (content held in memory); a stream is judged as it is read.
 *
 * @example
 * ```ts
 * await checkPendingDimensions(author, filePaths(author.schema)); // from the pre-validate hook
 * ```
 */
export async function checkPendingDimensions(doc: Document, fields: readonly FilePath[]): Promise<void> {
  const waiting = pendingUploads(doc);
  for (const field of fields) {
    const upload = waiting.get(field.path);
    if (upload) await checkDimensions(field, doc, upload.name, upload.dimensions);
  }
}
