// MongoEngine's pull with lookups: `pull__comments__score__lt: 3`,
// `pull__tags__in: [...]`, `pull__collaborators__user: v`. The key names a
// list, then optionally a field of its elements, then a lookup; the part after
// the list is a condition on each element, which is what `$pull` takes. It is
// compiled as a filter (lookups, casting, values kept data), then re-rooted at
// the list: `{ 'comments.score': { $lt: 3 } }` becomes
// `$pull: { comments: { score: { $lt: 3 } } }`. A dotted `$pull` path into a
// list's elements is refused by MongoDB (and ignored by mongo-java-server).
import { FieldError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { compileFilter, type CompileScope } from './filter.js';
import type { ResolvedKey } from './resolve.js';

/** Whether a pull__ key needs a condition: it has a lookup, or goes on past its list into the elements. */
export function isConditionalPull(scope: CompileScope, resolved: ResolvedKey): boolean {
  return resolved.lookups.length > 0 || listEnd(scope, resolved.path) < resolved.path.split('.').length - 1;
}

/** The index of the path part that is the first list, or of the last part when none is (JSON values). */
function listEnd(scope: CompileScope, path: string): number {
  const parts = path.split('.');
  const along = fieldsAlong(shapeOf(scope.schema), path);
  const i = along.findIndex((f) => f.kind === 'scalarArray' || f.kind === 'embeddedArray');
  if (i >= 0) return i;
  // Inside a JSON value the whole path is the list, as for a plain pull__.
  if (along.some((f) => f.kind === 'mixed')) return parts.length - 1;
  throw new FieldError(
    `pull__ works on list fields; ${scope.modelName}.${path} is not one, nor inside one ` +
      '(e.g. pull__tags__in: [...], pull__comments__score__lt: 3).',
  );
}

/**
 * The `$pull` entry for a pull__ key with a lookup or a field of the
 * elements: the list's path and the condition on its elements.
 *
 * @example
 * ```ts
 * pullCondition(scope, 'pull__comments__score__lt', 'comments__score__lt', resolved, 3);
 * // ['comments', { score: { $lt: 3 } }]
 * pullCondition(scope, 'pull__tags__in', 'tags__in', resolved, ['a', 'b']); // ['tags', { $in: ['a', 'b'] }]
 * ```
 */
export function pullCondition(
  scope: CompileScope,
  key: string,
  fieldKey: string,
  resolved: ResolvedKey,
  value: unknown,
): [listPath: string, condition: unknown] {
  const parts = resolved.path.split('.');
  const end = listEnd(scope, resolved.path);
  const listPath = parts.slice(0, end + 1).join('.');
  const inner = parts.slice(end + 1).join('.');
  const filter = compileFilter(scope, { [fieldKey]: value });
  const keys = Object.keys(filter);
  const [only] = keys;
  if (keys.length === 1 && only === resolved.path) {
    const condition = filter[only];
    return [listPath, inner === '' ? condition : { [inner]: condition }];
  }
  throw new FieldError(
    `${key}: the lookup ${JSON.stringify(resolved.lookups.join('__'))} does not compile to a condition on ` +
      `one element of ${scope.modelName}.${listPath}, which $pull needs; use a comparison lookup ` +
      '(exact, ne, lt, lte, gt, gte, in, nin, startswith, …) on the list or on a field of its elements.',
  );
}
