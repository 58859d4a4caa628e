// Django's get_next_by_<date field>() / get_previous_by_<date field>():
// the document after (or before) this one in the order of a Date field, ties
// broken by primary key so that walking the chain skips and repeats nothing.
// Read through the model's default manager, as Django's _default_manager.
import type { Document, Model, Schema } from 'mongoose';
import { DjongooseError, DoesNotExist, FieldError } from '../core/errors.js';
import { isPlainObject } from '../core/values.js';
import { Q, type FilterInput } from './q.js';
import { QuerySet } from './queryset.js';
import { primaryKeyOf, resolveKey } from './resolve.js';

// The first manager the plugin installed on a schema: Django's _default_manager.
const defaultManagers = new WeakMap<Schema, string>();

/**
 * Records a schema's default manager (the first one installed), the one
 * {@link getNextBy} reads through. The manager plugin calls it.
 *
 * @example
 * ```ts
 * rememberDefaultManager(entrySchema, 'objects');
 * ```
 */
export function rememberDefaultManager(schema: Schema, name: string): void {
  if (!defaultManagers.has(schema)) defaultManagers.set(schema, name);
}

function startOf(model: Model<unknown>): QuerySet<never, unknown> {
  const name = defaultManagers.get(model.schema);
  const found: unknown = name === undefined ? undefined : (model as unknown as Record<string, unknown>)[name];
  const manager = found as { getQueryset?: () => unknown } | undefined;
  const qs = typeof manager?.getQueryset === 'function' ? manager.getQueryset() : undefined;
  return qs instanceof QuerySet ? (qs as unknown as QuerySet<never, unknown>) : new QuerySet(model as never);
}

/**
 * The Date paths of a schema's top level, for the `get_next_by_<field>` aliases.
 *
 * @example
 * ```ts
 * dateFields(entrySchema); // ['pub_date']
 * ```
 */
export function dateFields(schema: Schema): string[] {
  const names: string[] = [];
  schema.eachPath((path, type) => {
    if (!path.includes('.') && type.instance === 'Date') names.push(path);
  });
  return names;
}

async function adjacent(doc: Document, field: string, filters: unknown, next: boolean): Promise<Document> {
  const model = doc.constructor as Model<unknown>;
  const method = next ? 'getNextBy' : 'getPreviousBy';
  const resolved = typeof field === 'string' ? resolveKey(model.schema, model.modelName, field) : undefined;
  if (!resolved || resolved.lookups.length > 0 || resolved.schemaType?.instance !== 'Date') {
    throw new FieldError(
      `${method}() takes a Date field of ${model.modelName}, not ${JSON.stringify(field)}. ` +
        `Choices are: ${dateFields(model.schema).join(', ') || '(none)'}.`,
    );
  }
  if (filters !== undefined && !isPlainObject(filters)) {
    throw new FieldError(`${method}(): filters take an object of lookups, e.g. { headline__endswith: '6' }.`);
  }
  const pk: unknown = doc.get(primaryKeyOf(model.schema));
  const value: unknown = doc.get(resolved.path);
  if (doc.isNew || pk == null) {
    throw new DjongooseError(`${method}() cannot be used on unsaved documents: save the ${model.modelName} first.`);
  }
  if (value == null) {
    throw new DjongooseError(`${method}(): this ${model.modelName} has no ${field} to order by.`);
  }
  const op = next ? 'gt' : 'lt';
  const order = next ? '' : '-';
  const after = Q({ [field]: value, [`pk__${op}`]: pk }).or({ [`${field}__${op}`]: value });
  const found = await startOf(model)
    .filter((filters ?? {}) as never)
    .filter(after as never)
    .orderBy(`${order}${field}` as never, `${order}pk` as never)
    .first();
  if (found === undefined) throw new DoesNotExist(`${model.modelName} matching query does not exist.`);
  return found as Document;
}

/**
 * The document after this one by a Date field, ties broken by primary key:
 * Django's `get_next_by_<field>()`. `filters` narrow the candidates. Raises
 * {@link DoesNotExist} when there is none. Also `doc.getNextBy(field)`, and
 * `doc.get_next_by_<field>()` for each top-level Date field, on documents
 * of models with the manager plugin.
 *
 * @example
 * ```ts
 * const next = await getNextBy(entry, 'pub_date');
 * const nextByBeatles = await getNextBy(entry, 'pub_date', { blog__name: 'Beatles Blog' });
 * // or, typed as HydratedDocument<Entry, DjongooseDocument<Entry>>: entry.getNextBy('pub_date')
 * ```
 */
export function getNextBy<D extends Document>(doc: D, field: string, filters?: FilterInput): Promise<D> {
  return adjacent(doc, field, filters, true) as Promise<D>;
}

/**
 * The document before this one by a Date field, ties broken by primary key:
 * Django's `get_previous_by_<field>()`. See {@link getNextBy}.
 *
 * @example
 * ```ts
 * const previous = await getPreviousBy(entry, 'pub_date'); // or entry.getPreviousBy('pub_date')
 * ```
 */
export function getPreviousBy<D extends Document>(doc: D, field: string, filters?: FilterInput): Promise<D> {
  return adjacent(doc, field, filters, false) as Promise<D>;
}
