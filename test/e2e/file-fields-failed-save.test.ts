// A save that fails stores no file: when one of its uploads is refused after
// another was stored (a stream is judged only as it is read), or when the
// write itself fails (a duplicate key), the files it uploaded are deleted and
// the document is put back as it was, so saving again after a fix works.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Schema } from 'mongoose';
import { FileField, GridFSStorage, ImageField, InvalidFileContent } from '../../storage/index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { gifHeader, readAll } from '../helpers/storage-sources.js';
import { storedCounts } from '../helpers/storage-layouts.js';

const conn = await openTestDatabase(import.meta.url);
const storage = new GridFSStorage({ collection: 'passes', connection: conn, layout: 'flat' });

interface Pass {
  code: string;
  scan?: string | null;
  photo?: string | null;
}
const Pass = conn.model<Pass>(
  'Pass',
  new Schema<Pass>({
    code: { type: String, unique: true },
    // `scan` comes first in the schema, so it is stored before `photo` is read.
    scan: { type: FileField, storage, uploadTo: 'scans/' },
    photo: { type: ImageField, storage, uploadTo: 'photos/' },
  }),
);
await Pass.init();

const state = async () => ({ ...(await storedCounts(storage)), passes: await Pass.countDocuments() });

describe(`a failed save stores no file, on ${server.name}`, () => {
  test('a streamed image refused after another upload was stored: that file is deleted too', async () => {
    const before = await state();
    const pass = new Pass({
      code: 'A-1',
      scan: { name: 'a1.txt', content: Buffer.from('scanned') },
      photo: { name: 'a1.gif', content: Readable.from([Buffer.from('not an image at all')]) },
    });
    await assert.rejects(pass.save(), InvalidFileContent);
    assert.deepEqual(await state(), before);
    assert.equal(await storage.exists('scans/a1.txt'), false);

    // The document is as it was: a fixed photo and a second save store both.
    pass.photo = { name: 'a1.gif', content: gifHeader(4, 4) } as never;
    await pass.save();
    const stored = await Pass.collection.findOne({ code: 'A-1' });
    assert.equal(stored?.['scan'], 'scans/a1.txt');
    assert.equal(stored?.['photo'], 'photos/a1.gif');
    assert.equal((await readAll(await storage.open('scans/a1.txt'))).toString(), 'scanned');
  });

  test('a duplicate key: the uploaded file is deleted, the first document keeps its own', async () => {
    await new Pass({ code: 'B-1', scan: { name: 'b1.txt', content: Buffer.from('first') } }).save();
    const before = await state();
    const twin = new Pass({ code: 'B-1', scan: { name: 'b1-twin.txt', content: Buffer.from('second') } });
    await assert.rejects(twin.save(), (err: Error & { code?: number }) => err.code === 11000);
    assert.deepEqual(await state(), before);
    assert.equal(await storage.exists('scans/b1-twin.txt'), false);
    assert.equal((await readAll(await storage.open('scans/b1.txt'))).toString(), 'first');

    // Put back as it was: with its own code, the same document saves its file.
    twin.code = 'B-2';
    await twin.save();
    assert.equal(
      (await readAll(await storage.open((await Pass.collection.findOne({ code: 'B-2' }))?.['scan']))).toString(),
      'second',
    );
  });

  test('replacing a stored file in a save that fails keeps the old file and its name', async () => {
    const pass = await new Pass({ code: 'C-1', scan: { name: 'c1.txt', content: Buffer.from('old') } }).save();
    await new Pass({ code: 'C-2' }).save();
    const before = await state();
    pass.code = 'C-2';
    pass.scan = { name: 'c1-new.txt', content: Buffer.from('new') } as never;
    // A unique violation on update: FerretDB's error has no 11000 code, so any server error.
    await assert.rejects(pass.save(), { name: 'MongoServerError' });
    assert.deepEqual(await state(), before);
    assert.equal(pass.get('scan', null, { getters: false }), 'scans/c1.txt');
    assert.equal((await readAll(await storage.open('scans/c1.txt'))).toString(), 'old');
  });
});
