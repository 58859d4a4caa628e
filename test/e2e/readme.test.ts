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
import { databaseName, lacks, server } from '../helpers/server.js';
import { readmeBlocks, readmeNeeds, withSourceImports } from '../helpers/readme.js';
import type { Capability } from '../harness/capabilities.js';

const run = promisify(execFile);
const dbName = databaseName(import.meta.url);
const blocks = readmeBlocks();
const needs = readmeNeeds();
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

// Blocks 0-2 have tests of their own below. Every other block that documents
// its output (each `// → x` comment is what that line prints) is run and
// compared, found by content rather than position, so a new block needs no
// edit here.
const OWN_TESTS = new Set([0, 1, 2]);
const documented = blocks
  .map((block, index) => ({ block, index }))
  .filter(({ block, index }) => !OWN_TESTS.has(index) && /\/\/ → /.test(block));

test('the README has the examples this test expects', () => {
  assert.ok(blocks.length >= 14, `${blocks.length} readme-test blocks`);
  for (const needle of ['filterSet(', "alias: 'title'", 'selectRelated(', 'Sum(', 'autoIncrement', 'EmbeddedField(']) {
    assert.ok(
      documented.some(({ block }) => block.includes(needle)),
      `a documented block shows ${needle}`,
    );
  }
});

for (const { block, index } of documented) {
  const heading = /^\/\/ (.*)$/m.exec(block)?.[1] ?? block.split('\n').find((l) => l.startsWith('import {')) ?? '';
  // A block marked `needs: lookup` is skipped on a server without it, naming the gap.
  const skip = needs[index]!.map((c) => lacks(c as Capability)).find(Boolean) ?? false;
  test(
    `README block ${index} (${heading.slice(0, 60)}): each \`// →\` comment is what the line prints`,
    { skip },
    async () => {
      const expected = [...block.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!);
      assert.deepEqual((await runBlock(index)).trim().split('\n'), expected);
    },
  );
}

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
