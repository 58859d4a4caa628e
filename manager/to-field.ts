// A reference to another field than `_id`, Django's ForeignKey(to_field=…):
// `{ type: String, ref: 'Foo', toField: 'target' }` stores Foo's `target`.
// A Foo document given as the value (create, save, update, filters) is
// reduced to that field by a setter, which Mongoose runs on each of them;
// a plain object (a request's JSON) is no document and is cast as it is, so
// it is refused as any other value the type does not take.
import type { Schema, SchemaType } from 'mongoose';
import { arrayElementOf } from '../core/mongoose-internals.js';

function isDocument(value: unknown): value is { get(path: string): unknown } {
  const doc = value as { $model?: unknown; get?: unknown } | null;
  return typeof doc === 'object' && doc !== null && typeof doc.$model === 'function' && typeof doc.get === 'function';
}

/**
 * What a reference to `toField` stores for `value`: a document's `toField`,
 * any other value as it is (cast later by the path's type).
 *
 * @example
 * ```ts
 * toFieldValue('target', fooDoc); // fooDoc.target
 * toFieldValue('target', 'aaa');  // 'aaa'
 * ```
 */
export function toFieldValue(toField: string, value: unknown): unknown {
  return isDocument(value) ? value.get(toField) : value;
}

/** The `toField` option of a path or of its elements, when it names a field. */
function toFieldOf(type: SchemaType): { readonly on: SchemaType; readonly field: string } | undefined {
  for (const on of [type, arrayElementOf(type)]) {
    const field = (on?.options as { toField?: unknown } | undefined)?.toField;
    if (on && typeof field === 'string' && field !== '' && field !== '_id') return { on, field };
  }
  return undefined;
}

/**
 * Gives each path of `schema` declared with `toField` a setter that reduces
 * a document to that field; the manager plugin calls it once per schema.
 *
 * @example
 * ```ts
 * const barSchema = new Schema({ foo: { type: String, ref: 'Foo', toField: 'target' } });
 * reduceReferencesToField(barSchema);
 * new Bar({ foo: fooDoc }).foo; // fooDoc.target
 * ```
 */
export function reduceReferencesToField(schema: Schema): void {
  schema.eachPath((_path, type) => {
    const found = toFieldOf(type);
    if (!found) return;
    const { on, field } = found;
    on.set(function toStoredField(value: unknown) {
      return toFieldValue(field, value);
    });
  });
}
