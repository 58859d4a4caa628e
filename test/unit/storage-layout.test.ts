// storage/'s modules import only downward: no two of them reach each other,
// type-only imports included (a type cycle is still two modules that must be
// read together). FileField's per-class differences are methods, so the
// modules under it take its contract (file-path.ts), not the class.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';
import { FileField, GridFSStorage, ImageField } from '../../storage/index.js';
import { isFilePath } from '../../storage/file-path.js';

const DIR = path.join(ROOT, 'storage');

/** Each storage module's imports of its siblings (`import`, `import type`, `export … from`). */
function siblingImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(DIR, file), 'utf8');
    const targets = [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'\.\/([\w-]+)\.js'/gms)].map(
      (m) => `${m[1]}.ts`,
    );
    graph.set(file, targets);
  }
  return graph;
}

/** One import cycle as `a.ts → b.ts → a.ts`, or undefined. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file].join(' → ');
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const found = visit(file);
    if (found) return found;
  }
  return undefined;
}

describe('storage/ layout', () => {
  test('the import reader sees what the modules import', () => {
    const graph = siblingImports();
    assert.ok(graph.get('file-field.ts')?.includes('field-file.ts'), 'file-field.ts imports FieldFile');
    assert.ok(graph.get('serve.ts')?.includes('file-types.ts'), 'serve.ts imports a type: counted too');
    assert.ok(graph.get('index.ts')?.includes('file-refs.ts'), 'export … from is counted');
    assert.equal(
      findCycle(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', ['a.ts']],
        ]),
      ),
      'a.ts → b.ts → a.ts',
    );
  });

  test('no two storage modules import each other, directly or around a circle', () => {
    assert.equal(findCycle(siblingImports()), undefined);
  });
});

describe('FileField and ImageField differ by method, not by a test of their class', () => {
  const storage = new GridFSStorage({ collection: 'layoutfiles' });

  test('an ImageField names its dimension paths; a FileField has none', () => {
    const image = new ImageField('avatar', { storage, widthField: 'avatarWidth' });
    const file = new FileField('resume', { storage });
    const dimensions = { width: 64, height: 48, type: 'png' };
    assert.deepEqual(image.dimensionValues(dimensions), { avatarWidth: 64 });
    assert.deepEqual(
      new ImageField('avatar', { storage, widthField: 'w', heightField: 'h' }).dimensionValues(dimensions),
      { w: 64, h: 48 },
    );
    assert.deepEqual(file.dimensionValues(dimensions), {});
    assert.equal(image.imageOnly, true);
    assert.equal(file.imageOnly, false);
  });

  test('isFilePath knows both field classes by their contract, and nothing else', () => {
    assert.equal(isFilePath(new FileField('resume', { storage })), true);
    assert.equal(isFilePath(new ImageField('avatar', { storage })), true);
    for (const other of [null, 'avatar', { generateFilename: 'x' }, new GridFSStorage({ collection: 'x' })]) {
      assert.equal(isFilePath(other), false, String(other));
    }
  });
});
