// The interop project's models (djproject/blog/models.py) as djongoose
// declares them, over the collections djongo names `<app>_<model>`. Django's
// IntegerField is an Int32 (djongo's `int`; a plain Number is FloatField's
// `double`), and an ArrayReferenceField is stored under its column name,
// `authors_id`, holding the authors' ids. Attachment's files are in djongo's
// GridFSStorage(collection='myfiles'), at its top level and in directories;
// djongoose's storage leaves the layout to 'auto'.
import mongoose, { type Connection } from 'mongoose';
import {
  abstractModel,
  ArrayField,
  ArrayReferenceField,
  autoIncrement,
  djongo,
  EmbeddedField,
  JSONField,
  type Managed,
} from '../../index.js';
import { FileField, GridFSStorage, ImageField } from '../../storage/index.js';

const Blog = abstractModel({ name: { type: String, maxlength: 100 }, tagline: String });
const Comment = abstractModel({ author: { type: String, maxlength: 100 }, text: String });

export interface Entry {
  id: number;
  blog?: { name?: string; tagline?: string };
  headline?: string;
  body_text?: string;
  pub_date?: Date;
  n_comments?: number;
  rating?: number;
}

export interface Author {
  id: number;
  name?: string;
}

export interface Post {
  id: number;
  headline?: string;
  comments?: { author?: string; text?: string }[];
  data?: { chart?: Record<string, number> };
  authors_id?: number[];
}

const entrySchema = new mongoose.Schema<Entry>({
  blog: EmbeddedField(Blog),
  headline: { type: String, maxlength: 255 },
  body_text: String,
  pub_date: Date,
  n_comments: mongoose.Schema.Types.Int32,
  rating: mongoose.Schema.Types.Int32,
});
const authorSchema = new mongoose.Schema<Author>({ name: { type: String, maxlength: 100 } });
const postSchema = new mongoose.Schema<Post>({
  headline: { type: String, maxlength: 255 },
  comments: ArrayField(Comment),
  data: JSONField(),
  authors_id: ArrayReferenceField('Author', { type: Number }),
});
entrySchema.plugin(djongo).plugin(autoIncrement);
authorSchema.plugin(djongo).plugin(autoIncrement);
postSchema.plugin(djongo).plugin(autoIncrement);

export interface Attachment {
  id: number;
  title?: string;
  document?: string | null;
  image?: string | null;
}

/**
 * The models on a connection, over djongo's collections and its GridFS bucket
 * `myfiles`; the same models for every call on one connection.
 */
export function blogModels(conn: Connection) {
  if (conn.models['Attachment']) return modelsOf(conn);
  const files = new GridFSStorage({ collection: 'myfiles', connection: conn, baseUrl: '/media/' });
  storages.set(conn, files);
  const attachmentSchema = new mongoose.Schema<Attachment>({
    title: { type: String, maxlength: 100 },
    document: { type: FileField, storage: files, uploadTo: '' },
    image: { type: ImageField, storage: files, uploadTo: '' },
  });
  attachmentSchema.plugin(djongo).plugin(autoIncrement);
  conn.model('Attachment', attachmentSchema, 'blog_attachment');
  return modelsOf(conn);
}

const storages = new WeakMap<Connection, GridFSStorage>();

/** The Attachment model's storage on a connection (after {@link blogModels}). */
export function blogStorage(conn: Connection): GridFSStorage {
  blogModels(conn);
  return storages.get(conn) as GridFSStorage;
}

function modelsOf(conn: Connection) {
  return {
    Attachment: conn.model<Attachment, Managed<Attachment>>('Attachment'),
    Entry: conn.model<Entry, Managed<Entry>>('Entry', entrySchema, 'blog_entry'),
    Author: conn.model<Author, Managed<Author>>('Author', authorSchema, 'blog_author'),
    Post: conn.model<Post, Managed<Post>>('Post', postSchema, 'blog_post'),
  };
}
