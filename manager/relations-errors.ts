// The messages for keys that cross a reference (`author__name` where
// `author` is an ObjectId `ref`): one place, so that resolution, the filter
// parser and selectRelated say the same thing.
import { RelationError } from '../core/errors.js';

/** The name a `ref` option gives, for messages: a model name, or what a function ref is. */
export function refName(ref: unknown): string {
  if (typeof ref === 'string') return ref;
  const modelName = typeof ref === 'function' ? (ref as { modelName?: unknown }).modelName : undefined;
  if (typeof modelName === 'string') return modelName;
  return 'a model chosen per document';
}

/**
 * The error for a key that crosses a reference where no traversal is
 * compiled: it names the reference and `selectRelated`.
 *
 * @example
 * ```ts
 * throw crossesReference('Entry', 'author', 'Author', ['name'], false);
 * // RelationError: Entry.author is a reference to Author: "author__name" crosses it. …
 * ```
 */
export function crossesReference(
  modelName: string,
  path: string,
  ref: unknown,
  rest: readonly string[],
  many: boolean,
): RelationError {
  const key = [...path.split('.'), ...rest].join('__');
  const name = path.split('.').join('__');
  const loader = many ? `prefetchRelated('${name}')` : `selectRelated('${name}')`;
  return new RelationError(
    `${modelName}.${path} is a reference to ${refName(ref)}: ${JSON.stringify(key)} crosses it. ` +
      `filter(), exclude() and Q compile a key across a reference (to the ids of the matching ` +
      `${refName(ref)} documents); aggregate(), annotate(), values(), orderBy() and F() read it ` +
      `through $lookup; update keys, only() and defer() cannot. To read ` +
      `${refName(ref)}'s fields on the results, load them with ${loader}.`,
    path,
    rest,
  );
}
