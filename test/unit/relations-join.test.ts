// Reading fields across references (aggregates, annotations, values,
// orderBy, F) compiled with no database: the $lookup stages and the paths
// under them, on a connection that never connects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { Avg, Count, F, FieldError, Max, RelationError, Sum } from '../../index.js';
import { joinPath, joinStages } from '../../manager/relations-join.js';
import { relationModels } from '../helpers/relation-models.js';

const conn = mongoose.createConnection();
const { Book, Author, Publisher, Tag } = relationModels(conn);
const scope = { schema: Book.schema, modelName: 'Book', connection: conn };
const authors = Author.collection.collectionName;
const publishers = Publisher.collection.collectionName;
const tags = Tag.collection.collectionName;

const lookup = (local: string, from: string, as: string) => ({
  $lookup: { from, localField: local, foreignField: '_id', as },
});
const unwind = (as: string) => ({ $unwind: { path: `$${as}`, preserveNullAndEmptyArrays: true } });

describe('a path across references', () => {
  test('a key that crosses none is left as it is', () => {
    assert.equal(joinPath(scope, 'rating', 'rows'), undefined);
    assert.equal(joinPath(scope, 'author__in', 'rows'), undefined);
    assert.equal(joinPath(scope, 'review__text', 'document'), undefined);
  });

  test('a single reference is one document in its row, in either mode', () => {
    for (const mode of ['rows', 'document'] as const) {
      const joined = joinPath(scope, 'author__age', mode)!;
      const as = mode === 'rows' ? '_rows_author' : '_join_author';
      assert.equal(joined.path, `${as}.age`);
      assert.equal(joined.isArray, false);
      assert.deepEqual(joinStages(joined.joins), [lookup('author', authors, as), unwind(as)]);
    }
  });

  test('an array of references is one row per document, or an array in its one row', () => {
    const rows = joinPath(scope, 'tags__name', 'rows')!;
    assert.deepEqual([rows.path, rows.isArray], ['_rows_tags.name', false]);
    assert.deepEqual(joinStages(rows.joins), [lookup('tags', tags, '_rows_tags'), unwind('_rows_tags')]);
    const doc = joinPath(scope, 'tags__name', 'document')!;
    assert.deepEqual([doc.path, doc.isArray], ['_join_tags.name', true]);
    assert.deepEqual(joinStages(doc.joins), [lookup('tags', tags, '_join_tags')]);
  });

  test('references chain, inside embedded documents too', () => {
    const joined = joinPath(scope, 'author__publisher__name', 'rows')!;
    assert.equal(joined.path, '_rows_author__publisher.name');
    assert.deepEqual(joinStages(joined.joins), [
      lookup('author', authors, '_rows_author'),
      unwind('_rows_author'),
      lookup('_rows_author.publisher', publishers, '_rows_author__publisher'),
      unwind('_rows_author__publisher'),
    ]);
    assert.equal(joinPath(scope, 'review__by__name', 'rows')!.path, '_rows_review__by.name');
  });

  test('each join is staged once', () => {
    const done = new Set<string>();
    const first = joinStages(joinPath(scope, 'author__age', 'rows')!.joins, done);
    const again = joinStages(joinPath(scope, 'author__name', 'rows')!.joins, done);
    assert.equal(first.length, 2);
    assert.deepEqual(again, []);
  });

  test('names the referenced model has not are FieldErrors naming it; a lookup is kept for the caller', () => {
    assert.throws(() => joinPath(scope, 'author__nope', 'rows'), /Cannot resolve keyword "nope" into field of Author/);
    assert.throws(() => joinPath(scope, 'author__$where', 'rows'), FieldError);
    assert.deepEqual(joinPath(scope, 'author__age__gte', 'rows')!.resolved.lookups, ['gte']);
  });

  test('a reference to a model the connection lacks is a RelationError', () => {
    const alone = mongoose.createConnection();
    const { Book: Lonely } = relationModels(alone, 'Lonely');
    alone.deleteModel('LonelyAuthor');
    assert.throws(
      () => joinPath({ schema: Lonely.schema, modelName: 'LonelyBook', connection: alone }, 'author__name', 'rows'),
      (err: unknown) => err instanceof RelationError && /no model named "LonelyAuthor"/.test(err.message),
    );
  });
});

describe('pipelines that read across references', () => {
  test('aggregate() joins before its $group, one row per referenced document', () => {
    const stages = Book.objects.all().toPipeline({ mean: Avg('tags__name'), n: Count('author__age') } as never);
    assert.deepEqual(stages.slice(1, 5), [
      lookup('tags', tags, '_rows_tags'),
      unwind('_rows_tags'),
      lookup('author', authors, '_rows_author'),
      unwind('_rows_author'),
    ]);
    assert.deepEqual((stages.at(-1) as { $group: Record<string, unknown> }).$group['mean'], {
      $avg: '$_rows_tags.name',
    });
  });

  test('annotate() folds the referenced documents of each row; F() reads a single reference', () => {
    const spec = { oldest: Max('tags__name'), age: F('author__age').plus(1) };
    const stages = Book.objects.annotate(spec as never).toPipeline();
    assert.deepEqual(stages.slice(1, 4), [
      lookup('tags', tags, '_join_tags'),
      lookup('author', authors, '_join_author'),
      unwind('_join_author'),
    ]);
    assert.deepEqual(stages[4], {
      $addFields: { oldest: { $max: '$_join_tags.name' }, age: { $add: ['$_join_author.age', 1] } },
    });
    // The joined documents stay the pipeline's: rows do not carry them.
    assert.deepEqual(stages.at(-1), { $project: { _join_tags: 0, _join_author: 0 } });
  });

  test('values() and orderBy() join after $match; the find() form is kept without them', () => {
    const qs = Book.objects.filter({ rating: 5 }).orderBy('-author__age' as never);
    assert.deepEqual(qs.toPipeline().slice(0, 4), [
      { $match: { rating: 5 } },
      lookup('author', authors, '_rows_author'),
      unwind('_rows_author'),
      { $sort: { '_rows_author.age': -1 } },
    ]);
    const plain = Book.objects
      .filter({ rating: 5 })
      .orderBy('-rating')
      .annotate({ s: Sum('rating') });
    assert.ok(plain.toPipeline().every((stage) => !('$lookup' in stage)));
    assert.throws(() => Book.objects.values('author__name__startswith' as never), FieldError);
  });
});
