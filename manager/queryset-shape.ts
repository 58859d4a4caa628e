// Result shaping: each fetched row as the QuerySet gives it. values() and
// valuesList() cut a row down to the fields asked for, read by the paths
// resolved when they were called, and keyed as given (`blog__name`), as
// tuples, or as bare values; an annotated row becomes a document that
// carries its annotations.
import type { Model } from 'mongoose';
import { rowVerdict } from '../core/row-verdicts.js';
import type { MongoQuery } from './queryset-compile.js';
import type { Props } from './queryset-props.js';
import { ungroup } from './annotations-group.js';

/**
 * `value[key]` when the value has it as its own property, else null: keys
 * under a JSON field are the user's, and `constructor` or `toString` must not
 * read Object.prototype.
 */
function ownValue(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return null;
  return (value as Record<string, unknown>)[key] ?? null;
}

/** A fetched document as values() or valuesList() gives it; the document itself otherwise. */
export function shapeRow(props: Props, doc: Record<string, unknown>): unknown {
  const values = props.values;
  if (!values) return doc;
  const fields = values.fields.length > 0 ? values.fields : Object.keys(doc).filter((k) => !values.hidden.includes(k));
  const paths = values.fields.length > 0 ? values.paths : fields;
  // A value the document lacks (or whose parent it lacks) is null, as a
  // missing column would be in Django, never undefined.
  const picked = paths.map((path) => path.split('.').reduce<unknown>(ownValue, doc));
  if (values.flat) return picked[0];
  if (values.list) return picked;
  return Object.fromEntries(fields.map((f, i) => [f, picked[i]]));
}

/** One pipeline row as a result: shaped when lean, else a document with its annotations. */
export function annotatedResult<TRaw>(
  model: Model<TRaw>,
  props: Props,
  row: Record<string, unknown>,
  projection: MongoQuery['projection'],
): unknown {
  if (props.grouping) return shapeRow(props, ungroup(props.grouping, row));
  if (props.lean) {
    // A strict model's cursor row that failed its check (hydrate raises it otherwise).
    const verdict = rowVerdict(row);
    if (verdict) throw verdict;
    return shapeRow(props, row);
  }
  // Model.hydrate keeps the schema's strict mode, so the document behaves as
  // one from find(). Each annotation becomes an own, non-enumerable property,
  // a plain attribute as in Django. Not doc.set(name, v, { strict: false }):
  // that marks the path modified and a later save() would store it. Not
  // hydrate(row, p, { strict: false }): that turns strict mode off for the
  // whole document, so any later set() of an unknown path would be saved.
  const doc = model.hydrate(row, projection) as object;
  for (const name of Object.keys(props.annotations)) {
    Object.defineProperty(doc, name, { value: row[name], writable: true, configurable: true, enumerable: false });
  }
  return doc;
}
