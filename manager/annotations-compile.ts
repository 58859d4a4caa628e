// annotate() per document: the $addFields body. F() expressions, which may
// name earlier annotations (inlined: within one $addFields stage `$n` would
// read the stored field, not the new one), and aggregates, which fold an
// array of the document, or over a scalar field fold the one value there
// is: Django groups each row by its primary key, so Sum('views') is the
// views and Count('rating') is 1, or 0 where it is null.
import { FieldError } from '../core/errors.js';
import { fieldExpression, type CompileScope } from './filter.js';
import { FExpression, type FStep } from './q.js';
import { stepExpression } from './f-compile.js';
import { aggregateTarget, type Target } from './aggregate-compile.js';
import {
  checkName,
  describeOperand,
  isAggregate,
  label,
  type AggregateNode,
  type AnnotationSpec,
} from './aggregates.js';
import { namesAnnotation } from './annotations-scope.js';
import { joinPath, joinResolver, type Join } from './relations-join.js';

/** Compiled annotations so far, by name: what an F() of one stands for. */
type Compiled = ReadonlyMap<string, unknown>;

/** An F() as a pipeline expression, with annotations it names replaced by their expressions. */
function expression(scope: CompileScope, f: FExpression, known: Compiled): unknown {
  if (!namesAnnotation(known, f)) return fieldExpression(scope, f);
  let expr = known.has(f.field) ? known.get(f.field) : fieldExpression(scope, new FExpression(f.field));
  for (const [op, operand, constantFirst] of f.ops) {
    const other = operand instanceof FExpression ? expression(scope, operand, known) : operand;
    expr = constantFirst ? stepExpression(op, other, expr) : stepExpression(op, expr, other);
  }
  return expr;
}

function aggregateExpression(scope: CompileScope, name: string, expr: unknown, known: Compiled): unknown {
  if (expr instanceof FExpression) return expression(scope, expr, known);
  if (!isAggregate(expr)) {
    throw new FieldError(
      `annotate() takes F() expressions or Sum, Avg, Min, Max or Count; ${JSON.stringify(name)} is ${describeOperand(expr)}.`,
    );
  }
  // An expression per document is its one value (Django groups each row by its key).
  if (expr.expression) {
    const value = { $ifNull: [expression(scope, expr.expression, known), null] };
    return expr.default === undefined ? value : { $ifNull: [value, { $literal: expr.default }] };
  }
  // Count() per document: the one row of its group.
  if (expr.field === undefined) {
    if (expr.fn !== 'count') throw new FieldError(`${label(expr)} needs a field.`);
    return { $literal: 1 };
  }
  const t = aggregateTarget({ ...scope, annotations: new Set(known.keys()) }, expr, expr.field, 'document');
  const value = known.has(t.path) ? known.get(t.path) : t.value;
  const folded = foldOne(expr, t, value);
  // Django's default= is a Coalesce: the default where the aggregate is null.
  return expr.default === undefined ? folded : { $ifNull: [folded, { $literal: expr.default }] };
}

/** An aggregate over one document's value: the value itself, or the fold of its array. */
function foldOne(expr: AggregateNode, t: Target, value: unknown): unknown {
  if (!t.isArray) {
    if (expr.fn !== 'count') return { $ifNull: [value, null] };
    return t.isPrimaryKey ? { $literal: 1 } : { $cond: [{ $gt: [value, null] }, 1, 0] };
  }
  // $size refuses a missing array; a document without one has none.
  const array = { $ifNull: [value, []] };
  const values = expr.distinct ? { $setUnion: [array] } : array;
  if (expr.fn === 'count') return { $size: values };
  return { [`$${expr.fn}`]: expr.distinct ? values : value };
}

/**
 * The `$addFields` stage body for `annotate(spec)`: F() expressions (naming
 * earlier annotations too), aggregates over an array of the same document
 * (`$size` for Count, `$sum`, `$avg`, `$min`, `$max` of the array's values),
 * and aggregates over a scalar field, which give its value (Count: 1, or 0 for null).
 *
 * @example
 * ```ts
 * compileAnnotations(scope, { net: F('likes').minus(F('views')), n_comments: Count('comments') });
 * // { net: { $subtract: ['$likes', '$views'] }, n_comments: { $size: { $ifNull: ['$comments', []] } } }
 * compileAnnotations(scope, { n: Count('comments'), more: F('n').plus(1) });
 * // { n: { $size: … }, more: { $add: [{ $size: … }, 1] } }
 * ```
 */
export function compileAnnotations(outer: CompileScope, spec: AnnotationSpec): Record<string, unknown> {
  // F('ceo__salary') reads the joined document (annotationJoins' stages).
  const joined = joinResolver(outer, 'document');
  const scope: CompileScope = { ...outer, annotation: (key) => outer.annotation?.(key) ?? joined(key) };
  const known = new Map<string, unknown>();
  for (const [name, expr] of Object.entries(spec)) {
    checkName(name, 'annotate');
    known.set(name, aggregateExpression(scope, name, expr, known));
  }
  return Object.fromEntries(known);
}

/**
 * The joins that `annotate(spec)` reads through, for the $lookup stages
 * before its $addFields: those of aggregates across references
 * (`Avg('authors__age')`, the referenced documents as an array of each
 * document) and of F() across a reference (`F('ceo__salary')`).
 *
 * @example
 * ```ts
 * annotationJoins(scopeOf(Book), { mean_age: Avg('authors__age') }); // [{ local: 'authors', from: 'authors', as: '_join_authors', unwind: false }]
 * ```
 */
export function annotationJoins(scope: CompileScope, spec: AnnotationSpec): readonly Join[] {
  const names = new Set(Object.keys(spec));
  const joins: Join[] = [];
  const visit = (expr: unknown): void => {
    if (isAggregate(expr) && expr.field !== undefined) {
      joins.push(...aggregateTarget({ ...scope, annotations: names }, expr, expr.field, 'document').joins);
    } else if (expr instanceof FExpression) {
      if (!names.has(expr.field)) joins.push(...(joinPath(scope, expr.field, 'document')?.joins ?? []));
      for (const [, operand] of expr.ops) visit(operand);
    }
  };
  Object.values(spec).forEach(visit);
  return joins;
}

/**
 * An update value with the annotations it names replaced by what they
 * compute, for `annotate({ alias: F('value') }).update({ other: F('alias') })`:
 * an update sees stored fields only. An annotation that folds an array has no
 * F() form, and is a {@link FieldError}, as in Django.
 *
 * @example
 * ```ts
 * inlineAnnotations({ alias: F('value').times(2) }, F('alias').plus(1)); // F('value').times(2).plus(1)
 * ```
 */
export function inlineAnnotations(spec: AnnotationSpec, f: FExpression): FExpression {
  const ops = f.ops.map(([op, operand, first]): FStep => {
    const inlined = operand instanceof FExpression ? inlineAnnotations(spec, operand) : operand;
    return first ? [op, inlined, true] : [op, inlined];
  });
  if (!Object.hasOwn(spec, f.field)) return new FExpression(f.field, ops);
  const base = spec[f.field];
  if (!(base instanceof FExpression)) {
    // Django: FieldError "Aggregate functions are not allowed in this query".
    throw new FieldError(
      `Aggregate functions are not allowed in update(): F(${JSON.stringify(f.field)}) is the annotation ` +
        `${isAggregate(base) ? label(base) : describeOperand(base)}, which the server computes in a pipeline only. ` +
        'update() takes stored fields and F() expressions of them, and annotations that are F() expressions.',
    );
  }
  const inlined = inlineAnnotations(spec, base);
  return new FExpression(inlined.field, [...inlined.ops, ...ops]);
}

/**
 * An update's changes with each F() value's annotations inlined
 * ({@link inlineAnnotations}); other values as given.
 *
 * @example
 * ```ts
 * inlineUpdate({ alias: F('value') }, { another_value: F('alias') }); // { another_value: F('value') }
 * ```
 */
export function inlineUpdate<U extends Readonly<Record<string, unknown>>>(spec: AnnotationSpec, changes: U): U {
  if (Object.keys(spec).length === 0) return changes;
  return Object.fromEntries(
    Object.entries(changes).map(([key, value]) => [
      key,
      value instanceof FExpression ? inlineAnnotations(spec, value) : value,
    ]),
  ) as U;
}
