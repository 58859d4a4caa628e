// The autoIncrement plugin's ids for writes that may insert without a
// document to save: upserts (updateOne, updateMany, findOneAndUpdate,
// replaceOne, findOneAndReplace with `upsert: true`) and Model.bulkWrite.
//
// An update upsert gets its id in `$setOnInsert`, reserved before the write
// with one `$inc: 1`: when the upsert matches a document instead, that
// document keeps its id and the reserved one is never used. That leaves a
// gap in the sequence, as a rolled-back INSERT leaves one in an SQL
// sequence; ids stay unique and increasing, not dense.
//
// A replacement has no `$setOnInsert`: the document it replaces would get
// the new id. So a replace upsert first reads the id of the document it will
// match (one findOne) and keeps it, reserving an id only when none matches.
// The read and the write are two steps: a document inserted in between (by
// someone else, or by an earlier op of the same bulkWrite) is replaced with
// the reserved id. A replacement that is a Mongoose document is left alone.
//
// Mongoose documents in bulkWrite insertOne ops get the id set on them, as
// insertMany does; plain objects, op objects and updates are copied.
//
// Not covered, as they do not pass through Mongoose's middleware:
// Model.collection.* and connection.db driver calls, Connection#bulkWrite
// (MongoDB 8's client-level bulkWrite), $merge/$out aggregations, and calls
// made with `middleware: false`. Update pipelines (arrays) are left alone.
import mongoose, { type Query } from 'mongoose';
import { allocate, explicitId, isDocument, isRecord, scanBatch, valueOf, withId, type AnyModel } from './ids.js';

/** The update operations whose upserts get an id in `$setOnInsert`. */
export const UPDATE_OPS = ['updateOne', 'updateMany', 'findOneAndUpdate'] as const;
/** The replace operations whose upserts get an id in the replacement. */
export const REPLACE_OPS = ['replaceOne', 'findOneAndReplace'] as const;

type AnyQuery = Query<unknown, unknown>;
const overwriteArguments = mongoose.overwriteMiddlewareArguments as (...args: unknown[]) => unknown;
type Update = Record<string, unknown>;

/** Operators that set a field to the value given: their value is an explicit id. */
const VALUE_OPERATORS = new Set(['$set', '$setOnInsert']);

/**
 * Whether an update writes `field`, and the value when it can be read
 * (`$set`, `$setOnInsert` or the `{ field: v }` shorthand); `$inc`, `$max`,
 * `$rename` and the like write it too, with a value only the server knows.
 * Adding `$setOnInsert` to any of them would conflict.
 */
function writtenValue(update: Update, field: string): { readonly value: unknown } | undefined {
  if (Object.hasOwn(update, field)) return { value: update[field] };
  const inside = `${field}.`;
  for (const [operator, paths] of Object.entries(update)) {
    if (!operator.startsWith('$') || !isRecord(paths)) continue;
    if (Object.hasOwn(paths, field)) return { value: VALUE_OPERATORS.has(operator) ? paths[field] : undefined };
    if (Object.keys(paths).some((path) => path.startsWith(inside))) return { value: undefined };
    if (operator === '$rename' && Object.values(paths).includes(field)) return { value: undefined };
  }
  return undefined;
}

/**
 * The value a filter pins `field` to with an equality (`{ id: 5 }`,
 * `{ id: { $eq: 5 } }`, or either inside `$and`), which an update upsert
 * copies into the document it inserts. Null pins nothing: the document
 * should get an id.
 */
function pinnedValue(filter: unknown, field: string): { readonly value: unknown } | undefined {
  if (!isRecord(filter)) return undefined;
  const condition = filter[field];
  if (condition !== undefined && condition !== null && !(condition instanceof RegExp)) {
    if (!isRecord(condition)) return { value: condition };
    const keys = Object.keys(condition);
    if (keys.length === 1 && keys[0] === '$eq' && condition['$eq'] != null) return { value: condition['$eq'] };
    if (!keys.some((key) => key.startsWith('$'))) return { value: condition };
  }
  const all = filter['$and'];
  if (Array.isArray(all)) {
    for (const part of all) {
      const found = pinnedValue(part, field);
      if (found) return found;
    }
  }
  return undefined;
}

/** `update` with `field: id` added to its `$setOnInsert`; neither it nor its `$setOnInsert` is changed. */
function withSetOnInsert(update: Update, field: string, id: number): Update {
  const onInsert: Update = Object.assign({}, isRecord(update['$setOnInsert']) ? update['$setOnInsert'] : {});
  onInsert[field] = id;
  return { ...update, $setOnInsert: onInsert };
}

/** Where the document a replacement upsert will replace is, to read its id first. */
interface MatchOptions {
  readonly session?: unknown;
  readonly sort?: unknown;
  readonly collation?: unknown;
}

/** The id of the document `filter` matches (the first by `sort`), or undefined when none matches or it has none. */
async function idOfMatch(
  model: AnyModel,
  field: string,
  filter: unknown,
  options: MatchOptions,
): Promise<number | undefined> {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const found: unknown = await model.findOne(isRecord(filter) ? filter : {}, { [field]: 1 }, defined).lean();
  const value = valueOf(found, field);
  return value === undefined || value === null ? undefined : explicitId(model, field, value);
}

/**
 * What one write needs from the counter. `raise`: it writes an explicit
 * id, which the counter must move past. `known`: the id it gets is decided
 * without the counter (the filter's, which is raised past, or the matched
 * document's). `fresh`: it needs a newly reserved id.
 */
type Need =
  | { readonly kind: 'raise'; readonly id: number }
  | { readonly kind: 'known'; readonly id: number; readonly raise: boolean }
  | { readonly kind: 'fresh' };

/** What an update upsert needs; undefined when it is not one we can give an id. */
function updateNeed(model: AnyModel, field: string, filter: unknown, update: unknown): Need | undefined {
  if (!isRecord(update)) return undefined; // an update pipeline, or nothing
  const written = writtenValue(update, field) ?? pinnedValue(filter, field);
  if (!written) return { kind: 'fresh' };
  const id = explicitId(model, field, written.value);
  return id === undefined ? undefined : { kind: 'raise', id };
}

/** What a replacement upsert needs: reads the matched document's id when neither the replacement nor the filter gives one. */
async function replaceNeed(
  model: AnyModel,
  field: string,
  filter: unknown,
  replacement: unknown,
  options: MatchOptions,
): Promise<Need | undefined> {
  if (!isRecord(replacement) || isDocument(replacement)) return undefined;
  const own = valueOf(replacement, field);
  if (own !== undefined && own !== null) {
    const id = explicitId(model, field, own);
    return id === undefined ? undefined : { kind: 'raise', id };
  }
  // A replacement upsert copies only `_id` from the filter, so a pinned id is put in by us.
  const pinned = pinnedValue(filter, field);
  if (pinned) {
    const id = explicitId(model, field, pinned.value);
    return id === undefined ? undefined : { kind: 'known', id, raise: true };
  }
  const existing = await idOfMatch(model, field, filter, options);
  return existing === undefined ? { kind: 'fresh' } : { kind: 'known', id: existing, raise: false };
}

/** The first new id for `needs` (undefined when none is fresh), after raising the counter past their explicit ids. */
function allocateFor(
  model: AnyModel,
  field: string,
  needs: readonly (Need | undefined)[],
): Promise<number | undefined> {
  let fresh = 0;
  let highest: number | undefined;
  for (const need of needs) {
    if (need?.kind === 'fresh') fresh++;
    else if (need && (need.kind === 'raise' || need.raise)) highest = Math.max(highest ?? need.id, need.id);
  }
  return allocate(model, field, fresh, highest);
}

/**
 * The pre hook of {@link UPDATE_OPS}: an upsert that leaves `field` alone
 * gets a reserved id in `$setOnInsert`; one that writes an explicit id
 * (`$set`, or an equality in the filter) raises the counter past it.
 *
 * @example
 * ```ts
 * schema.pre([...UPDATE_OPS], { document: false, query: true }, idOnUpdateUpsert('id'));
 * await Entry.updateOne({ headline: 'new' }, { rating: 5 }, { upsert: true });
 * // sent as { $set: { rating: 5 }, $setOnInsert: { id: 8, … } } after one $inc: 1
 * ```
 */
export function idOnUpdateUpsert(field: string): (this: AnyQuery) => Promise<void> {
  return async function assignIdOnUpsert(this: AnyQuery): Promise<void> {
    if (!this.getOptions().upsert || !this.model) return;
    const model = this.model as AnyModel;
    const update = this.getUpdate();
    const need = updateNeed(model, field, this.getFilter(), update);
    if (!need) return;
    const first = await allocateFor(model, field, [need]);
    if (need.kind === 'fresh' && first !== undefined) this.setUpdate(withSetOnInsert(update as Update, field, first));
  };
}

/**
 * The pre hook of {@link REPLACE_OPS}: an upsert's replacement lacking
 * `field` gets the filter's id, else the matched document's, else a
 * reserved one; an explicit id raises the counter past it.
 *
 * @example
 * ```ts
 * schema.pre([...REPLACE_OPS], { document: false, query: true }, idOnReplaceUpsert('id'));
 * await Entry.replaceOne({ headline: 'a' }, { headline: 'a', rating: 1 }, { upsert: true });
 * // matches id 3: the replacement is sent with id 3; matches nothing: with a reserved id
 * ```
 */
export function idOnReplaceUpsert(field: string): (this: AnyQuery) => Promise<void> {
  return async function assignIdOnReplaceUpsert(this: AnyQuery): Promise<void> {
    const options = this.getOptions();
    if (!options.upsert || !this.model) return;
    const model = this.model as AnyModel;
    const replacement = this.getUpdate();
    const { session, sort, collation } = options;
    const need = await replaceNeed(model, field, this.getFilter(), replacement, { session, sort, collation });
    if (!need) return;
    const first = await allocateFor(model, field, [need]);
    const id = need.kind === 'fresh' ? first : need.kind === 'known' ? need.id : undefined;
    if (id !== undefined) this.setUpdate(withId(replacement, field, id) as Update);
  };
}

/** One bulkWrite operation, as `{ insertOne: { document } }`, `{ updateOne: { filter, update, upsert } }`, … */
type Op = Record<string, unknown>;

/** A bulkWrite operation that may insert: its name and body. */
interface InsertingOp {
  readonly name: 'insertOne' | 'updateOne' | 'updateMany' | 'replaceOne';
  readonly body: Record<string, unknown>;
}

/** The name and body of a bulkWrite operation, when it is one that may insert. */
function inserting(op: unknown): InsertingOp | undefined {
  if (!isRecord(op)) return undefined;
  for (const name of ['insertOne', 'updateOne', 'updateMany', 'replaceOne'] as const) {
    const body = op[name];
    if (isRecord(body) && (name === 'insertOne' || body['upsert'] === true)) return { name, body };
  }
  return undefined;
}

/** What one bulkWrite operation needs from the counter; an insertOne's explicit id counts as `raise`. */
async function opNeed(model: AnyModel, field: string, found: InsertingOp, session: unknown): Promise<Need | undefined> {
  const { name, body } = found;
  if (name === 'insertOne') {
    const document = body['document'];
    if (!isRecord(document)) return undefined;
    // An id bulkSave has settled already is not `highest`: nothing to raise.
    const { missing, highest } = scanBatch(model, field, [document]);
    if (missing.length > 0) return { kind: 'fresh' };
    return highest === undefined ? undefined : { kind: 'raise', id: highest };
  }
  if (name === 'replaceOne') {
    const { sort, collation } = body;
    return replaceNeed(model, field, body['filter'], body['replacement'], { session, sort, collation });
  }
  return updateNeed(model, field, body['filter'], body['update']);
}

/** A copy of the op carrying `id`; the caller's op, its body and its document or update are not changed. */
function opWithId({ name, body }: InsertingOp, field: string, id: number): Op {
  const changed: Record<string, unknown> = { ...body };
  if (name === 'insertOne') changed['document'] = withId(body['document'], field, id);
  else if (name === 'replaceOne') changed['replacement'] = withId(body['replacement'], field, id);
  else changed['update'] = withSetOnInsert(body['update'] as Update, field, id);
  return { [name]: changed };
}

/**
 * The pre hook of Model.bulkWrite: every insertOne lacking `field`, and
 * every upsert that would insert without one, gets an id, all from ONE
 * reservation; explicit ids (insertOne documents, `$set`, filters) raise
 * the counter first. The ops are copied where they change.
 *
 * @example
 * ```ts
 * schema.pre('bulkWrite', idsOnBulkWrite('id'));
 * await Entry.bulkWrite([
 *   { insertOne: { document: { headline: 'a' } } },                                  // id 5
 *   { updateOne: { filter: { headline: 'b' }, update: { rating: 2 }, upsert: true } }, // id 6 if it inserts
 * ]); // one $inc: 2
 * ```
 */
export function idsOnBulkWrite(field: string): (this: AnyModel, ops: unknown, options?: unknown) => Promise<unknown> {
  return async function assignIdsBeforeBulkWrite(this: AnyModel, ops: unknown, options?: unknown): Promise<unknown> {
    if (!Array.isArray(ops)) return undefined;
    const session = isRecord(options) ? options['session'] : undefined;
    const found = ops.map((op: unknown) => inserting(op));
    const needs = await Promise.all(found.map((one) => (one ? opNeed(this, field, one, session) : undefined)));
    if (needs.every((need) => need === undefined)) return undefined;
    const first = await allocateFor(this, field, needs);
    if (needs.every((need) => need === undefined || need.kind === 'raise')) return undefined;
    let next = first ?? 0;
    const changed = ops.map((op: unknown, i) => {
      const [one, need] = [found[i], needs[i]];
      if (!one || !need || need.kind === 'raise') return op;
      return opWithId(one, field, need.kind === 'fresh' ? next++ : need.id);
    });
    // Mongoose passes [ops, options] and reads both back, so both go in;
    // its types declare one argument, Kareem takes any number.
    return overwriteArguments(changed, options);
  };
}
