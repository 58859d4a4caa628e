// The AdminJS resource of one Mongoose model, read and written through a
// djongoose manager: a list page is one QuerySet (filter, orderBy, slice),
// sent as one find with sort/skip/limit, plus one count. Rows are read lean
// and hydrated here, one by one, so that in strict ENFORCE_SCHEMA mode a
// drifted document becomes a record carrying its MigrationError instead of
// failing the whole page.
import mongoose, { type Connection, type HydratedDocument, type Model, type Schema } from 'mongoose';
import {
  BaseResource,
  type ActionContext,
  type BaseRecord,
  type AdminJS,
  type Filter,
  type ParamsType,
  type ResourceOptions,
} from 'adminjs';
import { withMarkers } from './markers.js';
import { MigrationError } from '../core/errors.js';
import { DjongoManager } from '../manager/manager.js';
import type { QuerySet } from '../manager/queryset.js';
import { compileFilters, type FilterScope } from './filter.js';
import { adminError, paramsError, type ErrorPlaces } from './errors.js';
import { readParams } from './params.js';
import type { Property } from './property.js';
import { paramsOf } from './record-params.js';
import { AdminRecord } from './record.js';
import { saveForm, splitUploads } from './save.js';
import { duplicateError } from './duplicate.js';
import { storedRows } from './drifted.js';
import { MIGRATION_ERROR_PATH, withMigrationErrors } from './migration-error.js';
import {
  SEARCH_PATH,
  checkSearchFields,
  resourceSpecs,
  sortOrder,
  type ResourceSettings,
  type ResourceSpecs,
  type SortRequest,
} from './resource-specs.js';

type Row = Record<string, unknown>;
type AnyModel = Model<Row>;

export { SEARCH_PATH } from './resource-specs.js';
export type { ResourceSettings } from './resource-specs.js';

/** What the adapter needs of a model: any Mongoose model, typed or not. */
export interface AdminModel {
  readonly modelName: string;
  readonly schema: Schema;
  readonly db: Connection;
}

const TO_OBJECT = { depopulate: true, virtuals: false, getters: false, versionKey: false, transform: false } as const;

/** The one delete of each bulkDelete's selection, keyed by AdminJS's array of its records. */
const BATCHES = new WeakMap<readonly BaseRecord[], Promise<void>>();

/**
 * A Mongoose model as an AdminJS resource, built on djongoose's manager.
 * Register the adapter once (`AdminJS.registerAdapter({ Database, Resource })`)
 * and list models in `resources`, or give {@link modelAdmin}'s result.
 *
 * @example
 * ```ts
 * AdminJS.registerAdapter({ Database, Resource });
 * const admin = new AdminJS({ resources: [Entry, modelAdmin(Author, { searchFields: ['name'] })] });
 * await new Resource(Entry).count(new Filter({ 'blog.name': 'beatles' }, resource)); // blog__name__icontains
 * ```
 */
export class Resource extends BaseResource {
  readonly model: AnyModel;
  readonly #objects: DjongoManager<Row>;
  readonly #settings: ResourceSettings;
  #specs: ResourceSpecs | undefined;

  /** Whether AdminJS should use this adapter for `raw`: a Mongoose model. */
  static override isAdapterFor(raw: unknown): boolean {
    return typeof raw === 'function' && (raw as { prototype?: unknown }).prototype instanceof mongoose.Model;
  }

  constructor(model: AdminModel, settings: ResourceSettings = {}) {
    super(model);
    this.model = model as unknown as AnyModel;
    this.#objects = new DjongoManager<Row>(this.model);
    this.#settings = settings;
  }

  #built(): ResourceSpecs {
    return (this.#specs ??= resourceSpecs(this.model, this.#settings));
  }

  /** AdminJS decorates the resource with the app's options, laid over djongoose's property markers. */
  override assignDecorator(admin: AdminJS, options: ResourceOptions = {}): void {
    const { all, fields } = this.#built();
    const marked = withMarkers(this.model.schema, all, options);
    super.assignDecorator(admin, all.length > fields.length ? withMigrationErrors(admin, marked) : marked);
  }

  /** The model's name, as AdminJS's adapters answer `name()`. */
  name(): string {
    return this.model.modelName;
  }

  override databaseName(): string {
    return this.model.db.name;
  }

  override databaseType(): string {
    return 'MongoDB';
  }

  override id(): string {
    return this.model.modelName;
  }

  override properties(): Property[] {
    return this.#built().props;
  }

  /** Every field path AdminJS may name (`blog.name` included), the search box's left out. */
  paths(): string[] {
    return [...this.#built().byPath.values()].filter((spec) => spec.kind !== 'search').map((spec) => spec.path);
  }

  override property(path: string): Property | null {
    const wanted = path.split('.').filter((part) => !/^\d+$/.test(part));
    let level: Property[] = this.properties();
    let found: Property | undefined;
    for (const name of wanted) {
      found = level.find((p) => p.name() === name);
      if (!found) return null;
      level = found.subProperties();
    }
    return found ?? null;
  }

  /** The filter scope: properties by path and the search box. */
  #scope(): FilterScope {
    const { searchFields } = this.#settings;
    return {
      model: this.model.modelName,
      properties: this.#built().byPath,
      ...(searchFields?.length ? { search: { path: SEARCH_PATH, fields: searchFields } } : {}),
    };
  }

  /** The QuerySet of what a filter selects. */
  queryset(filter?: Filter | null): QuerySet<Row> {
    const elements = filter ? Object.values(filter.filters) : [];
    return this.#objects.filter(compileFilters(this.#scope(), elements));
  }

  /** ImproperlyConfigured when a search field is not text: a wrong `searchFields` fails when the admin is built. */
  checkSearch(): void {
    checkSearchFields(this.model.modelName, this.#built(), this.#settings.searchFields ?? []);
  }

  override async count(filter: Filter): Promise<number> {
    return this.queryset(filter).count();
  }

  override async find(
    filter: Filter,
    options: { limit?: number; offset?: number; sort?: SortRequest } = {},
  ): Promise<BaseRecord[]> {
    const order = sortOrder(this.model.modelName, this.#built(), options.sort);
    let qs = this.queryset(filter);
    if (order.length) qs = qs.orderBy(...order);
    const start = Math.max(0, options.offset ?? 0);
    qs = qs.slice(start, options.limit === undefined ? undefined : start + options.limit);
    return this.#records(qs, options.limit);
  }

  async #records(qs: QuerySet<Row>, limit?: number): Promise<BaseRecord[]> {
    const records: BaseRecord[] = [];
    try {
      // Lean rows in one batch of the page's size: one find.
      for await (const row of qs.lean().iterator(limit ? { chunkSize: limit } : {})) records.push(this.#recordOf(row));
      return records;
    } catch (err) {
      if (!(err instanceof MigrationError)) throw err;
    }
    // A drifted document on the page (strict mode): each row judged on its own.
    return (await storedRows(this.model, qs.toMongo())).map((row) => this.#recordOf(row));
  }

  #recordOf(row: Row): BaseRecord {
    const { fields } = this.#built();
    let doc: HydratedDocument<Row>;
    try {
      doc = this.model.hydrate(row);
    } catch (err) {
      if (!(err instanceof MigrationError)) throw err;
      // Shown as stored, with the error: the list goes on, and the show page says what drifted.
      const record = new AdminRecord({ ...paramsOf(fields, row), [MIGRATION_ERROR_PATH]: err.message }, this);
      record.baseError = { type: 'MigrationError', message: err.message };
      return record;
    }
    return new AdminRecord(paramsOf(fields, doc.toObject(TO_OBJECT) as Row), this);
  }

  /** Whether `id` casts to the `_id` type: a URL or a reference list may hold anything. */
  #isId(id: unknown): boolean {
    try {
      this.#objects.filter({ _id: id }).toMongo();
      return true;
    } catch (err) {
      if (err instanceof mongoose.Error.ValidationError) return false;
      throw err;
    }
  }

  override async findOne(id: string): Promise<BaseRecord | null> {
    if (!this.#isId(id)) return null;
    const [record] = await this.#records(this.#objects.filter({ _id: id }).slice(0, 1), 1);
    return record ?? null;
  }

  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    const valid = ids.filter((id) => this.#isId(id));
    if (valid.length === 0) return [];
    return this.#records(this.#objects.filter({ _id__in: valid }));
  }

  #values(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const { values, errors } = readParams(this.#built().writable, params);
    if (Object.keys(errors).length > 0) throw paramsError(errors);
    return values;
  }

  /** Where errors of a write that set `values` are shown: a file error on the file fields it set. */
  #places(values: Record<string, unknown>): ErrorPlaces {
    const set = this.#built()
      .all.filter((spec) => (spec.kind === 'file' || spec.kind === 'image') && Object.hasOwn(values, spec.name))
      .map((spec) => spec.path);
    const uploaded = splitUploads(values)[1].map(([path]) => path);
    return { filePaths: [...new Set([...uploaded, ...set])], idPath: '_id' };
  }

  /** AdminJS's new action builds its record here: one whose params never hold an upload (record.ts). */
  override build(params: ParamsType): BaseRecord {
    return new AdminRecord(params, this);
  }

  override async create(params: Record<string, unknown>): Promise<ParamsType> {
    const values = this.#values(params);
    const doc = new this.model() as HydratedDocument<Row>;
    try {
      await saveForm(this.model, doc, this.#built().fields, values);
      return paramsOf(this.#built().fields, doc.toObject(TO_OBJECT) as Row);
    } catch (err) {
      throw adminError(await duplicateError(err, this.model, doc), this.#places(values));
    }
  }

  override async update(id: string, params: Record<string, unknown>): Promise<ParamsType> {
    const values = this.#values(params);
    let doc: HydratedDocument<Row> | undefined;
    try {
      doc = await this.#objects.get({ _id: id });
      await saveForm(this.model, doc, this.#built().fields, values);
      return paramsOf(this.#built().fields, doc.toObject(TO_OBJECT) as Row);
    } catch (err) {
      throw adminError(await duplicateError(err, this.model, doc), this.#places(values));
    }
  }

  override async delete(id: string, context?: ActionContext): Promise<void> {
    const batch = context?.action?.name === 'bulkDelete' ? context.records : undefined;
    try {
      if (batch && batch.length > 1 && batch.some((record) => record.id() === id))
        return await this.#deleteBatch(batch);
      await this.#objects.filter({ _id: id }).delete();
    } catch (err) {
      throw adminError(err, { filePaths: [], idPath: '_id' });
    }
  }

  // AdminJS's bulkDelete calls delete(id) for every selected record at once.
  // As Django's "delete selected", they go as one QuerySet delete, started by
  // the first call and awaited by the others: a PROTECT among them refuses
  // the whole batch, and nothing is deleted.
  #deleteBatch(records: readonly BaseRecord[]): Promise<void> {
    let started = BATCHES.get(records);
    if (!started) {
      const ids = records.map((record) => record.id());
      started = this.#objects
        .filter({ _id__in: ids })
        .delete()
        .then(() => undefined);
      BATCHES.set(records, started);
    }
    return started;
  }
}
