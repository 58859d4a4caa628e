// ImageField's check: the content must be an image image-size can read, and
// a refusal says why and which formats are accepted (image-size's own
// errors name no format, e.g. "unsupported file type: undefined"). A
// stream is checked from its head (field-checks.ts holds at most 1 MiB,
// enough for JPEGs with large EXIF blocks) and then passed on untouched.
import { imageSize, types } from 'image-size';
import { InvalidFileContent } from '../core/errors.js';

/** Width, height and image-size's type name (`png`, `jpg`, …). */
export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
  readonly type: string;
}

type ImageType = (typeof types)[number];

/** The most read from a stream's head before giving up on finding an image header. */
export const IMAGE_HEAD_LIMIT = 1024 * 1024;
/** Formats image-size knows that ImageField refuses: SVG is a document that can carry script, and Pillow does not read it. */
const REFUSED: ReadonlySet<string> = new Set<ImageType>(['svg']);
// How a message names image-size's types: the usual name, the formats a type covers.
const SHOWN: Partial<Record<ImageType, string>> = { jpg: 'jpeg', heif: 'heif (avif, heic)', 'jxl-stream': 'jxl' };
const FIRST: readonly ImageType[] = ['png', 'jpg', 'gif', 'webp', 'heif'];

/**
 * The formats an ImageField accepts, read from image-size's own list (so a
 * new image-size format shows up here): the common ones first.
 */
export const ACCEPTED_IMAGE_TYPES: readonly string[] = [
  ...new Set(
    [...FIRST, ...types.filter((t) => !FIRST.includes(t))].filter((t) => !REFUSED.has(t)).map((t) => SHOWN[t] ?? t),
  ),
];

/** What reading an image header gave: dimensions, a need for more bytes, or why it is not an image. */
export type Attempt = { ok: ImageDimensions } | { retry: true } | { fail: string };

// image-size says `unsupported file type: undefined` when no format's
// signature matched, `unsupported file type: png` when one matched but gave no size.
const UNSUPPORTED = /^unsupported file type: (\S+)$/;

/** Why image-size's error means the bytes are no image, or undefined when more bytes may help. */
function reasonOf(message: string, final: boolean): string | undefined {
  const unsupported = UNSUPPORTED.exec(message)?.[1];
  if (unsupported === 'undefined') return 'image-size found no known format';
  if (!final) return undefined;
  if (unsupported !== undefined) return `image-size found no size in its ${unsupported.toUpperCase()} header`;
  return `its header is damaged or cut short; image-size says: ${message}`;
}

/**
 * Reads an image header with image-size; `final` says no more bytes will come.
 *
 * @example
 * ```ts
 * attempt(pngBytes.subarray(0, 64), false); // { ok: { width: 64, height: 64, type: 'png' } }
 * attempt(Buffer.from('hello'), true); // { fail: 'image-size found no known format' }
 * ```
 */
export function attempt(head: Uint8Array, final: boolean): Attempt {
  try {
    const size = imageSize(head);
    const type = size.type ?? 'unknown';
    if (REFUSED.has(type)) {
      return { fail: `${type.toUpperCase()} is not accepted: it is a document that can carry script` };
    }
    if (!(size.width > 0 && size.height > 0)) {
      return final ? { fail: `its ${type.toUpperCase()} header gives no width and height` } : { retry: true };
    }
    return { ok: { width: size.width, height: size.height, type } };
  } catch (err) {
    const why = reasonOf(err instanceof Error ? err.message : String(err), final);
    return why === undefined ? { retry: true } : { fail: why };
  }
}

/**
 * Raises {@link InvalidFileContent} for content that is not an accepted image.
 *
 * @example
 * ```ts
 * refuse('avatar', 'evil.png', 'image-size found no known format');
 * // InvalidFileContent: avatar: "evil.png" is not an image djongoose can read (image-size found no known format);
 * // accepted: png, jpeg, gif, webp, heif (avif, heic), bmp, …
 * ```
 */
export function refuse(label: string, fileName: string, why: string): never {
  throw new InvalidFileContent(
    `${label}: ${JSON.stringify(fileName)} is not an image djongoose can read (${why}); ` +
      `accepted: ${ACCEPTED_IMAGE_TYPES.join(', ')}.`,
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
