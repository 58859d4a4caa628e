// The prefetch form of a filter across a reference: before the QuerySet's
// own command, one find() per relation node reads the `_id`s of the
// referenced documents that match its condition; the node is then sent as
// `{ author: { $in: ids } }`. It works on every server (FerretDB v1 has no
// $lookup), keeps the command a find(), an update or a delete, and negates
// as Django's exclude does: `exclude({ author__name: 'x' })` keeps the
// documents whose author is not among the ids, those without one included.
import type { QueryFilter } from 'mongoose';
import { compileWhere } from './compile.js';
import { GroupNode, RelationNode, type FilterNode } from './nodes.js';
import type { Props } from './queryset-props.js';

function hasRelation(node: FilterNode): boolean {
  if (RelationNode.is(node)) return node.ids === undefined;
  return GroupNode.is(node) && node.children.some(hasRelation);
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
  }
  return value;
}

async function readIds(node: RelationNode): Promise<RelationNode> {
  if (node.ids) return node;
  // A condition may cross a reference again (author__publisher__name): inner first.
  const inner = await withIdsIn(node.inner);
  const filter = compileWhere(inner, node.related.modelName);
  // What the reference stores of them: their `_id`, or its toField (Django's to_field).
  const found = await node.related
    .find(filter as QueryFilter<Record<string, unknown>>, { [node.key]: 1 })
    .lean()
    .exec();
  // A document without that field is referenced by none: null in `$in` would match a missing reference.
  const keys = found.map((doc) => valueAt(doc, node.key)).filter((key) => key !== null && key !== undefined);
  return RelationNode.create(node.path, node.related, inner, keys, node.key);
}

async function withIdsIn(group: GroupNode): Promise<GroupNode> {
  if (!hasRelation(group)) return group;
  const children = await Promise.all(
    group.children.map((child): FilterNode | Promise<FilterNode> =>
      RelationNode.is(child) ? readIds(child) : GroupNode.is(child) ? withIdsIn(child) : child,
    ),
  );
  return GroupNode.create(group.connector, group.negated, children);
}

/**
 * The props with every filter across a reference holding the ids it
 * matches, read with one find() per relation (in parallel); the same props
 * when there are none, or when nothing would be sent.
 *
 * @example
 * ```ts
 * const ready = await withRelatedIds(props); // { author: { $in: [ObjectId('…')] } } once compiled
 * ```
 */
export async function withRelatedIds(props: Props): Promise<Props> {
  if (props.empty || props.limit === 0 || !hasRelation(props.where)) return props;
  return { ...props, where: await withIdsIn(props.where) };
}
