// FileField and ImageField: Mongoose schema types that store the file's name
// (a string, as Django stores it, so `avatar__startswith` queries work like
// any string's) and read as a FieldFile handle. Assigning content (a Buffer,
// a Readable or `{ name, content }`) records a pending upload, done by the
// pre-save hook. An already stored file is named by code (an UploadedFile
// from the field-bound engine, existingFile(name), a FieldFile); a plain
// string that names a stored file is refused at validation unless the field
// has acceptStoredNames, since a request body can send any string.
import mongoose, { type Document } from 'mongoose';
import { brand } from '../core/brand.js';
import { schemaTypeSuperArgs, type SchemaTypeConstructorArgs } from '../core/mongoose-internals.js';
import { ImproperlyConfigured, InvalidFileContent, SuspiciousFileOperation } from '../core/errors.js';
import { describe } from '../core/values.js';
import { isFileContent, isNamedContent, type FileContent, type NamedContent } from './content.js';
import { FieldFile } from './field-file.js';
import { ExistingFile, referencedName, uploadOf, type UploadedFile } from './file-refs.js';
import { forgetAssignment, noteStringName, noteUpload } from './assigned-names.js';
import { installFileHooks } from './file-hooks.js';
import type { FilePath, UploadTo } from './file-path.js';
import { pendingUploads, type PendingUpload } from './pending-uploads.js';
import { storeChecked } from './store-field.js';
import { GridFSStorage } from './gridfs-storage.js';
import { imageDimensions, type ImageDimensions } from './image.js';
import { cleanPath, validFileName } from './names.js';
import { checkStrftime, strftime } from './strftime.js';

export type { UploadTo } from './file-path.js';

/** Options of a FileField path: `{ type: FileField, storage, uploadTo }`. */
export interface FileFieldOptions {
  readonly storage: GridFSStorage;
  /** A directory with strftime placeholders (`'avatars/%Y/%m/'`, UTC), or a function naming the file. Default `''`. */
  readonly uploadTo?: UploadTo;
  /**
   * Remove the old file once a save that replaced it, or a delete, has
   * succeeded, and no document of the model still names it. Default false, as Django.
   */
  readonly deleteOrphans?: boolean;
  /**
   * Accept a plain string naming an already stored file (the behaviour before
   * 0.2): only for paths never set from request data. Default false: assign
   * `existingFile(name)` from code instead.
   */
  readonly acceptStoredNames?: boolean;
}

/** Options of an ImageField path; the dimension paths are filled from the image header on upload. */
export interface ImageFieldOptions extends FileFieldOptions {
  readonly widthField?: string;
  readonly heightField?: string;
}

export type { NamedContent } from './content.js';

/** What a file path accepts on assignment. */
export type FileInput =
  string | FieldFile | UploadedFile | ExistingFile | NamedContent | Buffer | Uint8Array | NodeJS.ReadableStream | null;

/**
 * A GridFS-backed file path, Django's `models.FileField(storage=…, upload_to=…)`.
 * The document stores the name; `doc.avatar` is a {@link FieldFile}.
 *
 * @example
 * ```ts
 * const storage = new GridFSStorage({ collection: 'myfiles', baseUrl: '/media/' });
 * const docSchema = new Schema({ resume: { type: FileField, storage, uploadTo: 'resumes/%Y/' } });
 * const Doc = conn.model('Doc', docSchema);
 * const doc = new Doc({ resume: { name: 'cv.pdf', content: pdfBytes } });
 * await doc.save(); // uploads, then stores 'resumes/2026/cv.pdf'
 * // An inferred schema types the path as its stored name: read the handle through fieldFile.
 * fieldFile(doc, 'resume').url; // '/media/resumes/2026/cv.pdf'
 * ```
 */
export class FileField extends mongoose.Schema.Types.String implements FilePath {
  static {
    brand(this, 'FileField');
  }

  /** The storage files are saved to. */
  readonly storage: GridFSStorage;
  readonly uploadTo: UploadTo;
  readonly deleteOrphans: boolean;
  readonly acceptStoredNames: boolean;

  constructor(...[path, options, schemaOptions, parentSchema]: SchemaTypeConstructorArgs) {
    super(...schemaTypeSuperArgs(path, options, schemaOptions, parentSchema));
    const opts = (options ?? {}) as Partial<ImageFieldOptions>;
    if (!(opts.storage instanceof GridFSStorage)) {
      throw new ImproperlyConfigured(
        `${path}: a ${new.target.name} needs { storage: new GridFSStorage({ collection: 'myfiles' }) }; got ${String(opts.storage)}.`,
      );
    }
    const uploadTo = opts.uploadTo ?? '';
    if (typeof uploadTo === 'string') checkStrftime(uploadTo, `${path}.uploadTo`);
    else if (typeof uploadTo !== 'function') {
      throw new ImproperlyConfigured(
        `${path}: uploadTo must be a string such as 'avatars/%Y/%m/' or a function (doc, filename) => name.`,
      );
    }
    for (const key of ['deleteOrphans', 'acceptStoredNames'] as const) {
      if (opts[key] !== undefined && typeof opts[key] !== 'boolean') {
        throw new ImproperlyConfigured(`${path}: ${key} must be true or false, got ${String(opts[key])}.`);
      }
    }
    this.storage = opts.storage;
    this.uploadTo = uploadTo;
    this.deleteOrphans = opts.deleteOrphans ?? false;
    this.acceptStoredNames = opts.acceptStoredNames ?? false;
    // Mongoose calls setters as (value, prior, schemaType) and getters as (value, schemaType), `this` the document.
    this.set(function fileFieldSetter(this: unknown, value: unknown, _prior: unknown, field: FileField) {
      // In a query (an update's values), code's references become their names.
      return this instanceof mongoose.Document ? field.assign(this, value) : (referencedName(value) ?? value);
    });
    this.get(function fileFieldGetter(this: unknown, value: unknown, field: FileField) {
      return this instanceof mongoose.Document
        ? new FieldFile(this, field, typeof value === 'string' ? value : null)
        : value;
    });
    if (parentSchema) installFileHooks(parentSchema);
  }

  /** `'ImageField'` or `'FileField'`, for messages. */
  get kind(): string {
    return 'FileField';
  }

  /**
   * Django's generate_filename: the client's name cleaned to a valid file
   * name, put under uploadTo (or passed to it), checked as a storage path.
   *
   * @example
   * ```ts
   * field.generateFilename(doc, 'my photo.png'); // 'avatars/2026/03/my_photo.png'
   * ```
   */
  generateFilename(doc: Document, filename: string): string {
    const valid = validFileName(filename);
    if (typeof this.uploadTo === 'function') return cleanPath(this.uploadTo(doc, valid));
    const dir = strftime(this.uploadTo, new Date());
    return cleanPath(dir === '' || dir.endsWith('/') ? dir + valid : `${dir}/${valid}`);
  }

  /** False: any content type; ImageField's uploads must be images. */
  get imageOnly(): boolean {
    return false;
  }

  /** Checks in-memory content; ImageField reads the image header here. */
  checkContent(content: FileContent, name: string): ImageDimensions | undefined {
    void content;
    void name;
    return undefined;
  }

  /** The dimension paths to fill for an image: none; ImageField names its widthField and heightField. */
  dimensionValues(dimensions: ImageDimensions): Record<string, number> {
    void dimensions;
    return {};
  }

  /** Fills the dimension paths (an ImageField's) on the document. */
  setDimensions(doc: Document, dimensions: ImageDimensions | undefined): void {
    if (dimensions) for (const [path, value] of Object.entries(this.dimensionValues(dimensions))) doc.set(path, value);
  }

  /**
   * Stores an upload for this path: the field's checks on its head, the
   * storage save under the sniffed content type, then the stored name (and an
   * ImageField's dimensions) set on the document. Returns the stored name.
   *
   * @example
   * ```ts
   * await field.store(doc, { name: 'avatars/me.png', content: pngBytes, contentType: undefined, dimensions: undefined });
   * ```
   */
  async store(doc: Document, upload: PendingUpload): Promise<string> {
    const stored = await storeChecked(this, doc, upload.name, upload.content, { contentType: upload.contentType });
    doc.set(this.path, new ExistingFile(stored.name)); // stored just now: not a name from data
    pendingUploads(doc).delete(this.path);
    this.setDimensions(doc, stored.dimensions);
    return stored.name;
  }

  /** The setter: what to store for an assigned value, recording an upload when it is content. */
  assign(doc: Document, value: unknown): string | null | undefined {
    const pending = pendingUploads(doc);
    pending.delete(this.path);
    forgetAssignment(doc, this.path);
    if (value === null || value === undefined || value === '') return value as null | undefined;
    const upload = uploadOf(value);
    if (upload) return this.#assignUpload(doc, upload);
    const named = referencedName(value);
    if (named !== undefined) return named;
    if (typeof value === 'string') {
      const name = cleanPath(value);
      if (!this.acceptStoredNames) noteStringName(doc, this.path, name);
      return name;
    }
    return this.#assignContent(doc, value, pending);
  }

  #assignUpload(doc: Document, upload: UploadedFile): string {
    if (upload.field.storage !== this.storage || upload.field.path !== this.path) {
      throw new SuspiciousFileOperation(
        `${this.path}: this upload was checked for the ${JSON.stringify(upload.field.path)} path ` +
          `of bucket ${JSON.stringify(upload.field.storage.collection)}; assign it to that path, or upload through ` +
          `Model.fileUpload(${JSON.stringify(this.path)}).`,
        upload.name,
      );
    }
    noteUpload(doc, this.path, upload);
    this.setDimensions(doc, upload.dimensions);
    return upload.name;
  }

  #assignContent(doc: Document, value: unknown, pending: Map<string, PendingUpload>): string {
    const named = isNamedContent(value)
      ? value
      : isFileContent(value)
        ? { name: this.path, content: value }
        : undefined;
    if (!named) {
      throw new InvalidFileContent(
        `${this.path}: cannot assign ${describe(value)} to a ${this.kind}; assign a stored name (string), a Buffer, a Readable or { name, content }.`,
        this.path,
      );
    }
    const name = this.generateFilename(doc, named.name);
    const dimensions = this.checkContent(named.content, named.name);
    const defaultName = !isNamedContent(value) && dimensions ? `${name}.${dimensions.type}` : name;
    pending.set(this.path, {
      name: defaultName,
      content: named.content,
      contentType: named.contentType,
      dimensions,
    });
    return defaultName;
  }
}

/**
 * A GridFS-backed image path, Django's `models.ImageField`: content must be
 * an image image-size reads (not SVG); `widthField` and `heightField`, when
 * given, are filled from the header on upload.
 *
 * @example
 * ```ts
 * const profileSchema = new Schema({
 *   avatar: { type: ImageField, storage, uploadTo: 'avatars/%Y/%m/', widthField: 'avatarWidth', heightField: 'avatarHeight' },
 *   avatarWidth: Number,
 *   avatarHeight: Number,
 * });
 * ```
 */
export class ImageField extends FileField {
  readonly widthField: string | undefined;
  readonly heightField: string | undefined;

  constructor(...[path, options, schemaOptions, parentSchema]: SchemaTypeConstructorArgs) {
    super(path, options, schemaOptions, parentSchema);
    const opts = (options ?? {}) as Partial<ImageFieldOptions>;
    for (const key of ['widthField', 'heightField'] as const) {
      const value = opts[key];
      if (value !== undefined && (typeof value !== 'string' || value === '')) {
        throw new ImproperlyConfigured(`${path}: ${key} must name a Number path of the schema, got ${String(value)}.`);
      }
    }
    this.widthField = opts.widthField;
    this.heightField = opts.heightField;
  }

  override get kind(): string {
    return 'ImageField';
  }

  override get imageOnly(): boolean {
    return true;
  }

  override dimensionValues({ width, height }: ImageDimensions): Record<string, number> {
    return {
      ...(this.widthField ? { [this.widthField]: width } : {}),
      ...(this.heightField ? { [this.heightField]: height } : {}),
    };
  }

  override checkContent(content: FileContent, name: string): ImageDimensions | undefined {
    if (typeof content === 'string' || content instanceof Uint8Array) {
      return imageDimensions(typeof content === 'string' ? Buffer.from(content) : content, this.path, name);
    }
    return undefined; // a stream is checked as it is uploaded
  }
}

// Mongoose finds a `type:` class by its schemaName in Schema.Types.
Object.defineProperty(FileField, 'schemaName', { value: 'FileField' });
Object.defineProperty(ImageField, 'schemaName', { value: 'ImageField' });
const registry = mongoose.Schema.Types as unknown as Record<string, unknown>;
registry['FileField'] = FileField;
registry['ImageField'] = ImageField;
