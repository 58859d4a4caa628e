// A QuerySet's state: the frozen props each chaining method copies with one
// change. What they hold is parsed already: the filter as nodes, and the
// fields that orderBy, only, defer and values name as resolved paths, so
// neither compiling nor shaping a row resolves a key again.
import type { Model, PopulateOptions } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { GroupNode } from './nodes.js';
import type { CompileScope } from './parse.js';
import type { AnnotationSpec } from './aggregates.js';
import type { Grouping } from './annotations-group.js';
import type { Join } from './relations-join.js';

/** One orderBy term: the key as given (`-blog__name`), its path (or annotation) and direction. */
export interface OrderTerm {
  readonly key: string;
  readonly path: string;
  readonly direction: 1 | -1;
  /** For a key across references (`-author__age`): the joins that bring its field into each row. */
  readonly joins?: readonly Join[];
}

/** What values() or valuesList() asks for. */
export interface ValuesSpec {
  /** The keys as given (`blog__name`), which key values()'s rows. */
  readonly fields: readonly string[];
  /** Their dotted paths (or annotation names), read from each row; as many as fields. */
  readonly paths: readonly string[];
  readonly list: boolean;
  readonly flat: boolean;
  /**
   * Keys of a fetched row that values() with no fields leaves out: the
   * version key, which is bookkeeping, not a field of the model.
   */
  readonly hidden: readonly string[];
  /** For fields across references (`author__name`): the joins that bring them into each row. */
  readonly joins?: readonly Join[];
}

/** What dates() or datetimes() asks for (dates.ts parses and runs it). */
export interface DatesSpec {
  readonly path: string;
  readonly kind: 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';
  readonly descending: boolean;
}

export interface Props {
  readonly where: GroupNode;
  readonly empty: boolean;
  readonly order: readonly OrderTerm[];
  readonly skip: number | undefined;
  readonly limit: number | undefined;
  readonly lean: boolean;
  readonly projection: Readonly<Record<string, 0 | 1>> | undefined;
  readonly values: ValuesSpec | undefined;
  /** annotate()'s names and expressions, in order; orderBy and values may name them. */
  readonly annotations: AnnotationSpec;
  /** selectRelated's and prefetchRelated's references, as Mongoose populate options (relations-select.ts). */
  readonly populate: readonly PopulateOptions[];
  /** selectRelated's own references, the part of `populate` read by a join where the server has $lookup. */
  readonly select: readonly PopulateOptions[];
  /** reverse() was called an odd number of times: Django's standard_ordering, false. */
  readonly reversed: boolean;
  /** distinct() without a field: whole rows, Django's SELECT DISTINCT. */
  readonly distinctRows: boolean;
  /** dates() or datetimes(): the results are that field's truncated dates. */
  readonly dates: DatesSpec | undefined;
  /** Filters that name annotations: matched after the annotations are computed (SQL's HAVING). */
  readonly having: GroupNode;
  /** values(...).annotate(aggregates): the GROUP BY. */
  readonly grouping: Grouping | undefined;
}

export const EMPTY: Props = Object.freeze({
  where: GroupNode.everything,
  empty: false,
  order: [],
  skip: undefined,
  limit: undefined,
  lean: false,
  projection: undefined,
  values: undefined,
  annotations: Object.freeze({}),
  populate: Object.freeze([]),
  select: Object.freeze([]),
  reversed: false,
  distinctRows: false,
  dates: undefined,
  having: GroupNode.everything,
  grouping: undefined,
});

/**
 * The joins that orderBy() and values() across references need, in order:
 * the QuerySet then runs as a pipeline, with their $lookup stages after its $match.
 *
 * @example
 * ```ts
 * propsJoins(Article.objects.values('author__name') props); // [{ local: 'author', from: 'authors', as: '_rows_author', … }]
 * ```
 */
export function propsJoins(props: Props): readonly Join[] {
  return [...props.order.flatMap((t) => t.joins ?? []), ...(props.values?.joins ?? [])];
}

/** The schema and model name that filters, updates and annotations compile against. */
export function scopeOf<TRaw>(model: Model<TRaw>): CompileScope {
  return { schema: model.schema, modelName: model.modelName, connection: model.db };
}

/** The skip and limit of `slice(start, end)` taken over props that may be sliced already. */
export function sliceWindow(props: Props, start: number, end: number | undefined): Pick<Props, 'skip' | 'limit'> {
  if (!Number.isInteger(start) || start < 0 || (end !== undefined && (!Number.isInteger(end) || end < start))) {
    throw new FieldError(
      'slice(start, end) takes whole numbers with 0 <= start <= end; negative indexing is not supported.',
    );
  }
  const skip = (props.skip ?? 0) + start;
  const fromEnd = end === undefined ? undefined : end - start;
  const limit = props.limit === undefined ? fromEnd : Math.max(0, Math.min(props.limit - start, fromEnd ?? Infinity));
  return { skip, limit };
}
