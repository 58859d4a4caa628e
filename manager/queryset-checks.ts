// Checks made when a QuerySet method is called, before anything is kept in
// its props: annotate()'s spec must compile and its names must be free, and
// a sliced QuerySet takes no more filters or ordering.
import type { Model } from 'mongoose';
import { FieldError, NotSupportedError } from '../core/errors.js';
import { resolveKey } from './resolve.js';
import type { AnnotationSpec } from './aggregates.js';
import { compileAnnotations } from './annotations-compile.js';
import { scopeOf, type Props, type ValuesSpec } from './queryset-props.js';

// A slice is a window over the ordered matches: a filter or an ordering
// added after it would change which documents the window holds, or be
// applied only inside it. Django refuses both, and so do we.
const AFTER_SLICE = {
  filter: 'Cannot filter a query once a slice has been taken.',
  reorder: 'Cannot reorder a query once a slice has been taken.',
  reverse: 'Cannot reverse a query once a slice has been taken.',
  change: 'Cannot change a query once a slice has been taken.',
} as const;

/** Refuses filter()/exclude(), orderBy(), last() or earliest()/latest() on a sliced QuerySet, as Django does. */
export function refuseAfterSlice(props: Props, change: keyof typeof AFTER_SLICE): void {
  if (props.skip === undefined && props.limit === undefined) return;
  throw new NotSupportedError(
    `${AFTER_SLICE[change]} Call filter(), exclude() and orderBy() before slice(), ` +
      "e.g. qs.filter({ rating__gte: 4 }).orderBy('headline').slice(0, 10).",
  );
}

/**
 * Refuses only() and defer() after values() or valuesList(), as Django does:
 * the rows are plain objects already, cut to the fields values() names.
 *
 * @example
 * ```ts
 * refuseAfterValues(props, 'only'); // NotSupportedError once values() has been called
 * ```
 */
export function refuseAfterValues(props: Props, method: 'only' | 'defer'): void {
  if (props.values === undefined) return;
  throw new NotSupportedError(
    `Cannot call ${method}() after .values() or .values_list(). Call ${method}() before values(), ` +
      "or name the fields in values() itself, e.g. qs.values('headline', 'rating').",
  );
}

function isModelMember<TRaw>(model: Model<TRaw>, name: string): boolean {
  try {
    if (resolveKey(model.schema, model.modelName, name).lookups.length === 0) return true;
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
  }
  return name in (model.prototype as object);
}

/** Refuses annotate()'s spec when it does not compile, or a name is taken already. */
export function checkAnnotations<TRaw>(model: Model<TRaw>, annotations: AnnotationSpec, spec: AnnotationSpec): void {
  compileAnnotations(scopeOf(model), { ...annotations, ...spec });
  for (const name of Object.keys(spec)) {
    if (Object.hasOwn(annotations, name)) {
      throw new FieldError(`The annotation ${JSON.stringify(name)} is already defined on this QuerySet.`);
    }
    if (isModelMember(model, name)) {
      throw new FieldError(
        `The annotation ${JSON.stringify(name)} conflicts with a field or method of ${model.modelName}.`,
      );
    }
  }
}

/**
 * values() or valuesList() followed by annotate(): each row gains the new
 * names, as Django's values().annotate() rows do. A flat valuesList keeps
 * its one value.
 *
 * @example
 * ```ts
 * withAnnotations(parseValues(scope, {}, ['rating'], false), ['n']); // fields ['rating', 'n']
 * ```
 */
export function withAnnotations(values: ValuesSpec | undefined, names: readonly string[]): ValuesSpec | undefined {
  if (!values || values.flat || values.fields.length === 0) return values;
  return Object.freeze({ ...values, fields: [...values.fields, ...names], paths: [...values.paths, ...names] });
}
