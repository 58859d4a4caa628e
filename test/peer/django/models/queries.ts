// The models of Django's tests/queries/models.py that the ported cases use,
// as Mongoose models. A ForeignKey is an ObjectId reference (or the
// referenced model's own key type); Django's Meta.ordering has no Mongoose
// counterpart, so the cases order explicitly where Django's default ordering
// decides the expected order. A ForeignKey with to_field (Eaten.food,
// Node.parent) stores that field, djongoose's `toField`, and its on_delete is
// djongoose's `onDelete`.
//
// One change of shape: Item.tags, a ManyToManyField to Tag, is embedded here
// as the tags' names ({ name } documents), the form a document database
// gives a many-to-many it reads with its owner. The cases ported over it
// (test_exclude, test_nested_exclude, test_double_exclude, test_exclude_in,
// test_ticket7096) test how negation composes, which does not depend on the join.
import mongoose, { type Connection, type Types } from 'mongoose';
import { manager, type Managed } from '../../../../index.js';
import { ready } from '../../../helpers/server.js';

const { ObjectId } = mongoose.Schema.Types;

function model<T>(conn: Connection, name: string, definition: mongoose.SchemaDefinition<T>) {
  const existing = conn.models[name];
  if (existing) return existing as unknown as mongoose.Model<T> & Managed<T>;
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager);
  return conn.model<T, Managed<T>>(name, schema);
}

export interface NoteRaw {
  _id: number;
  note?: string;
  misc?: string;
}
export interface TagRaw {
  name?: string;
  parent?: Types.ObjectId | null;
  category?: Types.ObjectId | null;
}
export interface ItemRaw {
  name?: string;
  created?: Date;
  modified?: Date | null;
  creator?: Types.ObjectId;
  note?: number;
  tags?: { name?: string }[];
}
export interface AuthorRaw {
  name?: string;
  num?: number;
}
export interface NumberRaw {
  num?: number;
}
export interface ArticleRaw {
  name?: string;
  created?: Date;
}
export interface RankingRaw {
  rank?: number;
  author?: Types.ObjectId;
}
export interface NullableNameRaw {
  name?: string | null;
}
export interface FoodRaw {
  name?: string;
}
export interface EatenRaw {
  /** Django's ForeignKey(Food, SET_NULL, to_field="name"): the food's name. */
  food?: string | null;
  meal?: string;
}
export interface NodeRaw {
  num?: number;
  /** Django's ForeignKey("self", SET_NULL, to_field="num"): the parent's num. */
  parent?: number | null;
}
export interface ReservedNameRaw {
  name?: string;
  order?: number;
}
export interface CustomPkRaw {
  _id: string;
  name?: string;
}
export interface RelatedRaw {
  custom?: string | null;
}
export interface ManagedModelRaw {
  data?: string;
  tag?: Types.ObjectId;
  public?: boolean;
}
export interface MyObjectRaw {
  data?: string;
  parent?: Types.ObjectId | null;
}
export interface AnnotationRaw {
  name?: string;
  tag?: Types.ObjectId;
}
export interface NamedCategoryRaw {
  name?: string;
}
export type BareRaw = Record<string, never>;

/** The models, on one connection (each compiled once). */
export function queriesModels(conn: Connection) {
  return {
    Note: model<NoteRaw>(conn, 'Note', { _id: Number, note: String, misc: String }),
    Tag: model<TagRaw>(conn, 'Tag', {
      name: String,
      parent: { type: ObjectId, ref: 'Tag', default: null },
      category: { type: ObjectId, ref: 'NamedCategory', default: null },
    }),
    Item: model<ItemRaw>(conn, 'Item', {
      name: String,
      created: Date,
      modified: { type: Date, default: null },
      creator: { type: ObjectId, ref: 'Author' },
      note: { type: Number, ref: 'Note' },
      tags: [new mongoose.Schema({ name: String }, { _id: false })],
    }),
    Author: model<AuthorRaw>(conn, 'Author', { name: String, num: Number }),
    Number: model<NumberRaw>(conn, 'Number', { num: Number }),
    Article: model<ArticleRaw>(conn, 'Article', { name: String, created: Date }),
    Ranking: model<RankingRaw>(conn, 'Ranking', { rank: Number, author: { type: ObjectId, ref: 'Author' } }),
    NullableName: model<NullableNameRaw>(conn, 'NullableName', { name: { type: String, default: null } }),
    Food: model<FoodRaw>(conn, 'Food', { name: { type: String, unique: true } }),
    Eaten: model<EatenRaw>(conn, 'Eaten', {
      food: { type: String, ref: 'Food', toField: 'name', onDelete: 'SET_NULL', default: null },
      meal: String,
    }),
    Node: model<NodeRaw>(conn, 'Node', {
      num: { type: Number, unique: true },
      parent: { type: Number, ref: 'Node', toField: 'num', onDelete: 'SET_NULL', default: null },
    }),
    ReservedName: model<ReservedNameRaw>(conn, 'ReservedName', { name: String, order: Number }),
    CustomPk: model<CustomPkRaw>(conn, 'CustomPk', { _id: String, name: String }),
    Related: model<RelatedRaw>(conn, 'Related', { custom: { type: String, ref: 'CustomPk', default: null } }),
    ManagedModel: model<ManagedModelRaw>(conn, 'ManagedModel', {
      data: String,
      tag: { type: ObjectId, ref: 'Tag' },
      public: Boolean,
    }),
    MyObject: model<MyObjectRaw>(conn, 'MyObject', {
      data: String,
      parent: { type: ObjectId, ref: 'MyObject', default: null },
    }),
    Annotation: model<AnnotationRaw>(conn, 'Annotation', { name: String, tag: { type: ObjectId, ref: 'Tag' } }),
    NamedCategory: model<NamedCategoryRaw>(conn, 'NamedCategory', { name: String }),
    Valid: model<BareRaw>(conn, 'Valid', {}),
    DumbCategory: model<BareRaw>(conn, 'DumbCategory', {}),
    Paragraph: model<BareRaw>(conn, 'Paragraph', {}),
    School: model<BareRaw>(conn, 'School', {}),
  };
}

export type QueriesModels = ReturnType<typeof queriesModels>;

/** Every model, once its collection is created. */
export async function readyQueriesModels(conn: Connection): Promise<QueriesModels> {
  const models = queriesModels(conn);
  await Promise.all(Object.values(models).map((m) => ready(m as mongoose.Model<unknown>)));
  return models;
}
