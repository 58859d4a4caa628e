// A file path's schema type (FileField or ImageField) as the modules under
// file-field.ts see it: the hooks, the FieldFile handle, the references to
// stored files and the upload checks take this contract, so none of them
// imports the class that imports them. What differs between the two field
// classes is a method here (imageOnly, checkContent, dimensionValues), not a
// test of which class a value is. The file paths of a schema are read from
// its shape (filePaths), here, so every module that needs them asks one place.
import type { Document, Schema } from 'mongoose';
import { shapeOf, type ShapeLevel } from '../core/schema-shape.js';
import type { FileContent } from './content.js';
import type { GridFSStorage } from './gridfs-storage.js';
import type { ImageDimensions } from './image.js';
import type { PendingUpload } from './pending-uploads.js';

/** Names a file for a document: Django's callable `upload_to(instance, filename)`. */
export type UploadTo = string | ((doc: Document, filename: string) => string);

/** What FileField and ImageField offer the modules that store, check and serve their files. */
export interface FilePath {
  /** The schema path. */
  readonly path: string;
  /** The storage files are saved to. */
  readonly storage: GridFSStorage;
  readonly uploadTo: UploadTo;
  readonly deleteOrphans: boolean;
  readonly acceptStoredNames: boolean;
  /** `'ImageField'` or `'FileField'`, for messages. */
  readonly kind: string;
  /** True when content must be an image whose header gives its dimensions. */
  readonly imageOnly: boolean;
  /** Django's generate_filename: the stored name for a client's file name. */
  generateFilename(doc: Document, filename: string): string;
  /** Checks in-memory content at assignment; an image's dimensions, if the field reads them. */
  checkContent(content: FileContent, name: string): ImageDimensions | undefined;
  /** The document paths to fill for an image of these dimensions (none for a FileField). */
  dimensionValues(dimensions: ImageDimensions): Record<string, number>;
  /** Fills the dimension paths on the document. */
  setDimensions(doc: Document, dimensions: ImageDimensions | undefined): void;
  /** Checks and stores an upload, then sets the path (and dimensions) on the document. */
  store(doc: Document, upload: PendingUpload): Promise<string>;
}

/**
 * True for a FileField or ImageField schema type, by its contract (two copies
 * of djongoose in one process make two FileField classes).
 *
 * @example
 * ```ts
 * isFilePath(profileSchema.path('avatar')); // true
 * isFilePath(profileSchema.path('user')); // false
 * ```
 */
export function isFilePath(type: unknown): type is FilePath {
  return (
    typeof type === 'object' &&
    type !== null &&
    typeof (type as FilePath).generateFilename === 'function' &&
    typeof (type as FilePath).store === 'function'
  );
}

/**
 * The file paths of a schema (top level of that schema).
 *
 * @example
 * ```ts
 * filePaths(profileSchema).map((f) => f.path); // ['avatar']
 * ```
 */
export function filePaths(schema: Schema): FilePath[] {
  return fileFieldsIn(shapeOf(schema));
}

// Through nested objects, as the schema's own paths go; embedded documents have their own hooks.
function fileFieldsIn(level: ShapeLevel): FilePath[] {
  return level.fields.flatMap((field) =>
    field.kind === 'nested' && field.child
      ? fileFieldsIn(field.child)
      : field.file && isFilePath(field.schemaType)
        ? [field.schemaType]
        : [],
  );
}
