// Django's tests/aggregation/models.py as Mongoose models, and the fixture of
// AggregateTestCase.setUpTestData. A ForeignKey is an ObjectId reference; a
// ManyToManyField is an array of references on the side that declares it
// (Book.authors, Store.books, Author.friends), which is where a document
// database keeps it. Author.friends is symmetrical in Django (adding b to a's
// friends adds a to b's), so the fixture stores both sides.
//
// Two fields change type, each for a reason of the servers:
//   - Book.price, a DecimalField, is a Number: FerretDB v1.24 cannot store
//     Decimal128 (capability `decimal128`). The cases about Decimal itself use
//     `decimalBookModel`, whose price is a Decimal128, and skip there.
//   - Publisher.duration, a DurationField, is a Number of milliseconds, and
//     Store.friday_night_closing, a TimeField, the 'HH:MM:SS' string: BSON has
//     neither type, and both keep their order.
import mongoose, { type Connection, type Types } from 'mongoose';
import { manager, type Managed } from '../../../../index.js';
import { ready } from '../../../helpers/server.js';

const { ObjectId } = mongoose.Schema.Types;

export interface AuthorRaw {
  name?: string;
  age?: number;
  rating?: number | null;
  friends?: Types.ObjectId[];
}

export interface PublisherRaw {
  name?: string;
  num_awards?: number;
  /** Milliseconds. */
  duration?: number | null;
}

export interface BookRaw {
  isbn?: string;
  name?: string;
  pages?: number;
  rating?: number;
  price?: number;
  authors?: Types.ObjectId[];
  contact?: Types.ObjectId;
  publisher?: Types.ObjectId;
  pubdate?: Date;
}

export interface DecimalBookRaw {
  name?: string;
  rating?: number;
  price?: Types.Decimal128;
}

export interface StoreRaw {
  name?: string;
  books?: Types.ObjectId[];
  original_opening?: Date;
  /** 'HH:MM:SS'. */
  friday_night_closing?: string;
}

function managed<T>(definition: mongoose.SchemaDefinition<T>): mongoose.Schema<T> {
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager);
  return schema;
}

/** The four models of tests/aggregation, on one connection. */
export function aggregationModels(conn: Connection) {
  const Author = conn.model<AuthorRaw, Managed<AuthorRaw>>(
    'Author',
    managed<AuthorRaw>({
      name: String,
      age: Number,
      rating: { type: Number, default: null },
      friends: [{ type: ObjectId, ref: 'Author' }],
    }),
  );
  const Publisher = conn.model<PublisherRaw, Managed<PublisherRaw>>(
    'Publisher',
    managed<PublisherRaw>({ name: String, num_awards: Number, duration: { type: Number, default: null } }),
  );
  const Book = conn.model<BookRaw, Managed<BookRaw>>(
    'Book',
    managed<BookRaw>({
      isbn: String,
      name: String,
      pages: Number,
      rating: Number,
      price: Number,
      authors: [{ type: ObjectId, ref: 'Author' }],
      contact: { type: ObjectId, ref: 'Author' },
      publisher: { type: ObjectId, ref: 'Publisher' },
      pubdate: Date,
    }),
  );
  const Store = conn.model<StoreRaw, Managed<StoreRaw>>(
    'Store',
    managed<StoreRaw>({
      name: String,
      books: [{ type: ObjectId, ref: 'Book' }],
      original_opening: Date,
      friday_night_closing: String,
    }),
  );
  return { Author, Publisher, Book, Store };
}

/** Book with a Decimal128 price, for the cases about Decimal results. */
export function decimalBookModel(conn: Connection) {
  if (conn.models['DecimalBook']) return conn.model<DecimalBookRaw, Managed<DecimalBookRaw>>('DecimalBook');
  return conn.model<DecimalBookRaw, Managed<DecimalBookRaw>>(
    'DecimalBook',
    managed<DecimalBookRaw>({ name: String, rating: Number, price: mongoose.Schema.Types.Decimal128 }),
  );
}

const day = 24 * 60 * 60 * 1000;
const date = (y: number, m: number, d: number, h = 0, min = 0, s = 0): Date =>
  new Date(Date.UTC(y, m - 1, d, h, min, s));

/**
 * AggregateTestCase's fixture: nine authors, five publishers, six books,
 * three stores. Returns the models and the documents by Django's names
 * (a1…a9, p1…p5, b1…b6).
 */
export async function seedAggregation(conn: Connection) {
  const models = aggregationModels(conn);
  const { Author, Publisher, Book, Store } = models;
  await Promise.all(Object.values(models).map((m) => ready(m)));
  const authors: [string, number][] = [
    ['Adrian Holovaty', 34],
    ['Jacob Kaplan-Moss', 35],
    ['Brad Dayley', 45],
    ['James Bennett', 29],
    ['Jeffrey Forcier', 37],
    ['Paul Bissex', 29],
    ['Wesley J. Chun', 25],
    ['Peter Norvig', 57],
    ['Stuart Russell', 46],
  ];
  const a = authors.map(([name, age]) => new Author({ name, age }));
  const author = (i: number) => a[i - 1]!;
  const [a1, a2, a3, a4, a5, a6, a7, a8, a9] = [
    author(1),
    author(2),
    author(3),
    author(4),
    author(5),
    author(6),
    author(7),
    author(8),
    author(9),
  ] as const;
  // Symmetrical friendships, both sides.
  const friendships: [typeof a1, (typeof a1)[]][] = [
    [a1, [a2, a4]],
    [a2, [a1, a7]],
    [a4, [a1]],
    [a5, [a6, a7]],
    [a6, [a5, a7]],
    [a7, [a2, a5, a6]],
    [a8, [a9]],
    [a9, [a8]],
  ];
  for (const [who, friends] of friendships) {
    for (const f of friends) {
      if (!who.friends!.some((id) => id.equals(f._id))) who.friends!.push(f._id);
      if (!f.friends!.some((id) => id.equals(who._id))) f.friends!.push(who._id);
    }
  }
  await Author.insertMany(a);

  const p1 = new Publisher({ name: 'Apress', num_awards: 3, duration: day });
  const p2 = new Publisher({ name: 'Sams', num_awards: 1, duration: 2 * day });
  const p3 = new Publisher({ name: 'Prentice Hall', num_awards: 7 });
  const p4 = new Publisher({ name: 'Morgan Kaufmann', num_awards: 9 });
  const p5 = new Publisher({ name: "Jonno's House of Books", num_awards: 0 });
  await Publisher.insertMany([p1, p2, p3, p4, p5]);

  const book = (fields: BookRaw) => new Book(fields);
  const b1 = book({
    isbn: '159059725',
    name: 'The Definitive Guide to Django: Web Development Done Right',
    pages: 447,
    rating: 4.5,
    price: 30.0,
    contact: a1._id,
    publisher: p1._id,
    pubdate: date(2007, 12, 6),
    authors: [a1._id, a2._id],
  });
  const b2 = book({
    isbn: '067232959',
    name: 'Sams Teach Yourself Django in 24 Hours',
    pages: 528,
    rating: 3.0,
    price: 23.09,
    contact: a3._id,
    publisher: p2._id,
    pubdate: date(2008, 3, 3),
    authors: [a3._id],
  });
  const b3 = book({
    isbn: '159059996',
    name: 'Practical Django Projects',
    pages: 300,
    rating: 4.0,
    price: 29.69,
    contact: a4._id,
    publisher: p1._id,
    pubdate: date(2008, 6, 23),
    authors: [a4._id],
  });
  const b4 = book({
    isbn: '013235613',
    name: 'Python Web Development with Django',
    pages: 350,
    rating: 4.0,
    price: 29.69,
    contact: a5._id,
    publisher: p3._id,
    pubdate: date(2008, 11, 3),
    authors: [a5._id, a6._id, a7._id],
  });
  const b5 = book({
    isbn: '013790395',
    name: 'Artificial Intelligence: A Modern Approach',
    pages: 1132,
    rating: 4.0,
    price: 82.8,
    contact: a8._id,
    publisher: p3._id,
    pubdate: date(1995, 1, 15),
    authors: [a8._id, a9._id],
  });
  const b6 = book({
    isbn: '155860191',
    name: 'Paradigms of Artificial Intelligence Programming: Case Studies in Common Lisp',
    pages: 946,
    rating: 5.0,
    price: 75.0,
    contact: a8._id,
    publisher: p4._id,
    pubdate: date(1991, 10, 15),
    authors: [a8._id],
  });
  await Book.insertMany([b1, b2, b3, b4, b5, b6]);

  await Store.insertMany([
    {
      name: 'Amazon.com',
      original_opening: date(1994, 4, 23, 9, 17, 42),
      friday_night_closing: '23:59:59',
      books: [b1, b2, b3, b4, b5, b6].map((b) => b._id),
    },
    {
      name: 'Books.com',
      original_opening: date(2001, 3, 15, 11, 23, 37),
      friday_night_closing: '23:59:59',
      books: [b1, b3, b5, b6].map((b) => b._id),
    },
    {
      name: "Mamma and Pappa's Books",
      original_opening: date(1945, 4, 25, 16, 24, 14),
      friday_night_closing: '21:30:00',
      books: [b3, b4, b6].map((b) => b._id),
    },
  ]);
  return { ...models, a1, a2, a3, a4, a5, a6, a7, a8, a9, p1, p2, p3, p4, p5, b1, b2, b3, b4, b5, b6 };
}

export { day, date };
