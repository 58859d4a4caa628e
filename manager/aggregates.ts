// Django's aggregates: Sum, Avg, Min, Max and Count, as frozen nodes, and
// the names they go by (given, or Django's default alias). Compiled over
// documents in aggregate-compile.ts, per document in annotations-compile.ts.
import { FieldError } from '../core/errors.js';
import { describe } from '../core/values.js';
import type { CompileScope } from './parse.js';
import { FExpression } from './q.js';

/** The functions an {@link AggregateNode} can apply. */
export type AggregateFunction = 'sum' | 'avg' | 'min' | 'max' | 'count';

/**
 * One aggregate: a function and the field it folds. Frozen; made by
 * {@link Sum}, {@link Avg}, {@link Min}, {@link Max} and {@link Count}.
 *
 * @example
 * ```ts
 * Count('blog__name', { distinct: true }); // { kind: 'aggregate', fn: 'count', field: 'blog__name', distinct: true }
 * ```
 */
export interface AggregateNode<
  Fn extends AggregateFunction = AggregateFunction,
  Field extends string | undefined = string | undefined,
> {
  readonly kind: 'aggregate';
  readonly fn: Fn;
  /** The field in filter-key form (`blog__name`, `pk`); undefined for `Count()`. */
  readonly field: Field;
  /** Count distinct values only. Always false except on Count. */
  readonly distinct: boolean;
}

/**
 * `aggregate()`'s argument: output names to aggregates.
 *
 * @example
 * ```ts
 * const spec: AggregateSpec = { total: Sum('views'), n: Count() };
 * ```
 */
export type AggregateSpec = Readonly<Record<string, AggregateNode>>;

/**
 * A per-document value `annotate()` can compute: an F() expression, or an
 * aggregate over an array of the document.
 *
 * @example
 * ```ts
 * const net: Annotation = F('likes').minus(F('views'));
 * ```
 */
export type Annotation = AggregateNode | FExpression;

/**
 * `annotate()`'s argument: new names to expressions.
 *
 * @example
 * ```ts
 * const spec: AnnotationSpec = { n_comments: Count('comments'), best: Max('comments__score') };
 * ```
 */
export type AnnotationSpec = Readonly<Record<string, Annotation>>;

/**
 * A scope for aggregates: the schema, and the names annotate() has added,
 * which aggregate() may fold.
 *
 * @example
 * ```ts
 * compileAggregation({ schema, modelName: 'Entry', annotations: new Set(['points']) }, { total: Sum('points') });
 * ```
 */
export interface AggregateScope extends CompileScope {
  readonly annotations?: ReadonlySet<string>;
}

const NAMES: Record<AggregateFunction, string> = { sum: 'Sum', avg: 'Avg', min: 'Min', max: 'Max', count: 'Count' };

function node<Fn extends AggregateFunction, F extends string | undefined>(
  fn: Fn,
  field: F,
  distinct = false,
): AggregateNode<Fn, F> {
  if (field !== undefined && (typeof field !== 'string' || field === '')) {
    throw new FieldError(`${NAMES[fn]}() takes a field name in filter-key form, e.g. 'views' or 'blog__name'.`);
  }
  return Object.freeze({ kind: 'aggregate', fn, field, distinct });
}

/**
 * The total of a field: `$sum`. Over no rows it is null, as Django's; over an
 * array (in `annotate`) an empty array gives 0, MongoDB's `$sum`.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ total: Sum('views') }); // { total: 450 }
 * // [{ $match: {} }, { $group: { _id: null, total: { $sum: '$views' } } }]
 * ```
 */
export function Sum<const K extends string>(field: K): AggregateNode<'sum', K> {
  return node('sum', field);
}

/**
 * The mean of a field's numbers: `$avg`. Null over no rows.
 *
 * @example
 * ```ts
 * await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ avg: Avg('rating') }); // { avg: 4.5 }
 * ```
 */
export function Avg<const K extends string>(field: K): AggregateNode<'avg', K> {
  return node('avg', field);
}

/**
 * The smallest value of a field: `$min`. Null over no rows.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ fewest: Min('views') }); // { fewest: 50 }
 * ```
 */
export function Min<const K extends string>(field: K): AggregateNode<'min', K> {
  return node('min', field);
}

/**
 * The largest value of a field: `$max`. Null over no rows.
 *
 * @example
 * ```ts
 * await Entry.objects.annotate({ best: Max('comments__score') }).orderBy('-best'); // per entry, over its comments
 * ```
 */
export function Max<const K extends string>(field: K): AggregateNode<'max', K> {
  return node('max', field);
}

/**
 * How many: `Count()`, `Count('*')`, `Count('id')` and `Count('pk')` count documents;
 * `Count(field)` counts documents where the field is not null, as SQL's
 * COUNT(field); `{ distinct: true }` counts distinct non-null values. In
 * `annotate`, it counts the elements of an array of the document.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ n: Count(), blogs: Count('blog__name', { distinct: true }) }); // { n: 3, blogs: 2 }
 * await Entry.objects.annotate({ n_comments: Count('comments') }).orderBy('-n_comments');
 * ```
 */
export function Count<const K extends string | undefined = undefined>(
  field?: K,
  options: { readonly distinct?: boolean } = {},
): AggregateNode<'count', K> {
  // Django's Count('*') is COUNT(*): every document, as Count() is.
  if ((field as string | undefined) === '*') return node('count', undefined as K, options.distinct === true);
  return node('count', field as K, options.distinct === true);
}

/**
 * Whether a value is an aggregate node.
 *
 * @example
 * ```ts
 * isAggregate(Sum('views')); // true
 * isAggregate(F('views')); // false
 * ```
 */
export function isAggregate(value: unknown): value is AggregateNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'aggregate';
}

/** `Sum("views")`, as messages write an aggregate. */
export function label(agg: AggregateNode): string {
  const args = agg.field === undefined ? '' : JSON.stringify(agg.field);
  return `${NAMES[agg.fn]}(${args}${agg.distinct ? ', { distinct: true }' : ''})`;
}

/** An F() as written; anything else as every message describes a value. */
export function describeOperand(value: unknown): string {
  return value instanceof FExpression ? `F(${JSON.stringify(value.field)})` : describe(value);
}

/**
 * The rules MongoDB puts on output names ($group and $addFields keys), and
 * the names annotate() keeps for paths. Throws {@link FieldError}.
 *
 * @example
 * ```ts
 * checkName('total', 'aggregate'); // passes
 * checkName('a.b', 'aggregate'); // FieldError: aggregate() name "a.b" contains "."; choose another name.
 * ```
 */
export function checkName(name: string, where: 'aggregate' | 'annotate'): void {
  const problem =
    name === ''
      ? 'is empty'
      : name.startsWith('$')
        ? 'starts with "$"'
        : name.includes('.')
          ? 'contains "."'
          : where === 'aggregate' && name === '_id'
            ? 'is the group key "_id"'
            : where === 'annotate' && name.startsWith('_')
              ? 'starts with "_", which documents keep for their own fields'
              : where === 'annotate' && name.includes('__') && !isDefaultAlias(name)
                ? 'contains "__", which orderBy and values read as a path'
                : undefined;
  if (problem) throw new FieldError(`${where}() name ${JSON.stringify(name)} ${problem}; choose another name.`);
}

const DEFAULT_ALIAS = /__(sum|avg|min|max|count)$/;

function isDefaultAlias(name: string): boolean {
  return DEFAULT_ALIAS.test(name);
}

/**
 * Django's default alias of an aggregate given without a name:
 * `<field>__<function>`, e.g. `authors__age__avg`. `Count()` has none.
 *
 * @example
 * ```ts
 * defaultAlias(Avg('authors__age')); // 'authors__age__avg'
 * ```
 */
export function defaultAlias(agg: AggregateNode): string {
  if (agg.field === undefined) {
    throw new FieldError(
      `${label(agg)} has no default name: give it one, e.g. aggregate({ n: Count() }). Only an aggregate ` +
        "over a field is named by itself (<field>__<function>, as Count('rating') is rating__count).",
    );
  }
  return `${agg.field}__${agg.fn}`;
}

/**
 * aggregate()'s and annotate()'s arguments as one spec: objects of names,
 * and aggregates given without a name under Django's default alias.
 * A name given twice is a {@link FieldError}.
 *
 * @example
 * ```ts
 * specOf([Avg('rating'), { n: Count() }]); // { rating__avg: Avg('rating'), n: Count() }
 * ```
 */
export function specOf<V>(
  args: readonly (AggregateNode | Readonly<Record<string, V>>)[],
): Record<string, V | AggregateNode> {
  const spec: Record<string, V | AggregateNode> = {};
  for (const arg of args) {
    const entries: [string, V | AggregateNode][] = isAggregate(arg) ? [[defaultAlias(arg), arg]] : Object.entries(arg);
    for (const [name, value] of entries) {
      if (Object.hasOwn(spec, name)) {
        throw new FieldError(`The name ${JSON.stringify(name)} is given twice; each aggregate needs its own name.`);
      }
      spec[name] = value;
    }
  }
  return spec;
}
