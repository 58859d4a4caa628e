// Aggregation rows: which pipelines still hand out the model's documents,
// and enforcing ENFORCE_SCHEMA on such a row. Fields a pipeline added are
// annotations, not unknown fields; any other stage ($group, $lookup, …)
// makes rows of another shape, which are left alone.
import type { Model } from 'mongoose';
import type { MigrationError } from '../core/errors.js';
import { inspect, planOf, selection, type Plan } from './enforce-schema-plan.js';
import { documentError } from './enforce-schema-errors.js';

// Stages after which an aggregation's rows are still the model's documents,
// with fields added ($addFields/$set) or selected ($project).
const DOCUMENT_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$addFields', '$set', '$project']);

/** What a pipeline did to the model's documents. */
export interface RowShape {
  /** Field names the pipeline added: annotations, not unknown fields. */
  readonly added: ReadonlySet<string>;
  readonly selected: ((path: string) => boolean) | undefined;
}

/**
 * The shape of the rows a pipeline hands out, or undefined when they are
 * not the model's documents (a stage other than $match, $sort, $skip,
 * $limit, $addFields, $set and $project).
 *
 * @example
 * ```ts
 * rowShape([{ $match: { rating: { $gt: 3 } } }, { $addFields: { score: 1 } }]);
 * // { added: Set { 'score' }, selected: undefined }
 * rowShape([{ $group: { _id: '$blog' } }]); // undefined
 * ```
 */
export function rowShape(pipeline: readonly Record<string, unknown>[]): RowShape | undefined {
  const added = new Set<string>();
  let selected: RowShape['selected'];
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (name === undefined || !DOCUMENT_STAGES.has(name)) return undefined;
    if ((name === '$addFields' || name === '$set') && spec && typeof spec === 'object') {
      for (const key of Object.keys(spec)) added.add(key);
    }
    if (name === '$project') selected = selection(spec);
  }
  return { added, selected };
}

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
  const plan: Plan = planOf(model.schema as object);
  const found = inspect(row, plan, { fill: !strict, collect: strict, selected: shape.selected });
  if (!found) return undefined;
  const unknown = found.unknown.filter((key) => !shape.added.has(key));
  if (found.missing.length === 0 && unknown.length === 0) return undefined;
  const error = documentError(model.modelName, row['_id'], { missing: found.missing, unknown });
  if (raise) throw error;
  return error;
}
