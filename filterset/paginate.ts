// Page-number pagination: Django's Paginator rules (pages from 1; page 1 of
// nothing is valid unless allowEmptyFirstPage is false; EmptyPage and
// PageNotAnInteger otherwise) and Django REST framework's response shape,
// `{ count, next, previous, results }`.
import { EmptyPage, ImproperlyConfigured, PageNotAnInteger } from '../core/errors.js';
import type { QuerySet } from '../manager/queryset.js';

/** One page of results, shaped as Django REST framework's page-number pagination. */
export interface Page<TResult, Link extends number | string = number> {
  /** How many results there are over all pages. */
  readonly count: number;
  /** The next page: its number, or its URL when `url` was given; null on the last page. */
  readonly next: Link | null;
  /** The previous page, likewise; null on the first. */
  readonly previous: Link | null;
  readonly results: TResult[];
}

/** Options of {@link paginate}. */
export interface PaginateOptions {
  /** Whether page 1 of an empty result is a page (default true) or {@link EmptyPage}, as Django's. */
  readonly allowEmptyFirstPage?: boolean;
  /** The name of the page parameter in `url`; default `page`. */
  readonly pageParam?: string;
}

/** A page number from a query string or code: a whole number from 1, or 'last'. */
export type PageNumber = number | string | undefined;

/** The page asked for as a number, 'last', or {@link PageNotAnInteger}. */
export function pageNumberOf(page: PageNumber): number | 'last' {
  if (page === undefined || page === '') return 1;
  if (page === 'last') return 'last';
  const n = typeof page === 'number' ? page : /^\d+$/.test(page) ? Number(page) : NaN;
  if (!Number.isSafeInteger(n)) {
    const shown = typeof page === 'string' ? JSON.stringify(page.slice(0, 40)) : String(page);
    throw new PageNotAnInteger(`Page ${shown} is not a whole number; pages are numbered from 1, or "last".`);
  }
  return n;
}

function link(url: string | URL | undefined, param: string, page: number): number | string {
  if (url === undefined) return page;
  const relative = typeof url === 'string' && !/^[a-z][a-z\d+.-]*:/i.test(url);
  const target = new URL(url, 'http://relative.invalid');
  // The first page without the parameter, as REST framework links it.
  if (page === 1) target.searchParams.delete(param);
  else target.searchParams.set(param, String(page));
  return relative ? target.pathname + target.search : target.href;
}

/**
 * One page of a QuerySet: `size` results from page `page` (counted from 1),
 * with the total count and the neighbouring pages. An unordered QuerySet is
 * ordered by primary key, so pages do not overlap. Throws
 * {@link PageNotAnInteger} for a page that is not a whole number and
 * {@link EmptyPage} for one below 1 or past the last. With `url` (the
 * request's, absolute or as `req.originalUrl`), `next` and `previous` are that
 * URL with its `page` parameter changed; without, they are page numbers.
 *
 * @example
 * ```ts
 * const page = await paginate(Entry.objects.orderBy('-rating'), String(req.query.page ?? 1), 20);
 * // { count: 45, next: 3, previous: 1, results: [...] }
 * await paginate(Entry.objects.all(), 2, 20, '/entries?rating__gte=4&page=2');
 * // { count: 45, next: '/entries?rating__gte=4&page=3', previous: '/entries?rating__gte=4', results: [...] }
 * ```
 */
export async function paginate<TRaw, TResult>(
  qs: QuerySet<TRaw, TResult>,
  page: PageNumber,
  size: number,
  options?: PaginateOptions,
): Promise<Page<TResult>>;
export async function paginate<TRaw, TResult>(
  qs: QuerySet<TRaw, TResult>,
  page: PageNumber,
  size: number,
  url: string | URL,
  options?: PaginateOptions,
): Promise<Page<TResult, string>>;
export async function paginate<TRaw, TResult>(
  qs: QuerySet<TRaw, TResult>,
  page: PageNumber,
  size: number,
  urlOrOptions?: string | URL | PaginateOptions,
  moreOptions: PaginateOptions = {},
): Promise<Page<TResult, number | string>> {
  const url = typeof urlOrOptions === 'string' || urlOrOptions instanceof URL ? urlOrOptions : undefined;
  const options = url === undefined ? ((urlOrOptions as PaginateOptions | undefined) ?? {}) : moreOptions;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new ImproperlyConfigured(`paginate() takes a page size that is a whole number of at least 1, not ${size}.`);
  }
  const asked = pageNumberOf(page);
  const allowEmptyFirstPage = options.allowEmptyFirstPage ?? true;
  const count = await qs.count();
  const numPages = count === 0 ? (allowEmptyFirstPage ? 1 : 0) : Math.ceil(count / size);
  const n = asked === 'last' ? Math.max(numPages, 1) : asked;
  if (n < 1) throw new EmptyPage(`Page ${n} is out of range: pages are numbered from 1.`, n, numPages);
  if (n > numPages) {
    const range =
      numPages === 0
        ? 'there are no results'
        : numPages === 1
          ? 'there is 1 page'
          : `there are ${numPages} pages (1 to ${numPages})`;
    throw new EmptyPage(`Page ${n} is out of range: ${range}.`, n, numPages);
  }
  const ordered = qs.toMongo().sort === undefined ? qs.orderBy<readonly string[]>('pk') : qs;
  const results = count === 0 ? [] : await ordered.slice((n - 1) * size, n * size).fetch();
  const param = options.pageParam ?? 'page';
  return {
    count,
    next: n < numPages ? link(url, param, n + 1) : null,
    previous: n > 1 ? link(url, param, n - 1) : null,
    results,
  };
}
