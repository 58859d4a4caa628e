// Values are data at every depth (issue 10, section 1, filter side): inside an
// embedded value, keys are the embedded schema's field names and nothing else;
// `__raw__` is refused wherever it appears, and Raw(...) is the explicit door;
// `match` takes field values, or Q(...) for lookups. Plus the inputs that used
// to give raw errors (section 7). No database: the compiled filters.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FieldError, Q, QNode, Raw, RawFilter, ValidationError } from '../../index.js';
import { entrySchema } from '../helpers/models.js';
import { parseExtendedQuery } from '../helpers/hostile.js';

const scope = { schema: entrySchema(), modelName: 'Entry' };
const c = (f: Parameters<typeof compileFilter>[1]) => compileFilter(scope, f);
const untyped = (f: unknown) => c(f as Record<string, unknown>);

function refuses(input: unknown, type: typeof FieldError | typeof ValidationError, pattern: RegExp): void {
  assert.throws(
    () => untyped(input),
    (e: unknown) => e instanceof type && pattern.test((e as Error).message),
    JSON.stringify(input),
  );
}

describe('an embedded value holds field names only', () => {
  test('a __raw__ key inside it is refused, naming Raw(...)', () => {
    for (const input of [
      { blog: JSON.parse('{"__raw__":{}}') as unknown },
      { blog: { __raw__: { secret: { $regex: '^a-' } } } },
      { blog__startswith: { __raw__: {} } },
      { comments: { __raw__: {} } },
      { comments__match: { __raw__: {} } },
    ]) {
      refuses(input, FieldError, /"__raw__" key is refused.*Raw\(\{ \.\.\. \}\)/);
    }
  });
  test('a lookup inside it is refused, listing the embedded fields', () => {
    refuses({ blog: { name__ne: 'x' } }, FieldError, /Entry\.blog: "name__ne" is not a field .*: name, tagline\./);
    refuses({ blog__startswith: { name__ne: 'x' } }, FieldError, /"name__ne" is not a field/);
    refuses({ comments: { author__ne: 'x' } }, FieldError, /Entry\.comments: "author__ne" .*: author, score\./);
  });
  test('operators, prototype names and unknown fields inside it are refused', () => {
    for (const key of ['$ne', '$where', '$or', '__proto__', 'constructor', 'toString', 'nme', 'pk', 'blog']) {
      const value = JSON.parse(`{${JSON.stringify(key)}: "x"}`) as unknown;
      refuses({ blog: value }, FieldError, /is not a field of the embedded value; .*: name, tagline\./);
    }
  });
  test('operator values inside it stay values, cast by the inner field', () => {
    refuses({ blog: { name: { $ne: 'x' } } }, ValidationError, /^Entry\.blog\.name: cannot cast/);
  });
  test('an empty embedded value is compared as it is, never read as "no condition"', () => {
    assert.deepEqual(c({ blog: {} }), { blog: { $eq: {} } });
    assert.deepEqual(c({ comments: JSON.parse('{}') as object }), { comments: { $eq: {} } });
    refuses({ comments__match: {} }, FieldError, /match needs at least one field/);
  });
  test("djongo's form keeps the outer key's lookup on each inner field", () => {
    assert.deepEqual(c({ blog__startswith: { name: 'Beatles' } }), { 'blog.name': /^Beatles/ });
    assert.deepEqual(c({ blog: { name: 'B', tagline: 'T' } }), { 'blog.name': 'B', 'blog.tagline': 'T' });
    assert.deepEqual(c({ comments: { author: 'ann' } }), { 'comments.author': 'ann' });
  });
});

describe('match', () => {
  test('a plain object matches field values exactly', () => {
    assert.deepEqual(c({ comments__match: { author: 'bob', score: '5' } }), {
      comments: { $elemMatch: { author: 'bob', score: 5 } },
    });
  });
  test('a plain object cannot open lookups: Q(...) does', () => {
    refuses({ comments__match: { score__gte: 5 } }, FieldError, /"score__gte" .*comments__match: Q\(/);
    assert.deepEqual(c({ comments__match: Q({ score__gte: 5 }).or({ author: 'ann' }) }), {
      comments: { $elemMatch: { $or: [{ score: { $gte: 5 } }, { author: 'ann' }] } },
    });
  });
  test('Raw(...) is a nested filter too', () => {
    assert.deepEqual(c({ comments__match: Raw({ score: { $gt: 1 } }) }), {
      comments: { $elemMatch: { score: { $gt: 1 } } },
    });
  });
  test('anything else is refused', () => {
    refuses({ comments__match: 'bob' }, FieldError, /match takes an object of the embedded fields' values/);
  });
});

describe('raw filters: only Raw(...)', () => {
  test('a top-level __raw__ key is refused, naming Raw(...)', () => {
    refuses({ __raw__: { views: { $gt: 1 } } }, FieldError, /^Entry: a "__raw__" key is refused.*Raw\(/);
    refuses(Q({ __raw__: {} }).or({ rating: 5 }), FieldError, /"__raw__" key is refused/);
  });
  test("Express's extended query string cannot open it", () => {
    const query = parseExtendedQuery('__raw__[headline][$ne]=x');
    assert.deepEqual(query, { __raw__: { headline: { $ne: 'x' } } });
    refuses(query, FieldError, /"__raw__" key is refused/);
  });
  test('Raw(...) is a Q node holding a frozen, branded leaf; it combines with Q', () => {
    const raw = Raw({ views: { $gt: 1 } });
    assert.ok(raw instanceof QNode);
    const [leaf] = raw.children;
    assert.ok(leaf instanceof RawFilter && leaf.kind === 'raw' && Object.isFrozen(leaf));
    assert.deepEqual(c(raw), { views: { $gt: 1 } });
    assert.deepEqual(c(Q({ rating: 5 }).and(raw)), { rating: 5, views: { $gt: 1 } });
    assert.deepEqual(c(Q({ rating: 5 }).or(raw)), { $or: [{ rating: 5 }, { views: { $gt: 1 } }] });
    assert.deepEqual(c(raw.not()), { $nor: [{ views: { $gt: 1 } }] });
  });
  test("a JSON look-alike of Raw's node is only unknown fields", () => {
    refuses(JSON.parse('{"kind":"raw","filter":{}}'), FieldError, /Cannot resolve keyword "kind"/);
    refuses(JSON.parse('{"kind":"q","connector":"AND","negated":false,"children":[]}'), FieldError, /Cannot resolve/);
  });
  test('Raw(...) takes an object', () => {
    assert.throws(() => Raw(null as never), FieldError);
    assert.throws(() => Raw([] as never), FieldError);
  });
});

describe('inputs that used to give raw errors', () => {
  test('filters that are not objects are a FieldError saying what is accepted', () => {
    for (const input of [null, undefined, [], [{ rating: 5 }], 'rating=5', 5, true, new Date(), new Map()]) {
      refuses(input, FieldError, /Filters are objects of keyword conditions .*, Q\(\.\.\.\) or Raw\(\.\.\.\); got /);
      // Q() with no argument is the empty filter.
      if (input !== undefined) assert.throws(() => Q(input as never), FieldError);
      assert.throws(() => Q({ rating: 5 }).or(input as never), FieldError);
    }
  });
  test('type takes a BSON type MongoDB knows', () => {
    refuses({ rating__type: 999 }, FieldError, /type takes a BSON type name \(double, string.*\) or code \(.*127\)/);
    refuses({ rating__type: 'bogus' }, FieldError, /type takes a BSON type name/);
    refuses({ rating__type: { $ne: 1 } }, FieldError, /type takes a BSON type name/);
    assert.deepEqual(c({ rating__type: 'number' }), { rating: { $type: 'number' } });
    assert.deepEqual(c({ rating__type: 16 }), { rating: { $type: 16 } });
    assert.deepEqual(c({ rating__type: -1 }), { rating: { $type: -1 } });
  });
  test('a NUL where BSON writes a C string is a ValidationError', () => {
    refuses({ headline__startswith: 'a\0' }, ValidationError, /takes text without NUL characters/);
    refuses({ headline__regex: 'a\0' }, ValidationError, /takes text without NUL characters/);
    refuses({ data: { 'a\0b': 1 } }, ValidationError, /the key "a\\u0000b" holds a NUL character/);
    refuses({ 'data__a\0b': 1 }, FieldError, /a key holds no NUL character/);
    // A string value carries a NUL well: it is matched as it is.
    assert.deepEqual(c({ headline: 'a\0b' }), { headline: 'a\0b' });
  });
  test('a value past 16 MiB, or nested past 100 levels, is a ValidationError', () => {
    refuses({ headline: 'x'.repeat(17 * 1024 * 1024) }, ValidationError, /larger than 16 MiB/);
    refuses({ headline__in: Array(17).fill('x'.repeat(1024 * 1024)) }, ValidationError, /larger than 16 MiB/);
    refuses({ data: JSON.parse('['.repeat(150) + ']'.repeat(150)) }, ValidationError, /deeper than 100 levels/);
    assert.equal(Object.keys(c({ headline: 'x'.repeat(4 * 1024 * 1024) })).length, 1);
  });
  test('U+2028 and U+2029 travel as themselves, not as \\u escapes', () => {
    for (const ch of ['\u2028', '\u2029']) {
      assert.deepEqual(c({ headline__startswith: `a${ch}b` }), { headline: { $regex: `^a${ch}b`, $options: '' } });
      assert.deepEqual(c({ headline__icontains: `a.${ch}` }), { headline: { $regex: `a\\.${ch}`, $options: 'i' } });
    }
  });
  test('a label names the field once', () => {
    refuses({ blog: { name: [] } }, ValidationError, /^Entry\.blog\.name: cannot cast the array \[\] to String/);
  });
});

describe('a list value holds values, never operators (MongoEngine test_transform_embedded_document_list_fields)', () => {
  // `$all` reads `{ $elemMatch: … }` among its values as an operator, so a JSON
  // list could otherwise run a condition no code wrote. Every list lookup, on
  // every kind of field, refuses a `$` key at any depth of a value.
  const arrayLists = ['in', 'nin', 'all', 'contains', 'overlap', 'contained_by', 'range'];
  const lists: Record<string, readonly string[]> = {
    comments: arrayLists,
    tags: arrayLists,
    data: ['in', 'nin', 'range'],
    rating: ['in', 'nin', 'range'],
  };
  const payloads = [
    '[{ "$elemMatch": { "author": { "$regex": "^a" } } }]',
    '[{ "author": "ann" }, { "$elemMatch": { "score": 5 } }]',
    '[{ "author": { "$ne": null } }]',
    '[[{ "$gt": "" }]]',
  ];
  test('every list lookup on every field kind refuses an operator key in a JSON value', () => {
    for (const [field, lookups] of Object.entries(lists)) {
      for (const lookup of lookups) {
        for (const payload of payloads) {
          const input = { [`${field}__${lookup}`]: JSON.parse(payload) as unknown };
          // List lookups name the operator key; a text lookup (Mixed or numeric contains) refuses a non-string.
          assert.throws(
            () => untyped(input),
            (e: unknown) =>
              (e instanceof FieldError && /values are data, and "[^"]*\$/.test(e.message)) ||
              (e instanceof ValidationError && /takes a string/.test(e.message)),
            JSON.stringify(input),
          );
        }
      }
    }
    // contains on an array field also takes one value, not a list.
    refuses(
      { comments__contains: JSON.parse('{ "$elemMatch": { "score": 5 } }') as unknown },
      FieldError,
      /\$elemMatch/,
    );
  });
  test('plain values in lists still compile', () => {
    assert.deepEqual(c({ tags__all: ['rock', 'uk'] }), { tags: { $all: ['rock', 'uk'] } });
    assert.deepEqual(untyped({ comments__contains: [{ author: 'ann', score: 5 }] }), {
      comments: { $all: [{ author: 'ann', score: 5 }] },
    });
  });
  test("Django's in drops None; in [None] matches nothing", () => {
    assert.deepEqual(untyped({ rating__in: [null, 5] }), { rating: { $in: [5] } });
    assert.deepEqual(untyped({ rating__in: [null] }), { rating: { $in: [] } });
  });
});
