// Books, their authors, the authors' publishers and the books' tags: the
// models the relations tests query across. Typed as Mongoose infers
// references: `author` an ObjectId, `tags` an array of them.
import mongoose, { type Connection, type Types } from 'mongoose';
import { manager, type Managed } from '../../index.js';

export interface PublisherRaw {
  name?: string;
}
export interface AuthorRaw {
  name?: string;
  age?: number;
  publisher?: Types.ObjectId | null;
}
export interface TagRaw {
  name?: string;
}
export interface BookRaw {
  title?: string;
  rating?: number;
  author?: Types.ObjectId | null;
  tags?: Types.ObjectId[];
  review?: { by?: Types.ObjectId | null; text?: string };
}

/** The four models on `conn`, named with `prefix` so that one file can hold several sets. */
export function relationModels(conn: Connection, prefix = '') {
  const { ObjectId } = mongoose.Schema.Types;
  const publisher = new mongoose.Schema<PublisherRaw>({ name: String });
  const author = new mongoose.Schema<AuthorRaw>({
    name: String,
    age: Number,
    publisher: { type: ObjectId, ref: `${prefix}Publisher` },
  });
  const tag = new mongoose.Schema<TagRaw>({ name: String });
  const review = new mongoose.Schema({ by: { type: ObjectId, ref: `${prefix}Author` }, text: String }, { _id: false });
  const book = new mongoose.Schema<BookRaw>({
    title: String,
    rating: Number,
    author: { type: ObjectId, ref: `${prefix}Author` },
    tags: [{ type: ObjectId, ref: `${prefix}Tag` }],
    review,
  });
  publisher.plugin(manager);
  author.plugin(manager);
  tag.plugin(manager);
  book.plugin(manager);
  return {
    Publisher: conn.model<PublisherRaw, Managed<PublisherRaw>>(`${prefix}Publisher`, publisher),
    Author: conn.model<AuthorRaw, Managed<AuthorRaw>>(`${prefix}Author`, author),
    Tag: conn.model<TagRaw, Managed<TagRaw>>(`${prefix}Tag`, tag),
    Book: conn.model<BookRaw, Managed<BookRaw>>(`${prefix}Book`, book),
  };
}

export type RelationModels = ReturnType<typeof relationModels>;

/**
 * Two publishers, three authors (one without a publisher), three tags and
 * five books (one without an author, one without tags).
 */
export async function seedRelations({ Publisher, Author, Tag, Book }: RelationModels) {
  await Promise.all([Publisher.init(), Author.init(), Tag.init(), Book.init()]);
  const [penguin, faber] = await Publisher.insertMany([{ name: 'Penguin' }, { name: 'Faber' }]);
  const [beatrix, ben, carl] = await Author.insertMany([
    { name: 'Beatrix', age: 40, publisher: penguin!._id },
    { name: 'Ben', age: 30, publisher: faber!._id },
    { name: 'Carl', age: 50, publisher: null },
  ]);
  const [rock, jazz, folk] = await Tag.insertMany([{ name: 'rock' }, { name: 'jazz' }, { name: 'folk' }]);
  await Book.insertMany([
    { title: 'A', rating: 5, author: beatrix!._id, tags: [rock!._id, jazz!._id], review: { by: ben!._id, text: 'x' } },
    { title: 'B', rating: 3, author: ben!._id, tags: [jazz!._id] },
    { title: 'C', rating: 4, author: carl!._id, tags: [folk!._id], review: { by: carl!._id, text: 'y' } },
    { title: 'D', rating: 1, author: beatrix!._id, tags: [] },
    { title: 'E', rating: 2, author: null, tags: [rock!._id] },
  ]);
  return { penguin: penguin!, faber: faber!, beatrix: beatrix!, ben: ben!, carl: carl!, rock: rock!, jazz: jazz! };
}

/** The titles of the books a query gives, sorted. */
export async function titles(qs: PromiseLike<{ title?: string | null }[]>): Promise<string[]> {
  return (await qs).map((b) => b.title ?? '').sort();
}
