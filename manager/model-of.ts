// The models djongoose takes. Mongoose 9 infers `{ id: string }` virtuals for
// a model made by `conn.model('Author', schema)`, and a Model<T> parameter
// (whose virtuals default to `{}`) refuses it: the statics' `this` types
// clash. A parameter typed with only the members that carry the document
// type accepts inferred and declared models alike, and still infers T from
// `hydrate` (not from `find`, whose overloads widen it). The value is used as
// the full model it is.
import type { Model } from 'mongoose';

/**
 * A Mongoose model of documents shaped `TRaw`, whatever its query helpers,
 * instance methods and virtuals.
 *
 * @example
 * ```ts
 * const Author = conn.model('Author', new Schema({ name: String }));
 * const qs = new QuerySet(Author); // QuerySet<{ name?: string | null }>
 * ```
 */
export type ModelOf<TRaw> = Pick<Model<TRaw>, 'modelName' | 'schema' | 'collection' | 'db' | 'hydrate'>;
