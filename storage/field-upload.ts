// Model.fileUpload(path): a multer storage engine bound to one FileField or
// ImageField. The upload streams into the field's storage after the field's
// checks passed on its head (sniffed type, name/extension agreement, an
// image's dimensions, and the schema's validators on the dimension paths),
// under the field's uploadTo, with the sniffed content type. A refused
// upload stores nothing; multer gets the typed error. `req.file.upload` is
// the UploadedFile to assign to the document.
import type { IncomingMessage } from 'node:http';
import type { Document, Model, Schema } from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';
import { isFilePath, type FilePath } from './file-path.js';
import { filePaths } from './file-path.js';
import { UploadedFile } from './file-refs.js';
import {
  engineOf,
  guarded,
  uploadInfo,
  type GridFSMulterEngine,
  type GridFSUploadInfo,
  type MulterIncomingFile,
} from './multer-engine.js';
import { validFileName } from './names.js';
import { storeChecked } from './store-field.js';
import type { FileContent } from './content.js';

/** Options of `Model.fileUpload(path, options)`. */
export interface FieldUploadOptions {
  /**
   * The document a callable `uploadTo(doc, filename)` receives. Default: a
   * new, empty document of the model (the request body is not trusted to
   * build it).
   */
  readonly instance?: (req: IncomingMessage) => Document;
}

/** What the field-bound engine adds to `req.file`. */
export interface FieldUploadInfo extends GridFSUploadInfo {
  /** The checked upload, to assign to the document's path. */
  readonly upload: UploadedFile;
  /** An ImageField upload's width and height. */
  readonly width?: number;
  readonly height?: number;
}

/** multer's StorageEngine interface, for uploads through one file path. */
export type FieldUploadEngine = GridFSMulterEngine<FieldUploadInfo>;

/** The static's type: `Model<…> & FileUploads<'avatar' | 'resume'>`. */
export interface FileUploads<K extends string> {
  /**
   * A multer storage engine bound to the file path `path`.
   *
   * @example
   * ```ts
   * const upload = multer({ storage: Author.fileUpload('avatar'), limits: { fileSize: 5 << 20 } });
   * ```
   */
  fileUpload(path: K, options?: FieldUploadOptions): FieldUploadEngine;
}

function fileFieldOf(model: Model<unknown>, path: string): FilePath {
  const type = model.schema.path(path) as unknown;
  if (isFilePath(type)) return type;
  const paths = filePaths(model.schema).map((f) => f.path);
  throw new ImproperlyConfigured(
    `${model.modelName}.fileUpload(${JSON.stringify(path)}): ${JSON.stringify(path)} is not a FileField or ImageField ` +
      `path of ${model.modelName}; its file paths are ${paths.length ? paths.map((p) => JSON.stringify(p)).join(', ') : 'none'}.`,
  );
}

/**
 * A multer storage engine bound to a model's file path, also available as
 * the static `Model.fileUpload(path)` (type it with {@link FileUploads}).
 *
 * @example
 * ```ts
 * const upload = multer({ storage: fileUpload(Author, 'avatar'), limits: { fileSize: 5 << 20 } });
 * app.post('/authors', upload.single('avatar'), async (req, res) => {
 *   const author = await new Author({ name: String(req.body.name), avatar: req.file }).save();
 *   res.status(201).json(author);
 * });
 * ```
 */
export function fileUpload<T, TQueryHelpers, TMethods, TVirtuals, THydrated>(
  model: Model<T, TQueryHelpers, TMethods, TVirtuals, THydrated>,
  path: Extract<keyof T, string>,
  options: FieldUploadOptions = {},
): FieldUploadEngine {
  const untyped = model as unknown as Model<unknown> & (new () => Document);
  const field = fileFieldOf(untyped, path);

  async function store(req: IncomingMessage, file: MulterIncomingFile): Promise<FieldUploadInfo> {
    const valid = validFileName(file.originalname);
    const doc = options.instance?.(req) ?? new untyped();
    const stored = await storeChecked(
      field,
      doc,
      field.generateFilename(doc, valid),
      guarded(file.stream, req, valid),
      { fileName: valid },
    );
    const info = await uploadInfo(field.storage, stored.name, stored.contentType);
    return {
      ...info,
      ...(stored.dimensions ? { width: stored.dimensions.width, height: stored.dimensions.height } : {}),
      upload: new UploadedFile(field, stored.name, stored.contentType, info.size, stored.dimensions),
    };
  }

  return engineOf(field.storage, store);
}

/**
 * Stores `content` through the file path `path` of `model` with the checks
 * `Model.fileUpload(path)` runs (sniffed type, name/extension agreement, an
 * image's dimensions and the schema's validators on the dimension paths),
 * under the field's `uploadTo`, for uploads that do not come through multer
 * (an admin's form parser). A refused upload stores nothing. Assign the
 * result to the path.
 *
 * @example
 * ```ts
 * const upload = await storeUpload(Author, 'avatar', 'me.png', pngBytes); // or a Readable of a temporary file
 * const ann = await new Author({ name: 'Ann', avatar: upload }).save(); // the stored name, and the dimensions
 * ```
 */
export async function storeUpload(
  model: { readonly schema: Schema; readonly modelName: string },
  path: string,
  fileName: string,
  content: FileContent,
  instance?: Document,
): Promise<UploadedFile> {
  const untyped = model as unknown as Model<unknown> & (new () => Document);
  const field = fileFieldOf(untyped, path);
  const valid = validFileName(fileName);
  const doc = instance ?? new untyped();
  const stored = await storeChecked(field, doc, field.generateFilename(doc, valid), content, { fileName: valid });
  const info = await uploadInfo(field.storage, stored.name, stored.contentType);
  return new UploadedFile(field, stored.name, stored.contentType, info.size, stored.dimensions);
}
