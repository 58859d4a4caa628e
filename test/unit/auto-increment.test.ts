// The autoIncrement plugin's schema side, with no database: its options,
// the field and index it declares, pk, djongo's type codes, and which
// explicit ids it accepts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { Schema, mongo } from 'mongoose';
import { ImproperlyConfigured, ValidationError } from '../../core/errors.js';
import { asNumber } from '../../core/stored-ids.js';
import { ArrayReferenceField } from '../../fields/array-reference.js';
import { explicitId } from '../../plugins/auto-increment/ids.js';
import { autoIncrement, PRIMARY_KEY_INDEX, type AutoIncrementOptions } from '../../plugins/auto-increment/index.js';
import { autoFieldOf, djongoFieldTypes, TYPE_CODES } from '../../core/schema-collection.js';
import { primaryKeyOf, resolveKey } from '../../manager/resolve.js';

describe('autoIncrement options', () => {
  test('defaults to a Number `id` with a unique index named as djongo names the primary key', () => {
    const schema = new Schema({ headline: String });
    schema.plugin(autoIncrement);
    assert.equal((schema.path('id') as unknown as { instance: string }).instance, 'Number');
    const onId = schema.indexes().filter(([keys]) => 'id' in keys);
    assert.equal(onId.length, 1);
    assert.deepEqual(onId[0]![0], { id: 1 });
    assert.equal(onId[0]![1]?.unique, true);
    assert.equal(onId[0]![1]?.name, PRIMARY_KEY_INDEX);
    assert.equal(autoFieldOf(schema), 'id');
  });

  test('pk resolves to the field; a model document reads it as a number', () => {
    const schema = new Schema({ headline: String });
    schema.plugin(autoIncrement, { field: 'entry_no' });
    assert.equal(primaryKeyOf(schema), 'entry_no');
    assert.equal(resolveKey(schema, 'Entry', 'pk').path, 'entry_no');
    const conn = mongoose.createConnection();
    const Entry = conn.model('Entry', schema);
    assert.equal(new Entry({ entry_no: '7' }).get('entry_no'), 7);
  });

  test('keeps a Number field the schema declares, with its own unique index', () => {
    const schema = new Schema({ id: { type: Number, unique: true }, headline: String });
    schema.plugin(autoIncrement);
    assert.equal(schema.indexes().filter(([keys]) => 'id' in keys).length, 1);
  });

  const bad: [label: string, options: unknown, message: RegExp][] = [
    [
      'a typo of field',
      { feild: 'id' },
      /Unknown autoIncrement option "feild"; accepted options are: field\. Did you mean "field"\?/,
    ],
    ['a number', { field: 5 }, /field must be a top-level field name .* such as 'id', not 5/],
    ['an empty name', { field: '' }, /not ""/],
    ['_id', { field: '_id' }, /not "_id"/],
    ['a dotted path', { field: 'meta.id' }, /top-level/],
    ['not an object', 'id', /options must be an object such as \{ field: 'id' \}, not string/],
    ['an array', ['id'], /not an array/],
  ];
  for (const [label, options, message] of bad) {
    test(`refuses ${label} with ImproperlyConfigured saying what is accepted`, () => {
      const schema = new Schema({ headline: String });
      assert.throws(
        () => schema.plugin(autoIncrement, options as AutoIncrementOptions),
        (err: unknown) => {
          assert.ok(err instanceof ImproperlyConfigured);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }

  test('refuses a field the schema declares with another type', () => {
    const schema = new Schema({ id: String });
    assert.throws(() => schema.plugin(autoIncrement), /"id" is declared as String; it must be a Number/);
  });
});

describe("djongoFieldTypes: djongo's type codes", () => {
  test('one code per top-level field, as djongo/base.py data_types gives them', () => {
    const blog = new Schema({ name: String }, { _id: false });
    const schema = new Schema({
      headline: String,
      rating: Number,
      count32: Schema.Types.Int32,
      big: BigInt,
      ratio: Schema.Types.Double,
      price: Schema.Types.Decimal128,
      published: Boolean,
      pub_date: Date,
      raw: Buffer,
      uuid: Schema.Types.UUID,
      author: Schema.Types.ObjectId,
      blog,
      comments: [blog],
      tags: [String],
      meta: { views: Number, source: String },
      labels: { type: Map, of: String },
      data: Schema.Types.Mixed,
    });
    schema.plugin(autoIncrement);
    assert.deepEqual(djongoFieldTypes(schema), {
      headline: { type_code: 'string' },
      rating: { type_code: 'double' },
      count32: { type_code: 'int' },
      big: { type_code: 'long' },
      ratio: { type_code: 'double' },
      price: { type_code: 'decimal' },
      published: { type_code: 'bool' },
      pub_date: { type_code: 'date' },
      raw: { type_code: 'binData' },
      uuid: { type_code: 'binData' },
      author: { type_code: 'objectId' },
      blog: { type_code: 'object' },
      comments: { type_code: 'array' },
      tags: { type_code: 'array' },
      meta: { type_code: 'object' },
      labels: { type_code: 'object' },
      id: { type_code: 'int' },
    });
    assert.equal(Object.keys(djongoFieldTypes(schema))[0], 'id');
    for (const { type_code } of Object.values(djongoFieldTypes(schema))) {
      assert.ok((TYPE_CODES as readonly string[]).includes(type_code), type_code);
    }
  });

  test("an ArrayReferenceField has its key's code, as djongo types a ForeignKey by the referenced pk", () => {
    const schema = new Schema({
      authors_id: ArrayReferenceField('Author', { type: Number }),
      editors: ArrayReferenceField('Editor'),
      slugs: ArrayReferenceField('Tag', { type: String }),
      scores: [Number],
    });
    assert.deepEqual(djongoFieldTypes(schema), {
      authors_id: { type_code: 'int' },
      editors: { type_code: 'objectId' },
      slugs: { type_code: 'string' },
      scores: { type_code: 'array' },
    });
  });

  test("the auto field comes first, as Django's auto-created id", () => {
    const schema = new Schema({ headline: String, rating: Number });
    schema.plugin(autoIncrement);
    assert.deepEqual(Object.keys(djongoFieldTypes(schema)), ['id', 'headline', 'rating']);
  });

  test('without the plugin a Number `id` is an ordinary double', () => {
    assert.deepEqual(djongoFieldTypes(new Schema({ id: Number })), { id: { type_code: 'double' } });
  });
});

describe('ids within ±Number.MAX_SAFE_INTEGER', () => {
  const conn = mongoose.createConnection();
  const schema = new Schema({ headline: String });
  schema.plugin(autoIncrement);
  // explicitId takes any model; an untyped one, as the plugin's hooks hold it.
  const Entry = conn.model<unknown>('LimitEntry', schema);

  test('explicitId reads numbers, strings and what the field casts, up to the limit', () => {
    const max = Number.MAX_SAFE_INTEGER;
    assert.equal(explicitId(Entry, 'id', max), max);
    assert.equal(explicitId(Entry, 'id', -max), -max);
    assert.equal(explicitId(Entry, 'id', '7'), 7);
    assert.equal(explicitId(Entry, 'id', mongo.Long.fromNumber(max)), max);
    assert.equal(explicitId(Entry, 'id', mongo.Decimal128.fromString('5')), 5);
    assert.equal(explicitId(Entry, 'id', new mongo.Int32(3)), 3);
    assert.equal(explicitId(Entry, 'id', 'x'), undefined, "Mongoose's cast reports it");
    assert.equal(explicitId(Entry, 'id', [7]), undefined, "Mongoose's cast reports it");
    assert.equal(explicitId(Entry, 'id', ''), undefined);
  });

  const past: [label: string, value: unknown, quoted: string][] = [
    ['2^53', 2 ** 53, '9007199254740992'],
    ['-(2^53)', -(2 ** 53), '-9007199254740992'],
    ['a fraction', 2.5, '2.5'],
    ['Infinity', Infinity, 'Infinity'],
    ['a string past the limit', '9007199254740993', 'the string "9007199254740993"'],
    ['a Long of 2^60', mongo.Long.fromBigInt(2n ** 60n), 'the Long 1152921504606846976'],
    ['a Decimal128 fraction', mongo.Decimal128.fromString('2.5'), 'the Decimal128 2.5'],
  ];
  for (const [label, value, quoted] of past) {
    test(`explicitId refuses ${label} with ValidationError saying what is accepted`, () => {
      assert.throws(
        () => explicitId(Entry, 'id', value),
        (err: unknown) => {
          assert.ok(err instanceof ValidationError);
          assert.equal(err.field, 'LimitEntry.id');
          assert.equal(
            err.message,
            `LimitEntry.id must be one of the integers within ±9007199254740991 (Number.MAX_SAFE_INTEGER), not ${quoted}.`,
          );
          return true;
        },
      );
    });
  }

  test('asNumber reads every BSON number type, nothing else', () => {
    assert.equal(asNumber(new mongo.Int32(4)), 4);
    assert.equal(asNumber(new mongo.Double(4.5)), 4.5);
    assert.equal(asNumber(mongo.Long.fromNumber(7)), 7);
    assert.equal(asNumber(mongo.Decimal128.fromString('8')), 8);
    assert.equal(asNumber(9n), 9);
    assert.equal(asNumber('7'), undefined);
    assert.equal(asNumber([7]), undefined);
  });
});
