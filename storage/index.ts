// djongoose/storage: djongo's GridFSStorage (Django's Storage API over one
// GridFS bucket), its HTTP handler and multer engine, GridFS-backed
// FileField and ImageField, and the multer engine bound to a file path
// (Model.fileUpload) that runs the field's checks on the stream.
export {
  DjongooseError,
  ImproperlyConfigured,
  SuspiciousFileOperation,
  FileNotFound,
  InvalidFileContent,
  InvalidRange,
  FileTooLarge,
  ClientAborted,
  InvalidContentType,
} from '../core/errors.js';
export { GridFSStorage } from './gridfs-storage.js';
export type { SaveOptions, OpenOptions, StoredFile } from './gridfs-storage.js';
export type { FileStorage } from './file-types.js';
export type { GridFSStorageOptions } from './options.js';
export type { DirectoryListing } from './listdir.js';
export type { FileContent } from './content.js';
export { cleanPath, validFileName } from './names.js';
export { FileField, ImageField } from './file-field.js';
export type { FileFieldOptions, ImageFieldOptions, UploadTo, NamedContent, FileInput } from './file-field.js';
export type { FilePath } from './file-path.js';
export { FieldFile } from './field-file.js';
export type { FieldFileSaveOptions } from './field-file.js';
export type { ImageDimensions } from './image.js';
export { fieldFile } from './field-access.js';
export type { FileFields } from './field-access.js';
export { serveFiles } from './serve.js';
export type { FileRequestHandler, ServeOptions } from './serve.js';
export { multerEngine } from './multer-engine.js';
export { fileUpload, storeUpload } from './field-upload.js';
export type { FieldUploadEngine, FieldUploadInfo, FieldUploadOptions, FileUploads } from './field-upload.js';
export { UploadedFile, ExistingFile, existingFile, uploadedFile } from './file-refs.js';
export { isContentType } from './content-type.js';
export { sniffContentType } from './sniff.js';
export type { GridFSMulterEngine, GridFSUploadInfo, MulterEngineOptions, MulterIncomingFile } from './multer-engine.js';
