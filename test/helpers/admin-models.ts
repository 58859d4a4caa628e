// The seed's Blog/Entry for the admin tests: an embedded blog, a list of
// embedded comments, tags, authors by ArrayReferenceField, a JSONField and
// djongo's auto-increment id; and an Author with an ImageField avatar.
import mongoose, { type Connection } from 'mongoose';
import { manager, autoIncrement, type Managed } from '../../index.js';
import {
  abstractModel,
  ArrayField,
  ArrayReferenceField,
  EmbeddedField,
  JSONField,
  jsonFields,
} from '../../fields/index.js';
import { GridFSStorage, ImageField } from '../../storage/index.js';

export interface AdminBlog {
  name?: string;
  tagline?: string;
}
export interface AdminComment {
  author?: string;
  text?: string;
}
export interface AdminEntry {
  id?: number;
  headline: string;
  blog?: AdminBlog | null;
  rating?: number;
  published?: boolean;
  pubDate?: Date;
  tags?: string[];
  comments?: AdminComment[];
  authors?: mongoose.Types.ObjectId[];
  data?: unknown;
}
export interface AdminAuthor {
  name: string;
  avatar?: string | null;
  avatarWidth?: number;
  avatarHeight?: number;
}

/** Entry and Author on `conn`; names suffixed so one file can make several pairs. */
export function adminModels(conn: Connection, suffix = '') {
  const storage = new GridFSStorage({ collection: `avatars${suffix}`, connection: conn, baseUrl: '/media/' });
  const authorSchema = new mongoose.Schema<AdminAuthor>({
    name: { type: String, required: true },
    avatar: { type: ImageField, storage, uploadTo: 'avatars/', widthField: 'avatarWidth', heightField: 'avatarHeight' },
    avatarWidth: { type: Number, max: 64 },
    avatarHeight: Number,
  });
  authorSchema.plugin(manager);
  const Author = conn.model<AdminAuthor, Managed<AdminAuthor>>(`Author${suffix}`, authorSchema);

  const Blog = abstractModel({ name: { type: String, maxlength: 40 }, tagline: String });
  const Comment = abstractModel({ author: String, text: { type: String, required: true } });
  const entrySchema = new mongoose.Schema<AdminEntry>({
    headline: { type: String, required: true, maxlength: 60 },
    blog: EmbeddedField(Blog),
    rating: { type: Number, min: 0, max: 5 },
    published: Boolean,
    pubDate: Date,
    tags: ArrayField(String),
    comments: ArrayField(Comment),
    authors: ArrayReferenceField(`Author${suffix}`),
    data: JSONField(),
  });
  entrySchema.plugin(manager);
  entrySchema.plugin(autoIncrement);
  entrySchema.plugin(jsonFields);
  const Entry = conn.model<AdminEntry, Managed<AdminEntry>>(`Entry${suffix}`, entrySchema);
  return { Entry, Author, storage };
}
