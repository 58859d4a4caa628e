// Django's ModelAdmin vocabulary as AdminJS resource options:
// list_display → listProperties, list_filter → filterProperties,
// search_fields → the search box, ordering → sort, readonly_fields → fields
// shown but never written, fieldsets → the form's fields in groups,
// list_per_page → the list's default page size.
import type { ActionRequest, ResourceOptions, ResourceWithOptions } from 'adminjs';
import { ImproperlyConfigured } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import type { ModelOf } from '../manager/model-of.js';
import { Resource, SEARCH_PATH, type AdminModel } from './resource.js';
import type { ModelAdminOptions } from './model-admin-types.js';

export type { FieldName, ModelAdminOptions, Fieldset } from './model-admin-types.js';

const OPTION_KEYS = [
  'listDisplay',
  'listFilter',
  'searchFields',
  'ordering',
  'readonlyFields',
  'fieldsets',
  'listPerPage',
] as const;

function checkNames(where: string, names: readonly string[], known: readonly string[], model: string): void {
  for (const name of names) {
    if (!known.includes(name)) {
      throw new ImproperlyConfigured(
        `modelAdmin(${model}) ${where}: ${JSON.stringify(name)} is not a field of ${model}; fields: ${known.join(', ')}.` +
          didYouMean(name, known),
      );
    }
  }
}

const bare = (name: string): string => name.replace(/^[-^=]/, '');

/**
 * An AdminJS resource for a model, configured with Django's ModelAdmin
 * names. Every name is checked against the model's fields (at compile time
 * for a typed model, and when called).
 *
 * @example
 * ```ts
 * const admin = new AdminJS({
 *   resources: [
 *     modelAdmin(Entry, {
 *       listDisplay: ['id', 'headline', 'blog.name'],
 *       listFilter: ['blog.name', 'pubDate'],
 *       searchFields: ['headline', '^blog.name'],
 *       ordering: ['-pubDate'],
 *       readonlyFields: ['pubDate'],
 *       fieldsets: [['Entry', { fields: ['headline', 'blog'] }], ['Comments', { fields: ['comments'] }]],
 *       listPerPage: 50,
 *     }),
 *   ],
 * });
 * ```
 */
export function modelAdmin<TRaw>(model: ModelOf<TRaw>, options: ModelAdminOptions<TRaw> = {}): ResourceWithOptions {
  const name = model.modelName;
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new ImproperlyConfigured(
        `modelAdmin(${name}): unknown option ${JSON.stringify(key)}; accepted: ${OPTION_KEYS.join(', ')}.` +
          didYouMean(key, OPTION_KEYS),
      );
    }
  }
  const o = options as ModelAdminOptions<Record<string, unknown>>;
  const searchFields = (o.searchFields ?? []).map(String);
  const readonlyFields = (o.readonlyFields ?? []).map(String);
  const resource = new Resource(model as unknown as AdminModel, { searchFields, readonlyFields });
  const known = resource.paths();
  const fieldsetFields = (o.fieldsets ?? []).flatMap(([, set]) => set.fields.map(String));
  checkNames('listDisplay', (o.listDisplay ?? []).map(String), known, name);
  checkNames('listFilter', (o.listFilter ?? []).map(String), known, name);
  checkNames('searchFields', searchFields.map(bare), known, name);
  checkNames(
    'ordering',
    (o.ordering ?? []).map((f) => bare(String(f))),
    known,
    name,
  );
  checkNames('readonlyFields', readonlyFields, known, name);
  checkNames('fieldsets', fieldsetFields, known, name);
  if (
    o.listPerPage !== undefined &&
    !(Number.isSafeInteger(o.listPerPage) && o.listPerPage >= 1 && o.listPerPage <= 500)
  ) {
    throw new ImproperlyConfigured(
      `modelAdmin(${name}) listPerPage: ${String(o.listPerPage)} is not a whole number from 1 to 500 (AdminJS's largest page).`,
    );
  }
  return { resource, options: resourceOptions(o, searchFields, readonlyFields, fieldsetFields) };
}

function resourceOptions(
  o: ModelAdminOptions<Record<string, unknown>>,
  searchFields: readonly string[],
  readonlyFields: readonly string[],
  fieldsetFields: readonly string[],
): ResourceOptions {
  const options: ResourceOptions = {};
  const properties: NonNullable<ResourceOptions['properties']> = {};
  if (o.listDisplay?.length) options.listProperties = o.listDisplay.map(String);
  const filters = (o.listFilter ?? []).map(String);
  if (searchFields.length) {
    properties[SEARCH_PATH] = { isVisible: { filter: true, list: false, show: false, edit: false }, isSortable: false };
    filters.unshift(SEARCH_PATH);
  }
  if (filters.length) options.filterProperties = filters;
  const [first] = o.ordering ?? [];
  if (first !== undefined) {
    const key = String(first);
    options.sort = { sortBy: bare(key), direction: key.startsWith('-') ? 'desc' : 'asc' };
  }
  for (const field of readonlyFields) properties[field] = { ...properties[field], isDisabled: true };
  if (fieldsetFields.length) {
    options.editProperties = [...fieldsetFields];
    options.showProperties = [...fieldsetFields];
    for (const [title, set] of o.fieldsets ?? []) {
      for (const field of set.fields.map(String)) {
        properties[field] = { ...properties[field], custom: { ...properties[field]?.custom, fieldset: title } };
      }
    }
  }
  if (Object.keys(properties).length) options.properties = properties;
  const perPage = o.listPerPage;
  if (perPage !== undefined) {
    options.actions = {
      list: {
        // AdminJS has no per-resource page size: the list request gets one when it names none.
        before: async (request: ActionRequest): Promise<ActionRequest> =>
          request.query?.['perPage'] ? request : { ...request, query: { ...request.query, perPage: String(perPage) } },
      },
    };
  }
  return options;
}
