// The rule that keeps a Mongoose upgrade to one file: no private Mongoose
// (or driver) member is read outside core/mongoose-internals.ts. The non-test
// sources are searched, comments left out, for each private member's
// spelling; and the adapter's JSDoc examples are type-checked, as the public
// API's are by jsdoc-examples.test.ts (which reads only exported modules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';
import { typeCheckDir } from '../helpers/tsc.js';

const ADAPTER = 'core/mongoose-internals.ts';
const SOURCES = ['core', 'manager', 'fields', 'plugins', 'storage', 'cli', 'filterset', 'index.ts'];

/** A private member and how its use is spelled in code. */
interface PrivateMember {
  readonly name: string;
  readonly pattern: RegExp;
}

// Section B of the adapter: documents, queries, models, the instance, the driver.
const SECTION_B: readonly PrivateMember[] = [
  { name: 'doc._doc', pattern: /\b_doc\b/ },
  { name: 'doc.$__ and $__-prefixed methods ($__setValue, $__.selected, …)', pattern: /\$__/ },
  { name: 'SchemaType setters', pattern: /\.setters\b|\bsetters\?\s*:/ },
  { name: '$isSubdocument', pattern: /\$isSubdocument\b/ },
  { name: 'schema.base', pattern: /\bschema\)?\.base\b|\bbase\??\s*:\s*\{/ },
  { name: '$conditionalHandlers', pattern: /\$conditionalHandlers\b/ },
  { name: "the SchemaType constructor's parentSchema, cast into super()", pattern: /super\(\s*\.\.\.\s*\(/ },
  { name: 'SchemaType parentSchema member', pattern: /\.parentSchema\b/ },
  { name: 'model.$init', pattern: /\$init\b/ },
  { name: "an aggregation's options.cursor", pattern: /options\??\.cursor\b|\bcursor\??\s*:\s*\{\s*transform/ },
  { name: 'schema.discriminatorMapping', pattern: /\bdiscriminatorMapping\b/ },
  { name: "the GridFS read stream's s.cursor", pattern: /\)\.s\??\.cursor\b|\bs\??\s*:\s*\{\s*cursor/ },
  { name: 'query._mongooseOptions', pattern: /\b_mongooseOptions\b/ },
  { name: 'cursor._transforms', pattern: /\b_transforms\b/ },
];

// Section A of the adapter: schemas and schema types.
const SECTION_A: readonly PrivateMember[] = [
  { name: '$isSingleNested', pattern: /\$isSingleNested\b/ },
  { name: '$isMongooseDocumentArray', pattern: /\$isMongooseDocumentArray\b/ },
  // A member read, or a home-made optional declaration of it; the shape's own
  // `defaultValue` field (core/schema-shape.ts) is not Mongoose's.
  { name: 'SchemaType defaultValue', pattern: /\.defaultValue\b|\bdefaultValue\?\s*:/ },
  { name: 'schema.nested', pattern: /\bschema\)?\.nested\b|\bnested\??\s*:\s*Record\b/ },
  // `caster` only: an array's `embeddedSchemaType` is public (typed on Schema.Types.Array and DocumentArray).
  { name: 'SchemaType caster', pattern: /\.caster\b|\bcaster\??\s*:/ },
  // A member call, or a home-made declaration of the method; a call of the
  // adapter's castForQuery(type, value) wrapper is not.
  { name: 'SchemaType castForQuery', pattern: /\.castForQuery\b|\bcastForQuery\s*\(\s*conditional\b/ },
  {
    name: "a SchemaType's .schema, read through a home-made type",
    pattern: /\bschema\?\s*:\s*(mongoose\.)?Schema\b|\{\s*schema\??\s*:\s*(mongoose\.)?Schema\b/,
  },
];

function sourceFiles(): string[] {
  const walk = (rel: string): string[] => {
    const full = path.join(ROOT, rel);
    if (statSync(full).isFile()) return rel.endsWith('.ts') ? [rel] : [];
    return readdirSync(full).flatMap((name) => walk(path.posix.join(rel, name)));
  };
  return SOURCES.flatMap(walk).filter((file) => file !== ADAPTER && !file.endsWith('.d.ts'));
}

/** Code without its comments, line for line (a `//` inside a string ends the line early: never a miss of code). */
function codeOf(text: string): string[] {
  const withoutBlocks = text.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '));
  return withoutBlocks.split('\n').map((line) => line.replace(/(^|[^:'"`])\/\/.*$/, '$1'));
}

/** `file:line: member` for every use of a listed member outside the adapter. */
function usesOf(members: readonly PrivateMember[]): string[] {
  return sourceFiles().flatMap((file) =>
    codeOf(readFileSync(path.join(ROOT, file), 'utf8')).flatMap((line, i) =>
      members.filter((m) => m.pattern.test(line)).map((m) => `${file}:${i + 1}: ${m.name}`),
    ),
  );
}

test('the search finds what it looks for (each pattern matches its member as code spells it)', () => {
  const spelled: Record<string, string> = {
    'doc._doc': 'const own = (doc as { _doc?: object })._doc;',
    'doc.$__ and $__-prefixed methods ($__setValue, $__.selected, …)': 'doc.$__setValue(path, v);',
    'SchemaType setters': 'const n = (type as { setters?: unknown[] }).setters;',
    $isSubdocument: 'if (doc.$isSubdocument) return;',
    'schema.base': 'const base = (schema as { base?: { version?: unknown } }).base;',
    $conditionalHandlers: "type.$conditionalHandlers['$mod'] = cast;",
    "the SchemaType constructor's parentSchema, cast into super()": 'super(...([a, b, c, d] as unknown as X));',
    'SchemaType parentSchema member': 'installHooks(type.parentSchema);',
    'model.$init': 'model.$init = Promise.resolve();',
    "an aggregation's options.cursor": 'const t = aggregate.options.cursor?.transform;',
    'schema.discriminatorMapping': 'const value = child.schema.discriminatorMapping.value;',
    "the GridFS read stream's s.cursor": 'const cursor = (stream as Internals).s?.cursor;',
    'query._mongooseOptions': 'const lean = query._mongooseOptions.lean;',
    'cursor._transforms': 'cursor._transforms.push(fn);',
    $isSingleNested: 'if (type.$isSingleNested) walk(type.schema);',
    $isMongooseDocumentArray: 'if (t.$isMongooseDocumentArray) walk(t.schema);',
    'SchemaType defaultValue': 'const d = (type as { defaultValue?: unknown }).defaultValue;',
    'schema.nested': 'for (const key of Object.keys((schema as { nested: Record<string, boolean> }).nested)) add(key);',
    'SchemaType caster': 'const element = st.embeddedSchemaType ?? st.caster;',
    'SchemaType castForQuery': 'return type.castForQuery(null, value);',
    "a SchemaType's .schema, read through a home-made type": 'const inner = (type as { schema?: Schema }).schema;',
  };
  for (const m of [...SECTION_B, ...SECTION_A]) {
    const line = spelled[m.name];
    assert.ok(line, `no spelling given for ${m.name}`);
    assert.ok(m.pattern.test(codeOf(line)[0]!), `${m.name} not found in: ${line}`);
    assert.ok(!m.pattern.test(codeOf(`// ${line}`)[0]!), `${m.name} found in a comment`);
  }
  // Public members of the same names are not flagged.
  for (const line of [
    "model.base.deleteModel('x');",
    'function plug(schema: Schema): void {}',
    'doc.$set({ a: 1 });',
    'const element = (type as mongoose.Schema.Types.Array).embeddedSchemaType;',
    'const caster = elementOf(type);',
    'return castForQuery(target, value);',
    'const field = { defaultValue: value, readonly: true };',
  ]) {
    assert.deepEqual(
      [...SECTION_B, ...SECTION_A].filter((m) => m.pattern.test(line)).map((m) => m.name),
      [],
      line,
    );
  }
});

test('no Section B private member is read outside core/mongoose-internals.ts', () => {
  assert.ok(sourceFiles().length > 50, 'the search reads the sources');
  assert.deepEqual(usesOf(SECTION_B), [], 'move these reads into core/mongoose-internals.ts, Section B');
});

test('no Section A private member is read outside core/mongoose-internals.ts', () => {
  const uses = usesOf(SECTION_A);
  assert.deepEqual(uses, [], 'move these reads into core/mongoose-internals.ts, Section A');
});

/** Section B's `@example` blocks, each as the module a reader would write. */
function sectionBExamples(): { line: number; code: string }[] {
  const text = readFileSync(path.join(ROOT, ADAPTER), 'utf8');
  const start = text.indexOf('// Section B:');
  const end = text.indexOf('// (end of section B)');
  assert.ok(start > 0 && end > start, 'the adapter has its Section B markers');
  const exported = [...text.matchAll(/^export (function|type|interface|const) (\w+)/gm)].map((m) =>
    m[1] === 'type' || m[1] === 'interface' ? `type ${m[2]!}` : m[2]!,
  );
  return [...text.slice(start, end).matchAll(/@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)].map((m) => {
    const code = m[1]!.replace(/^\s*\* ?/gm, '');
    const used = exported.filter((name) => new RegExp(`\\b${name.replace(/^type /, '')}\\b`).test(code));
    return {
      line: text.slice(0, start + m.index).split('\n').length,
      code: `import mongoose from 'mongoose';\nimport { ${used.join(', ')} } from '${'{ADAPTER}'}';\n${code}\nexport {};\n`,
    };
  });
}

test("Section B's JSDoc examples type-check", async () => {
  const examples = sectionBExamples();
  const text = readFileSync(path.join(ROOT, ADAPTER), 'utf8');
  const sectionB = text.slice(text.indexOf('// Section B:'), text.indexOf('// (end of section B)'));
  const functions = (sectionB.match(/^export function /gm) ?? []).length;
  assert.ok(examples.length >= functions, `${examples.length} examples for ${functions} exported functions`);
  const dir = path.join(ROOT, '.cache', 'internals-examples', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const adapter = path.relative(dir, path.join(ROOT, ADAPTER)).replace(/\.ts$/, '.js');
  examples.forEach((e, i) => writeFileSync(path.join(dir, `example_${i}.ts`), e.code.replace('{ADAPTER}', adapter)));
  const output = await typeCheckDir(dir, ['./*.ts'], { noUnusedLocals: false, skipLibCheck: true });
  const located = output.replace(/^\S*example_(\d+)\.ts\((\d+),\d+\)/gm, (_m, i: string, row: string) => {
    return `${ADAPTER}:${examples[Number(i)]!.line} (example line ${Number(row) - 2})`;
  });
  assert.equal(located, '', `@example blocks that do not compile:\n${located}`);
});
