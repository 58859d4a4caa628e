// The parse stage for keys across a reference: `author__name__startswith`
// becomes a RelationNode holding the reference's path and the rest of the
// key parsed against the referenced model, as a filter of its own. The key
// is the code's, the value stays data: it is parsed exactly as the same
// value given to the referenced model's own filter().
import type { Connection, Schema } from 'mongoose';
import { RelationError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { FExpression, type FilterInput } from './q.js';
import { RelationNode, type GroupNode } from './nodes.js';
import { relatedModel } from './relations-model.js';

/** What keys are resolved against; the connection finds the referenced models. */
export interface RelationScope {
  readonly schema: Schema;
  readonly modelName: string;
  readonly connection?: Connection | undefined;
}

/** Parses one filter object against a scope: parse.ts's parseFilter, handed in. */
export type ParseInner = (scope: RelationScope, filters: readonly FilterInput[]) => GroupNode;

/**
 * The node for a key that crossed a reference, from the {@link RelationError}
 * that resolving it raised; the error again when the traversal cannot be
 * compiled (an F value, a function ref, an unregistered model).
 *
 * @example
 * ```ts
 * parseRelation(scope, '', crossing, 'Be', parseFilter); // { kind: 'relation', path: 'author', … }
 * ```
 */
export function parseRelation(
  scope: RelationScope,
  prefix: string,
  crossing: RelationError,
  value: unknown,
  parseInner: ParseInner,
): RelationNode {
  const field = fieldsAlong(shapeOf(scope.schema), crossing.path).at(-1);
  const many = field?.kind === 'scalarArray';
  const related = relatedModel(
    prefix === '' ? scope.connection : undefined,
    field?.ref,
    scope.modelName,
    crossing.path,
    crossing.rest,
    many,
  );
  if (value instanceof FExpression) {
    throw new RelationError(
      `${crossing.message} Here it cannot be compiled: an F() value names a field of ${scope.modelName}, ` +
        `which a condition on ${related.modelName} cannot read.`,
      crossing.path,
      crossing.rest,
    );
  }
  const inner = parseInner({ schema: related.schema, modelName: related.modelName, connection: related.db }, [
    { [crossing.rest.join('__')]: value },
  ]);
  return RelationNode.create(prefix + crossing.path, related, inner);
}
