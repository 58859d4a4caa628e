// MongoEngine's tests/queryset/test_transform.py models, as Mongoose schemas
// with the djongoose manager. transform.query()/update() take no model in
// some of MongoEngine's cases; here they all run against one (TransformDoc),
// whose fields cover the names those cases use.
import mongoose, { type Connection } from 'mongoose';
import type { Managed } from '../../../../index.js';
import { define, embedded } from './queryset.js';

export interface TransformDocRaw {
  name?: string;
  age?: number;
  date?: string;
  friend?: { age?: number };
  tags?: string[];
  foo?: string[];
  dictField?: Record<string, unknown>;
  df?: unknown;
  type?: string;
  size?: string;
}

/** The fields test_transform_query, _update and _update_push filter and update. */
export function transformDoc(conn: Connection): Promise<Managed<TransformDocRaw>> {
  return define<TransformDocRaw>(conn, 'TransformDoc', {
    name: String,
    age: Number,
    date: String,
    friend: embedded({ age: Number }),
    tags: [String],
    foo: [String],
    dictField: mongoose.Schema.Types.Mixed,
    df: mongoose.Schema.Types.Mixed,
    type: String,
    size: String,
  });
}

export interface MainDocRaw {
  title?: string;
  content?: { heading?: string[]; text?: { word?: string; index?: number }[] };
}

/** test_update_pull_for_list_fields' MainDoc: an embedded SubDoc holding a list of Words. */
export function mainDoc(conn: Connection): Promise<Managed<MainDocRaw>> {
  const word = embedded({ word: String, index: Number });
  return define<MainDocRaw>(conn, 'MainDoc', {
    title: String,
    content: embedded({ heading: [String], text: [word] }),
  });
}
