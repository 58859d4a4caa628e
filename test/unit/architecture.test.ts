// The folders are layers, in the order the README's Architecture section
// lists them: a module imports only from its own folder or the folders above
// it, and no modules import each other in a loop (type-only imports count:
// two modules that name each other must be read together).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';

const LAYERS = ['core', 'manager', 'fields', 'plugins', 'storage', 'filterset', 'cli'] as const;

function sourcesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourcesUnder(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

/** Each module's relative imports (`import`, `import type`, `export … from`, `import()`), as repository paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of LAYERS.flatMap((dir) => sourcesUnder(dir))) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    const specs = [
      ...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)\.js'/gms),
      ...source.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)\.js'\s*\)/g),
    ].map((m) => m[1] ?? '');
    graph.set(
      file,
      specs.map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), `${spec}.ts`))),
    );
  }
  return graph;
}

const layerOf = (file: string): number => LAYERS.indexOf(file.split('/')[0] as (typeof LAYERS)[number]);

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

test('the import reader sees what the modules import', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, 'every layer is read');
  assert.ok(graph.get('plugins/enforce-schema/index.ts')?.includes('plugins/enforce-schema/plan.ts'));
  assert.ok(graph.get('manager/queryset.ts')?.includes('core/errors.ts'), 'a path up a folder is resolved');
  assert.ok(
    graph.get('core/index.ts')?.some((f) => f.startsWith('core/')),
    'export … from is counted',
  );
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
  for (const [file, targets] of importGraph()) {
    for (const target of targets) {
      if (layerOf(target) > layerOf(file)) upward.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(upward, [], `layers, top first: ${LAYERS.join(', ')}`);
});

test('no modules import each other in a loop', () => {
  assert.equal(findCycle(importGraph()), undefined);
});
