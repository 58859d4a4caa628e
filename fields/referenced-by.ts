// The reverse side of an ArrayReferenceField, Django's `author.entry_set`:
// the documents of a source model whose array holds one target's key. djongo
// declares add/remove/clear/set here but leaves them empty; these send one
// updateMany each, and mirror it on any source documents passed in.
import type { HydratedDocument, Model } from 'mongoose';
import mongoose from 'mongoose';
import { primaryKeyOf } from '../manager/resolve.js';
import { castForQuery } from '../core/mongoose-internals.js';
import { QuerySet } from '../manager/queryset.js';
import type { ModelOf } from '../manager/model-of.js';
import type { FilterInput, QNode } from '../manager/q.js';
import type { CheckedFilters } from '../manager/filter-types.js';
import { ValidationError } from '../core/errors.js';
import {
  filterRelated,
  keyId,
  mirror,
  referencePath,
  uniqueKeys,
  type ArrayPathOf,
  type ReferenceInput,
  type ReferencePath,
  type UntypedModel,
} from './array-reference.js';

/** The reverse related manager {@link referencedBy} returns. */
export interface ReferencedBy<TSource> {
  /** The model whose documents hold the references. */
  readonly model: Model<TSource>;
  /** The key of the target, as the arrays store it. */
  readonly key: unknown;
  /** The source documents whose array holds the target's key, as a QuerySet. */
  all(): QuerySet<TSource, HydratedDocument<TSource>>;
  /** Those of them matching filters: `all().filter(…)`. */
  filter<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: CheckedFilters<TSource, Fs>
  ): QuerySet<TSource, HydratedDocument<TSource>>;
  /** Adds the target to these sources' arrays (`$addToSet`). */
  add(...sources: readonly ReferenceInput[]): Promise<void>;
  /** Removes the target from these sources' arrays (`$pull`). */
  remove(...sources: readonly ReferenceInput[]): Promise<void>;
  /** Removes the target from every source's array. */
  clear(): Promise<void>;
  /** Makes exactly these sources reference the target. */
  set(sources: Iterable<ReferenceInput>): Promise<void>;
}

class ReverseArrayReferenceManager<TSource> implements ReferencedBy<TSource> {
  readonly #field: ReferencePath;
  readonly #untyped: UntypedModel;
  readonly model: Model<TSource>;
  readonly key: unknown;

  constructor(model: Model<TSource>, field: ReferencePath, key: unknown) {
    this.model = model;
    this.#untyped = model as unknown as UntypedModel;
    this.#field = field;
    this.key = key;
  }

  /** Source `_id`s, and the source documents given, to mirror the change on. */
  #sources(items: Iterable<ReferenceInput>): { ids: unknown[]; docs: mongoose.Document<unknown>[] } {
    const idType = this.model.schema.path('_id');
    const docs: mongoose.Document<unknown>[] = [];
    const ids: unknown[] = [];
    for (const item of items) {
      if (item instanceof mongoose.Model) {
        const doc = item as mongoose.Document<unknown>;
        const own = doc.constructor as UntypedModel;
        if (own.modelName !== this.model.modelName && own.baseModelName !== this.model.modelName) {
          throw new ValidationError(
            `${this.#field.label}: expected a ${this.model.modelName} or its _id, got a ${own.modelName}.`,
            this.#field.label,
          );
        }
        docs.push(doc);
        if (!doc.isNew) ids.push(doc._id);
      } else {
        try {
          ids.push(castForQuery(idType, item));
        } catch (err) {
          throw new ValidationError(
            `${this.#field.label}: cannot cast ${JSON.stringify(String(item))} to the _id of ${this.model.modelName}.`,
            this.#field.label,
            { cause: err },
          );
        }
      }
    }
    return { ids: uniqueKeys(ids), docs };
  }

  #has(current: readonly unknown[]): boolean {
    const wanted = keyId(this.key);
    return current.some((k) => keyId(k) === wanted);
  }

  all(): QuerySet<TSource, HydratedDocument<TSource>> {
    // Equality on an array path matches arrays holding the value.
    const key: string = this.#field.path.split('.').join('__');
    return new QuerySet<TSource, HydratedDocument<TSource>>(this.model).filter({ [key]: this.key });
  }

  filter<const Fs extends readonly (QNode | FilterInput)[]>(
    ...filters: CheckedFilters<TSource, Fs>
  ): QuerySet<TSource, HydratedDocument<TSource>> {
    return filterRelated(this.all(), filters);
  }

  async add(...sources: readonly ReferenceInput[]): Promise<void> {
    const { ids, docs } = this.#sources(sources);
    if (ids.length > 0) {
      await this.#untyped.updateMany({ _id: { $in: ids } }, { $addToSet: { [this.#field.path]: this.key } });
    }
    for (const doc of docs) mirror(doc, this.#field.path, (c) => (this.#has(c) ? [...c] : [...c, this.key]));
  }

  async remove(...sources: readonly ReferenceInput[]): Promise<void> {
    const { ids, docs } = this.#sources(sources);
    if (ids.length > 0) {
      await this.#untyped.updateMany({ _id: { $in: ids } }, { $pull: { [this.#field.path]: this.key } });
    }
    const wanted = keyId(this.key);
    for (const doc of docs) mirror(doc, this.#field.path, (c) => c.filter((k) => keyId(k) !== wanted));
  }

  async clear(): Promise<void> {
    await this.#untyped.updateMany({ [this.#field.path]: this.key }, { $pull: { [this.#field.path]: this.key } });
  }

  async set(sources: Iterable<ReferenceInput>): Promise<void> {
    const { ids, docs } = this.#sources(sources);
    await this.#untyped.updateMany(
      { [this.#field.path]: this.key, _id: { $nin: ids } },
      { $pull: { [this.#field.path]: this.key } },
    );
    await this.add(...docs, ...(ids as ReferenceInput[]));
  }
}

/**
 * The documents of `source` whose array `path` references `target`, Django's
 * reverse accessor (`author.entry_set`), with working add, remove, clear and
 * set (djongo's are empty). `target` is a saved document, or its key. Each
 * change is one `updateMany`; source documents you pass are updated in memory
 * too, others are not (load them again).
 *
 * @example
 * ```ts
 * const entries = referencedBy(Entry, 'authors', john);
 * await entries.all();                         // Entry.find({ authors: john._id })
 * await entries.add(heyJude);                  // updateMany({ _id: { $in: [heyJude._id] } }, { $addToSet: { authors: john._id } })
 * await entries.filter({ headline__startswith: 'Hey' }).count();
 * await entries.clear();                       // updateMany({ authors: john._id }, { $pull: { authors: john._id } })
 * ```
 */
export function referencedBy<TSource>(
  source: ModelOf<TSource>,
  path: ArrayPathOf<TSource>,
  target: ReferenceInput,
): ReferencedBy<TSource> {
  const field = referencePath(source as unknown as UntypedModel, path);
  let key: unknown;
  if (target instanceof mongoose.Model) {
    const doc = target as mongoose.Document<unknown>;
    const own = doc.constructor as UntypedModel;
    if (typeof field.ref === 'string' && own.modelName !== field.ref && own.baseModelName !== field.ref) {
      throw new ValidationError(`${field.label} references ${field.ref}, not ${own.modelName}.`, field.label);
    }
    if (doc.isNew) {
      throw new ValidationError(`${field.label}: the ${own.modelName} is not saved yet; save it first.`, field.label);
    }
    key = field.cast(doc.get(primaryKeyOf(own.schema)));
  } else {
    key = field.cast(target);
  }
  return new ReverseArrayReferenceManager<TSource>(source as unknown as Model<TSource>, field, key);
}
