// A FilterSet's declaration, checked once against the schema and the lookup
// registry: each (field, lookup) becomes one query-string parameter with the
// converter its values go through. A typo fails here, when the app starts,
// not on the first request that uses it.
import type { Schema, SchemaType } from 'mongoose';
import { FieldError, ImproperlyConfigured } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { arrayElementOf } from '../core/mongoose-internals.js';
import { resolveKey, type ResolvedKey } from '../manager/resolve.js';
import { findLookup, lookupNamesFor } from '../manager/lookups.js';
import { BOOLEAN, COUNT, DAY, SCALARS, TEXT, TIME, WHOLE_NUMBER, YEAR, listOf, type Converter } from './convert.js';

/** One accepted query-string parameter: `rating__in`. */
export interface FilterParameter {
  /** The parameter's name, also the filter key it becomes. */
  readonly name: string;
  readonly converter: Converter;
}

const DATE_PARTS = new Set([
  'year',
  'iso_year',
  'month',
  'day',
  'week',
  'week_day',
  'iso_week_day',
  'quarter',
  'hour',
  'minute',
  'second',
]);
const ARRAY_LISTS = new Set(['contains', 'all', 'overlap', 'contained_by']);

function elementOf(schemaType: SchemaType | undefined): SchemaType | undefined {
  return schemaType?.instance === 'Array' ? arrayElementOf(schemaType) : schemaType;
}

/** The converter for values of `lookup` on this field, or why a query string cannot give one. */
function converterFor(field: ResolvedKey, lookup: string): Converter | string {
  const isArray = field.schemaType?.instance === 'Array';
  if (lookup === 'isnull' || lookup === 'exists') return BOOLEAN;
  if (isArray && (lookup === 'len' || lookup === 'size')) return COUNT;
  if (lookup === 'match' || field.embedded) {
    return `${field.label} holds embedded documents, which a query string cannot give; declare their fields instead, e.g. ${field.path.replaceAll('.', '__')}__<field>`;
  }
  const item = SCALARS[elementOf(field.schemaType)?.instance ?? ''] ?? TEXT;
  if (lookup === 'in' || lookup === 'nin' || (isArray && ARRAY_LISTS.has(lookup))) return listOf(item);
  if (lookup === 'range') return listOf(item, 2);
  if (lookup === 'mod') return listOf(SCALARS['Number'] ?? TEXT, 2);
  if (field.schemaType?.instance === 'Date') {
    if (lookup === 'year' || lookup === 'iso_year') return YEAR;
    if (DATE_PARTS.has(lookup)) return WHOLE_NUMBER;
    if (lookup === 'date') return DAY;
    if (lookup === 'time') return TIME;
  }
  if (lookup === 'regex' || lookup === 'iregex' || lookup === 'type') return TEXT;
  return item;
}

function checkChain(field: ResolvedKey, declared: string): string {
  const [first = '', next, ...extra] = declared.split('__');
  const lookup = findLookup(first, field.schemaType);
  const kind = field.schemaType?.instance ?? 'nested';
  if (!lookup) {
    const valid = lookupNamesFor(field.schemaType);
    throw new FieldError(
      `Unsupported lookup ${JSON.stringify(first)} for ${kind} field ${field.label}. Valid lookups: ${valid.join(', ')}.` +
        didYouMean(first, valid),
    );
  }
  if ((next !== undefined && !lookup.chain?.includes(next)) || extra.length > 0) {
    const valid = lookup.chain ?? [];
    throw new FieldError(
      `Lookup ${JSON.stringify(declared)} on ${field.label}: ${JSON.stringify(first)} ` +
        (valid.length > 0 ? `can be followed by one of ${valid.join(', ')}.` : 'takes no further lookup.') +
        didYouMean(next ?? '', valid),
    );
  }
  return first;
}

/**
 * Checks a declaration's fields against the model and gives its parameters,
 * by name. Throws {@link FieldError} for an unknown field or lookup, with the
 * valid choices and the closest.
 */
export function declareFilters(
  schema: Schema,
  modelName: string,
  fields: Readonly<Record<string, readonly string[]>>,
): Map<string, FilterParameter> {
  const parameters = new Map<string, FilterParameter>();
  for (const [fieldName, lookups] of Object.entries(fields)) {
    if (!Array.isArray(lookups) || lookups.length === 0 || lookups.some((l) => typeof l !== 'string')) {
      throw new ImproperlyConfigured(
        `filterSet ${modelName} fields.${fieldName} takes a non-empty list of lookup names, e.g. ['exact', 'icontains'].`,
      );
    }
    const field = resolveKey(schema, modelName, fieldName);
    if (field.lookups.length > 0) {
      const bare = fieldName.slice(0, fieldName.length - field.lookups.join('__').length - 2);
      throw new FieldError(
        `filterSet ${modelName}: ${JSON.stringify(fieldName)} ends in a lookup; declare it as ` +
          `fields: { ${bare}: [${JSON.stringify(field.lookups.join('__'))}] }.`,
      );
    }
    for (const declared of lookups as readonly string[]) {
      const converter = converterFor(field, checkChain(field, declared));
      if (typeof converter === 'string') {
        throw new FieldError(`filterSet ${modelName}: lookup ${JSON.stringify(declared)} on ${converter}.`);
      }
      const name = declared === 'exact' ? fieldName : `${fieldName}__${declared}`;
      parameters.set(name, Object.freeze({ name, converter }));
    }
  }
  return parameters;
}

/** Checks the ordering fields: each must name a field, with no lookup and no `-`. */
export function declareOrdering(schema: Schema, modelName: string, ordering: readonly string[]): readonly string[] {
  for (const key of ordering) {
    if (typeof key !== 'string' || key.startsWith('-')) {
      throw new ImproperlyConfigured(
        `filterSet ${modelName} ordering takes field names, e.g. ['rating', 'pub_date'], not ${JSON.stringify(key)}: ` +
          'both directions are offered.',
      );
    }
    if (resolveKey(schema, modelName, key).lookups.length > 0) {
      throw new FieldError(`filterSet ${modelName} ordering: ${JSON.stringify(key)} names a lookup; give a field.`);
    }
  }
  return Object.freeze([...ordering]);
}
