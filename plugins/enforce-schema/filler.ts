// Lax reads' filling, compiled. A lax read only puts null where a stored
// document lacks a field; plan.ts's walk does that and, for strict reads,
// collects what is missing and unknown with the paths to report. Filling
// alone runs on every document of every lax read, so it gets a function of
// its own per plan level and mode, generated once: each field's key is a
// literal property access (the engine's inline caches see one key per site,
// where the walk's `raw[field.key]` sees them all), and nothing is
// allocated for a document that is already complete.
//
// The generated code holds no value from a document or a user: only the
// schema's keys, as JSON string literals, and indexes into the arrays it is
// handed. It does exactly what `inspect(raw, plan, { fill, collect: false,
// selected })` does; test/unit/enforce-filler.test.ts checks that over
// arbitrary schemas and documents.
import type { FieldPlan, Plan } from './plan.js';

/** Which fields a fill puts null into: all (lean), or those without a default (hydrated). */
export type FillMode = true | 'hydrated';

type Raw = Record<string, unknown>;
type Selected = ((path: string) => boolean) | undefined;
/** Fills one (sub)document in place. */
export type Fill = (raw: Raw, selected: Selected) => void;

const compiled = { lean: new WeakMap<Plan, Fill>(), hydrated: new WeakMap<Plan, Fill>() };

/**
 * The compiled filler of a plan level: puts null (or, on a hydrated read, an
 * object for a nested field without a schema of its own) where the document
 * lacks a selected field, at every depth. Built on first use, once per plan.
 *
 * @example
 * ```ts
 * const raw = { name: 'Beatles Blog' };
 * fillerOf(planOf(blogSchema), true)(raw, undefined);
 * raw; // { name: 'Beatles Blog', tagline: null }
 * ```
 */
export function fillerOf(plan: Plan, mode: FillMode): Fill {
  const cache = mode === true ? compiled.lean : compiled.hydrated;
  let fill = cache.get(plan);
  if (!fill) cache.set(plan, (fill = compile(plan, mode)));
  return fill;
}

const OBJECT = `typeof v === 'object' && v !== null && !Array.isArray(v)`;

function compile(plan: Plan, mode: FillMode): Fill {
  const paths: string[] = [];
  // Children are compiled when first reached: a schema may hold itself.
  const children: ((raw: Raw, selected: Selected) => void)[] = [];
  const lines = ['let v;'];
  plan.fields.forEach((field, i) => {
    const key = `raw[${JSON.stringify(field.key)}]`;
    paths.push(field.path);
    const child = field.child ? childCall(children, field, mode) : undefined;
    const missing = missingCode(field, mode, key, i, child);
    lines.push(`v = ${key};`);
    if (missing !== undefined) lines.push(`if (v === undefined) { ${missing} }`);
    if (child === undefined) return;
    const test = missing === undefined ? 'if (v !== undefined)' : 'else';
    if (field.array) {
      lines.push(`${test} if (Array.isArray(v)) for (let i = 0; i < v.length; i++) {`);
      lines.push(`  const item = v[i];`);
      lines.push(`  if (typeof item === 'object' && item !== null && !Array.isArray(item)) ${child}(item, selected);`);
      lines.push('}');
    } else lines.push(`${test} if (${OBJECT}) ${child}(v, selected);`);
  });
  const make = new Function('paths', 'children', `return function fill(raw, selected) {\n${lines.join('\n')}\n};`);
  return make(paths, children) as Fill;
}

function childCall(children: Fill[], field: FieldPlan, mode: FillMode): string {
  const index = children.length;
  children.push((raw, selected) => {
    const fill = fillerOf(field.child as Plan, mode);
    children[index] = fill;
    fill(raw, selected);
  });
  return `children[${index}]`;
}

/** What to do when the field is missing, or undefined when nothing. */
function missingCode(field: FieldPlan, mode: FillMode, key: string, i: number, child?: string): string | undefined {
  let fill: string;
  if (mode === 'hydrated' && field.nested && child !== undefined) {
    fill = `const filled = {}; ${key} = filled; ${child}(filled, selected);`;
  } else if (mode === true || field.fillHydrated) {
    fill = `${key} = null;`;
  } else return undefined;
  return `if (selected === undefined || selected(paths[${i}])) { ${fill} }`;
}
