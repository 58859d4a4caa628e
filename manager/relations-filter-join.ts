// A filter condition with an F() across a reference, Django's
// `filter(num_employees__gt=F('ceo__salary'))`: the two sides are in two
// documents, so no find() can compare them. The condition is parsed with the
// keys across references read through joins (relations-join.ts, as
// annotate() reads them), and becomes a relation node on the model's own
// `_id`: when the QuerySet runs, one aggregate on its own collection (the
// joins, then the condition) reads the ids of the documents that match, and
// the node is sent as `{ _id: { $in: ids } }` (relations-prefetch.ts). So
// find, count, update and delete keep their command, and exclude() negates
// it as any filter across a reference. Only declared references are followed
// (joinPath), and only an F, which is code, makes such a node.
import { FieldError } from '../core/errors.js';
import { FExpression, type FilterInput } from './q.js';
import { RelationNode, type GroupNode } from './nodes.js';
import { joinPath, type Join } from './relations-join.js';
import type { RelatedModel } from './relations-model.js';
import type { RelationScope } from './relations-parse.js';
import type { ResolvedKey } from './resolve.js';

/** parse.ts's CompileScope: its `annotation` hook resolves annotations, and here the keys across references. */
interface JoinScope extends RelationScope {
  readonly annotation?: ((key: string) => ResolvedKey | undefined) | undefined;
}

/** parse.ts's parseFilter, handed in. */
export type ParseJoined = (scope: JoinScope, filters: readonly FilterInput[]) => GroupNode;

/**
 * Whether a filter value holds an F(): itself, or one in the list of `in` or `range`.
 *
 * @example
 * ```ts
 * holdsF([F('experiment__start'), F('experiment__end')]); // true
 * holdsF(['a', 'b']); // false
 * ```
 */
export function holdsF(value: unknown): boolean {
  return value instanceof FExpression || (Array.isArray(value) && value.some((v) => v instanceof FExpression));
}

// The hooks parseJoined gives its scope: within them, a key across a reference is a join already.
const joinedHooks = new WeakSet<(key: string) => ResolvedKey | undefined>();

/**
 * The model a scope's documents belong to, when its connection has it: a
 * condition can be read through joins only then.
 *
 * @example
 * ```ts
 * ownModel({ schema, modelName: 'Company', connection }); // the Company model
 * ```
 */
export function ownModel(scope: JoinScope): RelatedModel | undefined {
  if (scope.annotation !== undefined && joinedHooks.has(scope.annotation)) return undefined;
  const model = scope.connection?.models[scope.modelName];
  return model as unknown as RelatedModel | undefined;
}

/**
 * The node for `key: value` (value holding an F) read through the joins its
 * keys across references need: `{ _id: { $in: ids } }` once the ids are read.
 *
 * @example
 * ```ts
 * parseJoined(scope, Company, 'num_employees__gt', F('ceo__salary'), parseFilter);
 * // { kind: 'relation', path: '_id', joins: [{ local: 'ceo', from: 'employees', … }], … }
 * ```
 */
export function parseJoined(
  scope: JoinScope,
  model: RelatedModel,
  key: string,
  value: unknown,
  parse: ParseJoined,
): RelationNode {
  const joins: Join[] = [];
  // Django's join rows: through an array of references, the condition holds when one referenced document meets it.
  const annotation = (name: string): ResolvedKey | undefined => {
    // The ids are read from the stored documents, before any annotation is computed.
    if (scope.annotation?.(name)) {
      throw new FieldError(
        `${JSON.stringify(key)}: a condition with an F() across a reference reads the stored documents, ` +
          `not annotations (${JSON.stringify(name)} is one); filter on the annotation and the reference apart.`,
      );
    }
    const joined = joinPath(scope, name, 'rows');
    if (joined === undefined) return undefined;
    joins.push(...joined.joins);
    return Object.freeze({ ...joined.resolved, path: joined.path });
  };
  joinedHooks.add(annotation);
  const inner = parse({ ...scope, annotation }, [{ [key]: value }]);
  return RelationNode.create('_id', model, inner, undefined, '_id', joins);
}
