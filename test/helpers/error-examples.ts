// The message each error class's JSDoc @example shows (a `// Name: message`
// line in core/errors.ts), as a pattern a real throw must match: "…" stands
// for any text. Tests hold the docs to what the code really throws.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const SOURCE = readFileSync(new URL('../../core/errors.ts', import.meta.url), 'utf8');

function exampleMessages(): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  for (const [, doc = '', name = ''] of SOURCE.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export class (\w+)/g)) {
    const line = new RegExp(`// ${name}: (.*)$`, 'm').exec(doc);
    if (line?.[1] !== undefined) found.set(name, line[1]);
  }
  return found;
}

/** The exported class names, in source order. */
export const errorClasses: readonly string[] = [...SOURCE.matchAll(/^export class (\w+)/gm)].map((m) => m[1] ?? '');

/** Class name → the message its JSDoc example shows. */
export const documented: ReadonlyMap<string, string> = exampleMessages();

/** The example as a pattern: literal text, with "…" (and the space before it) matching anything. */
export function examplePattern(example: string): RegExp {
  const parts = example.split(/ ?…/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

/** Asserts `err` is an Error whose `Name: message` matches its class's JSDoc example. */
export function assertMatchesExample(err: unknown, name: string): true {
  assert.ok(err instanceof Error, `${name}: not an Error: ${String(err)}`);
  assert.equal(err.name, name);
  const example = documented.get(name) ?? assert.fail(`${name} has no "// ${name}: …" line in its JSDoc example`);
  assert.match(err.message, examplePattern(example), `${name}'s JSDoc example drifted from what the code throws`);
  return true;
}
