// A pipeline update's stages ($set, $addFields, $unset) run in JavaScript
// over one document, and what that changed, as a plain `{ $set, $unset }`
// update of that document: the fallback for servers that refuse pipeline
// updates (update-fallback.ts). Pure.
import { NotSupportedError } from '../core/errors.js';
import { checkExpression, evaluate, fieldsRead, type Doc } from './pipeline-eval.js';

/** One stage, flattened: the paths it computes, or the paths it removes. */
type Stage =
  | { readonly kind: 'set'; readonly fields: readonly (readonly [path: string, expression: unknown])[] }
  | { readonly kind: 'unset'; readonly paths: readonly string[] };

/** A checked pipeline: its stages, the top-level fields it reads and the paths it writes. */
export interface PipelinePlan {
  readonly stages: readonly Stage[];
  /** Top-level fields the expressions read: what is fetched and compared before writing. */
  readonly reads: readonly string[];
  /** Paths written or removed, none inside another. */
  readonly writes: readonly string[];
  /** Paths an operator computes with (not a plain copy `'$views'`). */
  readonly operands: readonly string[];
}

/** A plain update of one document. */
export interface DocumentUpdate {
  readonly $set: Doc;
  readonly $unset: Record<string, ''>;
}

function isSpec(value: unknown): value is Doc {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    (value as { _bsontype?: unknown })._bsontype === undefined &&
    Object.keys(value).length > 0 &&
    !Object.keys(value).some((k) => k.startsWith('$'))
  );
}

// $addFields' { a: { b: expr } } merges into a, as the dotted 'a.b' does.
function flatten(spec: Doc, prefix: string, into: [string, unknown][]): [string, unknown][] {
  for (const [key, expression] of Object.entries(spec)) {
    const path = prefix + key;
    if (isSpec(expression)) flatten(expression, `${path}.`, into);
    else into.push([path, expression]);
  }
  return into;
}

function stageOf(stage: Readonly<Record<string, unknown>>): Stage {
  const [name, more] = Object.keys(stage);
  const body = name === undefined ? undefined : stage[name];
  if ((name === '$set' || name === '$addFields') && more === undefined && isSpec(body)) {
    const fields = flatten(body, '', []);
    for (const [, expression] of fields) checkExpression(expression);
    return { kind: 'set', fields };
  }
  if (name === '$unset' && more === undefined) {
    const paths = typeof body === 'string' ? [body] : body;
    if (Array.isArray(paths) && paths.every((p) => typeof p === 'string')) return { kind: 'unset', paths };
  }
  throw new NotSupportedError(
    `The pipeline update has a stage ${name ?? '{}'} that djongoose's own evaluation of pipeline updates, ` +
      'for a server without them, does not run; it runs $set, $addFields and $unset. Nothing was written.',
  );
}

/** Shortest paths first, dropping any inside one already kept. */
function outermost(paths: Iterable<string>): string[] {
  const kept: string[] = [];
  for (const path of [...new Set(paths)].sort((a, b) => a.length - b.length)) {
    if (!kept.some((k) => path === k || path.startsWith(`${k}.`))) kept.push(path);
  }
  return kept;
}

/**
 * Checks a pipeline update and finds what it reads and writes. Throws
 * {@link NotSupportedError} for a stage other than $set/$addFields/$unset or
 * an operator the evaluator does not compute, before anything is read.
 *
 * @example
 * ```ts
 * planPipeline([{ $set: { likes: { $add: ['$views', '$blog.likes'] } } }]);
 * // { reads: ['views', 'blog'], writes: ['likes'], operands: ['views', 'blog.likes'], stages: [...] }
 * ```
 */
export function planPipeline(pipeline: readonly Readonly<Record<string, unknown>>[]): PipelinePlan {
  const stages = pipeline.map(stageOf);
  const reads = new Set<string>();
  const operands = new Set<string>();
  const writes: string[] = [];
  for (const stage of stages) {
    if (stage.kind === 'unset') writes.push(...stage.paths);
    else {
      for (const [path, expression] of stage.fields) {
        writes.push(path);
        for (const read of fieldsRead(expression)) {
          reads.add(read.split('.')[0] as string);
          if (typeof expression !== 'string') operands.add(read);
        }
      }
    }
  }
  return Object.freeze({ stages, reads: [...reads], writes: outermost(writes), operands: [...operands] });
}

function isDoc(value: unknown): value is Doc {
  return isSpec(value) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
}

// Copies each document on the way, never the values: BSON values keep their
// classes (structuredClone would not), and the document read stays as read.
function withAt(doc: Doc, parts: readonly string[], value: unknown, path: string): Doc {
  const [first, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) {
    if (value !== undefined) return { ...doc, [first]: value };
    return Object.fromEntries(Object.entries(doc).filter(([key]) => key !== first));
  }
  const out: Doc = { ...doc };
  const next = doc[first];
  if (Array.isArray(next)) {
    throw new NotSupportedError(
      `The pipeline update writes ${path} inside a list (${first}), which djongoose's own evaluation of ` +
        'pipeline updates does not do; it writes fields of documents. Nothing more was written.',
    );
  }
  if (!isDoc(next) && value === undefined) return doc;
  // $addFields replaces a scalar on the way with a document, as here.
  out[first] = withAt(isDoc(next) ? next : {}, rest, value, path);
  return out;
}

function valueAt(doc: Doc, path: string): unknown {
  let at: unknown = doc;
  for (const part of path.split('.')) {
    if (!isDoc(at) || !Object.hasOwn(at, part)) return undefined;
    at = at[part];
  }
  return at;
}

/**
 * Runs the plan's stages over a document (as read: `_id` and the fields the
 * plan reads) and gives the update that makes the stored document what the
 * server's pipeline would have made it: each written path set, or unset
 * when the pipeline left it missing (`$set: { a: '$missing' }` removes a, as
 * in MongoDB). Throws the evaluator's errors.
 *
 * @example
 * ```ts
 * applyPlan(planPipeline([{ $set: { likes: '$views' } }]), { _id, views: 10 });
 * // { $set: { likes: 10 }, $unset: {} }
 * ```
 */
export function applyPlan(plan: PipelinePlan, read: Readonly<Doc>): DocumentUpdate {
  let doc: Doc = read;
  for (const stage of plan.stages) {
    // Every expression of a stage sees the document as the stage got it.
    const input = doc;
    if (stage.kind === 'unset') {
      for (const path of stage.paths) doc = withAt(doc, path.split('.'), undefined, path);
    } else {
      for (const [path, expression] of stage.fields) {
        doc = withAt(doc, path.split('.'), evaluate(expression, input), path);
      }
    }
  }
  const update: { $set: Doc; $unset: Record<string, ''> } = { $set: {}, $unset: {} };
  for (const path of plan.writes) {
    const value = valueAt(doc, path);
    if (value === undefined) update.$unset[path] = '';
    else update.$set[path] = value;
  }
  return update;
}
