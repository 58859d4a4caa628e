// The admin example's models: the seed's Entry with its embedded Blog
// (examples/blog/models.ts), an Author with an avatar ImageField on
// GridFS, an array of embedded Comments and a JSONField of settings, and a
// Reader under ENFORCE_SCHEMA strict, whose drifted documents the admin
// shows with their MigrationError.
import { Schema, type Connection, type Model } from 'mongoose';
import { abstractModel, ArrayField, enforceSchema, JSONField, jsonFields, manager, type Managed } from '../../index.js';
import { GridFSStorage, ImageField } from '../../storage/index.js';
import { entryModel } from '../blog/models.js';

/** djongo's `Comment`, abstract: it lives only inside an Author's `comments`. */
export const commentSchema = abstractModel({
  author: { type: String, required: true, maxlength: 100 },
  text: { type: String, required: true, maxlength: 500 },
});

export interface Author {
  name: string;
  avatar?: string | null; // the stored file's name, as Django stores it
  avatarWidth?: number;
  avatarHeight?: number;
  comments: { author: string; text: string }[];
  settings?: Record<string, unknown>; // a JSONField: any JSON value
}

/** A newsletter reader, read strictly: a stored document must have exactly these fields. */
export interface Reader {
  name: string;
  email?: string | null;
}

/** The example's models on one connection, with the GridFS storage the avatars go to. */
export interface AdminModels {
  readonly storage: GridFSStorage;
  readonly Entry: ReturnType<typeof entryModel>;
  readonly Author: Model<Author> & Managed<Author>;
  readonly Reader: Model<Reader> & Managed<Reader>;
}

/**
 * Compiles the example's models on `connection`; avatars are served under `/media/`.
 *
 * @example
 * ```ts
 * const { Entry, Author, storage } = adminModels(connection);
 * app.use('/media', storage.serve());
 * ```
 */
export function adminModels(connection: Connection): AdminModels {
  const storage = new GridFSStorage({ collection: 'avatars', connection, baseUrl: '/media/' });
  const authorSchema = new Schema<Author>({
    name: { type: String, required: true, maxlength: 100 },
    avatar: {
      type: ImageField,
      storage,
      uploadTo: 'avatars/',
      widthField: 'avatarWidth',
      heightField: 'avatarHeight',
    },
    avatarWidth: { type: Number, max: 2048 },
    avatarHeight: { type: Number, max: 2048 },
    comments: ArrayField(commentSchema),
    settings: JSONField({ default: () => ({}) }),
  });
  authorSchema.plugin(manager);
  authorSchema.plugin(jsonFields);
  const Author = connection.model<Author, AdminModels['Author']>('Author', authorSchema);
  const readerSchema = new Schema<Reader>({ name: { type: String, required: true }, email: String });
  readerSchema.plugin(manager);
  readerSchema.plugin(enforceSchema, { strict: true });
  const Reader = connection.model<Reader, AdminModels['Reader']>('Reader', readerSchema);
  return { storage, Entry: entryModel(connection), Author, Reader };
}
