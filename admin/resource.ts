// The AdminJS resource of one Mongoose model, read and written through a
// djongoose manager: a list page is one QuerySet (filter, orderBy, slice),
// sent as one find with sort/skip/limit, plus one count. Rows are read lean
// and hydrated here, one by one, so that in strict ENFORCE_SCHEMA mode a
// drifted document becomes a record carrying its MigrationError instead of
// failing the whole page.
import mongoose, { type Connection, type HydratedDocument, type Model, type Schema } from 'mongoose';
import {
  BaseResource,
  type BaseRecord,
  type AdminJS,
  type Filter,
  type ParamsType,
  type ResourceOptions,
} from 'adminjs';
import { withMarkers } from './markers.js';
import { FilterError, ImproperlyConfigured, MigrationError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { DjongoManager } from '../manager/manager.js';
import type { QuerySet } from '../manager/queryset.js';
import { compileFilters, isText, type FilterScope } from './filter.js';
import { adminError, paramsError, type ErrorPlaces } from './errors.js';
import { readParams } from './params.js';
import { propertySpecs } from './properties.js';
import { Property, type PropertySpec } from './property.js';
import { paramsOf } from './record-params.js';
import { AdminRecord } from './record.js';
import { saveForm } from './save.js';
import { duplicateError } from './duplicate.js';
import { storedRows } from './drifted.js';
import { orderKeys, uniquePaths } from './ordering.js';
import { MIGRATION_ERROR_PATH, migrationErrorSpec, refusesDrift, withMigrationErrors } from './migration-error.js';

type Row = Record<string, unknown>;
type AnyModel = Model<Row>;

/** Options of a {@link Resource}; {@link modelAdmin} fills them from Django's names. */
export interface ResourceSettings {
  /** Django's `search_fields`: the search box matches any of them (`icontains`; `^` starts with, `=` exact). */
  readonly searchFields?: readonly string[];
  /** Django's `readonly_fields`: shown, never written, whatever the params say. */
  readonly readonlyFields?: readonly string[];
}

/** What the adapter needs of a model: any Mongoose model, typed or not. */
export interface AdminModel {
  readonly modelName: string;
  readonly schema: Schema;
  readonly db: Connection;
}

/** The filter path of the search box: Django admin's `?q=`. */
export const SEARCH_PATH = 'q';

const TO_OBJECT = { depopulate: true, virtuals: false, getters: false, versionKey: false, transform: false } as const;

// The specs params are read through: readonly fields are not editable there.
function writable(specs: readonly PropertySpec[], readonly: ReadonlySet<string>): PropertySpec[] {
  return specs.map((spec) => ({
    ...spec,
    ...(readonly.has(spec.path) ? { isEditable: false } : {}),
    ...(spec.subProperties ? { subProperties: writable(spec.subProperties, readonly) } : {}),
  }));
}

// The fields by path: what filters, sorting and modelAdmin's names may
// name. The MigrationError property is not a field.
function byPath(specs: readonly PropertySpec[], into = new Map<string, PropertySpec>()): Map<string, PropertySpec> {
  for (const spec of specs) {
    if (spec.kind === 'migrationError') continue;
    into.set(spec.path, spec);
    if (spec.subProperties) byPath(spec.subProperties, into);
  }
  return into;
}

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
  #specs:
    | {
        readonly all: PropertySpec[];
        /** The model's fields: `all` without the MigrationError property. */
        readonly fields: PropertySpec[];
        readonly writable: PropertySpec[];
        readonly byPath: Map<string, PropertySpec>;
        readonly props: Property[];
        readonly unique: ReadonlySet<string>;
      }
    | undefined;

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

  #built() {
    if (!this.#specs) {
      const specs = propertySpecs(this.model.schema);
      // Only a strict model's records can carry a MigrationError.
      if (refusesDrift(this.model)) specs.unshift(migrationErrorSpec());
      if (this.#settings.searchFields?.length) {
        specs.push({
          name: SEARCH_PATH,
          path: SEARCH_PATH,
          type: 'string',
          isSortable: false,
          isEditable: false,
          kind: 'search',
        });
      }
      this.#specs = {
        all: specs,
        fields: specs.filter((spec) => spec.kind !== 'migrationError'),
        writable: writable(specs, new Set(this.#settings.readonlyFields)),
        byPath: byPath(specs),
        props: specs.map((spec) => new Property(spec)),
        unique: uniquePaths(this.model.schema),
      };
    }
    return this.#specs;
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

  /**
   * Throws ImproperlyConfigured when a search field is not text (a number,
   * a date, an embedded document), so that a wrong `searchFields` fails when
   * the admin is built, not on the first search.
   */
  checkSearch(): void {
    const { byPath } = this.#built();
    for (const field of this.#settings.searchFields ?? []) {
      const path = field.replace(/^[\^=]/, '');
      const spec = byPath.get(path);
      if (spec && isText(spec)) continue;
      const text = [...byPath.values()].filter(isText).map((p) => p.path);
      throw new ImproperlyConfigured(
        `${this.model.modelName} searchFields: ${JSON.stringify(field)} is ${spec ? `a ${spec.type} field` : 'not a field'}; ` +
          `search fields are text fields (or lists of text): ${text.join(', ')}.` +
          didYouMean(path, text),
      );
    }
  }

  override async count(filter: Filter): Promise<number> {
    return this.queryset(filter).count();
  }

  #order(sort: { sortBy?: string; direction?: 'asc' | 'desc' } | undefined): string[] {
    if (!sort?.sortBy) return [];
    const spec = this.#built().byPath.get(sort.sortBy);
    if (!spec || spec.isSortable === false) {
      const sortable = this.#built()
        .all.filter((p) => p.isSortable !== false)
        .map((p) => p.path);
      throw new FilterError(
        `${this.model.modelName}: cannot sort by ${JSON.stringify(sort.sortBy)}; sortable: ${sortable.join(', ')}.` +
          didYouMean(sort.sortBy, sortable),
        { sortBy: [`not a sortable field; sortable: ${sortable.join(', ')}`] },
      );
    }
    return orderKeys(spec.path, sort.direction, this.#built().unique);
  }

  override async find(
    filter: Filter,
    options: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } } = {},
  ): Promise<BaseRecord[]> {
    const order = this.#order(options.sort);
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

  /** Where errors of a write that set `values` are shown. */
  #places(values: Record<string, unknown>): ErrorPlaces {
    const filePaths = this.#built()
      .all.filter((spec) => (spec.kind === 'file' || spec.kind === 'image') && Object.hasOwn(values, spec.name))
      .map((spec) => spec.path);
    return { filePaths, idPath: '_id' };
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

  override async delete(id: string): Promise<void> {
    try {
      await this.#objects.filter({ _id: id }).delete();
    } catch (err) {
      throw adminError(err, { filePaths: [], idPath: '_id' });
    }
  }
}
