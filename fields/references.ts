// The forward related manager of an ArrayReferenceField, djongo's
// `entry.authors`: reads the referenced documents, and changes the array with
// one atomic update ($addToSet, $pullAll, $set) that it mirrors on the
// document in memory, so a later save() does not send it again.
import type { HydratedDocument, Model } from 'mongoose';
import mongoose from 'mongoose';
import { DoesNotExist, FieldError } from '../core/errors.js';
import { QuerySet } from '../manager/queryset.js';
import type { ModelOf } from '../manager/model-of.js';
import type { FilterInput, QNode } from '../manager/q.js';
import type { CheckedFilters } from '../manager/filter-types.js';
import {
  filterRelated,
  keyId,
  keyOf,
  mirror,
  referencePath,
  targetModel,
  uniqueKeys,
  type ArrayPathOf,
  type ReferenceInput,
  type ReferencePath,
  type UntypedModel,
} from './array-reference.js';

/**
 * The related manager {@link references} returns: Django's many-related
 * manager over one document's array of references.
 */
export interface References<TTarget> {
  /** The referenced model. */
  readonly model: Model<TTarget>;
  /** The referenced documents, as a QuerySet (lazy; order is the server's unless you orderBy). */
  all(): QuerySet<TTarget, HydratedDocument<TTarget>>;
  /** The referenced documents matching filters: `all().filter(…)`. */
  filter<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: CheckedFilters<TTarget, Fs>
  ): QuerySet<TTarget, HydratedDocument<TTarget>>;
  /** Adds references not there yet (`$addToSet` with `$each`). */
  add(...items: readonly ReferenceInput[]): Promise<void>;
  /** Removes references (`$pullAll`). */
  remove(...items: readonly ReferenceInput[]): Promise<void>;
  /** Removes every reference (`$set: []`). */
  clear(): Promise<void>;
  /** Replaces the references with these, in this order (`$set`). */
  set(items: Iterable<ReferenceInput>): Promise<void>;
  /** Creates a target document and adds a reference to it. */
  create(fields: Readonly<Record<string, unknown>>): Promise<HydratedDocument<TTarget>>;
}

class ArrayReferenceManager<TTarget> implements References<TTarget> {
  readonly #doc: mongoose.Document<unknown>;
  readonly #field: ReferencePath;
  readonly model: Model<TTarget>;

  constructor(doc: mongoose.Document<unknown>, field: ReferencePath, model: Model<TTarget>) {
    this.#doc = doc;
    this.#field = field;
    this.model = model;
  }

  #keys(items: Iterable<ReferenceInput>): unknown[] {
    return uniqueKeys([...items].map((item) => keyOf(this.#field, item, this.model as unknown as UntypedModel)));
  }

  /** Sends the update (unless the document is not saved yet) and mirrors it in memory. */
  async #change(update: Record<string, unknown>, next: (current: readonly unknown[]) => unknown[]): Promise<void> {
    const doc = this.#doc;
    if (!doc.isNew) {
      const own = doc.$model();
      const result = await own.updateOne({ _id: doc._id }, update);
      if (result.matchedCount === 0) {
        throw new DoesNotExist(
          `${this.#field.label}: the ${own.modelName} ${String(doc._id)} is no longer in the database.`,
        );
      }
    }
    mirror(doc, this.#field.path, next);
  }

  all(): QuerySet<TTarget, HydratedDocument<TTarget>> {
    const qs = new QuerySet<TTarget, HydratedDocument<TTarget>>(this.model);
    const current = (this.#doc.get(this.#field.path) as unknown[] | null | undefined) ?? [];
    if (current.length === 0) return qs.none();
    // A key built at run time: the typed filter check cannot see into TTarget here.
    const key: string = 'pk__in';
    return qs.filter({ [key]: [...current] });
  }

  filter<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: CheckedFilters<TTarget, Fs>
  ): QuerySet<TTarget, HydratedDocument<TTarget>> {
    return filterRelated(this.all(), filters);
  }

  async add(...items: readonly ReferenceInput[]): Promise<void> {
    const keys = this.#keys(items);
    if (keys.length === 0) return;
    await this.#change({ $addToSet: { [this.#field.path]: { $each: keys } } }, (current) =>
      uniqueKeys([...current, ...keys]),
    );
  }

  async remove(...items: readonly ReferenceInput[]): Promise<void> {
    const keys = this.#keys(items);
    if (keys.length === 0) return;
    const gone = new Set(keys.map(keyId));
    await this.#change({ $pullAll: { [this.#field.path]: keys } }, (current) =>
      current.filter((k) => !gone.has(keyId(k))),
    );
  }

  async clear(): Promise<void> {
    await this.#change({ $set: { [this.#field.path]: [] } }, () => []);
  }

  async set(items: Iterable<ReferenceInput>): Promise<void> {
    const keys = this.#keys(items);
    await this.#change({ $set: { [this.#field.path]: keys } }, () => keys);
  }

  async create(fields: Readonly<Record<string, unknown>>): Promise<HydratedDocument<TTarget>> {
    const created = await (this.model as unknown as UntypedModel).create(fields);
    await this.add(created);
    return created as unknown as HydratedDocument<TTarget>;
  }
}

/**
 * The related manager of an array-of-references path on one document,
 * djongo's `entry.authors`. Each change is one atomic update of that
 * document, also applied to it in memory (and not sent again by a later
 * save). On a document not saved yet, changes are made in memory only and
 * written by its first save. The target model is the path's `ref`, looked up
 * on the document's connection, unless you pass one.
 *
 * @example
 * ```ts
 * const authors = references(entry, 'authors', Author);
 * await authors.add(john, paul._id);          // { $addToSet: { authors: { $each: [john._id, paul._id] } } }
 * await authors.remove(john);                 // { $pullAll: { authors: [john._id] } }
 * await authors.set([ringo]);                 // { $set: { authors: [ringo._id] } }
 * const names = await authors.all().valuesList('name', { flat: true });
 * await authors.clear();                      // { $set: { authors: [] } }
 * ```
 */
export function references<D extends mongoose.Document<unknown>, TTarget = Record<string, unknown>>(
  doc: D,
  path: ArrayPathOf<D>,
  target?: ModelOf<TTarget>,
): References<TTarget> {
  if (!(doc instanceof mongoose.Model)) {
    throw new FieldError(
      'references() takes a document of a model; embedded documents hold no references (as in djongo).',
    );
  }
  const own = doc.$model() as unknown as UntypedModel;
  const field = referencePath(own, path);
  const model = targetModel<TTarget>(
    field,
    (name) => doc.$model(name) as unknown as Model<TTarget>,
    target as Model<TTarget> | undefined,
  );
  return new ArrayReferenceManager<TTarget>(doc, field, model);
}
