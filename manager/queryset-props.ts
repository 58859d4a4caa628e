// A QuerySet's state: the frozen props each chaining method copies with one
// change, how the keys that orderBy, only, defer and values name resolve
// against the schema and the annotations, and how the props compile into the
// find() that toMongo() shows.
import type { Model } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { QNode } from './q.js';
import { compileFilter, type CompileScope } from './compile.js';
import { resolveKey } from './resolve.js';
import type { MongoFilter } from './lookups.js';
import type { AnnotationSpec } from './aggregates.js';

type SortDirection = 1 | -1;

export interface Props {
  readonly where: QNode;
  readonly empty: boolean;
  readonly order: readonly string[];
  readonly skip: number | undefined;
  readonly limit: number | undefined;
  readonly lean: boolean;
  readonly projection: Readonly<Record<string, 0 | 1>> | undefined;
  readonly values: { readonly fields: readonly string[]; readonly list: boolean; readonly flat: boolean } | undefined;
  /** annotate()'s names and expressions, in order; orderBy and values may name them. */
  readonly annotations: AnnotationSpec;
}

/** What `qs.toMongo()` shows: exactly what will be sent. */
export interface MongoQuery {
  readonly collection: string;
  readonly filter: MongoFilter;
  readonly projection: Readonly<Record<string, 0 | 1>> | undefined;
  readonly sort: Readonly<Record<string, SortDirection>> | undefined;
  readonly skip: number | undefined;
  readonly limit: number | undefined;
}

export const EMPTY: Props = Object.freeze({
  where: new QNode('AND', false, []),
  empty: false,
  order: [],
  skip: undefined,
  limit: undefined,
  lean: false,
  projection: undefined,
  values: undefined,
  annotations: Object.freeze({}),
});

/** The schema and model name that filters, updates and annotations compile against. */
export function scopeOf<TRaw>(model: Model<TRaw>): CompileScope {
  return { schema: model.schema, modelName: model.modelName };
}

/** A field's dotted path; a key that ends in a lookup is refused. */
export function fieldPath<TRaw>(model: Model<TRaw>, key: string): string {
  const resolved = resolveKey(model.schema, model.modelName, key);
  if (resolved.lookups.length > 0) throw new FieldError(`${key} names a lookup; give a field, e.g. blog__name.`);
  return resolved.path;
}

/** A field's path, or an annotation's name: what orderBy and values may name. */
export function propKey<TRaw>(model: Model<TRaw>, annotations: AnnotationSpec, key: string): string {
  return Object.hasOwn(annotations, key) ? key : fieldPath(model, key);
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

/** The find() that props stand for, as `qs.toMongo()` shows it. */
export function compileQuery<TRaw>(model: Model<TRaw>, p: Props): MongoQuery {
  const sort = p.order.length
    ? Object.fromEntries(
        p.order.map((k) => [
          propKey(model, p.annotations, k.replace(/^-/, '')),
          (k.startsWith('-') ? -1 : 1) as SortDirection,
        ]),
      )
    : undefined;
  let projection = p.projection;
  if (p.values && p.values.fields.length > 0) {
    projection = Object.fromEntries(p.values.fields.map((f) => [propKey(model, p.annotations, f), 1 as const]));
  }
  return Object.freeze({
    collection: model.collection.collectionName,
    filter: compileFilter(scopeOf(model), p.where),
    projection,
    sort,
    skip: p.skip,
    limit: p.limit,
  });
}
