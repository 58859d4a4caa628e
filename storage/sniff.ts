// What a file is, from its first bytes (its "magic number"), never from the
// name or the client's word. Only formats with a fixed signature are
// recognised; text is reported as text/plain whatever markup it holds, so a
// sniffed type can never make a browser run an upload as HTML or SVG.
import { OCTET_STREAM } from './content-type.js';

/** How many leading bytes {@link sniffContentType} looks at (the text check reads this far). */
export const SNIFF_BYTES = 4096;

/** A signature: bytes at an offset (`undefined` in the bytes matches anything). */
interface Signature {
  readonly type: string;
  readonly at?: number;
  readonly bytes: readonly (number | undefined)[];
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

// Ordered: the first match wins. ISO-BMFF (ftyp) brands are handled apart.
const SIGNATURES: readonly Signature[] = [
  { type: 'image/png', bytes: [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF87a') },
  { type: 'image/gif', bytes: ascii('GIF89a') },
  { type: 'image/webp', bytes: [...ascii('RIFF'), undefined, undefined, undefined, undefined, ...ascii('WEBP')] },
  // 'BM', the file size, then four reserved zero bytes: "BM" alone starts too much text.
  { type: 'image/bmp', bytes: [...ascii('BM'), undefined, undefined, undefined, undefined, 0, 0, 0, 0] },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'image/vnd.microsoft.icon', bytes: [0x00, 0x00, 0x01, 0x00] },
  { type: 'application/pdf', bytes: ascii('%PDF-') },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b, 0x08] },
  { type: 'audio/mpeg', bytes: ascii('ID3') },
  { type: 'audio/wav', bytes: [...ascii('RIFF'), undefined, undefined, undefined, undefined, ...ascii('WAVE')] },
  { type: 'audio/ogg', bytes: ascii('OggS') },
  { type: 'video/webm', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
];

const BRANDS: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  avis: 'image/avif',
  heic: 'image/heic',
  heix: 'image/heic',
  mif1: 'image/heif',
  msf1: 'image/heif',
  qt: 'video/quicktime',
};

function matches(head: Uint8Array, { at = 0, bytes }: Signature): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => b === undefined || head[at + i] === b);
}

/** An ISO base media file (MP4, AVIF, HEIC): `ftyp` at offset 4, its major brand after it. */
function isoMedia(head: Uint8Array): string | undefined {
  if (head.length < 12 || String.fromCharCode(...head.subarray(4, 8)) !== 'ftyp') return undefined;
  const brand = String.fromCharCode(...head.subarray(8, 12)).trim();
  return BRANDS[brand] ?? 'video/mp4';
}

/** An MPEG audio frame without an ID3 tag: 11 set sync bits, a valid layer. */
function mpegAudio(head: Uint8Array): boolean {
  const [first, second = 0] = head;
  return head.length >= 2 && first === 0xff && (second & 0xe0) === 0xe0 && (second & 0x06) !== 0;
}

/**
 * UTF-8 text without NUL or control bytes other than tab, CR, LF, FF and
 * ESC. `complete` false: the head may end inside a character, which a
 * streaming decoder holds back instead of refusing.
 */
function isText(head: Uint8Array, complete: boolean): boolean {
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) return false;
    if (b === 0x7f) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * The content type a file's first bytes show: a known signature's type,
 * `text/plain; charset=utf-8` for UTF-8 text (HTML, SVG and scripts
 * included: they are not trusted as markup), else `application/octet-stream`.
 * `complete` says the head is the whole file.
 *
 * @example
 * ```ts
 * sniffContentType(pngBytes, true); // 'image/png'
 * sniffContentType(Buffer.from('hello'), true); // 'text/plain; charset=utf-8'
 * ```
 */
export function sniffContentType(head: Uint8Array, complete: boolean): string {
  const known = SIGNATURES.find((s) => matches(head, s));
  if (known) return known.type;
  const iso = isoMedia(head);
  if (iso) return iso;
  if (mpegAudio(head)) return 'audio/mpeg';
  if (head.length > 0 && isText(head.subarray(0, SNIFF_BYTES), complete && head.length <= SNIFF_BYTES)) {
    return 'text/plain; charset=utf-8';
  }
  return OCTET_STREAM;
}
