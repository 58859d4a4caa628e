// AdminJS's list filters and search box as djongoose lookups. Only the
// paths of the resource's own properties become keys, and only strings (or a
// `{ from, to }` of strings, AdminJS's ranges) are read as values, each
// converted by its field's type as a FilterSet converts a query string: so
// nothing from the browser becomes an operator, a lookup or a raw filter.
import { FilterError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { isPlainObject } from '../core/values.js';
import { Q, type FilterInput, type QNode } from '../manager/q.js';
import { escapeRegex } from '../manager/lookups.js';
import { BOOLEAN, SCALARS, TEXT, type Converter } from '../filterset/convert.js';
import type { PropertySpec } from './property.js';

/** One filter AdminJS hands over: a property path and what the browser sent. */
export interface FilterElementInput {
  readonly path: string;
  readonly value: unknown;
}

/** The facts filter compilation needs about a resource. */
export interface FilterScope {
  readonly model: string;
  /** Every property, by dotted path (sub-properties included). */
  readonly properties: ReadonlyMap<string, PropertySpec>;
  /** The search box's filter path, and Django's `search_fields` it searches. */
  readonly search?: { readonly path: string; readonly fields: readonly string[] };
}

const lookupKey = (path: string): string => path.split('.').join('__');

function converterOf(spec: PropertySpec): Converter {
  if (spec.type === 'boolean') return BOOLEAN;
  return SCALARS[spec.instance ?? 'String'] ?? TEXT;
}

// Text is searched, as Django admin's list filters and AdminJS's own adapters do;
// ids, references, choices and other types match exactly.
function isText(spec: PropertySpec): boolean {
  return (
    (spec.type === 'string' || spec.type === 'textarea' || spec.kind === 'file' || spec.kind === 'image') &&
    !spec.isId &&
    !spec.availableValues &&
    (spec.instance === undefined || spec.instance === 'String')
  );
}

function isRange(value: unknown): value is { from?: unknown; to?: unknown } {
  return isPlainObject(value) && Object.keys(value).every((key) => key === 'from' || key === 'to');
}

class Problems {
  readonly errors: Record<string, string[]> = {};
  add(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
  }
  throwAny(model: string): void {
    const entries = Object.entries(this.errors);
    if (entries.length === 0) return;
    const text = entries.map(([path, messages]) => `${path}: ${messages.join('; ')}`).join('. ');
    throw new FilterError(
      `${model}: ${entries.length} bad admin filter${entries.length === 1 ? '' : 's'}. ${text}.`,
      this.errors,
    );
  }
}

function convert(spec: PropertySpec, path: string, text: string, problems: Problems): unknown {
  const converted = converterOf(spec).convert(text);
  if (converted.ok) return converted.value;
  problems.add(path, `${converted.reason}; accepted: ${converterOf(spec).accepts}`);
  return undefined;
}

type TextMatch = 'contains' | 'startswith' | 'exact';

// A list of strings has no icontains: its elements are matched with an escaped,
// case-insensitive regex, which an array field takes.
function textCondition(spec: PropertySpec, path: string, text: string, match: TextMatch): [string, unknown] {
  const key = lookupKey(path);
  if (!spec.isArray)
    return [`${key}__${match === 'contains' ? 'icontains' : match === 'startswith' ? 'istartswith' : 'iexact'}`, text];
  const escaped = escapeRegex(text);
  return [`${key}__iregex`, match === 'contains' ? escaped : match === 'startswith' ? `^${escaped}` : `^${escaped}$`];
}

function conditionsOf(spec: PropertySpec, path: string, value: unknown, problems: Problems): [string, unknown][] {
  const key = lookupKey(path);
  if (typeof value === 'string') {
    if (value === '') return [];
    if (isText(spec)) return [textCondition(spec, path, value, 'contains')];
    const converted = convert(spec, path, value, problems);
    return converted === undefined ? [] : [[key, converted]];
  }
  if (isRange(value) && spec.type !== 'boolean' && !isText(spec)) {
    const bounds: [string, unknown][] = [];
    for (const [bound, lookup] of [
      ['from', 'gte'],
      ['to', 'lte'],
    ] as const) {
      const text = value[bound];
      if (text === undefined || text === '') continue;
      if (typeof text !== 'string') {
        problems.add(path, `the range's ${bound} must be text`);
        continue;
      }
      const converted = convert(spec, path, text, problems);
      if (converted !== undefined) bounds.push([`${key}__${lookup}`, converted]);
    }
    return bounds;
  }
  problems.add(
    path,
    `takes ${isText(spec) || spec.type === 'boolean' ? 'one value' : 'one value or a { from, to } range'} of text`,
  );
  return [];
}

/** Django's search_fields prefixes: `^` starts with, `=` exact (case-insensitive), else contains. */
function searchCondition(scope: FilterScope, field: string, word: string): FilterInput {
  const match: TextMatch = field.startsWith('^') ? 'startswith' : field.startsWith('=') ? 'exact' : 'contains';
  const path = match === 'contains' ? field : field.slice(1);
  const spec = scope.properties.get(path) ?? { name: path, path, type: 'string' };
  return Object.fromEntries([textCondition(spec, path, word, match)]);
}

function searchNode(scope: FilterScope, value: unknown, path: string, problems: Problems): QNode | undefined {
  const fields = scope.search?.fields ?? [];
  if (typeof value !== 'string') {
    problems.add(path, 'the search takes one value of text');
    return undefined;
  }
  // Django splits the search on spaces: every word must match some field.
  const words = value.split(/\s+/).filter((word) => word !== '');
  if (words.length === 0 || fields.length === 0) return undefined;
  const perWord = words.map((word) =>
    fields
      .slice(1)
      .reduce(
        (node, field) => node.or(searchCondition(scope, field, word)),
        Q(searchCondition(scope, fields[0] ?? '', word)),
      ),
  );
  return perWord.slice(1).reduce((node, next) => node.and(next), perWord[0] as QNode);
}

/**
 * AdminJS filters (and the search box) as one djongoose Q: a text field
 * `blog.name` is `blog__name__icontains`, a `{ from, to }` range
 * `__gte`/`__lte`, ids, references, booleans, numbers and choices exact,
 * each value converted by its field's type. Unknown paths and values that
 * are not text raise FilterError, listing every bad filter at once.
 *
 * @example
 * ```ts
 * compileFilters(scope, [{ path: 'blog.name', value: 'beatles' }, { path: 'rating', value: { from: '3' } }]);
 * // Q({ blog__name__icontains: 'beatles', rating__gte: 3 })
 * ```
 */
export function compileFilters(scope: FilterScope, elements: Iterable<FilterElementInput>): QNode {
  const problems = new Problems();
  const conditions: [string, unknown][] = [];
  let search: QNode | undefined;
  for (const { path, value } of elements) {
    if (scope.search && path === scope.search.path) {
      search = searchNode(scope, value, path, problems);
      continue;
    }
    const spec = scope.properties.get(path);
    if (!spec || spec.type === 'mixed' || spec.kind === 'json' || spec.type === 'key-value') {
      const filterable = [...scope.properties.values()].filter((p) => p.type !== 'mixed' && p.kind !== 'json');
      problems.add(
        path,
        `not a filterable field of ${scope.model}; filterable: ${filterable.map((p) => p.path).join(', ')}` +
          didYouMean(
            path,
            filterable.map((p) => p.path),
          ),
      );
      continue;
    }
    conditions.push(...conditionsOf(spec, path, value, problems));
  }
  problems.throwAny(scope.model);
  // A Map, then an object: keys are our own (property paths), never the browser's.
  const node = Q(Object.fromEntries(new Map(conditions)));
  return search ? node.and(search) : node;
}
