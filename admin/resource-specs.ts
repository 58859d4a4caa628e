// What a resource knows of its model's fields, built once from the schema:
// the property specs AdminJS is given (a strict model's MigrationError
// property first, the search box last), the editable ones params are read
// through, the fields by path that filters, sorting and modelAdmin's names
// may name, and the paths unique on their own. The checks of a sort and of
// `searchFields` against them are here too, so that both name the same
// fields in their errors.
import type { Model, Schema } from 'mongoose';
import { FilterError, ImproperlyConfigured } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { isText } from './filter.js';
import { propertySpecs } from './properties.js';
import { Property, type PropertySpec } from './property.js';
import { orderKeys, uniquePaths } from './ordering.js';
import { migrationErrorSpec, refusesDrift } from './migration-error.js';

/** Options of a {@link Resource}; {@link modelAdmin} fills them from Django's names. */
export interface ResourceSettings {
  /** Django's `search_fields`: the search box matches any of them (`icontains`; `^` starts with, `=` exact). */
  readonly searchFields?: readonly string[];
  /** Django's `readonly_fields`: shown, never written, whatever the params say. */
  readonly readonlyFields?: readonly string[];
}

/** The filter path of the search box: Django admin's `?q=`. */
export const SEARCH_PATH = 'q';

/** A resource's fields, in the forms its parts need them. */
export interface ResourceSpecs {
  readonly all: PropertySpec[];
  /** The model's fields: `all` without the MigrationError property. */
  readonly fields: PropertySpec[];
  /** `all` with the readonly fields not editable: what params are read through. */
  readonly writable: PropertySpec[];
  readonly byPath: Map<string, PropertySpec>;
  readonly props: Property[];
  readonly unique: ReadonlySet<string>;
}

/** A list page's sort, as AdminJS asks for it. */
export interface SortRequest {
  readonly sortBy?: string;
  readonly direction?: 'asc' | 'desc';
}

// The specs params are read through: readonly fields are not editable there.
function writable(specs: readonly PropertySpec[], readonly: ReadonlySet<string>): PropertySpec[] {
  return specs.map((spec) => ({
    ...spec,
    ...(readonly.has(spec.path) ? { isEditable: false } : {}),
    ...(spec.subProperties ? { subProperties: writable(spec.subProperties, readonly) } : {}),
  }));
}

// The fields by path. The MigrationError property is not a field.
function byPath(specs: readonly PropertySpec[], into = new Map<string, PropertySpec>()): Map<string, PropertySpec> {
  for (const spec of specs) {
    if (spec.kind === 'migrationError') continue;
    into.set(spec.path, spec);
    if (spec.subProperties) byPath(spec.subProperties, into);
  }
  return into;
}

/**
 * The specs of a model's resource.
 *
 * @example
 * ```ts
 * resourceSpecs(Entry, { searchFields: ['headline'] }).byPath.get('blog.name')?.type; // 'string'
 * ```
 */
export function resourceSpecs(
  model: Model<Record<string, unknown>> & { readonly schema: Schema },
  settings: ResourceSettings,
): ResourceSpecs {
  const specs = propertySpecs(model.schema);
  // Only a strict model's records can carry a MigrationError.
  if (refusesDrift(model)) specs.unshift(migrationErrorSpec());
  if (settings.searchFields?.length) {
    specs.push({
      name: SEARCH_PATH,
      path: SEARCH_PATH,
      type: 'string',
      isSortable: false,
      isEditable: false,
      kind: 'search',
    });
  }
  return {
    all: specs,
    fields: specs.filter((spec) => spec.kind !== 'migrationError'),
    writable: writable(specs, new Set(settings.readonlyFields)),
    byPath: byPath(specs),
    props: specs.map((spec) => new Property(spec)),
    unique: uniquePaths(model.schema),
  };
}

/**
 * The `orderBy` keys of a list page's sort; FilterError for a path that is
 * not a sortable field.
 *
 * @example
 * ```ts
 * sortOrder('Entry', specs, { sortBy: 'rating', direction: 'desc' }); // ['-rating', '-_id']
 * ```
 */
export function sortOrder(modelName: string, specs: ResourceSpecs, sort: SortRequest | undefined): string[] {
  if (!sort?.sortBy) return [];
  const spec = specs.byPath.get(sort.sortBy);
  if (!spec || spec.isSortable === false) {
    const sortable = specs.all.filter((p) => p.isSortable !== false).map((p) => p.path);
    throw new FilterError(
      `${modelName}: cannot sort by ${JSON.stringify(sort.sortBy)}; sortable: ${sortable.join(', ')}.` +
        didYouMean(sort.sortBy, sortable),
      { sortBy: [`not a sortable field; sortable: ${sortable.join(', ')}`] },
    );
  }
  return orderKeys(spec.path, sort.direction, specs.unique);
}

/**
 * Throws ImproperlyConfigured when a search field is not text (a number,
 * a date, an embedded document), so that a wrong `searchFields` fails when
 * the admin is built, not on the first search.
 *
 * @example
 * ```ts
 * checkSearchFields('Entry', specs, ['rating']); // ImproperlyConfigured: … "rating" is a number field; …
 * ```
 */
export function checkSearchFields(modelName: string, specs: ResourceSpecs, searchFields: readonly string[]): void {
  for (const field of searchFields) {
    const path = field.replace(/^[\^=]/, '');
    const spec = specs.byPath.get(path);
    if (spec && isText(spec)) continue;
    const text = [...specs.byPath.values()].filter(isText).map((p) => p.path);
    throw new ImproperlyConfigured(
      `${modelName} searchFields: ${JSON.stringify(field)} is ${spec ? `a ${spec.type} field` : 'not a field'}; ` +
        `search fields are text fields (or lists of text): ${text.join(', ')}.` +
        didYouMean(path, text),
    );
  }
}
