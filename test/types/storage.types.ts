// Type tests for djongoose/storage: each @ts-expect-error line must fail to
// compile, or tsc fails. Run by `npm run typecheck` and test/unit/types.test.ts.
import http from 'node:http';
import type { Readable } from 'node:stream';
import express from 'express';
import multer from 'multer';
import { Schema, type HydratedDocument, type Model } from 'mongoose';
import {
  existingFile,
  fieldFile,
  fileUpload,
  uploadedFile,
  FileField,
  GridFSStorage,
  ImageField,
  type DirectoryListing,
  type FieldFile,
  type FileFields,
  type FileUploads,
  type StoredFile,
  type UploadedFile,
} from '../../storage/index.js';

const storage = new GridFSStorage({ collection: 'myfiles', baseUrl: '/media/' });
// @ts-expect-error collection is required
new GridFSStorage({ baseUrl: '/media/' });
// @ts-expect-error an unknown option
new GridFSStorage({ collection: 'myfiles', base_url: '/media/' });
// @ts-expect-error collection is a string
new GridFSStorage({ collection: 3 });

export const saved: Promise<string> = storage.save('a.txt', 'hello', { contentType: 'text/plain' });
export const fromBuffer: Promise<string> = storage.save('a.bin', Buffer.from([1]));
declare const readable: Readable;
export const fromStream: Promise<string> = storage.save('a.bin', readable);
// @ts-expect-error content is bytes, text or a stream, not a number
storage.save('a.bin', 42);
// @ts-expect-error contentType is a string
storage.save('a.bin', 'x', { contentType: 1 });
export const opened: Promise<Readable> = storage.open('a.bin', { start: 0, end: 10 });
// @ts-expect-error start is a number
storage.open('a.bin', { start: '0' });
export const listing: Promise<DirectoryListing> = storage.listdir('avatars');
export const stat: Promise<StoredFile> = storage.stat('a.bin');
export const created: Promise<Date> = storage.createdTime('a.bin');
export const url: string = storage.url('a.bin');

// The handler fits Node's http and Express; the engine fits multer.
http.createServer(storage.serve());
const app = express();
app.use('/media', storage.serve());
export const upload = multer({ storage: storage.multer({ uploadTo: 'uploads/%Y/' }), limits: { fileSize: 1 << 20 } });
app.post('/upload', upload.single('file'), (req, res) => {
  res.json(req.file?.filename);
});

// File paths: the raw type stores the name; the hydrated override reads a FieldFile.
interface Profile {
  user: string;
  avatar?: string | null;
}
const profileSchema = new Schema<Profile>({
  user: String,
  avatar: { type: ImageField, storage, uploadTo: 'avatars/%Y/%m/' },
});
export const resumeSchema = new Schema({ resume: { type: FileField, storage } });
type ProfileDoc = HydratedDocument<Profile, FileFields<'avatar'>>;
declare const ProfileModel: Model<Profile, object, object, object, ProfileDoc>;
export async function read(): Promise<string> {
  const profile = await ProfileModel.findOne().orFail();
  const handle: FieldFile = profile.avatar;
  const size: Promise<number> = handle.size();
  void size;
  // @ts-expect-error the handle is not a string
  const asString: string = profile.avatar;
  void asString;
  return profile.avatar.url;
}
declare const plainDoc: HydratedDocument<Profile>;
export const handle: FieldFile = fieldFile(plainDoc, 'avatar');
// @ts-expect-error not a path of the document
fieldFile(plainDoc, 'avatr');
void profileSchema;

// Uploads through the field: the static is typed by the file paths named in FileUploads<K>.
declare const AuthorModel: Model<Profile> & FileUploads<'avatar'>;
export const avatarUpload = multer({ storage: AuthorModel.fileUpload('avatar'), limits: { fileSize: 1 << 20 } });
// @ts-expect-error not a file path of the model
AuthorModel.fileUpload('avatr');
// @ts-expect-error options are { instance }, not uploadTo (the field's uploadTo applies)
AuthorModel.fileUpload('avatar', { uploadTo: 'x/' });
export const bound = multer({ storage: fileUpload(ProfileModel, 'avatar') });
// @ts-expect-error fileUpload(model, path) takes a path of the model's raw type
fileUpload(ProfileModel, 'avatr');
app.post('/authors', avatarUpload.single('avatar'), (req, res) => {
  const upload: UploadedFile = uploadedFile(req.file);
  const doc = new AuthorModel({ user: 'ann', avatar: req.file });
  doc.set('avatar', existingFile(upload.name));
  res.json(upload.dimensions?.width);
});
// @ts-expect-error existingFile takes the stored name, a string
existingFile(42);

// The GridFS layout option: a layout name, or 'auto'.
export const djongoLayout = new GridFSStorage({ collection: 'myfiles', layout: 'djongo' });
export const autoLayout: Promise<'djongo' | 'flat'> = djongoLayout.layout();
// @ts-expect-error layout is 'auto', 'djongo' or 'flat'
new GridFSStorage({ collection: 'myfiles', layout: 'nested' });
// @ts-expect-error layout() resolves to the layout in use, never 'auto'
export const neverAuto: Promise<'auto'> = djongoLayout.layout();
