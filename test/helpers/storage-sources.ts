// Byte sources for the storage tests: deterministic content of any size,
// generated on the fly (never held whole), and sources that fail part-way.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** One 64 KiB block of the pattern for block `i`: cheap to make, different per block. */
function block(i: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let at = 0; at < size; at += 4) out.writeUInt32LE((Math.imul(i + 1, 2654435761) + at) >>> 0, at);
  return out;
}

const BLOCK = 64 * 1024;

/** A stream of `total` bytes of the pattern, in 64 KiB chunks. */
export function patternStream(total: number): Readable {
  let sent = 0;
  let i = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(BLOCK, total - sent);
      this.push(block(i++, BLOCK).subarray(0, size));
      sent += size;
    },
  });
}

/** The SHA-256 of what {@link patternStream} yields for `total` bytes. */
export async function patternHash(total: number): Promise<string> {
  return sha256(patternStream(total));
}

/** The SHA-256 hex of a stream, read without keeping it. */
export async function sha256(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

/** Collects a (small) stream. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** The error {@link failingStream} fails with. */
export class SourceFailed extends Error {
  constructor() {
    super('the source failed part-way (test)');
    this.name = 'SourceFailed';
  }
}

/** A stream that yields `chunks` chunks of `chunkSize` bytes, then errors. */
export function failingStream(chunks: number, chunkSize = 256 * 1024): Readable {
  let n = 0;
  return new Readable({
    read() {
      if (n < chunks) {
        this.push(block(n++, chunkSize));
        return;
      }
      // Fail on a later tick, as a network source would.
      setTimeout(() => this.destroy(new SourceFailed()), 5);
    },
  });
}

/** A 1×1 PNG, 2×3 GIF and a small JPEG-less list of image bytes for image fields. */
export const PNG_1x1 = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/** A PNG header claiming `width`×`height` (enough for image-size; not decodable past IHDR). */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(6, 17);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), ihdr]);
}

/** A GIF header of `width`×`height`. */
export function gifHeader(width: number, height: number): Buffer {
  const out = Buffer.alloc(13);
  out.write('GIF89a', 0, 'latin1');
  out.writeUInt16LE(width, 6);
  out.writeUInt16LE(height, 8);
  return out;
}
