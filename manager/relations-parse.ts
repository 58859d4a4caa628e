// The parse stage for keys across a reference: `author__name__startswith`
// becomes a RelationNode holding the reference's path and the rest of the
// key parsed against the referenced model, as a filter of its own. The key
// is the code's, the value stays data: it is parsed exactly as the same
// value given to the referenced model's own filter().
import type { Connection, Schema } from 'mongoose';
import { FieldError, RelationError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { FExpression, type FilterInput } from './q.js';
import { GroupNode, RelationNode, type FilterNode } from './nodes.js';
import { relatedModel } from './relations-model.js';
import { resolveKey } from './resolve.js';

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
  return RelationNode.create(prefix + crossing.path, related, inner, undefined, field?.toField);
}

/**
 * The conditions of one filter() call (or one AND-ed Q) across the same
 * reference, merged into one node: `filter({ tags__name: 'rock', tags__age:
 * 3 })` needs one tag matching both, as Django's single join does, and
 * reads the ids once. Chained filter() calls stay apart, as Django's
 * separate joins: any tag may match each.
 *
 * @example
 * ```ts
 * mergeRelations([tagsNameIsRock, tagsAgeIs3, rating5]); // [tags (name AND age), rating5]
 * ```
 */
export function mergeRelations(children: readonly FilterNode[]): readonly FilterNode[] {
  const byPath = new Map<string, RelationNode>();
  const merged: FilterNode[] = [];
  for (const child of children) {
    // A condition read through joins (an F across a reference) is a condition of its own.
    const separate = !RelationNode.is(child) || child.joins !== undefined;
    const same = separate ? undefined : byPath.get(child.path);
    if (separate) merged.push(child);
    else if (same === undefined || same.related !== child.related) {
      byPath.set(child.path, child);
      merged.push(child);
    } else {
      const inner = GroupNode.and(same.inner, child.inner);
      const both = RelationNode.create(child.path, child.related, inner, undefined, child.key);
      byPath.set(child.path, both);
      merged[merged.indexOf(same)] = both;
    }
  }
  return merged.length === children.length ? children : merged;
}

/**
 * Resolves `key` for what cannot cross a reference (F, orderBy, values):
 * a key across one is refused with Django's own error when the referenced
 * model has no such field (`point_of_contact__nope`: "Cannot resolve keyword
 * \"nope\" …", naming its fields), else with the {@link RelationError}.
 *
 * @example
 * ```ts
 * resolveNoCrossing(scope, 'point_of_contact__nope'); // FieldError: Cannot resolve keyword "nope" into field of Employee. …
 * ```
 */
export function resolveNoCrossing(scope: RelationScope, key: string): ReturnType<typeof resolveKey> {
  try {
    return resolveKey(scope.schema, scope.modelName, key);
  } catch (err) {
    if (!(err instanceof RelationError) || err.rest.length === 0) throw err;
    const field = fieldsAlong(shapeOf(scope.schema), err.path).at(-1);
    const related = relatedModel(scope.connection, field?.ref, scope.modelName, err.path, err.rest, false);
    try {
      resolveKey(related.schema, related.modelName, err.rest.join('__'));
    } catch (inner) {
      if (inner instanceof FieldError && !(inner instanceof RelationError)) throw inner;
    }
    throw err;
  }
}
