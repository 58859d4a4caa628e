// values() and valuesList(): what valuesList's arguments ask for, and how
// each fetched document is cut down to the fields asked for, keyed as given
// (`blog__name`), as tuples, or as bare values.
import type { Model } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { propKey, type Props } from './queryset-props.js';

/** valuesList's fields and `{ flat }` option, as the props record them. */
export function valuesListSpec(args: readonly (string | { flat?: boolean })[]): NonNullable<Props['values']> {
  const options = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as { flat?: boolean }) : {};
  const fields = args.filter((a): a is string => typeof a === 'string');
  if (options.flat && fields.length !== 1)
    throw new FieldError('valuesList(..., { flat: true }) takes exactly one field.');
  return { fields, list: true, flat: options.flat === true };
}

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
export function shapeRow<TRaw>(model: Model<TRaw>, props: Props, doc: Record<string, unknown>): unknown {
  const values = props.values;
  if (!values) return doc;
  const fields = values.fields.length > 0 ? values.fields : Object.keys(doc);
  const picked = fields.map((f) => {
    const path = values.fields.length > 0 ? propKey(model, props.annotations, f) : f;
    // A value the document lacks (or whose parent it lacks) is null, as a
    // missing column would be in Django, never undefined.
    return path.split('.').reduce<unknown>(ownValue, doc);
  });
  if (values.flat) return picked[0];
  if (values.list) return picked;
  return Object.fromEntries(fields.map((f, i) => [f, picked[i]]));
}
