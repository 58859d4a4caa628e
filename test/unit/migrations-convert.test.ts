// convertValue, AlterField's conversion, as properties over any value: it
// never throws, a converted value has the new type's form, converting again
// changes nothing, numbers survive a trip through text, and a decimal
// numeral (what the server's $convert is given) always has a number form.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mongo } from 'mongoose';
import {
  CONVERTIBLE_TYPES,
  SERVER_DECIMAL,
  convertValue,
  serverConversion,
  toConvert,
} from '../../cli/migrations/convert.js';

const FORM: Readonly<Record<string, (value: unknown) => boolean>> = {
  String: (v) => typeof v === 'string',
  Number: (v) => typeof v === 'number' && Number.isFinite(v),
  Double: (v) => typeof v === 'number' && Number.isFinite(v),
  Boolean: (v) => typeof v === 'boolean',
  Date: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  ObjectId: (v) => v instanceof mongo.ObjectId,
};

/** Stored values: JSON, dates (valid or not), ObjectIds, numeric and boolean text. */
const stored = fc.oneof(
  fc.anything(),
  fc.date({ noInvalidDate: false }),
  fc.constantFrom(new Date(NaN), Infinity, -Infinity, NaN),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.string(),
  fc.stringMatching(/^\s*[+-]?\d{0,25}(\.\d{0,5})?([eE][+-]?\d{1,4})?\s*$/),
  fc.constantFrom('true', 'FALSE', ' 1 ', '0', '0x1A', 'NaN', 'Infinity', '1e999', '2020-01-02'),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes) => new mongo.ObjectId(bytes)),
  fc.stringMatching(/^[0-9a-f]{24}$/),
);
const type = fc.constantFrom(...CONVERTIBLE_TYPES);

describe('convertValue, over any stored value', () => {
  test('never throws; a converted value has the type’s form (null stays null)', () => {
    fc.assert(
      fc.property(stored, type, (value, to) => {
        const converted = convertValue(value, to);
        if (!converted.ok) return;
        if (value === null || value === undefined) assert.equal(converted.value, null);
        // A number is already a number (Infinity and NaN included): it stays as it is.
        else if (typeof value === 'number' && (to === 'Number' || to === 'Double'))
          assert.equal(converted.value, value);
        else assert.ok(FORM[to]!(converted.value), `${String(value)} → ${to}: ${String(converted.value)}`);
      }),
    );
  });

  test('converting a converted value again changes nothing', () => {
    fc.assert(
      fc.property(stored, type, (value, to) => {
        const once = convertValue(value, to);
        if (once.ok) assert.deepEqual(convertValue(once.value, to), once);
      }),
    );
  });

  test('an invalid date converts to nothing, and a stored Infinity stays a number', () => {
    for (const to of CONVERTIBLE_TYPES) assert.deepEqual(convertValue(new Date(NaN), to), { ok: false }, to);
    assert.deepEqual(convertValue(Infinity, 'Number'), { ok: true, value: Infinity });
    assert.deepEqual(convertValue(-Infinity, 'String'), { ok: true, value: '-Infinity' });
  });

  test('a finite number goes to text and back unchanged', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = convertValue(n, 'String');
        assert.ok(text.ok);
        const back = convertValue(text.value, 'Number');
        assert.ok(back.ok && back.value === n, `${n} → ${String(text.value)} → ${String(back.ok && back.value)}`);
      }),
    );
  });

  test('a decimal numeral with a finite value converts to that number; other text to a number is refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[+-]?(\d{1,20}\.?\d{0,5}|\.\d{1,5})([eE][+-]?\d{1,3})?$/), (text) => {
        const n = Number(text);
        assert.deepEqual(convertValue(text, 'Number'), Number.isFinite(n) ? { ok: true, value: n } : { ok: false });
      }),
    );
    for (const text of ['0x1A', '0b11', '0o7', 'NaN', 'Infinity', '-Infinity', '1_000', '1d', '', ' ', '1e999'])
      assert.deepEqual(convertValue(text, 'Number'), { ok: false }, text);
  });

  test('every numeral the server is given converts, to a non-zero number unless it is all zeros', () => {
    fc.assert(
      fc.property(fc.stringMatching(SERVER_DECIMAL), (text) => {
        const converted = convertValue(text, 'Number');
        assert.ok(converted.ok, text);
        assert.equal(converted.value === 0, !/[1-9]/.test(text.replace(/[eE].*/, '')), text);
      }),
    );
  });

  test('the server takes only types AlterField converts, and leaves arrays and already-converted values', () => {
    assert.deepEqual(
      CONVERTIBLE_TYPES.filter((t) => serverConversion('v', t)),
      ['String', 'Number', 'Double'],
    );
    assert.deepEqual(toConvert('v', 'String'), {
      $or: [{ v: { $type: 'array' } }, { v: { $exists: true, $ne: null, $not: { $type: ['string'] } } }],
    });
    assert.equal(serverConversion('v', 'Boolean'), undefined);
  });
});
