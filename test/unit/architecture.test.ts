// The folders are layers, in the order the README's Architecture section
// lists them: a module imports only from its own folder or the folders above
// it, and no modules import each other in a loop, type-only imports included
// (storage/ had two such loops; FileField's per-class differences are now its
// methods, and the modules under it take its contract, file-path.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCycle, importGraph } from '../helpers/import-graph.js';

const LAYERS = ['core', 'manager', 'fields', 'plugins', 'storage', 'filterset', 'cli', 'admin'] as const;

const layerOf = (file: string): number => LAYERS.indexOf(file.split('/')[0] as (typeof LAYERS)[number]);

test('the import reader sees what the modules import', () => {
  const graph = importGraph(LAYERS);
  assert.ok(graph.size > 100, 'every layer is read');
  assert.ok(graph.get('plugins/enforce-schema/index.ts')?.includes('plugins/enforce-schema/plan.ts'));
  assert.ok(graph.get('manager/queryset-get.ts')?.includes('core/errors.ts'), 'a path up a folder is resolved');
  assert.ok(graph.get('storage/serve.ts')?.includes('storage/file-types.ts'), 'a type-only import is counted');
  assert.ok(graph.get('storage/index.ts')?.includes('storage/file-refs.ts'), 'export … from is counted');
  assert.equal(
    findCycle(
      new Map([
        ['a', ['b']],
        ['b', ['a']],
      ]),
    ),
    'a → b → a',
  );
});

test('each folder imports only from its own and the folders above it', () => {
  const upward: string[] = [];
  for (const [file, targets] of importGraph(LAYERS)) {
    for (const target of targets) {
      if (layerOf(target) > layerOf(file)) upward.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(upward, [], `layers, top first: ${LAYERS.join(', ')}`);
});

test('no modules import each other in a loop', () => {
  assert.equal(findCycle(importGraph(LAYERS)), undefined);
});
