// Runs the README's examples, each block marked `<!-- readme-test -->`, as a
// user would: against this run's server through MONGODB_URI. Two mechanical
// rewrites only: `'djongoose'` imports point at the source, and the database
// name is made unique to this test.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { ROOT } from '../harness/paths.js';
import { databaseName, server } from '../helpers/server.js';
import { readmeBlocks, withSourceImports } from '../helpers/readme.js';

const run = promisify(execFile);
const dbName = databaseName(import.meta.url);
const blocks = readmeBlocks();
const dir = path.join(ROOT, '.cache', 'readme', String(process.pid));
mkdirSync(dir, { recursive: true });

after(async () => {
  const conn = await mongoose.createConnection(server.uri, { dbName }).asPromise();
  await conn.dropDatabase();
  await conn.close();
});

async function runBlock(index: number): Promise<string> {
  const source = withSourceImports(blocks[index]!, (file) => file).replaceAll("NAME: 'blog'", `NAME: '${dbName}'`);
  const file = path.join(dir, `block-${index}.ts`);
  writeFileSync(file, `${source}\nexport {};\n`);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: server.uri },
  });
  return stdout;
}

test('the README has the examples this test expects', () => {
  assert.equal(blocks.length, 13);
});

// Blocks whose output is documented line by line: each `// → x` comment is what that line prints.
const documented = [
  { index: 3, title: 'managers and QuerySets', lines: 12 },
  { index: 4, title: 'aggregation', lines: 5 },
  { index: 5, title: "djongo's fields", lines: 4 },
  { index: 6, title: 'ENFORCE_SCHEMA', lines: 8 },
  { index: 7, title: 'counters', lines: 8 },
  { index: 8, title: 'GridFS storage', lines: 8 },
  { index: 9, title: 'GridFS file fields', lines: 5 },
  { index: 10, title: 'GridFS HTTP and uploads', lines: 4 },
] as const;
for (const { index, title, lines } of documented) {
  test(`README ${title}: each \`// →\` comment is what the line prints`, async () => {
    const expected = [...blocks[index]!.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!);
    assert.ok(expected.length >= lines, 'the block documents its output');
    assert.deepEqual((await runBlock(index)).trim().split('\n'), expected);
  });
}

// Found by what it shows rather than by position, so blocks added above it do not move it.
test('README filtering from a request: each `// →` comment is what the line prints', async () => {
  const index = blocks.findIndex((block) => block.includes('filterSet('));
  assert.ok(index >= 0, 'the README has the FilterSet example');
  const expected = [...blocks[index]!.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!);
  assert.ok(expected.length >= 6, 'the block documents its output');
  assert.deepEqual((await runBlock(index)).trim().split('\n'), expected);
});

// Found by what it shows, as the FilterSet example.
test("README documents' instance methods: each `// →` comment is what the line prints", async () => {
  const index = blocks.findIndex((block) => block.includes('refreshFromDb('));
  assert.ok(index >= 0, 'the README has the document methods example');
  const expected = [...blocks[index]!.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!);
  assert.ok(expected.length >= 6, 'the block documents its output');
  assert.deepEqual((await runBlock(index)).trim().split('\n'), expected);
});

test('README quickstart: connect with the seed settings, save and read an Entry', async () => {
  assert.equal((await runBlock(0)).trim(), 'Hey Jude');
});

test('README settings: a typo and an unreachable server give typed errors without the password', async () => {
  const lines = (await runBlock(1)).trim().split('\n');
  assert.match(lines[0]!, /^true Unknown settings key "ENFORCE_SHEMA".*Did you mean "ENFORCE_SCHEMA"\?$/);
  assert.equal(lines[1], 'true false');
});

test('README logging: pino receives a djongo record for the insert', async () => {
  const records = (await runBlock(2))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const insert = records.find((r) => r['command'] === 'insert');
  assert.ok(insert, 'the insert was logged');
  assert.equal(insert['name'], 'djongo');
  assert.equal(insert['collection'], 'entry');
  assert.equal(insert['database'], dbName);
});
