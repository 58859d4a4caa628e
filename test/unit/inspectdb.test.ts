// inspectdb's pure parts: what a sample says of each field (observe + plan),
// and the module printed from it (emit), whose every name from the database
// stays a string or a plain identifier: the module always parses, and its
// schemas declare exactly the names stored.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mongo } from 'mongoose';
import ts from 'typescript';
import { emitModule } from '../../cli/inspect/emit.js';
import { modelName, propertyKey, quote } from '../../cli/inspect/names.js';
import { MAX_KEYS, newLevel, observeDocument } from '../../cli/inspect/observe.js';
import { planModel, undeclarable, type ModelPlan } from '../../cli/inspect/plan.js';
import type { SchemaEntry } from '../../core/schema-collection.js';
import { syntaxErrors } from '../helpers/typecheck.js';

const int = (n: number) => new mongo.Int32(n);
const double = (n: number) => new mongo.Double(n);

function plan(docs: readonly Record<string, unknown>[], entry: SchemaEntry | null = null): ModelPlan {
  const level = newLevel();
  for (const doc of docs) observeDocument(level, doc);
  return planModel('blog_entry', entry, level);
}

const fieldsOf = (model: ModelPlan) => Object.fromEntries(model.fields.map((f) => [f.name, f.plan]));
const emit = (models: ModelPlan[]) =>
  emitModule({ database: 'blog', models, skipped: [], sample: 100, importFrom: 'djongoose' }).source;

describe('inspectdb plans fields from a sample', () => {
  test('scalars, embedded documents, arrays of them and of scalars', () => {
    const id = new mongo.ObjectId();
    const fields = fieldsOf(
      plan([
        { _id: id, headline: 'a', rating: int(5), blog: { name: 'b' }, tags: ['x'], comments: [{ text: 't' }] },
        { _id: id, headline: 'c', rating: double(4.5), blog: { name: 'd' }, tags: [], comments: [] },
      ]),
    );
    assert.deepEqual(fields, {
      headline: { kind: 'scalar', type: 'String' },
      rating: { kind: 'scalar', type: 'Number' },
      blog: { kind: 'embedded', fields: [{ name: 'name', plan: { kind: 'scalar', type: 'String' } }] },
      tags: { kind: 'scalarArray', type: 'String' },
      comments: { kind: 'embeddedArray', fields: [{ name: 'text', plan: { kind: 'scalar', type: 'String' } }] },
    });
  });

  test('a field of several types is Mixed, with the types seen; nulls fit anything', () => {
    const fields = fieldsOf(plan([{ v: 'one' }, { v: int(1) }, { v: int(2) }, { v: null }, { w: null }]));
    assert.deepEqual(fields['v'], {
      kind: 'scalar',
      type: 'Mixed',
      note: 'mixed types: string (1), int (2); in 4 of 5 sampled documents',
    });
    assert.deepEqual(fields['w'], {
      kind: 'scalar',
      type: 'Mixed',
      note: 'only null seen; in 1 of 5 sampled documents',
    });
  });

  test("djongo's type codes win where the sample agrees; JSONField where djongo has none", () => {
    const entry: SchemaEntry = {
      name: 'blog_entry',
      auto: { field_names: ['id'], seq: 2 },
      fields: {
        id: { type_code: 'int' },
        n_comments: { type_code: 'int' },
        rating: { type_code: 'double' },
        authors_id: { type_code: 'int' },
        pub_date: { type_code: 'date' },
        title: { type_code: 'string' },
      },
    };
    const model = plan(
      [
        { id: int(1), n_comments: int(2), rating: int(3), authors_id: [int(1)], data: { a: 1 }, title: int(7) },
        { id: int(2), n_comments: int(0), rating: double(1.5), authors_id: [], data: [1], title: 'x' },
      ],
      entry,
    );
    assert.equal(model.autoField, 'id');
    assert.equal(model.typed, true);
    const fields = fieldsOf(model);
    assert.equal(fields['id'], undefined, 'the autoIncrement plugin declares the auto field');
    assert.deepEqual(fields['n_comments'], { kind: 'scalar', type: 'Int32' });
    assert.deepEqual(fields['rating'], { kind: 'scalar', type: 'Number' });
    assert.equal(fields['authors_id']?.kind, 'scalarArray');
    assert.match(fields['authors_id']?.note ?? '', /ArrayReferenceField/);
    assert.deepEqual(fields['pub_date'], { kind: 'scalar', type: 'Date' }, 'no sample: the code decides');
    assert.equal(fields['data']?.kind, 'json');
    assert.deepEqual(fields['title'], {
      kind: 'scalar',
      type: 'Mixed',
      note: '__schema__ says string, the sample holds int (1), string (1)',
    });
  });

  test('_id: nothing for ObjectIds, its type otherwise; a numeric __v is the version key', () => {
    assert.equal(plan([{ _id: new mongo.ObjectId(), __v: int(0) }]).id, undefined);
    assert.deepEqual(plan([{ _id: int(1) }, { _id: int(2) }]).id, { kind: 'scalar', type: 'Number' });
    assert.deepEqual(plan([{ _id: 'a', __v: int(0) }]).fields, []);
  });

  test('a level with more keys than kept is JSON', () => {
    const wide = Object.fromEntries(Array.from({ length: MAX_KEYS + 1 }, (_, i) => [`k${i}`, 1]));
    assert.equal(fieldsOf(plan([{ data: wide }]))['data']?.kind, 'json');
  });
});

describe('inspectdb prints names safely', () => {
  test('quote escapes everything outside printable ASCII, and JSON reads it back', () => {
    assert.equal(quote('a"b\\c\n\u2028`${x}'), '"a\\"b\\\\c\\u000a\\u2028`${x}"');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff })), (codes) => {
        const text = String.fromCharCode(...codes);
        const quoted = quote(text);
        return /^[\x20-\x7e]*$/.test(quoted) && JSON.parse(quoted) === text;
      }),
    );
  });

  test('keys and model names', () => {
    assert.deepEqual(['headline', 'a-b', '$x', '__proto__', 'constructor'].map(propertyKey), [
      'headline',
      '"a-b"',
      '$x',
      '["__proto__"]',
      'constructor',
    ]);
    assert.deepEqual(['blog_entry', 'myPosts', '2024-logs', 'é', ''].map(modelName), [
      'BlogEntry',
      'MyPosts',
      'Model2024Logs',
      'Model',
      'Model',
    ]);
  });

  test('autoIncrement on the field the __schema__ counter numbers', () => {
    const counted = (field: string) =>
      emit([
        plan([{ [field]: int(1), headline: 'a' }], { name: 'blog_entry', auto: { field_names: [field], seq: 1 } }),
      ]);
    assert.match(counted('id'), /^BlogEntrySchema\.plugin\(djongo\)\.plugin\(autoIncrement\);$/m);
    assert.match(
      counted('entry_no'),
      /^BlogEntrySchema\.plugin\(djongo\)\.plugin\(autoIncrement, \{ field: "entry_no" \}\);$/m,
    );
    const odd = counted('no.\n');
    assert.deepEqual(syntaxErrors(odd), []);
    assert.match(odd, /^\/\/ __schema__ counts "no\.\\u000a", which autoIncrement cannot number/m);
    assert.match(odd, /^BlogEntrySchema\.plugin\(djongo\);$/m);
    assert.match(odd, /^ {2}\/\/ not declared: "no\.\\u000a" \(a dot makes a nested path in Mongoose\)$/m);
    assert.doesNotMatch(emit([plan([{ headline: 'a' }])]), /autoIncrement/);
  });

  test("Mongoose's undeclarable names are comments, not fields", () => {
    const source = emit([plan([{ ok: 1, 'a.b': 1, $x: 1, __proto__: 1, constructor: 1, '': 1 }])]);
    assert.deepEqual(syntaxErrors(source), []);
    assert.match(source, /^ {2}ok: Number,$/m);
    for (const name of ['a.b', '$x', '', 'constructor']) {
      assert.ok(source.includes(`// not declared: ${quote(name)}`), name);
    }
  });
});

/** The keys of every `new mongoose.Schema({…})` and `abstractModel({…})` literal, in order. */
function declaredKeys(source: string): string[][] {
  const file = ts.createSourceFile('m.ts', source, ts.ScriptTarget.ES2022, true);
  const found: string[][] = [];
  const keyOf = (name: ts.PropertyName): string => {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name) && ts.isStringLiteral(name.expression)) return name.expression.text;
    throw new Error(`unexpected key ${name.getText()}`);
  };
  const visit = (node: ts.Node): void => {
    const call = ts.isNewExpression(node) || ts.isCallExpression(node) ? node : undefined;
    const callee = call?.expression.getText();
    const [literal] = call?.arguments ?? [];
    if (
      (callee === 'mongoose.Schema' || callee === 'abstractModel') &&
      literal &&
      ts.isObjectLiteralExpression(literal)
    ) {
      found.push(literal.properties.map((p) => keyOf(p.name as ts.PropertyName)));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The statements a module may hold: imports, consts, plugin calls, the models function. */
function statementKinds(source: string): string[] {
  const file = ts.createSourceFile('m.ts', source, ts.ScriptTarget.ES2022, true);
  return file.statements.map((s) =>
    ts.isImportDeclaration(s)
      ? 'import'
      : ts.isVariableStatement(s)
        ? 'const'
        : ts.isExpressionStatement(s) && /^[A-Za-z0-9]+\.plugin\(djongo\)/.test(s.getText())
          ? 'plugin'
          : ts.isFunctionDeclaration(s) && s.name?.text === 'models'
            ? 'models'
            : `other: ${s.getText().slice(0, 40)}`,
  );
}

describe('property: any stored names give a module that parses and declares exactly them', () => {
  const anyName = fc.oneof(
    fc.string(),
    fc.constantFrom(
      'constructor',
      '__proto__',
      'a-b',
      '$x',
      'a"b',
      'a`b',
      '${x}',
      'a\nb',
      'x\u2028y',
      '*/',
      '//',
      '\\',
    ),
    fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 }).map((c) => String.fromCharCode(...c)),
  );
  const declared = (names: readonly string[]) => names.filter((n) => undeclarable(n) === undefined);
  const plainName = anyName.filter((n) => !['_id', 'emb', 'list'].includes(n));

  test('fields, embedded fields and collection names', () => {
    fc.assert(
      fc.property(
        anyName,
        fc.uniqueArray(plainName, { maxLength: 6 }),
        fc.uniqueArray(anyName, { maxLength: 4 }),
        (collection, top, inner) => {
          const nested = Object.fromEntries(inner.map((name) => [name, int(1)]));
          const doc = Object.fromEntries([...top.map((name) => [name, 'v']), ['emb', nested], ['list', [nested]]]);
          const level = newLevel();
          observeDocument(level, doc);
          const model = planModel(collection, null, level);
          const skipped = [{ collection, reason: collection }];
          const { source } = emitModule({
            database: collection,
            models: [model],
            skipped,
            sample: 3,
            importFrom: collection,
          });
          assert.deepEqual(syntaxErrors(source), [], source);
          assert.match(source, /^[\x20-\x7e\n]*$/, 'only printable ASCII and newlines');
          const kinds = statementKinds(source);
          assert.ok(
            kinds.every((kind) => !kind.startsWith('other')),
            kinds.join('; '),
          );
          // Two abstractModel literals (emb's and list's), hoisted above the schema's.
          const keys = declaredKeys(source);
          assert.equal(keys.length, 3);
          assert.deepEqual(keys[0], declared(Object.keys(nested)));
          assert.deepEqual(keys[1], declared(Object.keys(nested)));
          assert.deepEqual(keys[2], declared(Object.keys(doc)));
        },
      ),
      { numRuns: 100 },
    );
  });
});
