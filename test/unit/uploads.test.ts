// The pure parts of "uploads go through the field", no server: the magic-byte
// sniffer, the extension check, content types as HTTP carries them, the head
// inspection that decides before anything is stored, and url() on any string.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderValue } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import {
  GridFSStorage,
  InvalidContentType,
  InvalidFileContent,
  SuspiciousFileOperation,
  isContentType,
  sniffContentType,
  validFileName,
} from '../../storage/index.js';
import { checkContentType, sendableContentType } from '../../storage/content-type.js';
import { checkNameAgrees } from '../../storage/field-checks.js';
import { inspectHead } from '../../storage/head.js';
import { gradientPng } from '../../examples/avatars/png.js';
import { gifHeader, PNG_1x1 } from '../helpers/storage-sources.js';

const hex = (h: string): Buffer => Buffer.from(h.replaceAll(' ', ''), 'hex');

describe('sniffContentType: from the first bytes, never the name', () => {
  test('the common image and document types', () => {
    const cases: [Buffer, string][] = [
      [PNG_1x1, 'image/png'],
      [gradientPng(3, 2), 'image/png'],
      [hex('ff d8 ff e0 00 10 4a 46 49 46 00'), 'image/jpeg'],
      [gifHeader(2, 1), 'image/gif'],
      [Buffer.concat([Buffer.from('RIFF'), hex('24000000'), Buffer.from('WEBPVP8 ')]), 'image/webp'],
      [Buffer.concat([Buffer.from('BM'), hex('3a000000 00000000 36000000')]), 'image/bmp'],
      [hex('49 49 2a 00 08 00 00 00'), 'image/tiff'],
      [hex('4d 4d 00 2a 00 00 00 08'), 'image/tiff'],
      [hex('00 00 01 00 01 00 10 10'), 'image/vnd.microsoft.icon'],
      [Buffer.concat([hex('0000001c'), Buffer.from('ftypavif'), hex('00000000')]), 'image/avif'],
      [Buffer.concat([hex('00000018'), Buffer.from('ftypheic'), hex('00000000')]), 'image/heic'],
      [Buffer.concat([hex('00000018'), Buffer.from('ftypisom'), hex('00000200')]), 'video/mp4'],
      [Buffer.from('%PDF-1.7\n%âãÏÓ'), 'application/pdf'],
      [hex('50 4b 03 04 14 00 00 00'), 'application/zip'],
      [hex('1f 8b 08 00 00 00 00 00'), 'application/gzip'],
      [Buffer.from('ID3\u0004\u0000'), 'audio/mpeg'],
      [hex('ff fb 90 64 00'), 'audio/mpeg'],
      [hex('1a 45 df a3 9f 42 86 81'), 'video/webm'],
    ];
    for (const [bytes, type] of cases) assert.equal(sniffContentType(bytes, true), type, type);
  });

  test('UTF-8 text is text/plain whatever markup it holds; other bytes are octet-stream', () => {
    assert.equal(sniffContentType(Buffer.from('<html><script>alert(1)</script>'), true), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(Buffer.from('<svg onload="x()"/>'), true), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(Buffer.from('BMW, not a bitmap'), true), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(Buffer.from('café\r\n\tété'), true), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(hex('00 01 02 03 04'), true), 'application/octet-stream');
    assert.equal(sniffContentType(hex('68 69 ff fe'), true), 'application/octet-stream', 'not UTF-8');
    assert.equal(sniffContentType(Buffer.alloc(0), true), 'application/octet-stream');
  });

  test('a head cut inside a UTF-8 character is still text; a whole file ending so is not', () => {
    const cut = Buffer.from('résumé').subarray(0, 2); // 'r' and the first byte of 'é'
    assert.equal(sniffContentType(cut, false), 'text/plain; charset=utf-8');
    assert.equal(sniffContentType(cut, true), 'application/octet-stream');
  });
});

describe("checkNameAgrees: the name's extension must name what the bytes are", () => {
  test('evil.png holding text is refused; matching, textual and unknown extensions pass', () => {
    assert.throws(
      () => checkNameAgrees('avatar', 'evil.png', 'text/plain; charset=utf-8'),
      (err: unknown) =>
        err instanceof InvalidFileContent &&
        /avatar: "evil\.png" is named as image\/png, but its content is text\/plain/.test(err.message),
    );
    assert.throws(() => checkNameAgrees('f', 'a.pdf', 'application/octet-stream'), /bytes of no type it recognises/);
    assert.throws(() => checkNameAgrees('f', 'a.jpg', 'image/png'), InvalidFileContent);
    checkNameAgrees('f', 'a.PNG', 'image/png');
    checkNameAgrees('f', 'data.json', 'text/plain; charset=utf-8');
    checkNameAgrees('f', 'notes.csv', 'text/plain; charset=utf-8');
    checkNameAgrees('f', 'photo.heic', 'image/heif');
    checkNameAgrees('f', 'report.docx', 'application/zip');
    checkNameAgrees('f', 'README', 'application/octet-stream');
  });
});

describe('content types: what save() accepts is what HTTP can send', () => {
  test('RFC 7231 media types with parameters are accepted', () => {
    for (const ok of [
      'image/png',
      'text/plain; charset=utf-8',
      'multipart/form-data; boundary="a b;c"',
      'application/vnd.api+json',
      'text/plain;charset=UTF-8;format=flowed',
    ]) {
      assert.equal(checkContentType(ok, 'a'), ok);
    }
  });

  test('CR/LF, spaces in tokens, missing parts, non-ASCII and non-strings raise InvalidContentType', () => {
    for (const bad of [
      'text/plain\r\nX: y',
      'text/plain\n',
      'text/ plain',
      'text',
      '/plain',
      'text/plain;',
      'text/plain; charset',
      'text/plaïn',
      'text/plain; a="unterminated',
      `text/${'x'.repeat(300)}`,
      '',
      3,
      null,
    ]) {
      assert.throws(
        () => checkContentType(bad, 'a.txt'),
        (err: unknown) =>
          err instanceof InvalidContentType &&
          err.fileName === 'a.txt' &&
          /RFC 7231's type "\/" subtype with optional "; name=value" parameters/.test(err.message),
        JSON.stringify(bad),
      );
    }
  });

  test('property: any type isContentType accepts, and whatever sendableContentType gives, Node sends as a header', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' })), (value) => {
        if (isContentType(value)) assert.doesNotThrow(() => validateHeaderValue('Content-Type', value));
        assert.doesNotThrow(() => validateHeaderValue('Content-Type', sendableContentType(value)));
      }),
      { numRuns: 2000 },
    );
    assert.equal(sendableContentType('text/plain\r\nX: y'), 'application/octet-stream');
    assert.equal(sendableContentType(undefined), 'application/octet-stream');
  });
});

describe('names and URLs', () => {
  test("a client's name loses lone surrogates as it loses other unusable characters", () => {
    assert.equal(validFileName('ph\uD800oto.png'), 'photo.png');
  });

  test('property: url() of any string is a URL or a SuspiciousFileOperation, never a URIError', () => {
    const storage = new GridFSStorage({ collection: 'f', baseUrl: '/media/' });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (name) => {
        try {
          assert.equal(typeof storage.url(name), 'string');
        } catch (err) {
          assert.ok(err instanceof SuspiciousFileOperation, `${(err as Error).name} for ${JSON.stringify(name)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('inspectHead: decide on the first bytes, then hand on every byte', () => {
  const chunks = (n: number, size: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.alloc(size, i));

  test('the decision sees at least what it asks for; the body is the whole source, in order', async () => {
    const source = chunks(10, 1000);
    const seen: number[] = [];
    const { value, body } = await inspectHead(Readable.from(source), 1 << 20, (head, final) => {
      seen.push(head.length);
      return head.length >= 2500 || final ? head.length : undefined;
    });
    assert.ok(value >= 2500 && value < 10_000);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    const all: Buffer[] = [];
    for await (const c of body) all.push(Buffer.from(c));
    assert.ok(Buffer.concat(all).equals(Buffer.concat(source)));
  });

  test('at the limit or the end the decision is final; a refusal closes the source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield Buffer.alloc(100);
      } finally {
        closed = true;
      }
    }
    await assert.rejects(
      inspectHead(source(), 1000, (_head, final) => {
        if (final) throw new InvalidFileContent('refused', 'x');
        return undefined;
      }),
      InvalidFileContent,
    );
    assert.equal(closed, true);
    const ended = await inspectHead([Buffer.from('ab')], 1000, (head, final, isEnd) =>
      final ? [head, isEnd] : undefined,
    );
    assert.deepEqual(ended.value, [Buffer.from('ab'), true]);
  });
});
