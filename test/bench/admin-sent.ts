// What a page sends, read from the driver's command monitoring, so that the
// bench proves its baseline is the very queries the admin sends: the same
// filter, sort, skip and limit, and the same count.
import mongoose from 'mongoose';
import type { SentCommand } from '../helpers/commands.js';

type Doc = mongoose.mongo.Document;

/** A page's commands on the entries collection, reduced to what decides their cost. */
export interface PageQueries {
  /** Command names, in order, as sent (a getMore or a second find would show here). */
  readonly names: readonly string[];
  /** Each find and count (filter, sort, skip, limit, or pipeline; filters {@link ungrouped}), as Extended JSON. */
  readonly queries: readonly string[];
}

const plain = (value: unknown): unknown => (value instanceof Map ? Object.fromEntries(value) : value);

const isOperators = (value: unknown): value is Doc =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof RegExp) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((k) => k.startsWith('$'));

/**
 * A filter with its top-level `$and` spread out and each path's operators
 * joined: `{ $and: [{ a: 1 }, { n: { $gte: 2 } }, { n: { $lte: 8 } }] }` and
 * `{ a: 1, n: { $gte: 2, $lte: 8 } }` are the same query, however grouped.
 */
export function ungrouped(filter: unknown): Doc {
  const byPath = new Map<string, Doc>();
  const visit = (part: unknown): void => {
    for (const [key, value] of Object.entries((part ?? {}) as Doc)) {
      if (key === '$and' && Array.isArray(value)) value.forEach(visit);
      else byPath.set(key, { ...byPath.get(key), ...(isOperators(value) ? value : { '=': value }) });
    }
  };
  visit(filter);
  return Object.fromEntries([...byPath].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function essentials(command: Doc): Doc {
  if (command['find'] !== undefined) {
    return {
      find: command['find'],
      filter: ungrouped(command['filter']),
      sort: plain(command['sort']) ?? {},
      skip: command['skip'] ?? 0,
      limit: command['limit'],
    };
  }
  if (command['aggregate'] !== undefined) {
    const stages = (command['pipeline'] ?? []) as Doc[];
    const pipeline = stages.map((stage) => ('$match' in stage ? { $match: ungrouped(stage['$match']) } : stage));
    return { aggregate: command['aggregate'], pipeline };
  }
  if (command['count'] !== undefined) return { count: command['count'], query: ungrouped(command['query']) };
  return { [Object.keys(command)[0] ?? '?']: '…' };
}

/** The commands `sent` on `collection` (and any cursor commands), reduced to {@link PageQueries}. */
export function pageQueries(sent: readonly SentCommand[], collection: string): PageQueries {
  const ours = sent.filter((c) => c.command[c.name] === collection || c.name === 'getMore' || c.name === 'killCursors');
  return {
    names: ours.map((c) => c.name),
    queries: ours.map((c) => mongoose.mongo.BSON.EJSON.stringify(essentials(c.command), { relaxed: true })),
  };
}
