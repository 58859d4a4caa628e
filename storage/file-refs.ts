// The values code hands a file path to name a file that is already stored.
// A plain string from a request cannot name one (it could point at another
// user's file); these can, because JSON, qs and URLSearchParams cannot make
// class instances.
import type { FilePath } from './file-path.js';
import type { ImageDimensions } from './image.js';
import { brand } from '../core/brand.js';
import { InvalidFileContent } from '../core/errors.js';
import { FieldFile } from './field-file.js';
import { cleanPath } from './names.js';

/**
 * A file the field-bound multer engine (`Model.fileUpload(path)`) stored
 * after the field's checks passed. It is `req.file.upload`; assign it, or
 * `req.file` itself, to the document's path. The width and height of an
 * ImageField upload are filled on the document with it.
 *
 * @example
 * ```ts
 * app.post('/authors', upload.single('avatar'), async (req, res) => {
 *   // Model.create()'s types take only the stored name; the constructor takes the upload.
 *   const author = await new Author({ name: String(req.body.name), avatar: uploadedFile(req.file) }).save();
 *   res.status(201).json(author);
 * });
 * ```
 */
export class UploadedFile {
  static {
    brand(this, 'UploadedFile');
  }

  constructor(
    /** The file path it was checked for. */
    readonly field: FilePath,
    /** The stored name, relative to the storage's location. */
    readonly name: string,
    /** The sniffed content type it was stored with. */
    readonly contentType: string,
    /** Its size in bytes. */
    readonly size: number,
    /** An ImageField upload's width, height and image type. */
    readonly dimensions: ImageDimensions | undefined,
  ) {
    Object.freeze(this);
  }

  /** The stored name, as JSON shows a file path. */
  toJSON(): string {
    return this.name;
  }
}

/**
 * Code's word that a stored file may be named by this document: the opt-in
 * for assigning an existing name (from fixtures, a migration, a shared
 * default). Never wrap a name that came from a request.
 *
 * @example
 * ```ts
 * const logo = await storage.save('shared/logo.png', pngBytes);
 * await new Profile({ user: 'ann', avatar: existingFile(logo) }).save();
 * ```
 */
export class ExistingFile {
  static {
    brand(this, 'ExistingFile');
  }

  /** The stored name, cleaned. */
  readonly name: string;

  constructor(name: string) {
    this.name = cleanPath(name);
    Object.freeze(this);
  }

  /** The stored name. */
  toJSON(): string {
    return this.name;
  }
}

/**
 * Vouches for a stored name: see {@link ExistingFile}.
 *
 * @example
 * ```ts
 * profile.set('avatar', existingFile('shared/logo.png'));
 * ```
 */
export function existingFile(name: string): ExistingFile {
  return new ExistingFile(name);
}

/**
 * The engine's {@link UploadedFile} in a multer file (`req.file`), or the
 * value itself when it is one; undefined for anything else (a plain object
 * from a request body included).
 *
 * @example
 * ```ts
 * uploadOf(req.file)?.name; // 'avatars/me.png'
 * ```
 */
export function uploadOf(value: unknown): UploadedFile | undefined {
  if (value instanceof UploadedFile) return value;
  const inner = typeof value === 'object' && value !== null ? (value as { upload?: unknown }).upload : undefined;
  return inner instanceof UploadedFile ? inner : undefined;
}

/**
 * The {@link UploadedFile} of `req.file` after `multer({ storage: Model.fileUpload(path) })`,
 * or {@link InvalidFileContent} when the request carried no such upload.
 *
 * @example
 * ```ts
 * author.set('avatar', uploadedFile(req.file));
 * ```
 */
export function uploadedFile(file: unknown): UploadedFile {
  const found = uploadOf(file);
  if (found) return found;
  throw new InvalidFileContent(
    file === undefined
      ? 'The request carried no file: multer put nothing in req.file (was the form field named as upload.single() expects?).'
      : 'This is not a file stored by a field-bound engine: use multer({ storage: Model.fileUpload(path) }) and pass req.file.',
    '',
  );
}

/**
 * The stored name a reference from code stands for (a FieldFile, an
 * ExistingFile, an UploadedFile or a multer file carrying one); undefined
 * for anything else.
 *
 * @example
 * ```ts
 * referencedName(existingFile('shared/logo.png')); // 'shared/logo.png'
 * referencedName('shared/logo.png'); // undefined: a plain string is no reference
 * ```
 */
export function referencedName(value: unknown): string | null | undefined {
  if (value instanceof FieldFile || value instanceof ExistingFile) return value.name;
  return uploadOf(value)?.name;
}
