// Lax reads' compiled filler (plugins/enforce-schema/filler.ts) against the
// walk it replaces (plan.ts's inspect without collecting): the same document
// afterwards, for arbitrary schemas, documents and projections, lean and
// hydrated.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { fillerOf } from '../../plugins/enforce-schema/filler.js';
import { inspect, planOf, selection } from '../../plugins/enforce-schema/plan.js';

const { Types } = mongoose.Schema;
const comment = () => new mongoose.Schema({ author: String, score: { type: Number, default: 0 } }, { _id: false });
// Fields of every kind the plan knows: plain, with a default, nested objects, embedded documents and arrays.
const CATALOGUE: Record<string, () => unknown> = {
  headline: () => String,
  rating: () => ({ type: Number, default: 3 }),
  tags: () => [String],
  meta: () => ({ source: String, deep: { level: Number } }),
  blog: () => new mongoose.Schema({ name: String, tagline: String }, { _id: false }),
  comments: () => [comment()],
  extra: () => Types.Mixed,
  'weird key': () => String,
  __proto__x: () => Number,
};
const KEYS = Object.keys(CATALOGUE);
const PATHS = [
  ...KEYS,
  'meta.source',
  'meta.deep',
  'meta.deep.level',
  'blog.name',
  'comments.author',
  'comments.score',
];

const schemaOf = (keys: readonly string[]) =>
  new mongoose.Schema(Object.fromEntries(keys.map((k) => [k, CATALOGUE[k]!()])));

const leaf = fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }), fc.integer(), fc.boolean());
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS, 'source', 'deep', 'level', 'name', 'author', 'score'), tie('v'), {
      maxKeys: 4,
    }),
  ),
})).v;
const documentArb = fc.dictionary(fc.constantFrom(...KEYS, 'other'), value, { maxKeys: KEYS.length });
const projection = fc.option(
  fc
    .tuple(fc.subarray(PATHS, { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 1))
    .map(([paths, v]) => Object.fromEntries(paths.map((p) => [p, v]))),
);

describe('enforceSchema: the compiled filler (filler.ts)', () => {
  for (const mode of [true, 'hydrated'] as const) {
    test(`gives the walk's result over arbitrary schemas, documents and projections (${mode === true ? 'lean' : 'hydrated'})`, () => {
      fc.assert(
        fc.property(fc.subarray(KEYS, { minLength: 1 }), documentArb, projection, (keys, doc, projected) => {
          const plan = planOf(schemaOf(keys));
          const selected = projected === null ? undefined : selection(projected);
          const walked = structuredClone(doc);
          const compiled = structuredClone(doc);
          inspect(walked, plan, { fill: mode, collect: false, selected });
          fillerOf(plan, mode)(compiled, selected);
          assert.deepEqual(compiled, walked);
        }),
        { numRuns: 1500 },
      );
    });
  }

  test('a schema holding itself compiles lazily, filling as deep as the document goes', () => {
    const node = new mongoose.Schema({ label: String });
    node.add({ children: [node] });
    const raw = { children: [{ children: [{ label: 'leaf' }] }] };
    fillerOf(planOf(node), true)(raw, undefined);
    assert.deepEqual(raw, { label: null, children: [{ label: null, children: [{ label: 'leaf', children: null }] }] });
  });
});
