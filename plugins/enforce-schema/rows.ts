// Aggregation rows: which pipelines still hand out the model's documents,
// and enforcing ENFORCE_SCHEMA on such a row. Fields a pipeline added are
// annotations, not unknown fields, and fields it removed are not missing;
// any other stage ($group, $unwind, $facet, a $replaceRoot to something
// else than the document, …) makes rows of another shape, which are left
// alone: checking the documents entering such a stage would mean reading
// them a second time.
import type { Model } from 'mongoose';
import type { MigrationError } from '../../core/errors.js';
import { inspect, planOf, selection, type Plan } from './plan.js';
import { documentError } from './errors.js';
import { discriminatorOf } from '../../core/mongoose-internals.js';
import { judgeRow } from '../../core/row-verdicts.js';
import { isRecord } from '../../core/values.js';

// Stages whose rows are the documents they were given, some of them.
const KEEP = new Set(['$match', '$sort', '$skip', '$limit', '$sample']);
const ROOT = '$$ROOT';

/** What a pipeline did to the model's documents. */
export interface RowShape {
  /** Field names the pipeline added: annotations, not unknown fields. */
  readonly added: ReadonlySet<string>;
  readonly selected: ((path: string) => boolean) | undefined;
}

type Selected = RowShape['selected'];

const both = (a: Selected, b: Selected): Selected => (a && b ? (path) => a(path) && b(path) : (a ?? b));

/**
 * The shape of the rows a pipeline hands out, or undefined when they are
 * not the model's documents. Kept: $match, $sort, $skip, $limit, $sample,
 * and `$replaceRoot`/`$replaceWith` of `$$ROOT`. Added to: $addFields,
 * $set, $lookup (its `as`), $project's computed fields. Selected from:
 * $project, $unset.
 *
 * @example
 * ```ts
 * rowShape([{ $match: { rating: { $gt: 3 } } }, { $addFields: { score: 1 } }]);
 * // { added: Set { 'score' }, selected: undefined }
 * rowShape([{ $unset: 'tagline' }]).selected('tagline'); // false
 * rowShape([{ $group: { _id: '$blog' } }]); // undefined
 * ```
 */
export function rowShape(pipeline: readonly Record<string, unknown>[]): RowShape | undefined {
  const added = new Set<string>();
  let selected: Selected;
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (name === undefined) return undefined;
    if (KEEP.has(name)) continue;
    if (name === '$replaceRoot' && isRecord(spec) && spec['newRoot'] === ROOT) continue;
    if (name === '$replaceWith' && spec === ROOT) continue;
    if ((name === '$addFields' || name === '$set') && isRecord(spec)) {
      for (const key of Object.keys(spec)) added.add(topLevel(key));
    } else if (name === '$lookup' && isRecord(spec) && typeof spec['as'] === 'string') {
      added.add(topLevel(spec['as']));
    } else if (name === '$unset' && (typeof spec === 'string' || Array.isArray(spec))) {
      const names = (Array.isArray(spec) ? spec : [spec]).filter((n): n is string => typeof n === 'string');
      selected = both(selected, selection(Object.fromEntries(names.map((n) => [n, 0]))));
    } else if (name === '$project' && isRecord(spec)) {
      selected = both(selected, projected(spec, added));
    } else {
      return undefined;
    }
  }
  return { added, selected };
}

// A $project: 0/false excludes, 1/true includes, anything else computes a
// field (an annotation), which makes the projection inclusive.
function projected(spec: Record<string, unknown>, added: Set<string>): Selected {
  const plain: Record<string, unknown> = {};
  let computed = false;
  for (const [key, value] of Object.entries(spec)) {
    if (value === 0 || value === false || value === 1 || value === true) plain[key] = value;
    else if (key !== '_id') {
      added.add(topLevel(key));
      computed = true;
    }
  }
  const inclusive = Object.entries(plain).some(([key, value]) => key !== '_id' && (value === 1 || value === true));
  if (computed && !inclusive) return () => false;
  return selection(plain);
}

const topLevel = (key: string): string => key.split('.')[0] ?? key;

/**
 * Fills or checks one aggregation row; returns the error, or raises it when `raise`.
 *
 * @example
 * ```ts
 * const shape = rowShape(aggregate.pipeline());
 * if (shape) for (const row of rows) enforceOnRow(Entry, row, shape, true, true); // strict: throws MigrationError
 * ```
 */
export function enforceOnRow(
  model: Model<never>,
  row: Record<string, unknown>,
  shape: RowShape,
  strict: boolean,
  raise: boolean,
): MigrationError | undefined {
  const own = discriminatorOf(model, row);
  const plan: Plan = planOf(own.schema as object);
  const found = inspect(row, plan, { fill: !strict, collect: strict, selected: shape.selected });
  if (!found) return undefined;
  const unknown = found.unknown.filter((key) => !shape.added.has(key));
  if (found.missing.length === 0 && unknown.length === 0) return undefined;
  const error = documentError(own.modelName, row['_id'], { missing: found.missing, unknown });
  if (raise) throw error;
  return error;
}

/**
 * Checks (strict) or fills (lax) every row of an aggregation result, raising
 * the first MigrationError. `remember` (the model itself is strict) records
 * each good row, so that Model.hydrate() does not take its annotations for
 * unknown fields.
 *
 * @example
 * ```ts
 * schema.post('aggregate', function (rows) { enforceOnRows(Entry, rows, rowShape(this.pipeline()), true, true); });
 * ```
 */
export function enforceOnRows(
  model: Model<never>,
  rows: readonly unknown[],
  shape: RowShape,
  strict: boolean,
  remember: boolean,
): void {
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    enforceOnRow(model, row as Record<string, unknown>, shape, strict, true);
    if (remember) judgeRow(row, null);
  }
}

/**
 * An aggregation cursor transform doing the same per row: a cursor's
 * transform has no error channel, so it records the row's error (or, when
 * `remember`, that it passed) for whoever hands the row out to raise.
 *
 * @example
 * ```ts
 * addCursorTransform(aggregate, rowJudge(Entry, shape, true, true));
 * ```
 */
export function rowJudge(
  model: Model<never>,
  shape: RowShape,
  strict: boolean,
  remember: boolean,
): (row: unknown) => unknown {
  return function enforceOnCursorRow(row: unknown): unknown {
    if (row && typeof row === 'object') {
      const error = enforceOnRow(model, row as Record<string, unknown>, shape, strict, false);
      if (error) judgeRow(row, error);
      else if (remember) judgeRow(row, null);
    }
    return row;
  };
}
