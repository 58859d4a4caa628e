// Every picture the README shows is in the repository: a renamed or
// forgotten screenshot (docs/admin-*.png, made by `npm run docs:screenshots`)
// fails here rather than as a broken image on the project's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
// Markdown images, `![alt](path)`, and HTML ones, `<img src="path">`; remote ones are not ours to check.
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc="([^"]+)"/g)]
  .map((m) => (m[1] ?? m[2])!)
  .filter((src) => !/^[a-z]+:/i.test(src));

test('the README shows the admin pictures the browser tests produce', () => {
  assert.ok(images.includes('docs/admin-authors.png'), images.join(', '));
  assert.ok(images.includes('docs/admin-drifted.png'), images.join(', '));
});

test('every picture the README shows exists, and is a PNG', () => {
  for (const src of images) {
    const file = path.join(ROOT, src);
    assert.ok(existsSync(file), `README.md shows ${src}, which does not exist`);
    if (src.endsWith('.png')) {
      assert.deepEqual([...readFileSync(file).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], src);
    }
  }
});

test('every docs/admin-*.png is shown in the README', () => {
  const pictures = readdirSync(path.join(ROOT, 'docs')).filter((f) => /^admin-.*\.png$/.test(f));
  for (const picture of pictures) assert.ok(images.includes(`docs/${picture}`), `docs/${picture} is not in the README`);
});
