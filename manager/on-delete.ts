// Applying on_delete, as Django's Collector does, in two phases. First,
// collect: read the `_id`s (and stored keys) of the documents to delete with
// a cursor, in chunks, and for each chunk look for PROTECT referrers and
// follow CASCADE references, again by cursor over `{ path: { $in: chunk } }`.
// Nothing is written until the whole graph is read, so a PROTECT found
// anywhere leaves everything as it was. Then, apply: chunk by chunk, the
// SET_NULL / SET_DEFAULT / PULL updates of the referrers, then the deletes.
// Each document is collected once (a set of its `_id`s per model), so
// cycles end; memory holds the keys the delete reaches, never documents.
// Without a transaction, as Django's without atomic(), a failure during the
// second phase leaves the steps before it done.
import type { Model, QueryFilter } from 'mongoose';
import { ProtectedError } from '../core/errors.js';
import { onDeleteRules, type OnDeleteRule } from './on-delete-rules.js';

type AnyModel = Model<Record<string, unknown>>;
type KeyRow = Record<string, unknown> & { _id: unknown };

/** Documents per chunk: per cursor batch, and per `$in` list sent. */
const CHUNK = 1000;
/** Protecting ids listed per reference path in a ProtectedError. */
const LISTED = 20;

interface Batch {
  readonly model: AnyModel;
  readonly rows: readonly KeyRow[];
  readonly root: boolean;
}

interface Pending {
  readonly model: AnyModel;
  readonly filter: Record<string, unknown>;
  readonly root: boolean;
}

/** Identity of a stored value: ObjectIds (and other objects) by their text, scalars by type and value. */
function idOf(value: unknown): string {
  return `${typeof value}:${String(value)}`;
}

class Collector {
  readonly batches: Batch[] = [];
  readonly #seen = new Map<string, Set<string>>();
  readonly #rules = new Map<string, OnDeleteRule[]>();
  readonly #protected = new Map<string, { model: string; path: string; ids: unknown[] }>();
  readonly #pending: Pending[] = [];

  rulesOf(model: AnyModel): OnDeleteRule[] {
    let rules = this.#rules.get(model.modelName);
    if (!rules) this.#rules.set(model.modelName, (rules = onDeleteRules(model as Model<unknown>)));
    return rules;
  }

  async collect(model: AnyModel, filter: Record<string, unknown>): Promise<void> {
    this.#pending.push({ model, filter, root: true });
    for (let next = this.#pending.shift(); next; next = this.#pending.shift()) await this.#read(next);
    if (this.#protected.size > 0) throw this.#protectedError(model.modelName);
  }

  async #read({ model, filter, root }: Pending): Promise<void> {
    const fields = new Set(['_id', ...this.rulesOf(model).map((r) => r.key)]);
    let seen = this.#seen.get(model.collection.collectionName);
    if (!seen) this.#seen.set(model.collection.collectionName, (seen = new Set()));
    const cursor = model
      .find(filter as QueryFilter<Record<string, unknown>>, Object.fromEntries([...fields].map((f) => [f, 1])))
      .lean<KeyRow[]>()
      .cursor({ batchSize: CHUNK });
    let chunk: KeyRow[] = [];
    for await (const row of cursor as AsyncIterable<KeyRow>) {
      if (seen.has(idOf(row._id))) continue;
      seen.add(idOf(row._id));
      chunk.push(row);
      if (chunk.length === CHUNK) {
        await this.#visit(model, chunk, root);
        chunk = [];
      }
    }
    if (chunk.length > 0) await this.#visit(model, chunk, root);
  }

  async #visit(model: AnyModel, rows: KeyRow[], root: boolean): Promise<void> {
    this.batches.push({ model, rows, root });
    for (const rule of this.rulesOf(model)) {
      const keys = keysOf(rows, rule);
      if (keys.length === 0) continue;
      const filter = { [rule.path]: { $in: keys } };
      if (rule.action === 'CASCADE') this.#pending.push({ model: rule.model, filter, root: false });
      if (rule.action === 'PROTECT') await this.#protect(rule, filter);
    }
  }

  async #protect(rule: OnDeleteRule, filter: Record<string, unknown>): Promise<void> {
    const id = `${rule.model.modelName}.${rule.path}`;
    const listed = this.#protected.get(id)?.ids ?? [];
    if (listed.length >= LISTED) return;
    const found = await rule.model
      .find(filter as QueryFilter<Record<string, unknown>>, { _id: 1 })
      .limit(LISTED - listed.length)
      .lean<KeyRow[]>()
      .exec();
    if (found.length === 0) return;
    this.#protected.set(id, {
      model: rule.model.modelName,
      path: rule.path,
      ids: [...listed, ...found.map((r) => r._id)],
    });
  }

  #protectedError(modelName: string): ProtectedError {
    const objects = [...this.#protected.values()];
    const paths = objects.map((o) => `'${o.model}.${o.path}'`).join(', ');
    return new ProtectedError(
      `Cannot delete some documents of model '${modelName}' because they are referenced through protected ` +
        `references: ${paths}. Nothing was deleted. Delete or change the protecting documents first ` +
        `(err.protectedObjects lists them), or declare the reference with another onDelete ` +
        `(CASCADE, SET_NULL, SET_DEFAULT, DO_NOTHING; PULL for arrays).`,
      objects,
    );
  }
}

function keysOf(rows: readonly KeyRow[], rule: OnDeleteRule): unknown[] {
  return rows.map((row) => row[rule.key]).filter((k) => k !== undefined && k !== null);
}

/** The update a SET_NULL, SET_DEFAULT or PULL rule sends to the referrers of these keys. */
function referrerUpdate(rule: OnDeleteRule, keys: unknown[]): Record<string, unknown> | undefined {
  switch (rule.action) {
    case 'SET_NULL':
      return { $set: { [rule.path]: null } };
    case 'SET_DEFAULT': {
      const value: unknown = rule.type.options.default;
      return { $set: { [rule.path]: typeof value === 'function' ? (value as () => unknown)() : value } };
    }
    case 'PULL':
      // $pullAll: what $pull with $in does, in the form the related manager sends (FerretDB v1.24
      // left the array as it was for $pull: { path: { $in } } in this module's e2e test).
      return { $pullAll: { [rule.path]: keys } };
    case 'CASCADE':
    case 'PROTECT':
      return undefined;
  }
}

/** Options of {@link deleteWithRules}. */
export interface DeleteWithRulesOptions {
  /** Leave the matched documents themselves to the caller (a document's deleteOne() deletes itself). */
  readonly keepRoot?: boolean;
}

/**
 * Deletes the documents of `model` matching `filter`, applying the onDelete
 * rules of the references to them; how many of the matches were deleted.
 * Without rules, one deleteMany, as before on_delete existed.
 *
 * @example
 * ```ts
 * await deleteWithRules(Article, { _id: { $in: ids } }); // SelfRef.article (SET_NULL) set to null first
 * ```
 */
export async function deleteWithRules(
  model: AnyModel,
  filter: Record<string, unknown>,
  options: DeleteWithRulesOptions = {},
): Promise<number> {
  const collector = new Collector();
  if (collector.rulesOf(model).length === 0) {
    if (options.keepRoot) return 0;
    const result = await model.deleteMany(filter as QueryFilter<Record<string, unknown>>).exec();
    return result.deletedCount;
  }
  await collector.collect(model, filter);
  let deleted = 0;
  for (const batch of collector.batches) {
    for (const rule of collector.rulesOf(batch.model)) {
      const keys = keysOf(batch.rows, rule);
      const update = referrerUpdate(rule, keys);
      if (!update || keys.length === 0) continue;
      await rule.model
        .updateMany({ [rule.path]: { $in: keys } } as QueryFilter<Record<string, unknown>>, update, {
          timestamps: false,
        })
        .exec();
    }
    if (batch.root && options.keepRoot) continue;
    const ids = batch.rows.map((row) => row._id);
    const result = await batch.model.deleteMany({ _id: { $in: ids } } as QueryFilter<Record<string, unknown>>).exec();
    if (batch.root) deleted += result.deletedCount;
  }
  return deleted;
}
