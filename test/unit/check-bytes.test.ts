// check's fast path (cli/check-bytes.ts) against its slow path
// (cli/drift.ts over the deserialized document): bytes judged to fit must
// be a document the slow path finds nothing in, over arbitrary schemas and
// documents; and documents that do fit are judged so on their bytes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { bytesFit } from '../../cli/check-bytes.js';
import { inspectDocument } from '../../cli/drift.js';
import { shapeOf } from '../../core/schema-shape.js';

const { BSON } = mongoose.mongo;
const { Types } = mongoose.Schema;

const embedded = () => new mongoose.Schema({ a: String, c: Number }, { _id: false });
// Each field of the catalogue, with values that fit it.
const CATALOGUE: Record<string, { readonly definition: unknown; readonly fitting: fc.Arbitrary<unknown> }> = {
  s: { definition: String, fitting: fc.constantFrom('text', '', 'é ünïcode ✓', null) },
  n: { definition: Number, fitting: fc.constantFrom(1, -5, 1.5, BSON.Long.fromNumber(7), new BSON.Double(2)) },
  d: { definition: Types.Double, fitting: fc.constantFrom(1, 1.5, new BSON.Double(3)) },
  i: { definition: Types.Int32, fitting: fc.constantFrom(1, -2, new BSON.Double(4)) },
  b: {
    definition: BigInt,
    fitting: fc.constantFrom(1, new BSON.Double(4), BSON.Long.fromString('1152921504606846976')),
  },
  dec: { definition: Types.Decimal128, fitting: fc.constant(BSON.Decimal128.fromString('1.5')) },
  bool: { definition: Boolean, fitting: fc.boolean() },
  date: { definition: Date, fitting: fc.constant(new Date(0)) },
  oid: { definition: Types.ObjectId, fitting: fc.constant(new BSON.ObjectId()) },
  buf: { definition: Buffer, fitting: fc.constant(new BSON.Binary(Buffer.from('ab'))) },
  uuid: { definition: Types.UUID, fitting: fc.constant(new BSON.UUID()) },
  map: { definition: { type: Map, of: String }, fitting: fc.constant({ k: 'v' }) },
  mixed: { definition: Types.Mixed, fitting: fc.constantFrom(1, 'x', { deep: [1, { a: 'é' }] }, [null]) },
  tags: { definition: [String], fitting: fc.constantFrom([], ['a', 'b'], [null]) },
  nums: { definition: [Number], fitting: fc.constantFrom([1, 2.5], []) },
  nested: { definition: { x: Number, y: String }, fitting: fc.constant({ x: 1, y: 'y' }) },
  emb: { definition: embedded, fitting: fc.constantFrom({ a: 'x', c: 1 }, null) },
  embs: { definition: [embedded], fitting: fc.constantFrom([], [{ a: 'x', c: 2 }, null]) },
  arrs: { definition: [[Number]], fitting: fc.constant(null) },
};
const KEYS = Object.keys(CATALOGUE);

function schemaOf(keys: readonly string[]): mongoose.Schema {
  const definition: Record<string, unknown> = {};
  for (const key of keys) {
    const d = CATALOGUE[key]!.definition;
    definition[key] = d === embedded ? embedded() : Array.isArray(d) && d[0] === embedded ? [embedded()] : d;
  }
  return new mongoose.Schema(definition);
}

// Values of every BSON type the driver hands back, fitting or not.
const SCALARS: unknown[] = [
  'text',
  'é',
  0,
  -7,
  1.5,
  new BSON.Double(2),
  new BSON.Double(Number.NaN),
  new BSON.Int32(3),
  BSON.Long.fromNumber(5),
  BSON.Long.fromString('1152921504606846976'),
  BSON.Decimal128.fromString('2'),
  true,
  new Date(0),
  new BSON.ObjectId(),
  new BSON.Binary(Buffer.from('x')),
  new BSON.Binary(Buffer.from('xy'), 2),
  new BSON.UUID(),
  null,
  undefined,
  /re/i,
  new BSON.Timestamp({ t: 1, i: 1 }),
  new BSON.MinKey(),
  new BSON.Code('x'),
  new BSON.BSONSymbol('s'),
];
const scalar = fc.constantFrom(...SCALARS);
const COMPOSITES: unknown[] = [
  ...[[], [1], ['a'], [1.5], [null], [[1]], [{ a: 'x' }], [{ a: 1 }], [{ a: 'x', c: 1 }], [BSON.Long.fromNumber(1)]],
  ...[{}, { a: 'x', c: 1 }, { a: 1, c: 1 }, { x: 1, y: 'y' }, { x: 'no', y: 'y' }, { $ref: 'c', $id: 1 }],
  ...[{ k: 'v' }, { k: 1 }, { $k: 'v' }, { x: 'é' }],
];
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'c', 'x', 'y', 'k', '$ref', '$id', '_id'), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const fitting = fc.record(Object.fromEntries(KEYS.map((k) => [k, CATALOGUE[k]!.fitting])));

const drifts = (schema: mongoose.Schema, bytes: Uint8Array): number => {
  const found = inspectDocument(schema, BSON.deserialize(bytes, { validation: { utf8: true } }));
  return found.missing.length + found.unknown.length + found.wrongType.length;
};

describe('check on BSON bytes (cli/check-bytes.ts)', () => {
  test('bytes judged to fit are a document drift.ts finds nothing in, for arbitrary schemas and documents', () => {
    // A fitting document with a few fields changed to anything, added or removed.
    fc.assert(
      fc.property(
        fc.subarray(KEYS, { minLength: 1, maxLength: 4 }),
        fitting,
        fc.array(fc.tuple(fc.nat(), fc.oneof({ arbitrary: scalar, weight: 3 }, value)), { maxLength: 2 }),
        fc.option(fc.nat()),
        (keys, all, changes, removed) => {
          const schema = schemaOf(keys);
          // Mostly the schema's own fields, sometimes one it lacks.
          const pick = (n: number): string => [...keys, 'extra', '_id'][n % (keys.length + 2)]!;
          const gone = removed === null ? undefined : pick(removed);
          const doc = new Map(keys.filter((k) => k !== gone).map((k) => [k, all[k]]));
          for (const [n, changed] of changes) doc.set(pick(n), changed);
          const bytes = BSON.serialize(Object.fromEntries(doc));
          if (bytesFit(shapeOf(schema), bytes)) assert.equal(drifts(schema, bytes), 0, JSON.stringify([...doc]));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('every field of the catalogue against every value: bytes judged to fit are a document without drift', () => {
    let judged = 0;
    for (const key of KEYS) {
      const schema = schemaOf([key]);
      for (const stored of [...SCALARS, ...COMPOSITES]) {
        const bytes = BSON.serialize({ [key]: stored });
        if (!bytesFit(shapeOf(schema), bytes)) continue;
        judged++;
        assert.equal(drifts(schema, bytes), 0, `${key}: ${JSON.stringify(stored)}`);
      }
    }
    assert.ok(judged > KEYS.length, 'the fast path judged almost nothing');
  });

  test('documents that fit their schema are judged on their bytes', () => {
    fc.assert(
      fc.property(fc.subarray(KEYS, { minLength: 1 }), fitting, (keys, all) => {
        const schema = schemaOf(keys);
        const doc = { _id: new BSON.ObjectId(), ...Object.fromEntries(keys.map((k) => [k, all[k]])) };
        const bytes = BSON.serialize(doc);
        assert.equal(drifts(schema, bytes), 0);
        assert.equal(bytesFit(shapeOf(schema), bytes), true, JSON.stringify(doc));
      }),
      { numRuns: 300 },
    );
  });

  test('a missing field, an unknown one, a wrong type and bytes the driver refuses are left to the slow path', () => {
    const schema = new mongoose.Schema({ headline: String, rating: Number });
    const level = shapeOf(schema);
    const fit = (doc: Record<string, unknown>): boolean => bytesFit(level, BSON.serialize(doc));
    assert.equal(fit({ headline: 'a', rating: 1 }), true);
    assert.equal(fit({ headline: 'a' }), false);
    assert.equal(fit({ headline: 'a', rating: 1, legacy: true }), false);
    assert.equal(fit({ headline: 'a', rating: 'five' }), false);
    const bad = BSON.serialize({ headline: 'ab', rating: 1 });
    bad[Buffer.from(bad).indexOf('ab')] = 0xff; // not UTF-8: the driver refuses it
    assert.equal(bytesFit(level, bad), false);
    assert.throws(() => BSON.deserialize(bad, { validation: { utf8: true } }));
  });
});
