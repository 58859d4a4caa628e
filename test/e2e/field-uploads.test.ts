// Uploads through the field (issue 10, section 3), over real HTTP: an Express
// app, multer with the field-bound engine Model.fileUpload(path), real
// multipart requests. The field's checks run on the stream before anything
// is stored; the stored type is sniffed; a body cannot point a document at
// another user's file; deleteOrphans keeps a file some document still
// names; content types and names that HTTP or BSON cannot carry are refused.
// All of it in both GridFS layouts (flat, djongo's bucket per directory).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { Schema, type Model } from 'mongoose';
import { DjongooseError } from '../../index.js';
import {
  existingFile,
  FileField,
  GridFSStorage,
  ImageField,
  ImproperlyConfigured,
  InvalidContentType,
  SuspiciousFileOperation,
  type FileUploads,
} from '../../storage/index.js';
import { gradientPng } from '../../examples/avatars/png.js';
import { openTestDatabase, server } from '../helpers/server.js';
import type { GridFSLayout } from '../../storage/layout.js';
import { BOTH_LAYOUTS, rawPlace, storedCounts } from '../helpers/storage-layouts.js';

for (const layout of BOTH_LAYOUTS) await suite(layout);

async function suite(layout: GridFSLayout): Promise<void> {
  const conn = await openTestDatabase(import.meta.url);
  const storage = new GridFSStorage({ collection: 'media', connection: conn, baseUrl: '/media/', layout });

  interface Author {
    name: string;
    avatar?: string | null;
    avatarWidth?: number;
    avatarHeight?: number;
    resume?: string | null;
  }
  const authorSchema = new Schema<Author>({
    name: String,
    avatar: {
      type: ImageField,
      storage,
      uploadTo: 'avatars/%Y/',
      widthField: 'avatarWidth',
      heightField: 'avatarHeight',
    },
    avatarWidth: { type: Number, max: 256 },
    avatarHeight: Number,
    resume: { type: FileField, storage, uploadTo: 'resumes/', deleteOrphans: true },
  });
  const Author = conn.model<Author, Model<Author> & FileUploads<'avatar' | 'resume'>>('Author', authorSchema);

  const app = express();
  const avatars = multer({ storage: Author.fileUpload('avatar'), limits: { fileSize: 1 << 20 } });
  const resumes = multer({ storage: Author.fileUpload('resume'), limits: { fileSize: 1 << 20 } });
  const show = (a: InstanceType<typeof Author>) => ({
    id: String(a._id),
    avatar: a.get('avatar', null, { getters: false }) as string | null,
    resume: a.get('resume', null, { getters: false }) as string | null,
    width: a.avatarWidth,
    height: a.avatarHeight,
  });
  app.post('/authors', avatars.single('avatar'), async (req: Request, res: Response) => {
    const author = await new Author({ name: String(req.body?.name), avatar: req.file }).save();
    res.status(201).json(show(author));
  });
  app.post('/authors/:id/resume', resumes.single('resume'), async (req: Request, res: Response) => {
    const author = await Author.findById(String(req.params['id'])).orFail();
    author.set('resume', req.file);
    res.json(show(await author.save()));
  });
  app.put('/authors/:id', express.json(), async (req: Request, res: Response) => {
    const author = await Author.findById(String(req.params['id'])).orFail();
    author.set(req.body as object);
    res.json(show(await author.save()));
  });
  app.use('/media', storage.serve());
  app.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    void next;
    const reason = (err as { errors?: Record<string, { reason?: unknown }> }).errors;
    const typed = err instanceof DjongooseError ? err : Object.values(reason ?? {}).find((e) => e.reason)?.reason;
    res.status(typed instanceof DjongooseError ? 400 : 500).json({
      error: typed instanceof Error ? typed.constructor.name : err.name,
      message: typed instanceof Error ? typed.message : err.message,
    });
  });

  const listener = http.createServer(app);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => listener.close(() => resolve())));
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

  async function post(path: string, field: string, bytes: Buffer | string, filename: string, type = 'image/png') {
    const form = new FormData();
    form.append('name', 'ann');
    form.append(field, new Blob([bytes], { type }), filename);
    const res = await fetch(`${base}${path}`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function counts(): Promise<{ files: number; chunks: number; authors: number }> {
    return { ...(await storedCounts(storage)), authors: await Author.countDocuments({}) };
  }

  describe(`uploads through the field, ${layout} layout, on ${server.name}`, () => {
    test('a text file named evil.png is refused by an ImageField and by a FileField; nothing is stored', async () => {
      const before = await counts();
      const image = await post('/authors', 'avatar', '<html><script>alert(1)</script></html>', 'evil.png');
      assert.equal(image.status, 400);
      assert.equal(image.body['error'], 'InvalidFileContent');
      assert.match(
        String(image.body['message']),
        /^avatar: "evil\.png" is not an image djongoose can read \(image-size found no known format\); accepted: png, jpeg, gif, webp, .*tiff\.$/,
      );

      const { body: author } = await post('/authors', 'avatar', gradientPng(8, 8), 'ok.png');
      const file = await post(`/authors/${String(author['id'])}/resume`, 'resume', 'just text', 'evil.png');
      assert.equal(file.status, 400);
      assert.equal(file.body['error'], 'InvalidFileContent');
      assert.match(String(file.body['message']), /named as image\/png, but its content is text\/plain/);
      const big = await post(`/authors/${String(author['id'])}/resume`, 'resume', 'text '.repeat(200_000), 'big.png');
      assert.equal(big.status, 400, 'a large refused upload is drained, and answered');
      const after = await counts();
      assert.deepEqual(after, {
        ...before,
        files: before.files + 1,
        chunks: before.chunks + 1,
        authors: before.authors + 1,
      });
      assert.equal((await Author.findById(author['id']).orFail()).get('resume', null, { getters: false }), undefined);
    });

    test('a real PNG is stored under uploadTo with its sniffed type, and its dimensions fill the document', async () => {
      const png = gradientPng(64, 48);
      const { status, body } = await post('/authors', 'avatar', png, 'my photo.png', 'text/html');
      assert.equal(status, 201);
      assert.equal(body['avatar'], `avatars/${new Date().getUTCFullYear()}/my_photo.png`);
      assert.deepEqual([body['width'], body['height']], [64, 48]);
      const stored = await Author.findById(body['id']).orFail();
      assert.deepEqual([stored.avatarWidth, stored.avatarHeight], [64, 48]);
      assert.equal((await storage.stat(String(body['avatar']))).contentType, 'image/png');
      const served = await fetch(`${base}${storage.url(String(body['avatar']))}`);
      assert.equal(served.headers.get('content-type'), 'image/png', "the sniffed type, not the client's text/html");
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(png));
    });

    test('an image whose dimensions the schema refuses (avatarWidth max 256) is refused; nothing is stored', async () => {
      const before = await counts();
      const { status, body } = await post('/authors', 'avatar', gradientPng(300, 10), 'wide.png');
      assert.equal(status, 400);
      assert.equal(body['error'], 'InvalidFileContent');
      assert.match(String(body['message']), /avatar: the image is 300×10, which the schema refuses: .*avatarWidth/);
      assert.deepEqual(await counts(), before);
    });

    test('a body cannot point a document at another user’s file; deleteOrphans keeps a file still named', async () => {
      const { body: victim } = await post('/authors', 'avatar', gradientPng(8, 8), 'v.png');
      const uploaded = await post(`/authors/${String(victim['id'])}/resume`, 'resume', '%PDF-1.4 victim', 'cv.pdf');
      assert.equal(uploaded.status, 200);
      const victimFile = String(uploaded.body['resume']);
      assert.equal((await storage.stat(victimFile)).contentType, 'application/pdf');

      const { body: attacker } = await post('/authors', 'avatar', gradientPng(8, 8), 'a.png');
      const put = await fetch(`${base}/authors/${String(attacker['id'])}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resume: victimFile }),
      });
      assert.equal(put.status, 400);
      const refusal = (await put.json()) as { error: string; message: string };
      assert.equal(refusal.error, 'SuspiciousFileOperation');
      assert.match(refusal.message, /names a file already stored/);
      assert.equal(await Author.countDocuments({ resume: victimFile }), 1, 'only the victim names it');

      // The same through query updates and replacements, which a body can also feed.
      const attackerId = String(attacker['id']);
      await assert.rejects(Author.updateOne({ _id: attackerId }, { resume: victimFile }), SuspiciousFileOperation);
      await assert.rejects(
        Author.findOneAndUpdate({ _id: attackerId }, { $set: { resume: victimFile } }),
        SuspiciousFileOperation,
      );
      await assert.rejects(
        Author.replaceOne({ _id: attackerId }, { name: 'x', resume: victimFile }),
        SuspiciousFileOperation,
      );
      await assert.rejects(
        Author.updateOne({ name: 'nobody' }, { resume: victimFile }, { upsert: true }),
        SuspiciousFileOperation,
      );
      await assert.rejects(Author.create({ name: 'c', resume: victimFile }), SuspiciousFileOperation);
      await assert.rejects(
        new Author({ name: 'v', resume: victimFile }).save({ validateBeforeSave: false }),
        SuspiciousFileOperation,
      );
      await assert.rejects(Author.insertMany([{ name: 'i', resume: victimFile }]), SuspiciousFileOperation);
      assert.equal(await Author.countDocuments({ resume: victimFile }), 1, 'still only the victim');
      await Author.updateOne({ _id: victim['id'] }, { name: 'victim', resume: victimFile }); // its own name: accepted

      // Code may share a file (existingFile); deleting one of two documents keeps it.
      const sharer = await new Author({ name: 'co-author', resume: existingFile(victimFile) }).save();
      await Author.deleteOne({ _id: sharer._id });
      assert.equal(await storage.exists(victimFile), true, 'the victim still names it');
      const replaced = await Author.findById(attacker['id']).orFail();
      replaced.set('resume', existingFile(victimFile));
      await replaced.save();
      replaced.set('resume', null);
      await replaced.save();
      await (await new Author({ name: 'x', resume: existingFile(victimFile) }).save()).deleteOne();
      assert.equal(await storage.exists(victimFile), true, 'replaced and deleted elsewhere, still the victim’s');
      await Author.deleteOne({ _id: victim['id'] });
      assert.equal(await storage.exists(victimFile), false, 'no document names it any more');
    });

    test('a content type with CR/LF is refused at save; serve() sends an unsendable stored type as octet-stream', async () => {
      const before = await counts();
      await assert.rejects(storage.save('crlf.txt', 'x', { contentType: 'text/plain\r\nX: y' }), (err: Error) => {
        assert.ok(err instanceof InvalidContentType);
        assert.match(err.message, /type "\/" subtype .* no control characters such as CR or LF/);
        return true;
      });
      await assert.rejects(
        storage.save('sp.txt', 'x', { metadata: { contentType: 'text/ plain' } }),
        InvalidContentType,
      );
      assert.deepEqual(await counts(), before);

      // A type stored before the check, or by another tool.
      const name = await storage.save('legacy.txt', 'legacy');
      const { files, filename } = await rawPlace(storage, name);
      await files.updateOne({ filename }, { $set: { 'metadata.contentType': 'text/plain\r\nX: y' } });
      const res = await fetch(`${base}/media/legacy.txt`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.equal(res.headers.get('x'), null);
      assert.equal(await res.text(), 'legacy');
    });

    test('a lone surrogate in a name is refused with SuspiciousFileOperation; url() never throws a URIError', async () => {
      const before = await counts();
      for (const name of ['\uD800.txt', 'a/\uDC00b.txt', 'x\uD83D']) {
        await assert.rejects(storage.save(name, 'x'), SuspiciousFileOperation);
        assert.throws(() => storage.url(name), SuspiciousFileOperation);
      }
      await assert.rejects(new Author({ name: 's', resume: '\uD800.txt' }).save(), (err: Error) => {
        const reason = (err as unknown as { errors: Record<string, { reason?: unknown }> }).errors['resume']?.reason;
        assert.ok(reason instanceof SuspiciousFileOperation);
        return true;
      });
      assert.equal(storage.url('😀.txt'), '/media/%F0%9F%98%80.txt', 'a surrogate pair is a character like any other');
      assert.deepEqual(await counts(), before);
    });

    test('fileUpload names the file paths when given another path', () => {
      assert.throws(
        () => Author.fileUpload('avatr' as 'avatar'),
        (err: Error) =>
          err instanceof ImproperlyConfigured &&
          /"avatr" is not a FileField .* its file paths are "avatar", "resume"/.test(err.message),
      );
    });
  });
}
