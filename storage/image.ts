// ImageField's check: the content must be an image image-size can read. A
// stream is checked from its head (field-checks.ts holds at most 1 MiB,
// enough for JPEGs with large EXIF blocks) and then passed on untouched.
import { imageSize } from 'image-size';
import { InvalidFileContent } from '../core/errors.js';

/** Width, height and image-size's type name (`png`, `jpg`, …). */
export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
  readonly type: string;
}

/** The most read from a stream's head before giving up on finding an image header. */
export const IMAGE_HEAD_LIMIT = 1024 * 1024;
/** Formats image-size knows that ImageField refuses: SVG is a document that can carry script, and Pillow does not read it. */
const REFUSED = new Set(['svg']);
const ACCEPTED = 'PNG, JPEG, GIF, WebP, AVIF/HEIF, BMP, TIFF, ICO and the other raster formats image-size reads';

/** What reading an image header gave: dimensions, a need for more bytes, or why it is not an image. */
export type Attempt = { ok: ImageDimensions } | { retry: true } | { fail: string };

/**
 * Reads an image header with image-size; `final` says no more bytes will come.
 *
 * @example
 * ```ts
 * attempt(pngBytes.subarray(0, 64), false); // { ok: { width: 64, height: 64, type: 'png' } }
 * ```
 */
export function attempt(head: Uint8Array, final: boolean): Attempt {
  try {
    const size = imageSize(head);
    const type = size.type ?? 'unknown';
    if (REFUSED.has(type)) return { fail: `${type.toUpperCase()} is not accepted` };
    if (!(size.width > 0 && size.height > 0)) return final ? { fail: 'it has no width and height' } : { retry: true };
    return { ok: { width: size.width, height: size.height, type } };
  } catch (err) {
    const message = (err as Error).message;
    if (/unsupported file type/i.test(message) || final) return { fail: message };
    return { retry: true };
  }
}

/**
 * Raises {@link InvalidFileContent} for content that is not an accepted image.
 *
 * @example
 * ```ts
 * refuse('avatar', 'evil.png', 'unsupported file type');
 * ```
 */
export function refuse(label: string, fileName: string, why: string): never {
  throw new InvalidFileContent(
    `${label}: ${JSON.stringify(fileName)} is not an image image-size can read (${why}); upload ${ACCEPTED}.`,
    fileName,
  );
}

/**
 * The dimensions of an image held in memory, or {@link InvalidFileContent}.
 *
 * @example
 * ```ts
 * imageDimensions(pngBytes, 'avatar', 'me.png'); // { width: 64, height: 64, type: 'png' }
 * ```
 */
export function imageDimensions(bytes: Uint8Array, label: string, fileName: string): ImageDimensions {
  const result = attempt(bytes, true);
  if ('ok' in result) return result.ok;
  return refuse(label, fileName, 'fail' in result ? result.fail : 'no header');
}
