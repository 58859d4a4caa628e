// Reading a page that holds a document ENFORCE_SCHEMA strict refuses. The
// QuerySet raises the first document's MigrationError and stops, as it
// should for code; an admin page must still list the other documents and
// say which one drifted. So, only once the QuerySet has refused, the same
// compiled find (filter, sort, skip, limit: the QuerySet's own toMongo())
// is read again from the collection as stored, unchecked, and each row is
// then judged on its own by hydrating it (Model.hydrate raises the row's
// MigrationError in strict mode).
import type { Model } from 'mongoose';
import type { MongoQuery } from '../manager/queryset-compile.js';

/**
 * The rows of a compiled find, as stored, without the model's read hooks.
 *
 * @example
 * ```ts
 * const rows = await storedRows(Entry, Entry.objects.orderBy('headline').slice(0, 10).toMongo());
 * ```
 */
export async function storedRows(
  model: Pick<Model<Record<string, unknown>>, 'collection'>,
  query: MongoQuery,
): Promise<Record<string, unknown>[]> {
  const cursor = model.collection.find(query.filter, {
    ...(query.projection ? { projection: query.projection } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.skip ? { skip: query.skip } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
  });
  return (await cursor.toArray()) as Record<string, unknown>[];
}
