// Loading what prefetchRelated names (and selectRelated, where the server
// has no $lookup: relations-select-fetch.ts joins it otherwise), with Mongoose's
// populate: one find() per reference path over the ids of all the results
// (of each cursor batch when iterating), never one per document. values()
// and valuesList() give stored fields only, as Django's ignore select_related.
import type { Model, Query } from 'mongoose';
import type { Props } from './queryset-props.js';

/**
 * The query, populating the props' references.
 *
 * @example
 * ```ts
 * await withPopulate(Book.find(), props); // books, each `author` an Author document
 * ```
 */
export function withPopulate<Q extends Query<unknown, unknown>>(query: Q, props: Props): Q {
  if (props.populate.length === 0 || props.values) return query;
  return query.populate([...props.populate]) as Q;
}

/**
 * Rows that did not come from find() (an annotated QuerySet's pipeline),
 * populated the same way, in place, with one find() per reference path.
 *
 * @example
 * ```ts
 * const books = await populateRows(Book, props, rows);
 * ```
 */
export async function populateRows<TRaw>(model: Model<TRaw>, props: Props, rows: unknown[]): Promise<unknown[]> {
  if (props.populate.length === 0 || props.values || rows.length === 0) return rows;
  await model.populate(rows, [...props.populate]);
  return rows;
}
