// The prefetch form of a filter across a reference: before the QuerySet's
// own command, one find() per relation node reads the `_id`s of the
// referenced documents that match its condition; the node is then sent as
// `{ author: { $in: ids } }`. It works on every server (FerretDB v1 has no
// $lookup), keeps the command a find(), an update or a delete, and negates
// as Django's exclude does: `exclude({ author__name: 'x' })` keeps the
// documents whose author is not among the ids, those without one included.
import type { PipelineStage, QueryFilter } from 'mongoose';
import { compileWhere } from './compile.js';
import { GroupNode, RelationNode, type FilterNode } from './nodes.js';
import type { Props } from './queryset-props.js';
import type { MongoFilter } from './lookups.js';
import { joinStages } from './relations-join.js';

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
  if (node.joins) return joinedIds(node, inner, filter);
  // What the reference stores of them: their `_id`, or its toField (Django's to_field).
  const found = await node.related
    .find(filter as QueryFilter<Record<string, unknown>>, { [node.key]: 1 })
    .lean()
    .exec();
  // A document without that field is referenced by none: null in `$in` would match a missing reference.
  const keys = found.map((doc) => valueAt(doc, node.key)).filter((key) => key !== null && key !== undefined);
  return RelationNode.create(node.path, node.related, inner, keys, node.key);
}

// A condition with an F across a reference (relations-filter-join.ts): the
// model's own documents, joined, that meet it. Their `_id`s, once each. An
// inner join, as Django's for a filter: a missing reference has no row, so it
// never matches (MongoDB would compare its null), and exclude() keeps it.
async function joinedIds(node: RelationNode, inner: GroupNode, filter: MongoFilter): Promise<RelationNode> {
  // Plain-object stages, which Mongoose's PipelineStage union does not describe.
  const pipeline = [...joinStages(node.joins ?? [], new Set(), false), { $match: filter }, { $group: { _id: '$_id' } }];
  const found = await node.related.aggregate<{ _id: unknown }>(pipeline as unknown as PipelineStage[]).exec();
  const ids = found.map((doc) => doc._id);
  return RelationNode.create(node.path, node.related, inner, ids, node.key, node.joins);
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
