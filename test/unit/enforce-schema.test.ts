// The plan ENFORCE_SCHEMA walks, and what it finds in raw documents, with
// no server: which fields count as missing, which keys as unknown, what a
// projection selects, and the plugin's option errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { inspect, planOf, selection } from '../../plugins/enforce-schema/plan.js';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { rowShape } from '../../plugins/enforce-schema/rows.js';
import { discriminatorOf } from '../../core/mongoose-internals.js';
import { driftingPaths, padReplacement } from '../../plugins/enforce-schema/updates.js';
import { ImproperlyConfigured } from '../../core/errors.js';

const comment = new mongoose.Schema({ author: String, replies: [new mongoose.Schema({ by: String })] });
const entry = new mongoose.Schema({
  headline: String,
  status: { type: String, default: 'draft' },
  tags: [String],
  meta: { source: String },
  extra: mongoose.Schema.Types.Mixed,
  blog: new mongoose.Schema({ name: String }, { _id: false }),
  comments: [comment],
});

describe('planOf', () => {
  test('lists the fields to check, not _id or __v, and is cached per schema', () => {
    const plan = planOf(entry);
    assert.deepEqual(
      plan.fields.map((f) => f.key),
      ['headline', 'status', 'tags', 'meta', 'extra', 'blog', 'comments'],
    );
    assert.ok(plan.known.has('_id') && plan.known.has('__v'));
    assert.equal(planOf(entry), plan);
  });

  test('fields with defaults (arrays too) are not filled on hydrated reads', () => {
    const byKey = new Map(planOf(entry).fields.map((f) => [f.key, f]));
    assert.equal(byKey.get('status')?.fillHydrated, false);
    assert.equal(byKey.get('tags')?.fillHydrated, false);
    assert.equal(byKey.get('headline')?.fillHydrated, true);
    assert.equal(byKey.get('comments')?.array, true);
    assert.equal(byKey.get('meta')?.nested, true);
  });
});

describe('inspect', () => {
  test('lax lean filling: null at every depth, Mixed contents untouched', () => {
    const raw: Record<string, unknown> = {
      _id: 1,
      extra: { anything: true },
      blog: {},
      comments: [{ _id: 2, replies: [{ _id: 3 }] }],
    };
    assert.equal(inspect(raw, planOf(entry), { fill: true, collect: false }), undefined);
    assert.deepEqual(raw, {
      _id: 1,
      headline: null,
      status: null,
      tags: null,
      meta: null,
      extra: { anything: true },
      blog: { name: null },
      comments: [{ _id: 2, author: null, replies: [{ _id: 3, by: null }] }],
    });
  });

  test('hydrated filling spares defaults and gives nested objects null fields', () => {
    const raw: Record<string, unknown> = { _id: 1 };
    inspect(raw, planOf(entry), { fill: 'hydrated', collect: false });
    assert.ok(!('status' in raw) && !('tags' in raw) && !('comments' in raw));
    assert.deepEqual(raw['meta'], { source: null });
    assert.equal(raw['headline'], null);
  });

  test('strict collecting: missing and unknown with positional paths, nothing filled', () => {
    const raw: Record<string, unknown> = {
      _id: 1,
      __v: 0,
      headline: 'h',
      status: 's',
      tags: [],
      meta: { source: 'x', lang: 'en' },
      extra: null,
      blog: { name: 'b' },
      comments: [{ _id: 2, author: 'a', replies: [{ _id: 3 }] }],
      rating: 5,
    };
    const found = inspect(raw, planOf(entry), { fill: false, collect: true });
    assert.deepEqual(found, { missing: ['comments.0.replies.0.by'], unknown: ['meta.lang', 'rating'] });
    assert.ok(!('by' in ((raw['comments'] as { replies: object[] }[])[0]?.replies[0] ?? {})));
  });

  test('a projection limits what is missing', () => {
    const raw: Record<string, unknown> = { _id: 1, headline: 'h' };
    const found = inspect(raw, planOf(entry), { fill: false, collect: true, selected: selection({ headline: 1 }) });
    assert.equal(found, undefined);
  });
});

describe('selection', () => {
  test('inclusive, exclusive and operator projections', () => {
    assert.equal(selection(undefined), undefined);
    assert.equal(selection({ _id: 0 }), undefined);
    const only = selection({ headline: 1, 'blog.name': 1 })!;
    assert.deepEqual(['headline', 'blog', 'blog.name', 'status'].map(only), [true, true, true, false]);
    const without = selection({ 'blog.name': 0, status: 0 })!;
    assert.deepEqual(['blog', 'blog.name', 'status', 'headline'].map(without), [true, false, false, true]);
    assert.equal(selection({ comments: { $slice: 2 } }), undefined);
  });
});

describe('rowShape', () => {
  const shape = (pipeline: Record<string, unknown>[]) => rowShape(pipeline);
  const selects = (pipeline: Record<string, unknown>[], paths: string[]) => {
    const selected = shape(pipeline)?.selected;
    return paths.map((p) => (selected ? selected(p) : true));
  };

  test('stages that keep the documents: rows are checked', () => {
    for (const stage of [
      { $match: {} },
      { $sort: { a: 1 } },
      { $skip: 1 },
      { $limit: 1 },
      { $sample: { size: 1 } },
      { $replaceRoot: { newRoot: '$$ROOT' } },
      { $replaceWith: '$$ROOT' },
    ]) {
      assert.deepEqual(shape([stage]), { added: new Set(), selected: undefined }, JSON.stringify(stage));
    }
  });

  test('stages that add fields make annotations, not unknown fields', () => {
    assert.deepEqual(
      shape([{ $addFields: { n: 1, 'meta.x': 2 } }, { $set: { m: 1 } }])?.added,
      new Set(['n', 'meta', 'm']),
    );
    assert.deepEqual(
      shape([{ $lookup: { from: 'b', localField: 'k', foreignField: 'k', as: 'joined' } }])?.added,
      new Set(['joined']),
    );
    assert.deepEqual(
      shape([{ $project: { headline: 1, total: { $sum: '$rating' }, s: '$x' } }])?.added,
      new Set(['total', 's']),
    );
  });

  test('$unset and $project leave fields out, and successive stages combine', () => {
    assert.deepEqual(selects([{ $unset: 'headline' }], ['headline', 'rating']), [false, true]);
    assert.deepEqual(selects([{ $unset: ['headline', 'blog.name'] }], ['blog', 'blog.name', 'rating']), [
      true,
      false,
      true,
    ]);
    assert.deepEqual(
      selects([{ $project: { headline: 1, rating: 1 } }, { $unset: 'rating' }], ['headline', 'rating', 'blog']),
      [true, false, false],
    );
    assert.deepEqual(selects([{ $project: { only: { $sum: '$rating' } } }], ['headline', 'rating']), [false, false]);
    assert.deepEqual(selects([{ $project: { _id: 0 } }], ['headline']), [true]);
  });

  test('stages that make rows of another shape: not the documents, not checked', () => {
    for (const stage of [
      { $group: { _id: '$blog' } },
      { $unwind: '$tags' },
      { $replaceRoot: { newRoot: '$blog' } },
      { $replaceWith: '$blog' },
      { $count: 'n' },
      { $facet: {} },
      {},
    ]) {
      assert.equal(shape([{ $match: {} }, stage]), undefined, JSON.stringify(stage));
    }
  });
});

describe('discriminatorOf', () => {
  const m = new mongoose.Mongoose();
  const Base = m.model('Base', new mongoose.Schema({ headline: String }));
  const Review = Base.discriminator('Review', new mongoose.Schema({ stars: Number }));
  const Notice = Base.discriminator('Notice', new mongoose.Schema({ until: Date }), { value: 'notice' });

  test("picks the discriminator whose value the document's key holds, else the model itself", () => {
    assert.equal(discriminatorOf(Base as never, { __t: 'Review' }), Review);
    assert.equal(discriminatorOf(Base as never, { __t: 'notice' }), Notice);
    assert.equal(discriminatorOf(Base as never, { __t: 'Notice' }), Base, 'the value, not the name');
    assert.equal(discriminatorOf(Base as never, { __t: 'Other' }), Base);
    assert.equal(discriminatorOf(Base as never, { headline: 'h' }), Base);
    assert.equal(discriminatorOf(Review as never, { __t: 'Review' }), Review);
  });
});

describe('driftingPaths', () => {
  const plan = planOf(entry);
  test('$unset of a model field, at any depth, is missing; of an array element or an unknown field, nothing', () => {
    assert.deepEqual(driftingPaths({ $unset: { headline: '', 'blog.name': 1, 'comments.0.author': 1 } }, plan), {
      missing: ['headline', 'blog.name', 'comments.0.author'],
      unknown: [],
    });
    assert.deepEqual(driftingPaths({ $unset: { 'comments.$[].replies.$.by': 1 } }, plan)?.missing, [
      'comments.$[].replies.$.by',
    ]);
    assert.equal(driftingPaths({ $unset: { 'comments.1': 1, legacy: 1 } }, plan), undefined);
  });

  test('$rename from a model field is missing, to an unknown name is unknown; other operators pass', () => {
    assert.deepEqual(driftingPaths({ $rename: { headline: 'title' } }, plan), {
      missing: ['headline'],
      unknown: ['title'],
    });
    assert.equal(driftingPaths({ $rename: { legacy: 'headline' } }, plan), undefined);
    assert.equal(driftingPaths({ $set: { headline: null }, $inc: { x: 1 } }, plan), undefined);
    assert.equal(driftingPaths([{ $unset: 'headline' }], plan), undefined, 'pipeline updates are not looked into');
  });

  test('with strict: false, paths the model does not know are unknown, wherever an operator writes them', () => {
    const update = {
      legacy: 1,
      $set: { headline: 'h', 'blog.name': 'b', 'blog.x': 1, 'extra.anything': 1, 'comments.0.author': 'a' },
      $inc: { views: 1 },
      $push: { tags: 'x', 'comments.$[].replies': { by: 'b' } },
    };
    assert.deepEqual(driftingPaths(update, plan, true), { missing: [], unknown: ['legacy', 'blog.x', 'views'] });
    assert.equal(driftingPaths(update, plan), undefined, 'Mongoose drops them itself when strict');
    assert.deepEqual(driftingPaths({ $rename: { headline: 'extra.h' } }, plan)?.unknown, [], 'under a Mixed field');
  });
});

describe('padReplacement', () => {
  test('null in every field left out, at every depth, on a copy', () => {
    const id = new mongoose.Types.ObjectId();
    const blog = { name: 'b' };
    const replacement = { _id: id, headline: 'h', blog, comments: [{ author: 'a' }, id] };
    const padded = padReplacement(replacement, planOf(entry));
    assert.deepEqual(padded, {
      _id: id,
      headline: 'h',
      status: null,
      tags: null,
      meta: null,
      extra: null,
      blog: { name: 'b' },
      comments: [{ author: 'a', replies: null }, id],
    });
    assert.deepEqual(blog, { name: 'b' }, "the caller's objects are unchanged");
    assert.equal(Object.keys(replacement).length, 4);
    assert.deepEqual(padReplacement({ meta: {} }, planOf(entry))['meta'], { source: null });
  });
});

describe('plugin options', () => {
  test('accepts strict true, false or nothing', () => {
    for (const options of [undefined, {}, { strict: true }, { strict: false }]) {
      assert.doesNotThrow(() => new mongoose.Schema({ a: String }).plugin(enforceSchema, options), String(options));
    }
  });

  test('anything else is ImproperlyConfigured, saying what is accepted', () => {
    const bad: [unknown, RegExp][] = [
      [{ strict: 'yes' }, /strict must be true \(strict\), false \(lax\) or left out/],
      [
        { strcit: true },
        /Unknown enforceSchema option "strcit"; accepted options are: strict\. Did you mean "strict"\?/,
      ],
      [['strict'], /takes an options object \{ strict\?: boolean \}, not an array/],
      [true, /not boolean/],
    ];
    for (const [options, message] of bad) {
      assert.throws(
        () => new mongoose.Schema({ a: String }).plugin(enforceSchema, options as never),
        (err: unknown) => {
          assert.ok(err instanceof ImproperlyConfigured, String(err));
          assert.match(err.message, message);
          return true;
        },
      );
    }
  });
});
