// The project's own import graph, read from the sources: each module's
// relative imports (`import`, `import type`, `export … from`, `import()`), as
// repository paths. Type-only imports count: two modules that name each
// other must be read together. For the layout tests.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';

function sourcesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourcesUnder(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

/** Module → the modules it imports, for every `.ts` file under `dirs`. */
export function importGraph(dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of dirs.flatMap((dir) => sourcesUnder(dir))) {
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

/** One import cycle as `a → b → a`, or undefined. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string | undefined {
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
