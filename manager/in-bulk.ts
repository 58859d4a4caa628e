// Django's in_bulk(), for a QuerySet and so for the manager: the documents
// it reads, keyed by a unique field (the primary key by default). Keys are
// the field's text, since an object's keys are strings (ObjectIds and numbers
// alike). A slice is refused: the window would be read, not the ids asked for.
import type { Schema } from 'mongoose';
import { NotSupportedError } from '../core/errors.js';
import { resolveKey } from './resolve.js';
import { assertUniqueField } from './unique-fields.js';
import type { Props } from './queryset-props.js';

/** What in_bulk needs of the QuerySet it is called on. */
export interface InBulkSource<TResult> {
  readonly props: Props;
  readonly schema: Schema;
  readonly modelName: string;
  /** The QuerySet filtered by `{ [key]: ids }`, read. */
  read(filter: Readonly<Record<string, readonly unknown[]>> | undefined): Promise<TResult[]>;
}

/** The value at a dotted path of a document, or of a plain object when the QuerySet is lean(). */
function valueAt(row: unknown, path: string, lean: boolean): unknown {
  if (!lean) return (row as { get(p: string): unknown }).get(path);
  let value: unknown = row;
  for (const part of path.split('.')) {
    value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Django's `in_bulk(id_list, field_name=…)` over a QuerySet: the matches
 * whose `fieldName` is among `ids` (every match without ids), keyed by the
 * text of that field. Refuses, before anything is sent, a sliced QuerySet
 * ({@link NotSupportedError}, Django's "Cannot use 'limit' or 'offset' with
 * in_bulk()."), values() rows, and a field that is not unique (FieldError).
 *
 * @example
 * ```ts
 * await inBulk(source, [id1, id2], 'pk'); // { [String(id1)]: entry1, [String(id2)]: entry2 }
 * ```
 */
export async function inBulk<TResult>(
  source: InBulkSource<TResult>,
  ids: readonly unknown[] | undefined,
  fieldName: string,
): Promise<Record<string, TResult>> {
  const { props, schema, modelName } = source;
  if (props.skip !== undefined || props.limit !== undefined) {
    throw new NotSupportedError(
      "Cannot use 'limit' or 'offset' with in_bulk(). Call inBulk() on the QuerySet before slice(), " +
        'or read the slice with valuesList() and pass those ids.',
    );
  }
  if (props.values !== undefined) {
    throw new NotSupportedError(
      'in_bulk() cannot be used with values() or values_list(): it keys documents. Call inBulk() before values().',
    );
  }
  const path = resolveKey(schema, modelName, fieldName).path;
  assertUniqueField(schema, modelName, fieldName, path);
  if (ids !== undefined && ids.length === 0) return {};
  const found = await source.read(ids === undefined ? undefined : { [`${fieldName}__in`]: ids });
  return Object.fromEntries(found.map((row) => [String(valueAt(row, path, props.lean)), row]));
}
