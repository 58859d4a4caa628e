// storage.serve() and storage.multer() over real HTTP, in process, in both
// GridFS layouts (flat, djongo's bucket per directory): Express
// and Node's http server, a real multipart upload, conditionals, ranges,
// errors, hostile URLs, multer's size limit and a client that drops
// mid-upload (R3: nothing left behind).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { GridFSStorage } from '../../storage/index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { patternStream, readAll } from '../helpers/storage-sources.js';
import type { GridFSLayout } from '../../storage/layout.js';
import { BOTH_LAYOUTS, storedCounts } from '../helpers/storage-layouts.js';

const conn = await openTestDatabase(import.meta.url);
const LIMIT = 300_000;

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const srv = http.createServer(handler);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  after(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => srv.close(() => resolve())) };
}

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const layout of BOTH_LAYOUTS) await suite(layout);

async function suite(layout: GridFSLayout): Promise<void> {
  const storage = new GridFSStorage({ collection: `web_${layout}`, connection: conn, baseUrl: '/media/', layout });

  const app = express();
  app.use('/media', storage.serve());
  const upload = multer({ storage: storage.multer({ uploadTo: 'uploads/%Y/' }), limits: { fileSize: LIMIT } });
  app.post('/upload', upload.single('file'), (req: Request, res: Response) => {
    res.json(req.file);
  });
  const uploadErrors: { code?: string; message: string }[] = [];
  app.use((err: Error & { code?: string }, _req: Request, res: Response, next: NextFunction) => {
    void next;
    uploadErrors.push({ code: err.code, message: err.message });
    res.status(err.code === 'LIMIT_FILE_SIZE' ? 413 : 500).json({ code: err.code, message: err.message });
  });

  const web = await listen(app);
  const plain = await listen(storage.serve());
  const body = await readAll(patternStream(700_000));
  const name = await storage.save('docs/big file.bin', body, { contentType: 'application/x-test' });
  const url = `${web.url}${storage.url(name)}`;

  const counts = (): Promise<{ files: number; chunks: number }> => storedCounts(storage);

  describe(`storage.serve() and storage.multer(), ${layout} layout, on ${server.name}`, () => {
    test('GET serves the file with Content-Type, Content-Length, ETag and Last-Modified', async () => {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/x-test');
      assert.equal(res.headers.get('content-length'), String(body.length));
      assert.match(res.headers.get('etag') ?? '', /^"[0-9a-f]{24}-[0-9a-f]+"$/);
      assert.ok(!Number.isNaN(Date.parse(res.headers.get('last-modified') ?? '')));
      assert.equal(res.headers.get('accept-ranges'), 'bytes');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(body));
    });

    test('HEAD sends the headers only', async () => {
      const res = await fetch(url, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), String(body.length));
      assert.equal((await res.arrayBuffer()).byteLength, 0);
    });

    test('304 on If-None-Match and on If-Modified-Since', async () => {
      const first = await fetch(url, { method: 'HEAD' });
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      const byTag = await fetch(url, { headers: { 'If-None-Match': `W/"nope", ${etag}` } });
      assert.equal(byTag.status, 304);
      assert.equal(byTag.headers.get('etag'), etag);
      assert.equal((await fetch(url, { headers: { 'If-Modified-Since': lastModified } })).status, 304);
      const stale = await fetch(url, { headers: { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified } });
      assert.equal(stale.status, 200, 'If-None-Match wins over If-Modified-Since');
      await stale.arrayBuffer();
      const old = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      const modified = await fetch(url, { headers: { 'If-Modified-Since': old } });
      assert.equal(modified.status, 200);
      await modified.arrayBuffer();
    });

    test('a single Range gives 206 and Content-Range, inclusive at both ends', async () => {
      const cases: [string, number, number][] = [
        ['bytes=0-0', 0, 0],
        ['bytes=261119-261120', 261_119, 261_120], // across the first chunk boundary
        ['bytes=100-', 100, body.length - 1],
        ['bytes=-10', body.length - 10, body.length - 1],
        ['bytes=699990-800000', 699_990, body.length - 1],
      ];
      for (const [range, start, end] of cases) {
        const res = await fetch(url, { headers: { Range: range } });
        assert.equal(res.status, 206, range);
        assert.equal(res.headers.get('content-range'), `bytes ${start}-${end}/${body.length}`, range);
        assert.equal(res.headers.get('content-length'), String(end - start + 1), range);
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(body.subarray(start, end + 1)), range);
      }
    });

    test('416 for an unsatisfiable range; several ranges or If-Range mismatch serve the whole file', async () => {
      for (const range of ['bytes=700000-', 'bytes=900000-900010', 'bytes=-0']) {
        const res = await fetch(url, { headers: { Range: range } });
        assert.equal(res.status, 416, range);
        assert.equal(res.headers.get('content-range'), `bytes */${body.length}`);
        await res.arrayBuffer();
      }
      for (const headers of <Record<string, string>[]>[
        { Range: 'bytes=0-1,5-6' },
        { Range: 'bytes=0-1', 'If-Range': '"stale"' },
        { Range: 'items=0-1' },
      ]) {
        const res = await fetch(url, { headers });
        assert.equal(res.status, 200, JSON.stringify(headers));
        assert.equal((await res.arrayBuffer()).byteLength, body.length);
      }
    });

    test('404 for a missing file, 405 for other methods', async () => {
      const missing = await fetch(`${web.url}/media/docs/nothing.bin`);
      assert.equal(missing.status, 404);
      assert.match(await missing.text(), /not found/);
      const post = await fetch(url, { method: 'DELETE' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
      await post.arrayBuffer();
    });

    test('hostile URLs are refused with 400, never served from outside the storage', async () => {
      // Raw request paths: fetch() would resolve %2E%2E itself, as WHATWG URLs do.
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: new URL(web.url).port, path: `/media/${path}` }, (res) =>
              resolve(res.resume().statusCode!),
            )
            .on('error', reject);
        });
      for (const path of [
        '..%2F..%2Fetc%2Fpasswd',
        '%2E%2E/x',
        'a/%2e%2e/%2e%2e/x',
        'a%00b',
        'a%5Cb',
        '%EF%BC%8E%EF%BC%8E/x',
        '%E0%A4%A',
      ]) {
        assert.equal(await status(path), 400, path);
      }
      assert.equal(await status('..%252F..%252Fx'), 404, 'double-encoded: a literal name, not a traversal');
      // A directory with a dot would name another bucket in djongo's layout; in the flat layout it is just a name.
      for (const path of ['a.files/x', 'docs.chunks/x', '%24cmd/x']) {
        assert.equal(await status(path), layout === 'djongo' ? 400 : 404, path);
      }
    });

    test('plain Node http: names are read from under baseUrl', async () => {
      const res = await fetch(`${plain.url}${storage.url(name)}`, { headers: { Range: 'bytes=0-3' } });
      assert.equal(res.status, 206);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(body.subarray(0, 4)));
      const outside = await fetch(`${plain.url}/elsewhere/${encodeURIComponent(name)}`);
      assert.equal(outside.status, 404);
      await outside.arrayBuffer();
    });

    test('multer streams an upload into GridFS; serve() gives it back', async () => {
      const form = new FormData();
      const sent = await readAll(patternStream(250_000));
      form.append('file', new Blob([sent], { type: 'image/x-test' }), 'my photo.raw');
      const res = await fetch(`${web.url}/upload`, { method: 'POST', body: form });
      assert.equal(res.status, 200);
      const info = (await res.json()) as {
        filename: string;
        size: number;
        url: string;
        contentType: string;
        bucketName: string;
      };
      assert.match(info.filename, /^uploads\/\d{4}\/my_photo\.raw$/);
      const year = new Date().getUTCFullYear();
      assert.equal(info.bucketName, layout === 'flat' ? storage.collection : `${storage.collection}.uploads.${year}`);
      assert.equal(info.size, sent.length);
      assert.equal(
        info.contentType,
        'application/octet-stream',
        "sniffed from the bytes, not the client's image/x-test",
      );
      assert.equal((await storage.stat(info.filename)).contentType, 'application/octet-stream');
      const back = await fetch(`${web.url}${info.url}`);
      assert.ok(Buffer.from(await back.arrayBuffer()).equals(sent));
    });

    test("multer's limits.fileSize aborts the GridFS stream: 413 and nothing stored", async () => {
      const before = await counts();
      const form = new FormData();
      form.append('file', new Blob([await readAll(patternStream(LIMIT * 3))]), 'huge.bin');
      const res = await fetch(`${web.url}/upload`, { method: 'POST', body: form });
      assert.equal(res.status, 413);
      assert.equal(((await res.json()) as { code: string }).code, 'LIMIT_FILE_SIZE');
      assert.deepEqual(await counts(), before);
    });

    test('R3: a client that drops mid-upload leaves no chunks and no files document', async () => {
      const before = await counts();
      const boundary = 'djongooseboundary';
      const req = http.request(`${web.url}/upload`, {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(5_000_000) },
      });
      req.on('error', () => undefined);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="drop.bin"\r\n\r\n`);
      const source = patternStream(LIMIT - 10_000);
      for await (const chunk of source) req.write(chunk);
      await until(async () => (await counts()).chunks > before.chunks, 'chunks to be written');
      req.destroy();
      await until(
        async () => uploadErrors.length > 0 && (await counts()).chunks === before.chunks,
        'the partial upload to be removed',
      );
      assert.deepEqual(await counts(), before);
    });
  });
}
