// The order of a list page. As Django's admin does, a sort on a field that
// may tie gets the primary key as a last key, so that pages neither repeat
// nor skip rows; a sort on a field no two documents share (a unique index of
// its own) needs none. Adding it there would cost the server: a MongoDB
// index on that field alone no longer serves a { field, _id } sort, so the
// first page of a large collection would be a blocking sort of all of it.
import type { Schema } from 'mongoose';

interface IndexOptions {
  readonly unique?: unknown;
  readonly sparse?: unknown;
  readonly partialFilterExpression?: unknown;
}

/**
 * The paths a schema declares unique on their own: `_id`, and each path
 * with a single-field unique index that is neither sparse nor partial (those
 * let many documents lack the field, which then tie).
 *
 * @example
 * ```ts
 * uniquePaths(new Schema({ slug: { type: String, unique: true }, title: String })); // Set { '_id', 'slug' }
 * ```
 */
export function uniquePaths(schema: Schema): ReadonlySet<string> {
  const unique = new Set(['_id']);
  for (const [fields, options] of schema.indexes()) {
    const [only, ...more] = Object.entries(fields);
    const o = (options ?? {}) as IndexOptions;
    if (!only || more.length > 0 || o.unique !== true || o.sparse === true || o.partialFilterExpression) continue;
    const [path, kind] = only;
    if (kind === 1 || kind === -1) unique.add(path);
  }
  return unique;
}

/**
 * The `orderBy` keys of a sort on `path`: the path (`blog.name` as
 * `blog__name`), then `_id` in the same direction unless `path` is unique.
 *
 * @example
 * ```ts
 * orderKeys('rating', 'desc', new Set(['_id'])); // ['-rating', '-_id']
 * orderKeys('id', 'desc', new Set(['_id', 'id'])); // ['-id']
 * ```
 */
export function orderKeys(path: string, direction: 'asc' | 'desc' | undefined, unique: ReadonlySet<string>): string[] {
  const sign = direction === 'desc' ? '-' : '';
  const key = `${sign}${path.split('.').join('__')}`;
  return unique.has(path) ? [key] : [key, `${sign}_id`];
}
