// What save() accepts as content, as one async iterable of bytes, and a
// Content-Type for a name when none is given.
import { Readable } from 'node:stream';
import { InvalidFileContent } from '../core/errors.js';
import { describe } from '../core/values.js';

/** What `save()` accepts: bytes, text (stored as UTF-8), or a stream of bytes. */
export type FileContent = Buffer | Uint8Array | string | Readable | AsyncIterable<Uint8Array | string>;

/** Large buffers go to the driver in slices, so it never has hundreds of chunk inserts in flight. */
const SLICE = 1024 * 1024;

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += SLICE) yield bytes.subarray(at, at + SLICE);
}

async function* asBytes(source: AsyncIterable<Uint8Array | string>, name: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else if (chunk instanceof Uint8Array && chunk.length <= SLICE) yield chunk;
    else if (chunk instanceof Uint8Array) yield* slices(chunk);
    else {
      throw new InvalidFileContent(
        `${JSON.stringify(name)}: the file stream yielded ${describe(chunk)}; it must yield Buffers, Uint8Arrays or strings.`,
        name,
      );
    }
  }
}

/**
 * The content as an iterable of byte chunks, without copying or buffering it.
 *
 * @example
 * ```ts
 * for await (const chunk of contentChunks('hello', 'a.txt')) console.log(chunk.length); // 5
 * ```
 */
export function contentChunks(content: FileContent, name: string): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof content === 'string') return slices(Buffer.from(content, 'utf8'));
  if (content instanceof Uint8Array) return slices(content);
  // A byte-mode Readable yields Buffers already: iterate it directly.
  if (content instanceof Readable && !content.readableObjectMode) return content as AsyncIterable<Uint8Array>;
  if (content !== null && typeof content === 'object' && Symbol.asyncIterator in content) return asBytes(content, name);
  throw new InvalidFileContent(
    `${JSON.stringify(name)}: file content must be a Buffer, a Uint8Array, a string or a Readable stream, not ${describe(content)}.`,
    name,
  );
}

/**
 * True when a value is something save() accepts as content.
 *
 * @example
 * ```ts
 * isFileContent(Buffer.from('x')); // true
 * ```
 */
export function isFileContent(value: unknown): value is FileContent {
  return (
    typeof value === 'string' ||
    value instanceof Uint8Array ||
    (value !== null && typeof value === 'object' && Symbol.asyncIterator in value)
  );
}

/** Content assigned to a file path with a name: `doc.avatar = { name: 'me.png', content }`. */
export interface NamedContent {
  readonly name: string;
  readonly content: FileContent;
  /** As FieldFile.save's: only for bytes the sniffer does not recognise. */
  readonly contentType?: string;
}

/**
 * True for `{ name, content }` with a string name and content save() accepts.
 *
 * @example
 * ```ts
 * isNamedContent({ name: 'me.png', content: pngBytes }); // true
 * ```
 */
export function isNamedContent(value: unknown): value is NamedContent {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    typeof (value as { name?: unknown }).name === 'string' &&
    isFileContent((value as { content?: unknown }).content)
  );
}

const TYPES: Record<string, string> = {
  avif: 'image/avif',
  bmp: 'image/bmp',
  css: 'text/css; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  gif: 'image/gif',
  gz: 'application/gzip',
  heic: 'image/heic',
  htm: 'text/html; charset=utf-8',
  html: 'text/html; charset=utf-8',
  ico: 'image/vnd.microsoft.icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  png: 'image/png',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain; charset=utf-8',
  webm: 'video/webm',
  webp: 'image/webp',
  xml: 'application/xml',
  zip: 'application/zip',
};

/**
 * A Content-Type for a file name, from its extension; undefined when unknown.
 *
 * @example
 * ```ts
 * guessContentType('avatars/me.PNG'); // 'image/png'
 * ```
 */
export function guessContentType(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot === -1 || dot < name.lastIndexOf('/')) return undefined;
  return TYPES[name.slice(dot + 1).toLowerCase()];
}

/** The Content-Type for an image-size type name (`png`, `jpg`, …). */
export function imageContentType(type: string | undefined): string | undefined {
  return type === undefined ? undefined : (TYPES[type] ?? `image/${type}`);
}
