// How a filter across a reference is sent: `{ author: { $in: ids } }` once
// the ids are read (relations-prefetch.ts). Before that, toMongo() shows the
// query that will read them in their place, named by its form.
import type { MongoFilter } from './lookups.js';
import type { GroupNode, RelationNode } from './nodes.js';
import { joinStages } from './relations-join.js';

/**
 * The filter for a relation node; `compileInner` compiles its condition on
 * the referenced documents (compile.ts's compileGroup, handed in).
 *
 * @example
 * ```ts
 * compileRelation(node, compileGroup);
 * // before the ids are read: { author: { $in: { $prefetch: { from: 'authors', filter: { name: /^Be/ } } } } }
 * // after: { author: { $in: [ObjectId('…'), …] } }
 * ```
 */
export function compileRelation(node: RelationNode, compileInner: (group: GroupNode) => MongoFilter): MongoFilter {
  if (node.ids) return { [node.path]: { $in: [...node.ids] } };
  const from = node.related.collection.collectionName;
  if (node.joins) {
    const pipeline = [...joinStages(node.joins, new Set(), false), { $match: compileInner(node.inner) }];
    return { [node.path]: { $in: { $prefetch: { from, pipeline } } } };
  }
  return { [node.path]: { $in: { $prefetch: { from, filter: compileInner(node.inner) } } } };
}
