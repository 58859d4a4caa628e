// ImageField's check: the content must be an image image-size can read. A
// stream is checked from its head (at most 1 MiB is held, enough for JPEGs
// with large EXIF blocks) and then passed on untouched.
import { imageSize } from 'image-size';
import { InvalidFileContent } from './errors.js';

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

type Attempt = { ok: ImageDimensions } | { retry: true } | { fail: string };

function attempt(head: Uint8Array, final: boolean): Attempt {
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

function refuse(label: string, fileName: string, why: string): never {
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

/**
 * Passes a stream through once its head reads as an image, reporting the
 * dimensions first; fails (so the upload is aborted) when it does not.
 *
 * @example
 * ```ts
 * const checked = checkedImage(file.stream, 'avatar', 'me.png', (d) => console.log(d.width));
 * ```
 */
export async function* checkedImage(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  label: string,
  fileName: string,
  onDimensions: (dimensions: ImageDimensions) => void,
): AsyncGenerator<Uint8Array> {
  const head: Uint8Array[] = [];
  let held = 0;
  let nextTry = 64;
  let found = false;
  for await (const chunk of source) {
    if (found) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    held += chunk.length;
    if (held < nextTry && held < IMAGE_HEAD_LIMIT) continue;
    const result = attempt(Buffer.concat(head), held >= IMAGE_HEAD_LIMIT);
    if ('fail' in result) refuse(label, fileName, result.fail);
    if ('ok' in result) {
      onDimensions(result.ok);
      found = true;
      yield* head;
      head.length = 0;
    }
    nextTry = held * 4;
  }
  if (!found) {
    const result = attempt(Buffer.concat(head), true);
    if (!('ok' in result)) refuse(label, fileName, 'fail' in result ? result.fail : 'no header');
    onDimensions(result.ok);
    yield* head;
  }
}
