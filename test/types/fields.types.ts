// Type tests for djongo's fields: each @ts-expect-error line must fail to
// compile, or tsc fails. Run by `npm run typecheck` and test/unit/types.test.ts.
import mongoose, { Schema, type HydratedDocument, type InferSchemaType, type Model, type Types } from 'mongoose';
import {
  abstractModel,
  ArrayField,
  ArrayReferenceField,
  EmbeddedField,
  GenericObjectIdField,
  JSONField,
  ObjectIdField,
  references,
  referencedBy,
  type References,
  type ReferencedBy,
} from '../../fields/index.js';
import type { QuerySet } from '../../manager/queryset.js';

// Inferred: an abstract model's type flows into the schema that embeds it.
const Blog = abstractModel({ name: { type: String, required: true }, tagline: String });
const Comment = abstractModel({ author: String, score: Number });
export const entrySchema = new Schema({
  blog: EmbeddedField(Blog),
  mainBlog: EmbeddedField(Blog, { null: false }),
  comments: ArrayField(Comment),
  tags: ArrayField(String),
  short: ArrayField({ type: String, maxlength: 10 }),
  authors: ArrayReferenceField('Author'),
  legacyAuthors: ArrayReferenceField('Author', { type: Number }),
  data: JSONField(),
  trace: GenericObjectIdField(),
});
type Entry = InferSchemaType<typeof entrySchema>;
declare const entry: Entry;
export const blogName: string | undefined = entry.blog?.name;
export const mainBlogName: string = entry.mainBlog.name;
export const author: string | null | undefined = entry.comments[0]?.author;
export const tag: string | undefined = entry.tags[0];
export const authorId: Types.ObjectId | undefined = entry.authors[0];
export const legacyId: number | undefined = entry.legacyAuthors[0];
export const trace: Types.ObjectId | null | undefined = entry.trace;
// @ts-expect-error an abstract model has no _id
export const blogId: unknown = entry.mainBlog._id;
// @ts-expect-error a required embedded document is not optional
export const missing: Entry = { ...entry, mainBlog: undefined };

// Declared: helpers fit a schema typed by an interface.
interface BlogRaw {
  name?: string;
}
interface EntryRaw {
  blog?: BlogRaw;
  comments?: { author?: string }[];
  authors?: Types.ObjectId[];
  data?: unknown;
  _id?: Types.ObjectId;
}
const blog = abstractModel(new Schema<BlogRaw>({ name: String }));
export const declared = new Schema<EntryRaw>({
  _id: ObjectIdField(),
  blog: EmbeddedField(blog, { default: { name: 'Untitled' } }),
  comments: ArrayField(abstractModel(new Schema({ author: String })), { blank: false }),
  authors: ArrayReferenceField('Author', { null: false }),
  data: JSONField({ default: () => ({ label: 'x' }) }),
});

// The related managers are typed by the models given.
interface AuthorRaw {
  name?: string;
}
declare const Author: Model<AuthorRaw>;
declare const EntryModel: Model<EntryRaw>;
declare const doc: HydratedDocument<EntryRaw>;
declare const john: HydratedDocument<AuthorRaw>;
const authors: References<AuthorRaw> = references(doc, 'authors', Author);
export const all: QuerySet<AuthorRaw, HydratedDocument<AuthorRaw>> = authors.all();
export const named = authors.filter({ name__startswith: 'J' });
export const added: Promise<void> = authors.add(john, john._id, 'a'.repeat(24));
export const reverse: ReferencedBy<EntryRaw> = referencedBy(EntryModel, 'authors', john);
export const untypedDoc = references(new mongoose.Document() as mongoose.Document<unknown>, 'anything');

// @ts-expect-error EmbeddedField takes a Schema, not a definition
EmbeddedField({ name: String });
// @ts-expect-error EmbeddedField's default has the embedded fields' types
EmbeddedField(blog, { default: { name: 42 } });
// @ts-expect-error null is a boolean, as in djongo
EmbeddedField(blog, { null: 'yes' });
// @ts-expect-error ArrayField takes a Schema or a scalar type, not a type name
ArrayField('String');
// @ts-expect-error ArrayField's default is an array
ArrayField(String, { default: 'a' });
// @ts-expect-error ArrayReferenceField names a model
ArrayReferenceField(42);
// @ts-expect-error reference keys are ObjectIds, numbers or strings
ArrayReferenceField('Author', { type: Date });
// @ts-expect-error JSONField's default is a JSON value
JSONField({ default: new Map() });
// @ts-expect-error ObjectIdField's default is an ObjectId
ObjectIdField({ default: 'abc' });
// @ts-expect-error auto is a boolean
GenericObjectIdField({ auto: 1 });
// @ts-expect-error references() takes a path whose value is an array
references(doc, 'blog', Author);
// @ts-expect-error references() takes a path the document has
references(doc, 'writers', Author);
// @ts-expect-error add takes documents or keys
void authors.add(true);
// @ts-expect-error filters are checked against the target's fields
authors.filter({ nam: 'J' });
// @ts-expect-error referencedBy takes an array path of the source model
referencedBy(EntryModel, 'data', john);
// @ts-expect-error abstractModel takes a definition or a Schema
abstractModel('Blog');
