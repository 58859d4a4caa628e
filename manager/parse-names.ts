// The parse stage for field names: what orderBy, only, defer, values and
// valuesList name, resolved once when they are called. A key that ends in a
// lookup is refused; an annotation's name stands for itself.
import { FieldError } from '../core/errors.js';
import { shapeOf } from '../core/schema-shape.js';
import { resolveNoCrossing } from './relations-parse.js';
import type { CompileScope } from './parse.js';
import type { AnnotationSpec } from './aggregates.js';
import type { OrderTerm, ValuesSpec } from './queryset-props.js';
import { joinedField, type Join } from './relations-join.js';

/**
 * A field's dotted path; a key that ends in a lookup is a {@link FieldError}.
 *
 * @example
 * ```ts
 * fieldPath({ schema: entrySchema, modelName: 'Entry' }, 'blog__name'); // 'blog.name'
 * ```
 */
export function fieldPath(scope: CompileScope, key: string): string {
  const resolved = resolveNoCrossing(scope, key);
  if (resolved.lookups.length > 0) throw new FieldError(`${key} names a lookup; give a field, e.g. blog__name.`);
  return resolved.path;
}

/**
 * A field's path, or an annotation's name: what orderBy and values may name;
 * across references (`author__name`), the field's path in the joined row and
 * the joins, one row per referenced document as Django's join gives them.
 */
function propKey(
  scope: CompileScope,
  annotations: AnnotationSpec,
  key: string,
  what: string,
): { path: string; joins?: readonly Join[] } {
  if (Object.hasOwn(annotations, key)) return { path: key };
  const joined = joinedField(scope, key, 'rows', what);
  return joined ? { path: joined.path, joins: joined.joins } : { path: fieldPath(scope, key) };
}

/**
 * orderBy's keys as terms; `-` for descending.
 *
 * @example
 * ```ts
 * parseOrder(scope, {}, ['-blog__name']); // [{ key: '-blog__name', path: 'blog.name', direction: -1 }]
 * ```
 */
export function parseOrder(scope: CompileScope, annotations: AnnotationSpec, keys: readonly string[]): OrderTerm[] {
  return keys.map((key: unknown) => {
    if (typeof key !== 'string') throw orderKeyError(key);
    const descending = key.startsWith('-');
    const { path, joins } = propKey(scope, annotations, descending ? key.slice(1) : key, 'orderBy()');
    return Object.freeze({ key, path, direction: descending ? -1 : 1, ...(joins && { joins }) });
  });
}

// Keys come untyped from JavaScript callers; an aggregate is Django's own
// FieldError, anything else is named with what orderBy takes.
function orderKeyError(key: unknown): FieldError {
  const node = key as { kind?: unknown; fn?: unknown; field?: unknown } | null;
  if (typeof node === 'object' && node !== null && node.kind === 'aggregate' && typeof node.fn === 'string') {
    const name = `${node.fn.charAt(0).toUpperCase()}${node.fn.slice(1)}(${typeof node.field === 'string' ? node.field : ''})`;
    return new FieldError(
      `Using an aggregate in order_by() without also including it in annotate() is not allowed: ${name}. ` +
        `Annotate it and order by its name, e.g. annotate({ x: ${name} }).orderBy('-x').`,
    );
  }
  return new FieldError(
    `orderBy() takes field names ('name', '-name', 'blog__name') or annotation names, not ${key === null ? 'null' : typeof key}.`,
  );
}

/** The terms in the opposite order, as last() reads them. */
export function reverseOrder(order: readonly OrderTerm[]): OrderTerm[] {
  return order.map((t) =>
    Object.freeze({
      ...t,
      key: t.direction === 1 ? `-${t.key}` : t.key.slice(1),
      direction: t.direction === 1 ? -1 : 1,
    }),
  );
}

/** values()'s fields, or valuesList's with its `{ flat }` option, resolved. */
export function parseValues(
  scope: CompileScope,
  annotations: AnnotationSpec,
  args: readonly (string | { readonly flat?: boolean })[],
  list: boolean,
): ValuesSpec {
  const last = args[args.length - 1];
  const options = list && typeof last === 'object' ? last : {};
  const fields = list ? args.filter((a): a is string => typeof a === 'string') : (args as readonly string[]);
  if (options.flat && fields.length !== 1) {
    throw new FieldError('valuesList(..., { flat: true }) takes exactly one field.');
  }
  const keys = fields.map((f) => propKey(scope, annotations, f, list ? 'valuesList()' : 'values()'));
  const paths = keys.map((k) => k.path);
  const joins = keys.flatMap((k) => k.joins ?? []);
  // With no fields, Django gives every field, the primary key among them;
  // Mongoose's version key is not one.
  const versionKey = fields.length === 0 ? shapeOf(scope.schema).versionKey : undefined;
  const hidden = Object.freeze(versionKey === undefined ? [] : [versionKey]);
  return Object.freeze({
    fields,
    paths,
    list,
    flat: options.flat === true,
    hidden,
    ...(joins.length > 0 && { joins }),
  });
}
