// selectRelated's join, planned and shaped with no database: which
// references are joined, the stages sent, and the rows put back in the
// shape populate gives. The models live on a connection that never connects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { EMPTY, type Props } from '../../manager/queryset-props.js';
import { parseRelated } from '../../manager/relations-select.js';
import {
  hiddenPaths,
  placeJoined,
  rowHiddenPaths,
  selectPlan,
  selectStages,
} from '../../manager/relations-select-join.js';
import { relationModels } from '../helpers/relation-models.js';

const conn = mongoose.createConnection();
const { Book, Author, Publisher, Tag } = relationModels(conn, 'U');
const dbName = Book.db.name;

function props(select: string[], prefetch: string[] = [], more: Partial<Props> = {}): Props {
  // No names given to selectRelated means every single reference, so none here is no selectRelated at all.
  const selected = select.length === 0 ? [] : parseRelated(Book, [], select, 'select');
  return { ...EMPTY, populate: parseRelated(Book, selected, prefetch, 'prefetch'), select: selected, ...more };
}

describe('selectPlan', () => {
  test('joins what selectRelated names; prefetchRelated stays populate', () => {
    const plan = selectPlan(props(['author__publisher'], ['tags']), dbName);
    assert.deepEqual(
      plan?.refs.map((r) => [r.path, r.as, r.model, r.children.map((c) => [c.path, c.as, c.model])]),
      [['author', '_select_author', Author, [['publisher', '_select_author__publisher', Publisher]]]],
    );
    assert.deepEqual(
      plan?.rest.map((o) => o.path),
      ['tags'],
    );
    assert.equal(plan?.rest[0]?.model, Tag);
  });

  test('none: no selectRelated, values(), the same reference prefetched deeper, or the reference deferred', () => {
    assert.equal(selectPlan(props([], ['tags']), dbName), undefined);
    const values = { fields: [], paths: [], hidden: [], list: false, flat: false } as unknown as Props['values'];
    assert.equal(selectPlan(props(['author'], [], { values }), dbName), undefined);
    assert.equal(selectPlan(props(['author'], ['author__publisher']), dbName), undefined);
    assert.equal(selectPlan(props(['author'], [], { projection: { author: 0 } }), dbName), undefined);
    assert.equal(selectPlan(props(['author'], [], { projection: { title: 1 } }), dbName), undefined);
    assert.ok(selectPlan(props(['author'], [], { projection: { title: 1, author: 1 } }), dbName));
    assert.ok(selectPlan(props(['review__by'], [], { projection: { rating: 0 } }), dbName));
  });

  test('a model of another database is not joined ($lookup reads one database)', () => {
    assert.equal(selectPlan(props(['author']), 'another'), undefined);
  });
});

describe('selectStages', () => {
  test('one $lookup and $unwind (rows kept) per reference, nested ones read from the alias', () => {
    const plan = selectPlan(props(['author__publisher', 'review__by']), dbName);
    assert.deepEqual(selectStages(plan?.refs ?? []), [
      {
        $lookup: {
          from: Author.collection.collectionName,
          localField: 'author',
          foreignField: '_id',
          as: '_select_author',
        },
      },
      { $unwind: { path: '$_select_author', preserveNullAndEmptyArrays: true } },
      {
        $lookup: {
          from: Publisher.collection.collectionName,
          localField: '_select_author.publisher',
          foreignField: '_id',
          as: '_select_author__publisher',
        },
      },
      { $unwind: { path: '$_select_author__publisher', preserveNullAndEmptyArrays: true } },
      {
        $lookup: {
          from: Author.collection.collectionName,
          localField: 'review.by',
          foreignField: '_id',
          as: '_select_review__by',
        },
      },
      { $unwind: { path: '$_select_review__by', preserveNullAndEmptyArrays: true } },
    ]);
  });

  test('hidden fields (select: false) of the rows and the joined documents are left out', () => {
    const user = new mongoose.Schema({ name: String, password: { type: String, select: false } });
    assert.deepEqual(hiddenPaths(user), ['password']);
    assert.deepEqual(rowHiddenPaths(user, undefined), ['password']);
    assert.deepEqual(rowHiddenPaths(user, { name: 1 }), []);
    assert.deepEqual(rowHiddenPaths(user, { password: 0 }), []);
    const plan = selectPlan(props(['author']), dbName);
    assert.deepEqual(selectStages(plan?.refs ?? [], ['secret']).at(-1), { $project: { secret: 0 } });
  });
});

describe('placeJoined (lean rows)', () => {
  const plan = selectPlan(props(['author__publisher']), dbName);
  const refs = plan?.refs ?? [];

  test('puts each joined document at its reference, nested too', () => {
    const row = {
      _id: 1,
      author: 'a',
      _select_author: { _id: 'a', name: 'Ann', publisher: 'p' },
      _select_author__publisher: { _id: 'p', name: 'Penguin' },
    };
    placeJoined(row, refs);
    assert.deepEqual(row, { _id: 1, author: { _id: 'a', name: 'Ann', publisher: { _id: 'p', name: 'Penguin' } } });
  });

  test('an id whose document is gone reads null; no reference stays as it is', () => {
    const gone: Record<string, unknown> = { _id: 1, author: 'a' };
    placeJoined(gone, refs);
    assert.deepEqual(gone, { _id: 1, author: null });
    const none: Record<string, unknown> = { _id: 2 };
    placeJoined(none, refs);
    assert.deepEqual(none, { _id: 2 });
    const noPublisher: Record<string, unknown> = { _id: 3, author: 'a', _select_author: { _id: 'a', publisher: 'p' } };
    placeJoined(noPublisher, refs);
    assert.deepEqual(noPublisher, { _id: 3, author: { _id: 'a', publisher: null } });
  });
});
