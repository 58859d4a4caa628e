// A file AdminJS hands over in its payload: express-formidable's
// `{ path, name, type, size }` for a multipart form's file part. It is
// stored through its FileField or ImageField with the checks the field's
// multer engine runs (storeUpload: sniffed type, name under `uploadTo`,
// image check, the dimension validators), once the rest of the document
// validated, and the result assigned to the path. A plain object with the
// same keys is not an upload: form text fields (`avatar.path=/etc/passwd`)
// unflatten to plain objects, and only the upload parser makes class
// instances.
import { open } from 'node:fs/promises';
import { inspect } from 'node:util';
import type { Document } from 'mongoose';
import { InvalidFileContent } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';
import { storeUpload } from '../storage/field-upload.js';
import type { UploadedFile } from '../storage/file-refs.js';

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

// The parser's temporary file may be gone (a tmp cleaner) or fail to read.
// Node's error names the server's path; the browser gets the field's error
// in user terms instead, the system error kept as the cause for logs.
function unreadable(path: string, file: UploadedFormFile, why: string, cause: unknown): InvalidFileContent {
  return new InvalidFileContent(
    `${path}: the upload of ${JSON.stringify(file.name)} could not be read on the server (${why}); ` +
      'choose the file and save again.',
    file.name,
    { cause },
  );
}

async function* readUpload(path: string, file: UploadedFormFile): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(file.path, 'r');
  } catch (err) {
    throw unreadable(path, file, 'its temporary file is gone', err);
  }
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) yield chunk as Uint8Array;
  } catch (err) {
    throw unreadable(path, file, 'reading its temporary file failed', err);
  } finally {
    await handle.close();
  }
}

/**
 * The uploads in params by dotted path, at any depth: `blog.logo` for
 * `{ 'blog.logo': file }` as for `{ blog: { logo: file } }`, `comments.0.file`
 * inside a list.
 *
 * @example
 * ```ts
 * uploadsAt({ name: 'Ann', 'blog.logo': req.files['blog.logo'] }); // Map { 'blog.logo' => File }
 * ```
 */
export function uploadsAt(
  value: unknown,
  prefix = '',
  into = new Map<string, UploadedFormFile>(),
): Map<string, UploadedFormFile> {
  if (isUpload(value)) into.set(prefix, value);
  else if (Array.isArray(value)) value.forEach((item, i) => uploadsAt(item, `${prefix}.${i}`, into));
  else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) uploadsAt(item, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

/**
 * A stored file's name the form sent back for a file field (the name the
 * field shows). It is vouched for (`existingFile`) only when the document
 * already holds it in that field, so that a list of embedded documents,
 * replaced whole on save, keeps its items' files; any other name is left as
 * text, which the field refuses.
 */
export class FileName {
  constructor(readonly name: string) {}
}

/** An upload read from the params, stored when the document is about to be saved. */
export class PendingUpload {
  constructor(readonly file: UploadedFormFile) {}

  // Never the temporary path, should an error message ever quote the value.
  [inspect.custom](): string {
    return `PendingUpload(${JSON.stringify(this.file.name)})`;
  }

  toJSON(): { name: string } {
    return { name: this.file.name };
  }

  /**
   * Stores the file through `path` of `model`, with the field's checks.
   *
   * @example
   * ```ts
   * doc.set('avatar', await pending.store(Author, 'avatar', doc));
   * ```
   */
  store(model: Parameters<typeof storeUpload>[0], path: string, doc: Document): Promise<UploadedFile> {
    return storeUpload(model, path, this.file.name, readUpload(path, this.file), doc);
  }
}

/**
 * The pending upload of a payload file, or undefined for the empty file part
 * a form sends when no file was chosen.
 *
 * @example
 * ```ts
 * const pending = pendingUpload(req.files.avatar);
 * ```
 */
export function pendingUpload(file: UploadedFormFile): PendingUpload | undefined {
  return file.name === '' && !file.size ? undefined : new PendingUpload(file);
}
