// Values read from AdminJS params set on a loaded document. An embedded
// document is set field by field, so that params naming only some of its
// fields (`blog.name`) leave the others as they are; lists, JSON values and
// scalars replace what was there.
import { isPlainObject } from '../core/values.js';
import type { PropertySpec } from './property.js';

/**
 * Sets each value on the document at its field's path.
 *
 * @example
 * ```ts
 * assignValues(entry, specs, { headline: 'Hey', blog: { name: 'Beatles' } }); // sets headline and blog.name
 * ```
 */
/** What assignValues needs of a document. */
interface Settable {
  get(path: string): unknown;
  set(path: string, value: unknown): unknown;
}

export function assignValues(doc: Settable, specs: readonly PropertySpec[], values: Record<string, unknown>): void {
  for (const spec of specs) {
    if (!Object.hasOwn(values, spec.name)) continue;
    const value = values[spec.name];
    const subs = spec.subProperties;
    if (spec.type === 'mixed' && subs && !spec.isArray && isPlainObject(value) && doc.get(spec.path) != null) {
      assignValues(doc, subs, value);
    } else {
      doc.set(spec.path, value);
    }
  }
}
