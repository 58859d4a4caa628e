// A FilterSet, django-filter's: declared once from fields and lookups, it
// turns a request's query string into a QuerySet, or into one FilterError
// that lists every bad parameter. Values are converted by the field's type
// (convert.ts) and handed to filter() as data under declared keys only, so a
// client chooses values, never keys, lookups or operators.
import type { HydratedDocument } from 'mongoose';
import { DjongooseError, FilterError, ImproperlyConfigured, PageNotAnInteger } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { QuerySet } from '../manager/queryset.js';
import type { ModelOf } from '../manager/model-of.js';
import { declareFilters, declareOrdering, type FilterParameter } from './declare.js';
import { COUNT } from './convert.js';
import { readQuery, type QueryInput } from './query.js';
import { paginate, pageNumberOf, type Page } from './paginate.js';
import type { CheckedFilterSetOptions, FilterFields, FilterSetOptions } from './types.js';

/** What a query string asked for, once every parameter passed. */
interface Parsed<TRaw, TResult> {
  readonly qs: QuerySet<TRaw, TResult>;
  readonly page: string | undefined;
  readonly pageSize: number;
}

function filterError(errors: ReadonlyMap<string, readonly string[]>): FilterError {
  const listed = [...errors].map(([name, problems]) => `${name}: ${problems.join(' ')}`);
  return new FilterError(
    `${errors.size} bad query parameter${errors.size === 1 ? '' : 's'}. ${listed.join(' ')}`,
    Object.fromEntries(errors),
  );
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ImproperlyConfigured(`filterSet ${name} is a whole number of at least 1, not ${String(value)}.`);
  }
  return value;
}

/**
 * Filters, orders and pages one model from query strings. Made by {@link filterSet}.
 *
 * @example
 * ```ts
 * const entries = filterSet(Entry, { fields: { rating: ['gte'] }, ordering: ['rating'] });
 * const qs = entries.fromQuery('rating__gte=4&ordering=-rating');
 * ```
 */
export class FilterSet<TRaw> {
  /** The model filtered. */
  readonly model: ModelOf<TRaw>;
  /** The accepted filter parameters, by name. */
  readonly #filters: ReadonlyMap<string, FilterParameter>;
  readonly #ordering: readonly string[];
  readonly #options: Required<Omit<FilterSetOptions, 'fields' | 'ordering' | 'maxPageSize'>> & {
    readonly maxPageSize: number | undefined;
  };

  constructor(model: ModelOf<TRaw>, options: FilterSetOptions) {
    const { schema, modelName } = model;
    this.model = model;
    this.#filters = declareFilters(schema, modelName, options.fields);
    this.#ordering = declareOrdering(schema, modelName, options.ordering ?? []);
    const pageSize = positive(options.pageSize, 'pageSize', 20);
    const maxPageSize = options.maxPageSize === undefined ? undefined : positive(options.maxPageSize, 'maxPageSize', 1);
    if (maxPageSize !== undefined && maxPageSize < pageSize) {
      throw new ImproperlyConfigured(`filterSet maxPageSize (${maxPageSize}) is below pageSize (${pageSize}).`);
    }
    if (options.unknown !== undefined && options.unknown !== 'error' && options.unknown !== 'ignore') {
      throw new ImproperlyConfigured(
        `filterSet unknown is 'error' or 'ignore', not ${JSON.stringify(options.unknown)}.`,
      );
    }
    this.#options = {
      pageSize,
      maxPageSize,
      unknown: options.unknown ?? 'error',
      orderingParam: options.orderingParam ?? 'ordering',
      pageParam: options.pageParam ?? 'page',
      pageSizeParam: options.pageSizeParam ?? 'page_size',
    };
    for (const name of this.#reserved()) {
      if (this.#filters.has(name)) {
        throw new ImproperlyConfigured(
          `filterSet ${modelName}: the filter "${name}" has the name of a query parameter.`,
        );
      }
    }
  }

  /** The names of the page, page-size and ordering parameters this FilterSet takes. */
  #reserved(): string[] {
    const o = this.#options;
    return [
      o.pageParam,
      ...(o.maxPageSize === undefined ? [] : [o.pageSizeParam]),
      ...(this.#ordering.length > 0 ? [o.orderingParam] : []),
    ];
  }

  /**
   * Every parameter name this FilterSet accepts, for documentation and errors.
   *
   * @example
   * ```ts
   * entries.parameters; // ['headline', 'headline__icontains', 'rating__gte', …, 'page', 'page_size', 'ordering']
   * ```
   */
  get parameters(): readonly string[] {
    return [...this.#filters.keys(), ...this.#reserved()];
  }

  /** The ordering terms asked for; each one not declared is reported. */
  #orderingTerms(text: string, report: (problem: string) => void): string[] {
    const accepted = this.#ordering.flatMap((f) => [f, `-${f}`]);
    const terms = text.split(',').map((t) => t.trim());
    for (const term of terms) {
      if (!accepted.includes(term)) {
        report(
          `${JSON.stringify(term.slice(0, 40))} is not an ordering; accepted, comma-separated: ${accepted.join(', ')}.` +
            didYouMean(term, accepted),
        );
      }
    }
    return terms;
  }

  /** The page size asked for, capped at maxPageSize; undefined (and reported) when it is not one. */
  #pageSize(text: string, name: string, report: (problem: string) => void): number | undefined {
    const max = this.#options.maxPageSize ?? this.#options.pageSize;
    const size = COUNT.convert(text);
    if (size.ok && (size.value as number) > 0) return Math.min(size.value as number, max);
    report(
      `${JSON.stringify(text.slice(0, 40))} is not a page size; ${name} takes a whole number from 1 (larger ones give ${max}).`,
    );
    return undefined;
  }

  /** The converted value of a filter parameter; undefined (and reported) when the text does not convert. */
  #filterValue(filter: FilterParameter, text: string, report: (problem: string) => void): unknown {
    const converted = filter.converter.convert(text);
    if (converted.ok) return converted.value;
    const { accepts, examples } = filter.converter;
    report(`${converted.reason}; ${filter.name} takes ${accepts}, e.g. ${filter.name}=${examples[0]}.`);
    return undefined;
  }

  #parse<TResult>(query: QueryInput, base: QuerySet<TRaw, TResult>): Parsed<TRaw, TResult> {
    const { values, refused } = readQuery(query);
    const o = this.#options;
    const known = new Set(this.parameters);
    const errors = new Map<string, string[]>();
    const reporter = (name: string) => (problem: string) => {
      errors.set(name, [...(errors.get(name) ?? []), problem]);
    };
    const unknown = (name: string): void => {
      if (o.unknown === 'error') {
        reporter(name)(`unknown parameter; accepted: ${[...known].join(', ')}.` + didYouMean(name, known));
      }
    };
    for (const [name, problem] of refused) {
      if (known.has(name)) reporter(name)(`${problem}.`);
      else unknown(name);
    }
    const conditions = new Map<string, unknown>();
    let order: string[] = [];
    let page: string | undefined;
    let pageSize = o.pageSize;
    for (const [name, text] of values) {
      const filter = this.#filters.get(name);
      const report = reporter(name);
      if (!known.has(name)) unknown(name);
      else if (text === '')
        continue; // django-filter's rule: an empty field filters nothing
      else if (filter) conditions.set(name, this.#filterValue(filter, text, report));
      else if (name === o.orderingParam) order = this.#orderingTerms(text, report);
      else if (name === o.pageParam) page = this.#pageNumber(text, report);
      else pageSize = this.#pageSize(text, name, report) ?? pageSize;
    }
    // Each condition on its own, so a value the lookup or the field's cast
    // refuses is reported by its parameter, along with the rest.
    for (const [name, value] of conditions) {
      if (errors.has(name)) continue;
      try {
        new QuerySet(this.model).filter({ [name]: value }).toMongo();
      } catch (err) {
        if (!(err instanceof DjongooseError)) throw err;
        reporter(name)(err.message);
      }
    }
    if (errors.size > 0) throw filterError(errors);
    let qs = conditions.size > 0 ? base.filter(Object.fromEntries(conditions)) : base;
    if (order.length > 0) {
      // Ties broken by primary key, so pages over equal values do not overlap.
      const byPk = order.some((t) => t.replace(/^-/, '') === 'pk');
      qs = qs.orderBy(...order, ...(byPk ? [] : ['pk']));
    }
    return { qs, page, pageSize };
  }

  /** The page asked for, checked for form only: whether it exists needs the count. */
  #pageNumber(text: string, report: (problem: string) => void): string | undefined {
    try {
      pageNumberOf(text);
      return text;
    } catch (err) {
      if (!(err instanceof PageNotAnInteger)) throw err;
      report(err.message);
      return undefined;
    }
  }

  #base(base: QuerySet<TRaw, unknown> | undefined): QuerySet<TRaw, unknown> {
    if (base === undefined) return new QuerySet<TRaw, HydratedDocument<TRaw>>(this.model);
    if (base.model.schema !== this.model.schema) {
      throw new ImproperlyConfigured(
        `filterSet ${this.model.modelName} was given a QuerySet of ${base.model.modelName}, another model.`,
      );
    }
    return base;
  }

  /**
   * The QuerySet a request's query asks for: the declared filters, ANDed, and
   * the ordering; or {@link FilterError} listing every bad parameter. `base`
   * narrows what is searched (one blog's entries, say); by default the
   * whole collection. Page parameters are checked here and used by {@link page}.
   *
   * @example
   * ```ts
   * app.get('/entries', async (req, res) => {
   *   res.json(await entries.fromQuery(req.query, Entry.objects.filter({ blog__name: 'Beatles Blog' })).lean());
   * });
   * ```
   */
  fromQuery(query: QueryInput): QuerySet<TRaw, HydratedDocument<TRaw>>;
  fromQuery<TResult>(query: QueryInput, base: QuerySet<TRaw, TResult>): QuerySet<TRaw, TResult>;
  fromQuery(query: QueryInput, base?: QuerySet<TRaw, unknown>): QuerySet<TRaw, unknown> {
    return this.#parse(query, this.#base(base)).qs;
  }

  /**
   * The page of results a request's query asks for (`?page=2&page_size=50`,
   * the size capped at maxPageSize), shaped `{ count, next, previous,
   * results }`. With `url` (`req.originalUrl`), next and previous are URLs;
   * otherwise page numbers. Throws {@link FilterError} for bad parameters and
   * {@link EmptyPage} for a page past the last.
   *
   * @example
   * ```ts
   * app.get('/entries', async (req, res) => {
   *   res.json(await entries.page(req.query, { url: req.originalUrl }));
   * });
   * ```
   */
  page(query: QueryInput): Promise<Page<HydratedDocument<TRaw>>>;
  page(query: QueryInput, options: { readonly url: string | URL }): Promise<Page<HydratedDocument<TRaw>, string>>;
  page<TResult>(query: QueryInput, options: { readonly base: QuerySet<TRaw, TResult> }): Promise<Page<TResult>>;
  page<TResult>(
    query: QueryInput,
    options: { readonly base: QuerySet<TRaw, TResult>; readonly url: string | URL },
  ): Promise<Page<TResult, string>>;
  async page(
    query: QueryInput,
    options: { readonly base?: QuerySet<TRaw, unknown>; readonly url?: string | URL } = {},
  ): Promise<Page<unknown, number | string>> {
    const { qs, page, pageSize } = this.#parse(query, this.#base(options.base));
    const pageParam = { pageParam: this.#options.pageParam };
    return options.url === undefined
      ? paginate(qs, page, pageSize, pageParam)
      : paginate(qs, page, pageSize, options.url, pageParam);
  }
}

/**
 * Declares how clients may filter, order and page a model from a query
 * string, django-filter's FilterSet. Each field lists its lookups; the
 * parameter for `exact` is the field's name, the others `field__lookup`.
 * Checked now, against the schema and the lookup registry ({@link FieldError}
 * with the closest name) and, for a typed model, by the compiler.
 *
 * @example
 * ```ts
 * const entries = filterSet(Entry, {
 *   fields: { headline: ['exact', 'icontains'], rating: ['gte', 'lte', 'in'], pub_date: ['year', 'gte'] },
 *   ordering: ['rating', 'pub_date'],
 *   pageSize: 20,
 *   maxPageSize: 100,
 * });
 * entries.fromQuery('rating__in=4,5&pub_date__year=2026&ordering=-rating');
 * // Entry.objects.filter({ rating__in: [4, 5], pub_date__year: 2026 }).orderBy('-rating', 'pk')
 * ```
 */
export function filterSet<TRaw, const O extends FilterSetOptions<FilterFields>>(
  model: ModelOf<TRaw>,
  options: O & CheckedFilterSetOptions<TRaw, O>,
): FilterSet<TRaw> {
  return new FilterSet<TRaw>(model, options);
}
