// Keys across references, parsed and compiled with no database: the models
// live on a connection that never connects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { compileFilter, F, FieldError, Q, RelationError } from '../../index.js';
import { parseFilter } from '../../manager/parse.js';
import { compileWhere } from '../../manager/compile.js';
import { GroupNode, RelationNode } from '../../manager/nodes.js';
import { parseRelated } from '../../manager/relations-select.js';
import { relationModels } from '../helpers/relation-models.js';

const conn = mongoose.createConnection();
const { Book, Author, Tag, Publisher } = relationModels(conn);
const scope = { schema: Book.schema, modelName: 'Book', connection: conn };
const parse = (f: Record<string, unknown> | ReturnType<typeof Q>) => parseFilter(scope, [f]);
const authors = Author.collection.collectionName;

describe('a key across a reference', () => {
  test('parses into a relation node whose condition is on the referenced model', () => {
    const [node] = parse({ author__name__startswith: 'Be' }).children;
    assert.ok(node && RelationNode.is(node));
    assert.equal(node.path, 'author');
    assert.equal(node.related, Author);
    assert.equal(node.ids, undefined);
    assert.deepEqual(compileWhere(node.inner, 'Author'), { name: /^Be/ });
  });

  test('compiles, before its ids are read, to the prefetch that will read them', () => {
    assert.deepEqual(compileWhere(parse({ tags__name__in: ['rock'], rating: 5 }), 'Book'), {
      tags: { $in: { $prefetch: { from: Tag.collection.collectionName, filter: { name: { $in: ['rock'] } } } } },
      rating: 5,
    });
  });

  test('nested references nest the prefetch; embedded paths keep their dots', () => {
    assert.deepEqual(compileWhere(parse({ author__publisher__name: 'Penguin' }), 'Book'), {
      author: {
        $in: {
          $prefetch: {
            from: authors,
            filter: {
              publisher: {
                $in: { $prefetch: { from: Publisher.collection.collectionName, filter: { name: 'Penguin' } } },
              },
            },
          },
        },
      },
    });
    const [node] = parse({ review__by__age__gte: 30 }).children;
    assert.ok(node && RelationNode.is(node));
    assert.equal(node.path, 'review.by');
  });

  test('once its ids are read, compiles to $in, negated as the group around it', () => {
    const id = new mongoose.Types.ObjectId();
    const [node] = parse({ author__name: 'x' }).children;
    assert.ok(node && RelationNode.is(node));
    const read = RelationNode.create(node.path, node.related, node.inner, [id]);
    assert.deepEqual(compileWhere(GroupNode.create('AND', true, [read]), 'Book'), {
      $nor: [{ author: { $in: [id] } }],
    });
    assert.ok(Object.isFrozen(read) && Object.isFrozen(read.ids));
  });

  test('conditions of one filter on the same reference merge into one node; OR-ed ones do not', () => {
    const where = parse({ author__name: 'Ben', rating: 3, author__age__gte: 30 });
    assert.equal(where.children.length, 2);
    assert.deepEqual(compileWhere(where, 'Book'), {
      author: { $in: { $prefetch: { from: authors, filter: { name: 'Ben', age: { $gte: 30 } } } } },
      rating: 3,
    });
    assert.equal(parse(Q({ author__name: 'Ben' }).or({ author__age: 30 })).children.length, 2);
    assert.equal(parse({ author__name: 'Ben', tags__name: 'rock' }).children.length, 2);
  });

  test('or-ed with a field in Q', () => {
    const filter = compileWhere(parse(Q({ author__name: 'Ben' }).or({ rating: 4 })), 'Book');
    assert.deepEqual(filter, {
      $or: [{ author: { $in: { $prefetch: { from: authors, filter: { name: 'Ben' } } } } }, { rating: 4 }],
    });
  });

  test('the referenced field casts the value', () => {
    assert.deepEqual(compileWhere(parse({ author__age__in: ['30', 40] }), 'Book'), {
      author: { $in: { $prefetch: { from: authors, filter: { age: { $in: [30, 40] } } } } },
    });
  });
});

describe('a key across a reference that cannot be compiled', () => {
  test('a field the referenced model lacks names the referenced model', () => {
    assert.throws(
      () => parse({ author__nme: 'x' }),
      /Cannot resolve keyword "nme" into field of Author.*Did you mean "name"/,
    );
  });

  test("without the model's connection (compileFilter), a RelationError naming selectRelated", () => {
    assert.throws(
      () => compileFilter({ schema: Book.schema, modelName: 'Book' }, { author__name: 'x' }),
      (err: unknown) => {
        assert.ok(err instanceof RelationError && err instanceof FieldError);
        assert.equal(err.path, 'author');
        assert.deepEqual(err.rest, ['name']);
        assert.match(err.message, /Book\.author is a reference to Author: "author__name" crosses it\./);
        assert.match(err.message, /selectRelated\('author'\)/);
        assert.match(err.message, /without a model's connection/);
        return true;
      },
    );
  });

  test('a model the connection does not have', () => {
    const other = mongoose.createConnection();
    const schema = new mongoose.Schema({ owner: { type: mongoose.Schema.Types.ObjectId, ref: 'Ghost' } });
    const Thing = other.model('Thing', schema);
    assert.throws(
      () => parseFilter({ schema, modelName: 'Thing', connection: other }, [{ owner__name: 'x' }]),
      /no model named "Ghost" is registered on Thing's connection \(registered: Thing\)/,
    );
    assert.equal(Thing.modelName, 'Thing');
  });

  test('a ref chosen per document', () => {
    const schema = new mongoose.Schema({ owner: { type: mongoose.Schema.Types.ObjectId, ref: () => 'Author' } });
    assert.throws(
      () => parseFilter({ schema, modelName: 'Pet', connection: conn }, [{ owner__name: 'x' }]),
      /its ref is a function, which chooses the model per document/,
    );
  });

  // An F() across a reference in a filter (Django's filter(rating__gt=F('author__age'))): the ids are
  // read by one aggregate on Book's own collection, through the joins, then sent as `_id: { $in }`.
  test('an F() value or key across a reference reads the ids through joins on the own collection', () => {
    for (const filter of [{ author__name: F('title') }, { rating: F('author__age') }, { title: F('tags__name') }]) {
      const compiled = compileWhere(parse(filter), 'Book') as {
        _id?: { $in?: { $prefetch?: { from?: string; pipeline?: unknown[] } } };
      };
      const prefetch = compiled._id?.$in?.$prefetch;
      assert.equal(prefetch?.from, 'books', JSON.stringify(compiled));
      assert.ok(
        prefetch?.pipeline?.some((stage) => Object.hasOwn(stage as object, '$lookup')),
        JSON.stringify(compiled),
      );
    }
  });

  test('a lookup on the reference itself is still a lookup', () => {
    const id = new mongoose.Types.ObjectId();
    assert.deepEqual(compileWhere(parse({ author__in: [id], tags__isnull: false }), 'Book'), {
      author: { $in: [id] },
      tags: { $ne: null },
    });
  });
});

describe('selectRelated and prefetchRelated names', () => {
  test('become merged populate options', () => {
    const options = parseRelated(Book, [], ['author', 'author__publisher', 'review__by'], 'select');
    assert.deepEqual(options, [
      { path: 'author', model: Author, populate: [{ path: 'publisher', model: Publisher }] },
      { path: 'review.by', model: Author },
    ]);
    assert.deepEqual(
      parseRelated(Book, options, ['tags'], 'prefetch').map((o) => o.path),
      ['author', 'review.by', 'tags'],
    );
  });

  test('selectRelated() with no names follows every single reference', () => {
    assert.deepEqual(
      parseRelated(Book, [], [], 'select').map((o) => o.path),
      ['author', 'review.by'],
    );
  });

  test('refuse what is not a reference, listing those that are', () => {
    assert.throws(
      () => parseRelated(Book, [], ['rating'], 'prefetch'),
      /Book\.rating is not a reference\..*Choices are: author, review__by, tags\./,
    );
    assert.throws(
      () => parseRelated(Book, [], ['tags'], 'select'),
      /not a single reference.*loaded with prefetchRelated/,
    );
    assert.throws(() => parseRelated(Book, [], ['author__in'], 'select'), /"author__in" names a lookup/);
    assert.throws(() => parseRelated(Book, [], [5 as unknown as string], 'select'), RelationError);
  });
});
