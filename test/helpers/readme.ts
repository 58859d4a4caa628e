// The README's examples, as the README tests read them: each ```ts block
// marked `<!-- readme-test -->`, with its `'djongoose'` imports pointed at the
// source file the package's `exports` builds that subpath from.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';

// `<!-- readme-test -->`, or `<!-- readme-test needs: groupAccumulators dateOperators -->` for
// a block that runs only where the server has those capabilities (test/harness/capabilities.ts).
const MARKED = /<!-- readme-test(?: needs: ([\w, ]+))? -->\s*```ts\n([\s\S]*?)```/g;

function marked(): RegExpMatchArray[] {
  return [...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(MARKED)];
}

/** The marked blocks, in order. */
export function readmeBlocks(): string[] {
  return marked().map((m) => m[2]!);
}

/** The capabilities each marked block needs to run, in the same order (none for most). */
export function readmeBlockNeeds(): string[][] {
  return marked().map((m) => (m[1] ?? '').split(/[\s,]+/).filter(Boolean));
}

type Exports = Record<string, { import?: { default?: string } } | string>;
const exportsMap = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Exports }).exports;

/** The source file behind `djongoose` or `djongoose/<sub>`: `./dist/cli/api.js` is built from `cli/api.ts`. */
function sourceOf(specifier: string): string {
  const entry = exportsMap[specifier === 'djongoose' ? '.' : `./${specifier.slice('djongoose/'.length)}`];
  const built = typeof entry === 'string' ? entry : entry?.import?.default;
  if (!built) throw new Error(`package.json exports nothing for ${specifier}`);
  return path.join(ROOT, built.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

/**
 * A block with its djongoose imports (and module augmentations) rewritten to `from '<path>'`, where
 * `toPath` turns the absolute source file into what the import should say.
 */
export function withSourceImports(block: string, toPath: (sourceFile: string) => string): string {
  // `declare module 'djongoose'` too: a module augmentation (CustomLookups) must reach the source.
  return block.replaceAll(
    /(from|declare module) '(djongoose(?:\/\w+)?)'/g,
    (_m, keyword: string, specifier: string) => `${keyword} ${JSON.stringify(toPath(sourceOf(specifier)))}`,
  );
}
