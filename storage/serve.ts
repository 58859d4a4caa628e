// storage.serve(): a request handler for Node's http and for Express that
// serves stored files by name, with validators, conditionals and ranges.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendableContentType } from './content-type.js';
import { FileNotFound, SuspiciousFileOperation } from '../core/errors.js';
import type { FileStorage, StoredFile } from './file-types.js';
import { notModified, parseRange } from './http-ranges.js';

/** A handler for `http.createServer(handler)` and `app.use(prefix, handler)`. */
export type FileRequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** Options of {@link serveFiles}. */
export interface ServeOptions {
  /** Cache-Control for served files; default `'public, max-age=0, must-revalidate'`. */
  readonly cacheControl?: string;
}

/** Stored files are user content: never let a browser run them as part of the site. */
const SANDBOX = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

class BadRequest extends Error {}

/** The stored name a request asks for, or undefined when the URL is not under the storage's prefix. */
function requestedName(req: IncomingMessage, basePath: string): string | undefined {
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  // Express strips its mount path into req.baseUrl; then req.url is already relative.
  const mountPath = (req as unknown as { baseUrl?: unknown }).baseUrl;
  const mounted = typeof mountPath === 'string' && mountPath !== '';
  let rest: string;
  if (mounted) rest = pathname.slice(1);
  else if (pathname.startsWith(basePath)) rest = pathname.slice(basePath.length);
  else return undefined;
  try {
    return rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new BadRequest(`The URL path ${JSON.stringify(pathname)} is not valid percent-encoding.`);
  }
}

function send(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = `${message}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

function fileHeaders(file: StoredFile, cacheControl: string): Record<string, string> {
  return {
    ETag: file.etag,
    'Last-Modified': file.modifiedTime.toUTCString(),
    'Accept-Ranges': 'bytes',
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': SANDBOX,
  };
}

/**
 * Serves `storage`'s files: GET and HEAD (else 405), 404 for a missing file,
 * 400 for a suspicious name, 304 on If-None-Match / If-Modified-Since, 206
 * for one byte range (416 when unsatisfiable), else 200.
 *
 * @example
 * ```ts
 * app.use('/media', storage.serve()); // Express
 * http.createServer(storage.serve()).listen(8000); // Node, names under baseUrl's path
 * ```
 */
export function serveFiles(storage: FileStorage, options: ServeOptions = {}): FileRequestHandler {
  const basePath = storage.baseUrl === undefined ? '/' : new URL(storage.baseUrl, 'http://localhost').pathname;
  const cacheControl = options.cacheControl ?? 'public, max-age=0, must-revalidate';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, `Method ${req.method ?? ''} not allowed; use GET or HEAD.`, { Allow: 'GET, HEAD' });
    }
    const name = requestedName(req, basePath);
    if (name === undefined || name === '') return send(res, 404, 'Not found.');
    let file: StoredFile;
    try {
      file = await storage.stat(name);
    } catch (err) {
      if (err instanceof FileNotFound) return send(res, 404, `File ${JSON.stringify(name)} not found.`);
      throw err;
    }
    const headers = fileHeaders(file, cacheControl);
    if (notModified(req.headers, file.etag, file.modifiedTime)) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const wanted = parseRange(req.headers, file.size, file.etag, file.modifiedTime);
    if (wanted.kind === 'unsatisfiable') {
      return send(res, 416, `Range not satisfiable; the file has ${file.size} bytes.`, {
        'Content-Range': `bytes */${file.size}`,
      });
    }
    const range = wanted.kind === 'range' ? wanted.range : { start: 0, end: file.size - 1 };
    const length = file.size === 0 ? 0 : range.end - range.start + 1;
    res.writeHead(wanted.kind === 'range' ? 206 : 200, {
      ...headers,
      // A type stored before save() checked types (or written by another
      // tool) may hold bytes a header cannot: send those as plain bytes.
      'Content-Type': sendableContentType(file.contentType),
      'Content-Length': String(length),
      ...(wanted.kind === 'range' ? { 'Content-Range': `bytes ${range.start}-${range.end}/${file.size}` } : {}),
    });
    if (req.method === 'HEAD' || length === 0) return void res.end();
    // The driver's `end` is exclusive; Content-Range's is inclusive.
    const body = await storage.open(name, { start: range.start, end: range.end + 1 });
    await pipeline(body, res);
  }

  return function serveStoredFile(req, res, next) {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof SuspiciousFileOperation || err instanceof BadRequest) {
        if (!res.headersSent) return send(res, 400, `Bad request: ${err.message}`);
      }
      if (res.headersSent) return void res.destroy(err instanceof Error ? err : undefined);
      if (next) return next(err);
      send(res, 500, 'Internal server error.');
    });
  };
}
