// A file field's checks on an upload's head, before a byte is stored: what
// the bytes are (sniffed, never the client's word), whether the name's
// extension agrees, and for an ImageField the dimensions image-size reads.
// The same checks run for content assigned to a document and for uploads
// through the field-bound multer engine.
import { essence, OCTET_STREAM } from './content-type.js';
import { guessContentType, imageContentType } from './content.js';
import { InvalidFileContent } from '../core/errors.js';
import type { FilePath } from './file-path.js';
import { attempt, IMAGE_HEAD_LIMIT, refuse, type ImageDimensions } from './image.js';
import { inspectHead, type Inspected } from './head.js';
import { SNIFF_BYTES, sniffContentType } from './sniff.js';

/** What the checks found out about an upload. */
export interface CheckedContent {
  /** The sniffed type, stored as the file's content type. */
  readonly contentType: string;
  /** An ImageField's width, height and image type. */
  readonly dimensions: ImageDimensions | undefined;
}

// Types served as text: a text file with one of these extensions is what it says.
const TEXTUAL = /^(text\/|application\/(json|xml|javascript)$|image\/svg\+xml$)/;
// One family: AVIF and HEIC files often carry the generic HEIF brand first.
const HEIF = new Set(['image/avif', 'image/heic', 'image/heif']);

function agrees(claimed: string, sniffed: string): boolean {
  const [a, b] = [essence(claimed), essence(sniffed)];
  if (a === b) return true;
  if (b === 'text/plain' && TEXTUAL.test(a)) return true;
  return HEIF.has(a) && HEIF.has(b);
}

/**
 * Refuses content whose name's extension names another type than its bytes
 * (`evil.png` holding text). A name without a known extension, and an empty
 * file, are not checked.
 *
 * @example
 * ```ts
 * checkNameAgrees('avatar', 'evil.png', 'text/plain; charset=utf-8'); // InvalidFileContent
 * ```
 */
export function checkNameAgrees(label: string, fileName: string, sniffed: string): void {
  const claimed = guessContentType(fileName);
  if (claimed === undefined || agrees(claimed, sniffed)) return;
  const what = sniffed === OCTET_STREAM ? 'bytes of no type it recognises' : essence(sniffed);
  throw new InvalidFileContent(
    `${label}: ${JSON.stringify(fileName)} is named as ${essence(claimed)}, but its content is ${what} ` +
      '(read from its first bytes). Upload a file whose content matches its extension, or name it for what it holds.',
    fileName,
  );
}

/**
 * Runs `field`'s checks on the head of `source` and returns the verdict and
 * the bytes to store. `fileName` is the client's (cleaned) name, whose
 * extension must agree with the content. `extra` runs after the checks pass
 * and before anything is stored (the engine validates dimension paths there).
 *
 * @example
 * ```ts
 * const { value, body } = await checkFieldContent(field, 'me.png', chunks);
 * await field.storage.save('avatars/me.png', body, { contentType: value.contentType });
 * ```
 */
export function checkFieldContent(
  field: FilePath,
  fileName: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  extra?: (checked: CheckedContent) => Promise<void>,
): Promise<Inspected<CheckedContent>> {
  const image = field.imageOnly;
  return inspectHead(source, image ? IMAGE_HEAD_LIMIT : SNIFF_BYTES, async (head, final, ended) => {
    if (head.length < SNIFF_BYTES && !final) return undefined;
    let contentType = sniffContentType(head, ended);
    let dimensions: ImageDimensions | undefined;
    if (image) {
      const result = attempt(head, final);
      if ('retry' in result) return undefined;
      if ('fail' in result) refuse(field.path, fileName, result.fail);
      dimensions = result.ok;
      contentType = imageContentType(dimensions.type) ?? contentType;
    }
    if (head.length > 0) checkNameAgrees(field.path, fileName, contentType);
    const checked = { contentType, dimensions };
    await extra?.(checked);
    return checked;
  });
}
