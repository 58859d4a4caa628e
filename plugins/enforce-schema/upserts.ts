// A strict upsert that inserts must insert a document in order: the server
// builds it from the filter's equality conditions and the update, so a model
// field that neither names would be missing, and the write would be done
// before a strict read raised on it. Such fields get null through
// `$setOnInsert`, as a strict save pads a new document.
import type { Schema } from 'mongoose';
import { autoFieldOf } from '../../core/type-codes.js';
import { planOf, type Plan } from './plan.js';
import { isRecord } from '../../core/values.js';

function isOperatorObject(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (key.startsWith('$')) return true;
  return false;
}

/** Paths the server takes from the filter into an inserted document: its equality conditions. */
function equalityPaths(filter: unknown, into: string[]): string[] {
  if (!isRecord(filter)) return into;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) for (const part of value) equalityPaths(part, into);
    else if (!key.startsWith('$') && !isOperatorObject(value)) into.push(key);
  }
  return into;
}

/** Paths an update writes, whatever the operator (a plain key is an implicit $set). */
function writtenPaths(update: Record<string, unknown>): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(update)) {
    if (!key.startsWith('$')) paths.push(key);
    else if (isRecord(value)) paths.push(...Object.keys(value));
  }
  return paths;
}

// Positions (`comments.0`, `comments.$`) are not fields.
const schemaPathOf = (path: string): string =>
  path
    .split('.')
    .filter((part) => !/^\d+$/.test(part) && !part.startsWith('$'))
    .join('.');

/**
 * The update with `$setOnInsert: { field: null }` for every model field that
 * an inserted document would lack: named neither by the update nor by an
 * equality condition of the filter, with no default (Mongoose's
 * setDefaultsOnInsert gives those), and not in `skip` (the auto-increment
 * field, which autoIncrement sets). Embedded documents the update writes
 * into (`blog.name`) get their other fields too. The caller's objects are not
 * changed; pipeline updates (arrays) are returned as they are.
 *
 * @example
 * ```ts
 * padUpsert({ $set: { rating: 1 } }, { headline: 'new' }, planOf(Entry.schema), []);
 * // { $set: { rating: 1 }, $setOnInsert: { tagline: null } }
 * ```
 */
export function padUpsert(update: unknown, filter: unknown, plan: Plan, skip: readonly string[]): unknown {
  if (!isRecord(update)) return update;
  const named = [...writtenPaths(update), ...equalityPaths(filter, [])].map(schemaPathOf);
  const covers = (path: string): boolean => named.some((p) => p === path || p.startsWith(`${path}.`));
  const exactly = (path: string): boolean => named.some((p) => p === path || path.startsWith(`${p}.`));
  const pads: Record<string, null> = {};
  const walk = (fields: Plan['fields']): void => {
    for (const field of fields) {
      if (skip.includes(field.path) || exactly(field.path)) continue;
      if (covers(field.path)) {
        // Written into, not as a whole: its own fields are padded one by one.
        if (field.child && !field.array) walk(field.child.fields);
        continue;
      }
      if (field.fillHydrated) pads[field.path] = null;
    }
  };
  walk(plan.fields);
  if (Object.keys(pads).length === 0) return update;
  const onInsert = isRecord(update['$setOnInsert']) ? update['$setOnInsert'] : {};
  return { ...update, $setOnInsert: { ...pads, ...onInsert } };
}

interface UpsertQuery {
  getOptions(): { upsert?: unknown };
  getFilter(): unknown;
  getUpdate(): unknown;
  setUpdate(update: never): unknown;
}

interface ModelLike {
  readonly schema: object;
  readonly baseModelName?: string | undefined;
  readonly db: { models: Record<string, { schema: object } | undefined> };
}

/**
 * The auto-increment field of a model (a discriminator's is its base's),
 * which autoIncrement sets on insert and padding must leave alone.
 */
export function autoFieldFor(model: ModelLike): string[] {
  const own = autoFieldOf(model.schema as Schema);
  if (own) return [own];
  const base = model.baseModelName ? model.db.models[model.baseModelName]?.schema : undefined;
  const inherited = base ? autoFieldOf(base as Schema) : undefined;
  return inherited ? [inherited] : [];
}

/**
 * {@link padUpsert} on a strict query's update, when the query upserts.
 *
 * @example
 * ```ts
 * schema.pre('findOneAndUpdate', function () { padUpsertOf(this, this.model); });
 * ```
 */
export function padUpsertOf(query: UpsertQuery, model: ModelLike): void {
  if (query.getOptions().upsert !== true) return;
  const update = query.getUpdate();
  const padded = padUpsert(update, query.getFilter(), planOf(model.schema), autoFieldFor(model));
  if (padded !== update) query.setUpdate(padded as never);
}
