// values(...).annotate(aggregates): Django's GROUP BY. The values name the
// group; each aggregate folds the documents of a group, and a group is one
// row, keyed as values() keys it. The group key is a document of the
// values' paths (`{ k0: '$rating' }`); rows are put back in the values'
// shape here rather than by a $project of field paths, which FerretDB v1.24
// returns as strings (the fieldPathValues gap).
import { NotSupportedError } from '../core/errors.js';
import { groupStage } from './aggregate-compile.js';
import { joinStages } from './relations-join.js';
import { isAggregate, type AggregateSpec, type AnnotationSpec } from './aggregates.js';
import type { CompileScope } from './parse.js';

/** What values() named: the keys as given and their resolved paths. */
interface ValuesNames {
  readonly fields: readonly string[];
  readonly paths: readonly string[];
}

/** What a grouped QuerySet groups by, and the aggregates computed per group. */
export interface Grouping {
  /** The dotted paths of the values that make a group. */
  readonly paths: readonly string[];
  /** The annotations given after values(), which fold each group. */
  readonly aggregates: AggregateSpec;
}

/**
 * The grouping that `annotate(spec)` after `values(...fields)` starts (or
 * adds to): only aggregates fold a group, so an F() is a {@link NotSupportedError}.
 * Undefined when the QuerySet groups nothing (no values, or values() of every field).
 *
 * @example
 * ```ts
 * groupingFor(values, undefined, { n: Count('id') }); // { paths: ['rating'], aggregates: { n: Count('id') } }
 * ```
 */
export function groupingFor(
  values: ValuesNames | undefined,
  grouping: Grouping | undefined,
  spec: AnnotationSpec,
): Grouping | undefined {
  const paths = grouping?.paths ?? (values && values.fields.length > 0 ? values.paths : undefined);
  // F() alone after values() adds a column, as in Django: only aggregates group.
  if (paths === undefined || (!grouping && !Object.values(spec).some(isAggregate))) return grouping;
  for (const [name, expr] of Object.entries(spec)) {
    if (!isAggregate(expr)) {
      throw new NotSupportedError(
        `annotate() after values(...) groups by the values, so it takes Sum, Avg, Min, Max or Count; ` +
          `${JSON.stringify(name)} is an F() expression. Annotate it before values(...) to group by it.`,
      );
    }
  }
  return Object.freeze({ paths, aggregates: Object.freeze({ ...grouping?.aggregates, ...(spec as AggregateSpec) }) });
}

/**
 * The $group (and the $project finishing its distinct counts and means) of a
 * grouping, after the $lookup stages of its aggregates across references
 * (one row per referenced document, as Django's join) not in `joined` yet.
 *
 * @example
 * ```ts
 * groupStages(scope, new Set(), { paths: ['rating'], aggregates: { n: Count('id') } });
 * // [{ $group: { _id: { k0: '$rating' }, n: { $sum: 1 } } }]
 * ```
 */
export function groupStages(
  scope: CompileScope,
  annotations: ReadonlySet<string>,
  grouping: Grouping,
  joined: Set<string> = new Set(),
): Record<string, unknown>[] {
  const key = Object.fromEntries(grouping.paths.map((path, i) => [`k${i}`, `$${path}`]));
  const { group, finish, joins } = groupStage({ ...scope, annotations }, key, grouping.aggregates, 'annotate');
  const grouped = finish ? [{ $group: group }, { $project: { _id: 1, ...finish } }] : [{ $group: group }];
  return [...joinStages(joins, joined), ...grouped];
}

/** Where a grouped row holds a path: a value of the group under `_id`, or the path itself (an aggregate). */
export function groupedPath(grouping: Grouping, path: string): string {
  const i = grouping.paths.indexOf(path);
  return i < 0 ? path : `_id.k${i}`;
}

/**
 * A grouped row in the values' shape: each value of the group at its path
 * (`blog.name` nested, as values() reads it), with the aggregates.
 *
 * @example
 * ```ts
 * ungroup(grouping, { _id: { k0: 4 }, n: 2 }); // { rating: 4, n: 2 }
 * ```
 */
export function ungroup(grouping: Grouping, row: Record<string, unknown>): Record<string, unknown> {
  const { _id: key, ...rest } = row;
  grouping.paths.forEach((path, i) => {
    const parts = path.split('.');
    const last = parts.pop() ?? path;
    let at = rest;
    for (const part of parts) {
      const next = Object.hasOwn(at, part) ? at[part] : undefined;
      at = at[part] = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : {};
    }
    at[last] = (key as Record<string, unknown> | null)?.[`k${i}`] ?? null;
  });
  return rest;
}
