// A file AdminJS hands over in its payload: express-formidable's
// `{ path, name, type, size }` for a multipart form's file part. The file
// is then assigned to its FileField or ImageField path as `{ name, content }`,
// so the field's own save hook stores it: sniffed type, name under
// `uploadTo`, image check and dimension validators, nothing stored when
// refused. A plain object with the same keys is not an upload: form text
// fields (`avatar.path=/etc/passwd`) unflatten to plain objects, and only
// the upload parser makes class instances.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** An uploaded file as express-formidable (and formidable's `File`) describes it. */
export interface UploadedFormFile {
  /** Where the upload parser wrote it: a temporary file of the server's, never a browser's value. */
  readonly path: string;
  /** The file name the browser sent; the field cleans it and puts it under `uploadTo`. */
  readonly name: string;
  readonly type?: string | null;
  readonly size?: number;
}

/**
 * Whether a payload value is a file the upload parser made: an instance of
 * a class (JSON, `qs` and URLSearchParams only make plain objects) with a
 * string `path` and `name`.
 *
 * @example
 * ```ts
 * isUpload(req.files.avatar); // true: formidable's File
 * isUpload({ path: '/etc/passwd', name: 'x.png' }); // false: a plain object, as text fields make
 * ```
 */
export function isUpload(value: unknown): value is UploadedFormFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) return false;
  const { path, name } = value as { path?: unknown; name?: unknown };
  return typeof path === 'string' && path !== '' && typeof name === 'string';
}

/**
 * The content to assign to a file path for an upload, or undefined for the
 * empty file part a form sends when no file was chosen.
 *
 * @example
 * ```ts
 * doc.set('avatar', uploadContent(req.files.avatar)); // saved through the ImageField's checks
 * ```
 */
export function uploadContent(file: UploadedFormFile): { name: string; content: Readable } | undefined {
  if (file.name === '' && !file.size) return undefined;
  return { name: file.name, content: createReadStream(file.path) };
}
