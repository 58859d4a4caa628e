// Type tests for the mongo_* passthrough: each @ts-expect-error line must fail
// to compile, or tsc fails. Run by `npm run typecheck` and test/unit/types.test.ts.
import type { mongo } from 'mongoose';
import {
  mongoPassthrough,
  type CollectionMethodName,
  type MongoPassthrough,
  type SnakeCase,
} from '../../manager/passthrough.js';

interface Entry {
  headline: string;
  blog?: { name: string };
}

declare const db: mongo.Db;
const p = mongoPassthrough(() => db.collection<Entry>('entry'));

// The driver's own parameter and result types.
export const inserted: Promise<mongo.InsertOneResult<Entry>> = p.mongo_insert_one({ headline: 'Hey Jude' });
export const cursor: mongo.FindCursor<mongo.WithId<Entry>> = p.mongo_find({ headline: 'Hey Jude' });
export const all: Promise<mongo.WithId<Entry>[]> = p.mongo_find().toArray();
export const projected: mongo.FindCursor<{ headline: string }> = p.mongo_find<{ headline: string }>({});
export const one: Promise<mongo.WithId<Entry> | null> = p.mongo_find_one({ 'blog.name': 'Beatles Blog' });
export const updated: Promise<mongo.UpdateResult<Entry>> = p.mongo_update_many({}, { $set: { headline: 'Help!' } });
export const written: Promise<mongo.BulkWriteResult> = p.mongo_bulk_write([
  { insertOne: { document: { headline: 'Yesterday' } } },
]);
export const index: Promise<string> = p.mongo_create_index({ headline: 1 });
export const found: Promise<mongo.WithId<Entry> | null> = p.mongo_find_one_and_update(
  { headline: 'Help!' },
  { $set: { headline: 'Hey Jude' } },
);
export const matched: mongo.AggregationCursor<Entry> = p.mongo_aggregate<Entry>([{ $match: { headline: 'Hey Jude' } }]);
export const counted: Promise<number> = p.mongo_count_documents({ headline: 'Hey Jude' });
export const estimated: Promise<number> = p.mongo_estimated_document_count();
export const searchIndexes: mongo.ListSearchIndexesCursor = p.mongo_list_search_indexes();
export const dropped: Promise<boolean> = p.mongo_drop_indexes();
export const headlines: Promise<string[]> = p.mongo_distinct('headline');

// Names and snake_case at the type level.
export const snake: SnakeCase<'findOneAndUpdate'> = 'find_one_and_update';
export const method: CollectionMethodName<Entry> = 'initializeOrderedBulkOp';
export const typed: MongoPassthrough<Entry> = p;

// @ts-expect-error no driver method frobnicate
p.mongo_frobnicate();
// @ts-expect-error insertOne takes a document, not a number
p.mongo_insert_one(42);
// @ts-expect-error the document's fields keep their types
p.mongo_insert_one({ headline: 42 });
// @ts-expect-error names are snake_case, not the driver's camelCase
p.mongo_insertOne({ headline: 'Hey Jude' });
// @ts-expect-error getters are not methods
void p.mongo_collection_name;
// @ts-expect-error Object.prototype's methods are not driver methods
p.mongo_to_string();
// @ts-expect-error the result is the driver's: InsertOneResult has no modifiedCount
export const wrong: Promise<{ modifiedCount: number }> = p.mongo_insert_one({ headline: 'Hey Jude' });
// @ts-expect-error getters are not CollectionMethodName
export const notMethod: CollectionMethodName<Entry> = 'collectionName';
