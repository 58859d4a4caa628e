// The JSDoc `@example` blocks of the public API, as the example type test
// reads them: every ```ts block after an `@example` tag in a module the package
// exports (followed from index.ts and cli/api.ts through their `export … from`).
// A block opened with ```ts no-check is a deliberate fragment and is left out.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';

/** One example: the file and line it comes from, and its code. */
export interface JsdocExample {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly checked: boolean;
}

/** The source files the package's entry points re-export, transitively. */
export function publicModules(entries = ['index.ts', 'cli/api.ts']): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^export\s[^;]*?from\s+'(\.[^']+)'/gm)) {
      visit(path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    }
  };
  for (const entry of entries) visit(path.join(ROOT, entry));
  return [...seen].sort();
}

/** The names the public modules re-export by name: the package's API. */
export function publicNames(files = publicModules()): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*from/gm)) {
      for (const part of m[1]!.split(',')) {
        const name = part
          .replace(/^\s*type\s+/, '')
          .split(/\s+as\s+/)
          .pop()!
          .trim();
        if (name) names.add(name);
      }
    }
  }
  return names;
}

/**
 * Every `@example` block of the given files that documents the public API
 * (a declaration the package re-exports, or a member of a class), with its
 * JSDoc ` * ` margin removed.
 */
export function jsdocExamples(files = publicModules()): JsdocExample[] {
  const api = publicNames(files);
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const documented = (end: number): boolean => {
      const after = text
        .slice(text.indexOf('*/', end) + 2)
        .match(
          /^\s*(\s*)(export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type|enum)?\s*([\w$]+)/,
        );
      if (!after) return false;
      if (!after[2]) return /^\n?[ \t]+/.test(text.slice(text.indexOf('*/', end) + 2).replace(/^\r?\n/, '')); // a member
      return api.has(after[3]!);
    };
    return [...text.matchAll(/@example\s*\n\s*\* ```ts([^\n]*)\n([\s\S]*?)\n\s*\* ```/g)]
      .filter((m) => documented(m.index + m[0].length))
      .map((m) => ({
        file: path.relative(ROOT, file),
        line: text.slice(0, m.index).split('\n').length,
        code: m[2]!.replace(/^\s*\* ?/gm, ''),
        checked: !/\bno-check\b/.test(m[1]!),
      }));
  });
}
