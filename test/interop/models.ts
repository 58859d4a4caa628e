// The interop project's models (djproject/blog/models.py) as djongoose
// declares them, over the collections djongo names `<app>_<model>`. Django's
// IntegerField is an Int32 (djongo's `int`; a plain Number is FloatField's
// `double`), and an ArrayReferenceField is stored under its column name,
// `authors_id`, holding the authors' ids.
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

/** The three models on a connection, over djongo's collections. */
export function blogModels(conn: Connection) {
  return {
    Entry: conn.model<Entry, Managed<Entry>>('Entry', entrySchema, 'blog_entry'),
    Author: conn.model<Author, Managed<Author>>('Author', authorSchema, 'blog_author'),
    Post: conn.model<Post, Managed<Post>>('Post', postSchema, 'blog_post'),
  };
}
