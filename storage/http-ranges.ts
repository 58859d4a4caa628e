// HTTP conditionals and byte ranges for serve(): RFC 9110's If-None-Match,
// If-Modified-Since, If-Range and a single `bytes=` range.
import type { IncomingHttpHeaders } from 'node:http';

/** A satisfiable range, `end` inclusive as in Content-Range. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What a Range header asks for: the whole file (absent, invalid or multi-range), a range, or nothing satisfiable. */
export type RangeRequest = { kind: 'full' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' };

const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');

/**
 * True when the client's cached copy is current: If-None-Match (weak
 * comparison) wins over If-Modified-Since, which is compared in whole seconds.
 *
 * @example
 * ```ts
 * notModified({ 'if-none-match': '"abc-1"' }, '"abc-1"', new Date()); // true
 * ```
 */
export function notModified(headers: IncomingHttpHeaders, etag: string, lastModified: Date): boolean {
  const noneMatch = headers['if-none-match'];
  if (noneMatch !== undefined) {
    return noneMatch.trim() === '*' || noneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  }
  const since = headers['if-modified-since'];
  if (since === undefined) return false;
  const date = Date.parse(since);
  return !Number.isNaN(date) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(date / 1000);
}

/**
 * Reads a Range header against a file of `size` bytes. Several ranges, or a
 * header that does not parse, mean the whole file (a server may ignore Range);
 * an If-Range that does not match the current ETag or date does too.
 *
 * @example
 * ```ts
 * parseRange({ range: 'bytes=0-99' }, 1000, '"x"', new Date()); // { kind: 'range', range: { start: 0, end: 99 } }
 * parseRange({ range: 'bytes=2000-' }, 1000, '"x"', new Date()); // { kind: 'unsatisfiable' }
 * ```
 */
export function parseRange(headers: IncomingHttpHeaders, size: number, etag: string, lastModified: Date): RangeRequest {
  const header = headers.range;
  if (header === undefined) return { kind: 'full' };
  const ifRange = headers['if-range'] as string | undefined;
  if (ifRange !== undefined) {
    const current = ifRange.trim().startsWith('"')
      ? ifRange.trim() === etag
      : Date.parse(ifRange) === Math.floor(lastModified.getTime() / 1000) * 1000;
    if (!current) return { kind: 'full' };
  }
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'full' };
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } };
}
