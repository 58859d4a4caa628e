// Filters on annotations: `filter({ n_comments__gte: 2 })` after
// annotate({ n_comments: Count('comments') }). An annotation is no schema
// path, so its key is resolved against a one-field schema of the
// annotation's type (a count is a Number; Min('pub_date') a Date): the
// lookups and value casting are the same as on a field of that type.
import mongoose, { type Schema, type SchemaType } from 'mongoose';
import { FExpression, QNode, type FilterArgument } from './q.js';
import { resolveKey, type ResolvedKey } from './resolve.js';
import { isAggregate, type Annotation, type AnnotationSpec } from './aggregates.js';
import { parseFilter, type CompileScope } from './parse.js';
import { GroupNode } from './nodes.js';
import { isPlainObject } from '../core/values.js';
import { arrayElementOf } from '../core/mongoose-internals.js';
import { shapeOf } from '../core/schema-shape.js';
import { inferKind, instanceOfKind } from './f-types.js';

const { Types } = mongoose.Schema;

// What a field's instance name declares, for the one-field schemas; any other
// (Mixed, Map, embedded) compares as it is.
const DECLARED: Readonly<Record<string, unknown>> = {
  Number: Number,
  String: String,
  Date: Date,
  Boolean: Boolean,
  ObjectId: Types.ObjectId,
  Decimal128: Types.Decimal128,
  UUID: Types.UUID,
  BigInt: BigInt,
  Double: Types.Double,
  Int32: Types.Int32,
};

// One schema per type, made once: a handful at most.
const schemas = new Map<string, Schema>();

function schemaOf(instance: string): Schema {
  const type = DECLARED[instance] ?? Types.Mixed;
  let schema = schemas.get(instance);
  if (!schema) schemas.set(instance, (schema = new mongoose.Schema({ value: type }, { _id: false })));
  return schema;
}

/** The element type of an array's SchemaType, else the type itself. */
function elementOf(schemaType: SchemaType | undefined): SchemaType | undefined {
  return schemaType === undefined ? undefined : (arrayElementOf(schemaType) ?? schemaType);
}

/** The Mongoose instance name of the values an annotation gives: `Number`, `Date`, `Mixed`, … */
function instanceOf(scope: CompileScope, spec: AnnotationSpec, expr: Annotation | undefined): string {
  if (expr === undefined) return 'Mixed';
  if (isAggregate(expr)) {
    if (expr.fn === 'count' || expr.fn === 'sum' || expr.fn === 'avg' || expr.field === undefined) return 'Number';
    // Min('pub_date__year'): a date part is a number.
    if (!Object.hasOwn(spec, expr.field) && resolveKey(scope.schema, scope.modelName, expr.field).lookups.length > 0) {
      return 'Number';
    }
    return fieldInstance(scope, spec, expr.field);
  }
  if (expr.ops.length === 0) return fieldInstance(scope, spec, expr.field);
  // Date arithmetic gives a Date, a negation a Boolean; other arithmetic a Number.
  const kind = inferKind(expr, (field) => shapeOf(schemaOf(fieldInstance(scope, spec, field))).field('value'));
  return kind === 'unknown' ? 'Number' : instanceOfKind(kind);
}

function fieldInstance(scope: CompileScope, spec: AnnotationSpec, field: string): string {
  if (Object.hasOwn(spec, field)) return instanceOf(scope, spec, spec[field]);
  const schemaType = elementOf(resolveKey(scope.schema, scope.modelName, field).schemaType);
  return schemaType?.instance ?? 'Mixed';
}

/** The annotation a key starts with (`n` of `n__gte`), the longest when names nest (`x` and `x__count`). */
export function annotationOf(spec: AnnotationSpec, key: string): string | undefined {
  let found: string | undefined;
  for (const name of Object.keys(spec)) {
    if ((key === name || key.startsWith(`${name}__`)) && name.length > (found?.length ?? 0)) found = name;
  }
  return found;
}

/**
 * A resolver for keys that start with an annotation's name, for the parser:
 * `n__gte` resolves to path `n` with lookup `gte`, cast as the annotation's
 * type. Undefined for other keys, which the schema resolves.
 *
 * @example
 * ```ts
 * annotationResolver(scope, { n: Count('comments') })('n__gte'); // { path: 'n', lookups: ['gte'], … }
 * ```
 */
export function annotationResolver(
  scope: CompileScope,
  spec: AnnotationSpec,
): (key: string) => ResolvedKey | undefined {
  return (key) => {
    const name = annotationOf(spec, key);
    if (name === undefined) return undefined;
    const label = `${scope.modelName}.${name}`;
    const resolved = resolveKey(schemaOf(instanceOf(scope, spec, spec[name])), label, `value${key.slice(name.length)}`);
    return Object.freeze({ ...resolved, path: name, label });
  };
}

/**
 * Whether an F() names one of `names` (annotations), at any depth of its arithmetic.
 *
 * @example
 * ```ts
 * namesAnnotation(new Set(['n']), F('views').plus(F('n'))); // true
 * ```
 */
export function namesAnnotation(names: { has(name: string): boolean }, f: FExpression): boolean {
  return (
    names.has(f.field) || f.ops.some(([, operand]) => operand instanceof FExpression && namesAnnotation(names, operand))
  );
}

/**
 * Filters parsed with the annotations as names they may use, split in two:
 * what names no annotation (matched first, before the annotations are
 * computed, where an index can serve it) and what does (matched after them,
 * SQL's HAVING). filter()'s conditions are ANDed, so each keyword and each Q
 * goes its own way; exclude()'s are negated together, so they stay together.
 *
 * @example
 * ```ts
 * parseAnnotated(scope, { n: Count('tags') }, [{ n__gte: 2, rating: 5 }], false);
 * // { where: (rating = 5), having: (n >= 2) }
 * ```
 */
export function parseAnnotated(
  scope: CompileScope,
  spec: AnnotationSpec,
  filters: readonly FilterArgument[],
  negated: boolean,
): { where: GroupNode; having: GroupNode } {
  const parse = (units: readonly FilterArgument[]): { node: GroupNode; annotated: boolean } => {
    let annotated = false;
    const resolve = annotationResolver(scope, spec);
    const annotation = (key: string): ResolvedKey | undefined => {
      const resolved = resolve(key);
      annotated ||= resolved !== undefined;
      return resolved;
    };
    const node = parseFilter({ ...scope, annotation }, units);
    return { node: negated ? GroupNode.not(node) : node, annotated };
  };
  if (Object.keys(spec).length === 0 || negated) {
    const { node, annotated } = parse(filters);
    return annotated ? { where: GroupNode.everything, having: node } : { where: node, having: GroupNode.everything };
  }
  const parts = { where: [] as GroupNode[], having: [] as GroupNode[] };
  const units = filters.flatMap((f): FilterArgument[] =>
    f instanceof QNode || !isPlainObject(f) ? [f] : Object.entries(f).map(([k, v]) => ({ [k]: v })),
  );
  for (const unit of units) {
    const { node, annotated } = parse([unit]);
    parts[annotated ? 'having' : 'where'].push(node);
  }
  const all = (nodes: GroupNode[]): GroupNode => nodes.reduce(GroupNode.and, GroupNode.everything);
  return { where: all(parts.where), having: all(parts.having) };
}
