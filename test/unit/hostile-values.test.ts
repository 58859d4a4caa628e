// Filter values are data, never operators. Over thousands of generated hostile
// values ({ $ne: null }, { $where: … }, { $gt: '' }, nested and in arrays),
// each compiled filter either is rejected with FieldError/ValidationError or
// carries the value only in operand position ($eq, $in, $gt, …), where MongoDB
// matches it literally. The e2e test hostile.test.ts runs a sample on servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileFilter, FieldError, ValidationError } from '../../index.js';
import { entrySchema } from '../helpers/models.js';
import { hostile, KEYS } from '../helpers/hostile.js';
import { SOURCES, received, receivedRequest, tree } from '../helpers/hostile-requests.js';
import { POSITIONS } from '../helpers/literal-match.js';

const scope = { schema: entrySchema(), modelName: 'Entry' };

// Where our compiler may put an operator, and which take a literal operand.
const LOGICAL = new Set(['$and', '$or', '$nor']);
const OPERAND_OPS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$all',
  '$regex',
  '$options',
  '$size',
  '$mod',
  '$exists',
  '$type',
]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function checkFilter(filter: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL.has(key)) (value as Record<string, unknown>[]).forEach(checkFilter);
    else if (key === '$expr') {
      // Date parts: [expression over the field, the user's value], which must be a plain number.
      const [comparison] = Object.values(value as Record<string, unknown[]>);
      assert.equal(typeof comparison?.[1], 'number', `$expr operand ${JSON.stringify(comparison?.[1])}`);
    } else if (key.startsWith('$')) assert.fail(`operator ${key} at filter level`);
    else checkCondition(value);
  }
}

function checkCondition(value: unknown): void {
  if (!isPlainObject(value)) {
    assert.ok(!Array.isArray(value), 'a bare array would be an equality match on a document shape');
    return;
  }
  const keys = Object.keys(value);
  assert.ok(
    keys.length > 0 && keys.every((k) => k.startsWith('$')),
    `a bare object as value: ${JSON.stringify(value)}`,
  );
  for (const [op, operand] of Object.entries(value)) {
    if (op === '$elemMatch') checkFilter(operand as Record<string, unknown>);
    else if (op === '$not') checkCondition(operand);
    else assert.ok(OPERAND_OPS.has(op), `unexpected operator ${op}`);
    if (op === '$regex' || op === '$options') assert.equal(typeof operand, 'string');
  }
}

test('hostile values never become operators', () => {
  let compiled = 0;
  let rejected = 0;
  fc.assert(
    fc.property(fc.constantFrom(...KEYS), hostile, (key, value) => {
      let filter: Record<string, unknown>;
      try {
        filter = compileFilter(scope, { [key]: value });
      } catch (err) {
        if (err instanceof FieldError || err instanceof ValidationError) {
          rejected++;
          return;
        }
        throw err;
      }
      compiled++;
      checkFilter(filter);
    }),
    { numRuns: 5000 },
  );
  // Both outcomes occur: Mixed fields match literally, typed fields reject.
  assert.ok(compiled > 0 && rejected > 0, `compiled ${compiled}, rejected ${rejected}`);
});

test('unknown keys, including operator names, are FieldErrors', () => {
  for (const key of ['$where', '$or', '$expr', 'headline__$ne', '__proto__', 'constructor']) {
    assert.throws(() => compileFilter(scope, { [key]: 1 }), FieldError, key);
  }
});

// The model's top-level fields: every path a compiled filter names starts with one.
const FIELDS = new Set(['_id', 'blog', 'headline', 'rating', 'views', 'likes', 'tags', 'comments', 'pub_date', 'data']);

function checkPaths(filter: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL.has(key)) (value as Record<string, unknown>[]).forEach(checkPaths);
    else if (!key.startsWith('$')) assert.ok(FIELDS.has(key.split('.')[0]!), `a path from data: ${key}`);
  }
}

test('request-shaped values (JSON, qs, URLSearchParams) at every position stay data', () => {
  let compiled = 0;
  let rejected = 0;
  const positions = fc.constantFrom(...POSITIONS.map((p) => p.key), '__raw__', '$where', '__proto__');
  fc.assert(
    fc.property(
      fc.constantFrom(...SOURCES),
      fc.oneof(
        fc.tuple(positions, tree).map(([key, value]) => [[key, value] as const]),
        fc.array(fc.tuple(positions, tree), { minLength: 1, maxLength: 3 }),
      ),
      (source, entries) => {
        const input =
          entries.length === 1 ? received(source, entries[0]![0], entries[0]![1]) : receivedRequest(source, entries);
        let filter: Record<string, unknown>;
        try {
          filter = compileFilter(scope, input);
        } catch (err) {
          if (err instanceof FieldError || err instanceof ValidationError) {
            rejected++;
            return;
          }
          throw err;
        }
        compiled++;
        checkFilter(filter);
        checkPaths(filter);
        // A condition from data never compiles to "no condition", which would match everything.
        if (Object.keys(input).length > 0) assert.notDeepEqual(filter, {}, JSON.stringify(input));
      },
    ),
    { numRuns: 5000, seed: 20261129 },
  );
  assert.ok(compiled > 500 && rejected > 500, `compiled ${compiled}, rejected ${rejected}`);
});
