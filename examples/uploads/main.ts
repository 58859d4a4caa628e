// A small Express app: uploads go through the field. Author.fileUpload('avatar')
// is a multer engine bound to the ImageField: the upload streams into GridFS
// after the field's checks passed on its first bytes (sniffed type, name and
// content agree, dimensions), under the field's uploadTo; storage.serve()
// serves it back with ETag, Last-Modified and ranges.
//   node --import tsx examples/uploads/main.ts           # a demo: upload, fetch, print, exit
//   node --import tsx examples/uploads/main.ts --serve   # keep serving on PORT (default 8000)
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { Schema, type Model } from 'mongoose';
import { connect, DjongooseError } from '../../index.js';
import { GridFSStorage, ImageField, type FileUploads } from '../../storage/index.js';
import { gradientPng } from '../avatars/png.js';
import { exampleServer } from '../avatars/server.js';

const { host, stop } = await exampleServer();
const connection = await connect({ NAME: process.env['EXAMPLE_DB_NAME'] ?? 'uploads', CLIENT: { host } });
const storage = new GridFSStorage({ collection: 'uploads', connection, baseUrl: '/media/' });

interface Author {
  name: string;
  avatar?: string | null; // the stored name
  avatarWidth?: number;
  avatarHeight?: number;
}
const authorSchema = new Schema<Author>({
  name: String,
  avatar: {
    type: ImageField,
    storage,
    uploadTo: 'avatars/%Y/%m/',
    widthField: 'avatarWidth',
    heightField: 'avatarHeight',
  },
  avatarWidth: { type: Number, max: 2048 },
  avatarHeight: { type: Number, max: 2048 },
});
const Author = connection.model<Author, Model<Author> & FileUploads<'avatar'>>('Author', authorSchema);

const app = express();
const upload = multer({ storage: Author.fileUpload('avatar'), limits: { fileSize: 5 * 1024 * 1024 } });
app.post('/authors', upload.single('avatar'), async (req: Request, res: Response) => {
  // req.file carries the checked upload: the document gets its name and dimensions.
  const author = await new Author({ name: String(req.body?.name ?? ''), avatar: req.file }).save();
  res.status(201).json({ author, url: (req.file as { url?: string } | undefined)?.url });
});
app.use('/media', storage.serve());
app.use((err: Error & { code?: string }, _req: Request, res: Response, _next: NextFunction) => {
  void _next;
  const status = err.code === 'LIMIT_FILE_SIZE' ? 413 : err instanceof DjongooseError ? 400 : 500;
  res.status(status).json({ error: err.name, message: err.message });
});

const listener = app.listen(process.argv.includes('--serve') ? Number(process.env['PORT'] ?? 8000) : 0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

async function send(bytes: Uint8Array | string, filename: string): Promise<globalThis.Response> {
  const form = new FormData();
  form.append('name', 'ann');
  // The client's type is not trusted: the engine stores the sniffed one.
  form.append('avatar', new Blob([bytes], { type: 'image/png' }), filename);
  return fetch(`${base}/authors`, { method: 'POST', body: form });
}

if (process.argv.includes('--serve')) {
  console.log(`POST a name and an image as "avatar" to ${base}/authors; files are served under ${base}/media/`);
} else {
  try {
    await Author.deleteMany({});
    await (await storage.bucket()).bucket.drop().catch(() => undefined); // a clean run: no files yet
    const created = (await (await send(gradientPng(64, 48), 'holiday photo.png')).json()) as {
      author: Author;
      url: string;
    };
    const { avatar, avatarWidth, avatarHeight } = created.author;
    console.log(`uploaded: ${String(avatar).replace(/\d{4}\/\d{2}/, 'YYYY/MM')} (${avatarWidth}×${avatarHeight})`);

    const full = await fetch(`${base}${created.url}`);
    console.log(
      `GET ${full.status} ${full.headers.get('content-type')} ${(await full.arrayBuffer()).byteLength} bytes`,
    );
    const etag = full.headers.get('etag') ?? '';
    const cached = await fetch(`${base}${created.url}`, { headers: { 'If-None-Match': etag } });
    console.log(`GET with If-None-Match: ${cached.status}`);
    const head = await fetch(`${base}${created.url}`, { headers: { Range: 'bytes=0-7' } });
    console.log(`GET bytes=0-7: ${head.status} ${head.headers.get('content-range')?.replace(/\/\d+$/, '/…')}`);

    const evil = await send('<script>alert(1)</script>', 'evil.png');
    console.log(`a text file named evil.png: ${evil.status} ${((await evil.json()) as { error: string }).error}`);
    const huge = await send(gradientPng(4096, 1), 'banner.png');
    console.log(`a 4096×1 image (max 2048): ${huge.status} ${((await huge.json()) as { error: string }).error}`);
    const { files } = await storage.bucket();
    console.log(`files stored: ${await files.countDocuments({})}`);
    console.log(`missing file: ${(await fetch(`${base}/media/avatars/nothing.png`)).status}`);
  } finally {
    listener.close();
    await connection.close();
    await stop();
  }
}
