// The seed's models, grown with the fields the query-layer tests need.
import mongoose, { type Connection } from 'mongoose';
import { manager, type Managed } from '../../index.js';
import { autoIncrement } from '../../plugins/auto-increment/index.js';

export interface BlogRaw {
  name?: string;
  tagline?: string;
}
export interface CommentRaw {
  author?: string;
  score?: number;
}
export interface EntryRaw {
  blog?: BlogRaw;
  headline?: string;
  rating?: number;
  views?: number;
  likes?: number;
  tags?: string[];
  comments?: CommentRaw[];
  pub_date?: Date;
  data?: unknown;
}

export function entrySchema() {
  const blog = new mongoose.Schema<BlogRaw>({ name: String, tagline: String }, { _id: false });
  const comment = new mongoose.Schema<CommentRaw>({ author: String, score: Number }, { _id: false });
  const schema = new mongoose.Schema<EntryRaw>({
    blog: blog,
    headline: { type: String, maxlength: 255 },
    rating: Number,
    views: { type: Number, default: 0 },
    likes: { type: Number, default: 0 },
    tags: [String],
    comments: [comment],
    pub_date: Date,
    data: mongoose.Schema.Types.Mixed,
  });
  schema.plugin(manager);
  return schema;
}

export function entryModel(conn: Connection, name = 'Entry') {
  return conn.model<EntryRaw, Managed<EntryRaw>>(name, entrySchema());
}

export const SEED: EntryRaw[] = [
  {
    blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' },
    headline: 'Hey Jude',
    rating: 5,
    views: 100,
    likes: 150,
    tags: ['rock', 'ballad', 'uk'],
    comments: [
      { author: 'ann', score: 5 },
      { author: 'bob', score: 2 },
    ],
    pub_date: new Date('1968-08-26T00:00:00Z'),
    data: { label: 'Apple', chart: { uk: 1 } },
  },
  {
    blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' },
    headline: 'Abbey Road (Remastered)',
    rating: 4,
    views: 300,
    likes: 200,
    tags: ['rock'],
    comments: [{ author: 'bob', score: 5 }],
    pub_date: new Date('2019-09-27T00:00:00Z'),
  },
  {
    blog: { name: 'Stones Weekly', tagline: 'Rolling news.' },
    headline: 'Paint It Black',
    rating: 3,
    views: 50,
    likes: 10,
    tags: [],
    comments: [],
    pub_date: new Date('2020-05-01T12:00:00Z'),
  },
];

/** An Entry numbered by autoIncrement. */
export interface Counted extends EntryRaw {
  id?: number;
}

/** A fresh Entry model with the autoIncrement plugin, on a collection of its own (also its model name). */
export function countedEntry(conn: Connection, collection: string) {
  const schema = entrySchema();
  schema.plugin(autoIncrement);
  return conn.model<Counted, Managed<Counted>>(collection, schema, collection);
}
