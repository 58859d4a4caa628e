// The storage's typed errors. They extend DjongooseError, so `instanceof
// DjongooseError` still catches everything djongoose throws on purpose.
import { DjongooseError } from '../core/errors.js';

/**
 * A file name that would leave the storage's `location` or that carries bytes
 * no file name should have: `..`, an absolute path, NUL or control
 * characters, a backslash, a drive letter. Django's name; nothing has been
 * read or written.
 *
 * @example
 * ```ts
 * await storage.save('../etc/passwd', 'x');
 * // SuspiciousFileOperation: Detected path traversal attempt in "../etc/passwd": a ".." segment …
 * ```
 */
export class SuspiciousFileOperation extends DjongooseError {
  constructor(
    message: string,
    /** The name as it was given. */
    readonly fileName: string,
  ) {
    super(message);
  }
}

/**
 * No stored file has this name. Raised by `open`, `size`, `stat` and the time
 * methods; `serve()` answers 404 instead.
 *
 * @example
 * ```ts
 * try {
 *   await storage.open('avatars/missing.png');
 * } catch (err) {
 *   if (err instanceof FileNotFound) console.log(err.fileName); // avatars/missing.png
 * }
 * ```
 */
export class FileNotFound extends DjongooseError {
  constructor(
    /** The name that was asked for, relative to the storage's location. */
    readonly fileName: string,
    /** The GridFS bucket that was searched. */
    readonly bucket: string,
    message = `File ${JSON.stringify(fileName)} does not exist in the GridFS bucket ${JSON.stringify(bucket)}.`,
  ) {
    super(message);
  }
}

/**
 * An upload was refused: the content is not bytes, text or a stream of them,
 * not an image for an ImageField, or its source failed part-way (the partial
 * upload has been removed).
 *
 * @example
 * ```ts
 * await profile.avatar.save('me.png', Buffer.from('not an image'));
 * // InvalidFileContent: avatar: "me.png" is not an image image-size can read (…); upload a PNG, JPEG, GIF, WebP, …
 * ```
 */
export class InvalidFileContent extends DjongooseError {
  constructor(
    message: string,
    /** The file name the upload was for. */
    readonly fileName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A content type that HTTP cannot carry (`save(name, data, { contentType })`
 * with a CR/LF, a space inside a token, no `/`, …). Nothing has been written.
 *
 * @example
 * ```ts
 * await storage.save('a.txt', 'x', { contentType: 'text/plain\r\nX: y' });
 * // InvalidContentType: The content type "text/plain\r\nX: y" for "a.txt" is not a media type HTTP can send. …
 * ```
 */
export class InvalidContentType extends DjongooseError {
  constructor(
    message: string,
    /** The file name the content type was for. */
    readonly fileName: string,
  ) {
    super(message);
  }
}

/**
 * The upload went past multer's `limits.fileSize`; the partial file has been
 * removed. multer reports its own `LIMIT_FILE_SIZE` MulterError to the app.
 *
 * @example
 * ```ts
 * // err.code === 'LIMIT_FILE_SIZE' in the Express error handler
 * ```
 */
export class FileTooLarge extends DjongooseError {}

/**
 * The client disconnected before its upload was complete; the partial file
 * has been removed.
 *
 * @example
 * ```ts
 * // err instanceof ClientAborted in the Express error handler, if the socket still exists
 * ```
 */
export class ClientAborted extends DjongooseError {}

/**
 * A byte range that is not within the file: `open(name, { start, end })`
 * needs whole numbers with 0 ≤ start ≤ end ≤ size (end exclusive). `serve()`
 * answers such a Range header with 416 instead.
 *
 * @example
 * ```ts
 * await storage.open('notes.txt', { start: 10, end: 5 });
 * // InvalidRange: open("notes.txt"): the range start 10, end 5 is not within the file's 14 bytes; …
 * ```
 */
export class InvalidRange extends DjongooseError {
  constructor(
    message: string,
    /** The file the range was for. */
    readonly fileName: string,
  ) {
    super(message);
  }
}
