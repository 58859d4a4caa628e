// A small Express app: uploads stream through multer straight into GridFS,
// and storage.serve() serves them back with ETag, Last-Modified and ranges.
//   node --import tsx examples/uploads/main.ts           # a demo: upload, fetch, print, exit
//   node --import tsx examples/uploads/main.ts --serve   # keep serving on PORT (default 8000)
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { connect } from '../../index.js';
import { GridFSStorage } from '../../storage/index.js';
import { gradientPng } from '../avatars/png.js';
import { exampleServer } from '../avatars/server.js';

const { host, stop } = await exampleServer();
const connection = await connect({ NAME: process.env['EXAMPLE_DB_NAME'] ?? 'uploads', CLIENT: { host } });
const storage = new GridFSStorage({ collection: 'uploads', connection, baseUrl: '/media/' });

const app = express();
const upload = multer({
  storage: storage.multer({ uploadTo: 'photos/%Y/%m/' }),
  limits: { fileSize: 5 * 1024 * 1024 },
});
app.post('/photos', upload.single('photo'), (req: Request, res: Response) => {
  res.status(201).json({ name: req.file?.filename, url: (req.file as { url?: string } | undefined)?.url });
});
app.use('/media', storage.serve());
app.use((err: Error & { code?: string }, _req: Request, res: Response, _next: NextFunction) => {
  void _next;
  res.status(err.code === 'LIMIT_FILE_SIZE' ? 413 : 400).json({ error: err.message });
});

const listener = app.listen(process.argv.includes('--serve') ? Number(process.env['PORT'] ?? 8000) : 0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

if (process.argv.includes('--serve')) {
  console.log(`POST a file as "photo" to ${base}/photos; files are served under ${base}/media/`);
} else {
  try {
    const form = new FormData();
    form.append('photo', new Blob([gradientPng(64, 64)], { type: 'image/png' }), 'holiday photo.png');
    const created = (await (await fetch(`${base}/photos`, { method: 'POST', body: form })).json()) as {
      name: string;
      url: string;
    };
    console.log(`uploaded: ${created.name.replace(/\d{4}\/\d{2}/, 'YYYY/MM')}`);

    const full = await fetch(`${base}${created.url}`);
    console.log(
      `GET ${full.status} ${full.headers.get('content-type')} ${(await full.arrayBuffer()).byteLength} bytes`,
    );
    const etag = full.headers.get('etag') ?? '';
    const cached = await fetch(`${base}${created.url}`, { headers: { 'If-None-Match': etag } });
    console.log(`GET with If-None-Match: ${cached.status}`);
    const head = await fetch(`${base}${created.url}`, { headers: { Range: 'bytes=0-7' } });
    console.log(`GET bytes=0-7: ${head.status} ${head.headers.get('content-range')?.replace(/\/\d+$/, '/…')}`);
    console.log(`missing file: ${(await fetch(`${base}/media/photos/nothing.png`)).status}`);
  } finally {
    listener.close();
    await connection.close();
    await stop();
  }
}
