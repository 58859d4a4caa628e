// Django's aggregates: Sum, Avg, Min, Max and Count, as frozen nodes, and
// the names they go by (given, or Django's default alias). Compiled over
// documents in aggregate-compile.ts, per document in annotations-compile.ts.
import { FieldError } from '../core/errors.js';
import { describe } from '../core/values.js';
import {
  checkedOptions,
  NAMES,
  written,
  type AggregateDefault,
  type AggregateFunction,
  type MinMaxOptions,
  type SumOptions,
} from './aggregate-options.js';
import type { CompileScope } from './parse.js';
import { FExpression } from './q.js';

export type { AggregateDefault, AggregateFunction, MinMaxOptions, SumOptions } from './aggregate-options.js';

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
  Default extends AggregateDefault | undefined = AggregateDefault | undefined,
> {
  readonly kind: 'aggregate';
  readonly fn: Fn;
  /**
   * The field in filter-key form (`blog__name`, `pk`), or a date part of one
   * (`pub_date__month`); undefined for `Count()` and for an aggregate of an expression.
   */
  readonly field: Field;
  /** The F() expression folded instead of a field, Django's `Sum(F('a') + F('b'))`; it needs a name. */
  readonly expression?: FExpression;
  /** Fold distinct values only: Count, Sum and Avg take it. */
  readonly distinct: boolean;
  /** What the aggregate gives instead of null (Django 4.0's `default=`); absent when none was given. */
  readonly default?: Default;
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
  /**
   * When the rows folded are not documents (distinct rows): where each row
   * holds a field's path (`rating` at `_id.k0`). A field not here is not in the rows.
   */
  readonly rows?: ReadonlyMap<string, string>;
}

/** The field an aggregate's argument names: itself, or none for an F() expression. */
type FieldOf<K> = K extends string ? K : undefined;

function node<Fn extends AggregateFunction, F extends string | undefined, D extends AggregateDefault | undefined>(
  fn: Fn,
  field: F | FExpression,
  options?: unknown,
): AggregateNode<Fn, F, D> {
  if (field instanceof FExpression) {
    // Django's Sum(F('price') * F('quantity')): the expression per row, then folded.
    if (fn === 'count') {
      throw new FieldError(`Count() takes a field name, not an F() expression; got ${describeOperand(field)}.`);
    }
    const folded = { kind: 'aggregate', fn, field: undefined, expression: field, ...checkedOptions(fn, options) };
    return Object.freeze(folded) as AggregateNode<Fn, F, D>;
  }
  if (field !== undefined && (typeof field !== 'string' || field === '')) {
    throw new FieldError(`${NAMES[fn]}() takes a field name in filter-key form, e.g. 'views' or 'blog__name'.`);
  }
  return Object.freeze({ kind: 'aggregate', fn, field, ...checkedOptions(fn, options) }) as AggregateNode<Fn, F, D>;
}

/**
 * The total of a field: `$sum`. Over no rows it is null, as Django's (or
 * `default`, when given); over an array (in `annotate`) an empty array gives
 * 0, MongoDB's `$sum`. `{ distinct: true }` adds each distinct value once.
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ total: Sum('views') }); // { total: 450 }
 * // [{ $match: {} }, { $group: { _id: null, total: { $sum: '$views' } } }]
 * await Entry.objects.filter({ rating__gt: 5 }).aggregate({ total: Sum('views', { default: 0 }) }); // { total: 0 }
 * await Entry.objects.aggregate({ reach: Sum(F('views').plus(F('likes'))) }); // an expression per document, folded
 * ```
 */
export function Sum<const K extends string | FExpression, const D extends AggregateDefault | undefined = undefined>(
  field: K,
  options?: SumOptions<D>,
): AggregateNode<'sum', FieldOf<K>, D> {
  return node('sum', field as FieldOf<K> | FExpression, options);
}

/**
 * The mean of a field's numbers: `$avg`. Null over no rows (or `default`);
 * `{ distinct: true }` averages the distinct values.
 *
 * @example
 * ```ts
 * await Entry.objects.filter({ blog__name: 'Beatles Blog' }).aggregate({ avg: Avg('rating') }); // { avg: 4.5 }
 * await Entry.objects.aggregate({ avg: Avg('rating', { distinct: true }) }); // each rating once
 * ```
 */
export function Avg<const K extends string | FExpression, const D extends AggregateDefault | undefined = undefined>(
  field: K,
  options?: SumOptions<D>,
): AggregateNode<'avg', FieldOf<K>, D> {
  return node('avg', field as FieldOf<K> | FExpression, options);
}

/**
 * The smallest value of a field, or of a date part of it
 * (`pub_date__month`): `$min`. Null over no rows (or `default`).
 *
 * @example
 * ```ts
 * await Entry.objects.aggregate({ fewest: Min('views') }); // { fewest: 50 }
 * await Entry.objects.aggregate({ first_month: Min('pub_date__month') }); // { first_month: 5 }
 * ```
 */
export function Min<const K extends string | FExpression, const D extends AggregateDefault | undefined = undefined>(
  field: K,
  options?: MinMaxOptions<D>,
): AggregateNode<'min', FieldOf<K>, D> {
  return node('min', field as FieldOf<K> | FExpression, options);
}

/**
 * The largest value of a field, or of a date part of it: `$max`. Null over
 * no rows (or `default`).
 *
 * @example
 * ```ts
 * await Entry.objects.annotate({ best: Max('comments__score') }).orderBy('-best'); // per entry, over its comments
 * ```
 */
export function Max<const K extends string | FExpression, const D extends AggregateDefault | undefined = undefined>(
  field: K,
  options?: MinMaxOptions<D>,
): AggregateNode<'max', FieldOf<K>, D> {
  return node('max', field as FieldOf<K> | FExpression, options);
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
  options?: { readonly distinct?: boolean },
): AggregateNode<'count', K, undefined> {
  // Django's Count('*') is COUNT(*): every document, as Count() is.
  if ((field as string | undefined) === '*') return node('count', undefined as K, options);
  return node('count', field as K, options);
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
  const args = agg.expression
    ? describeOperand(agg.expression)
    : agg.field === undefined
      ? ''
      : JSON.stringify(agg.field);
  const options = [
    ...(agg.distinct ? ['distinct: true'] : []),
    ...(agg.default === undefined ? [] : [`default: ${written(agg.default)}`]),
  ];
  return `${NAMES[agg.fn]}(${args}${options.length > 0 ? `, { ${options.join(', ')} }` : ''})`;
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
        "over a field is named by itself (<field>__<function>, as Count('rating') is rating__count); " +
        'an aggregate of an F() expression needs a name, as Django\'s "Complex aggregates require an alias".',
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
