// Content types as HTTP sends them. A stored type ends up in a response
// header, so save() accepts only RFC 7231's media-type grammar in ASCII
// (type "/" subtype, then `; name=value` parameters), and serve() sends any
// stored type outside it as application/octet-stream.
import { InvalidContentType } from '../core/errors.js';

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
// A quoted-string: printable ASCII but `"` and `\`, or a backslash pair.
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);
/** Longest accepted content type: RFC 6838 caps type and subtype at 127 characters each. */
export const MAX_CONTENT_TYPE_LENGTH = 255;

/** The fallback for anything unknown or unsendable. */
export const OCTET_STREAM = 'application/octet-stream';

/**
 * True when `value` is a media type HTTP can carry: `type/subtype` with
 * optional `; name=value` parameters, ASCII, no control characters.
 *
 * @example
 * ```ts
 * isContentType('text/plain; charset=utf-8'); // true
 * isContentType('text/plain\r\nX: y'); // false
 * ```
 */
export function isContentType(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_CONTENT_TYPE_LENGTH && MEDIA_TYPE.test(value);
}

/**
 * `value` when it is a media type HTTP can carry, else {@link InvalidContentType}.
 *
 * @example
 * ```ts
 * checkContentType('image/png', 'a.png'); // 'image/png'
 * checkContentType('text/plain\r\nX: y', 'a.txt'); // InvalidContentType
 * ```
 */
export function checkContentType(value: unknown, fileName: string): string {
  if (isContentType(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
  throw new InvalidContentType(
    `The content type ${shown} for ${JSON.stringify(fileName)} is not a media type HTTP can send. ` +
      'A content type is RFC 7231\'s type "/" subtype with optional "; name=value" parameters ' +
      `(e.g. 'image/png' or 'text/plain; charset=utf-8'): ASCII tokens, no spaces inside a token, no control ` +
      `characters such as CR or LF, at most ${MAX_CONTENT_TYPE_LENGTH} characters.`,
    fileName,
  );
}

/**
 * The type to send for a stored one: itself when sendable, else octet-stream.
 *
 * @example
 * ```ts
 * sendableContentType('text/plain\r\nX: y'); // 'application/octet-stream'
 * ```
 */
export function sendableContentType(value: string | undefined): string {
  return isContentType(value) ? value : OCTET_STREAM;
}

/**
 * The media type without parameters, lower-cased: `'text/plain; charset=utf-8'` → `'text/plain'`.
 *
 * @example
 * ```ts
 * essence('Image/PNG'); // 'image/png'
 * ```
 */
export function essence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
