// The stages annotations add after the QuerySet's $match: a $group for
// values(...).annotate(), $addFields for annotations per document, then a
// $match for filters that name annotations (SQL's HAVING).
import type { Model } from 'mongoose';
import { compileWhere } from './compile.js';
import { GroupNode } from './nodes.js';
import { annotationJoins, compileAnnotations } from './annotations-compile.js';
import { joinStages } from './relations-join.js';
import { groupStages, groupedPath, type Grouping } from './annotations-group.js';
import type { AnnotationSpec } from './aggregates.js';
import { scopeOf, type Props } from './queryset-props.js';

/** Whether a parsed filter holds no condition (as `exclude()`), and so adds no stage. */
function isVacuous(node: GroupNode): boolean {
  return node.children.every((child) => GroupNode.is(child) && isVacuous(child));
}

/**
 * Whether the QuerySet filters on annotations, so that its matches are
 * known only after they are computed.
 *
 * @example
 * ```ts
 * filtersAnnotations(Entry.objects.annotate({ n: Count('tags') }).filter({ n__gte: 2 }) props); // true
 * ```
 */
export function filtersAnnotations(props: Props): boolean {
  return !isVacuous(props.having);
}

/**
 * The stages between the QuerySet's $match and its ordering: per-document
 * annotations ($addFields), the group of values(...).annotate(), and the
 * $match of filters on annotations. Annotations across references read
 * through $lookup stages first (`joined` names those made already).
 *
 * @example
 * ```ts
 * annotationStages(Entry, props); // [{ $addFields: { n: { $size: … } } }, { $match: { n: { $gte: 2 } } }]
 * ```
 */
export function annotationStages<TRaw>(
  model: Model<TRaw>,
  props: Props,
  joined: Set<string> = new Set(),
): Record<string, unknown>[] {
  const scope = scopeOf(model);
  const grouped = new Set(Object.keys(props.grouping?.aggregates ?? {}));
  const perDocument: AnnotationSpec = Object.fromEntries(
    Object.entries(props.annotations).filter(([name]) => !grouped.has(name)),
  );
  const stages: Record<string, unknown>[] = [];
  if (Object.keys(perDocument).length > 0) {
    stages.push(...joinStages(annotationJoins(scope, perDocument), joined));
    stages.push({ $addFields: compileAnnotations(scope, perDocument) });
  }
  if (props.grouping) stages.push(...groupStages(scope, new Set(Object.keys(perDocument)), props.grouping, joined));
  if (!isVacuous(props.having)) {
    const having = compileWhere(props.having, model.modelName);
    stages.push({ $match: props.grouping ? regroupFilter(props.grouping, having) : having });
  }
  return stages;
}

// A filter on a grouped row reads the values of the group under `_id`; the
// filter's top-level keys are paths (compiled from parsed keys), and $and,
// $or and $nor hold filters.
function regroupFilter(grouping: Grouping, filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter).map(([key, value]) =>
      key === '$and' || key === '$or' || key === '$nor'
        ? [key, (value as Record<string, unknown>[]).map((f) => regroupFilter(grouping, f))]
        : [groupedPath(grouping, key), value],
    ),
  );
}

/**
 * The $sort of a grouped QuerySet: the values of the group are under `_id`.
 *
 * @example
 * ```ts
 * groupedSort(props, { rating: -1, n: 1 }); // { '_id.k0': -1, n: 1 }
 * ```
 */
export function groupedSort(props: Props, sort: Readonly<Record<string, 1 | -1>>): Record<string, 1 | -1> {
  const grouping = props.grouping;
  if (!grouping) return { ...sort };
  return Object.fromEntries(Object.entries(sort).map(([path, dir]) => [groupedPath(grouping, path), dir]));
}
