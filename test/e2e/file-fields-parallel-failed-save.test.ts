// Mongoose runs the save hooks of a document's subdocuments in parallel, so
// the files of a list of embedded documents are stored at the same time.
// When one of them is refused, the others may be stored already, or still be
// streaming: either way a failed save leaves exactly the files there were
// before, whichever upload finishes first. Top-level file paths are stored one
// after another and must leave nothing either.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Schema } from 'mongoose';
import { FileField, GridFSStorage, ImageField, InvalidFileContent } from '../../storage/index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { gifHeader } from '../helpers/storage-sources.js';
import { storedCounts } from '../helpers/storage-layouts.js';

const conn = await openTestDatabase(import.meta.url);
const storage = new GridFSStorage({ collection: 'albums', connection: conn, layout: 'flat' });

const photoSchema = new Schema({
  note: { type: FileField, storage, uploadTo: 'notes/' },
  image: { type: ImageField, storage, uploadTo: 'photos/', widthField: 'width' },
  width: { type: Number, max: 64 },
});
interface Album {
  title: string;
  cover?: string | null;
  back?: string | null;
  photos: { note?: string | null; image?: string | null; width?: number }[];
}
const Album = conn.model<Album>(
  'Album',
  new Schema<Album>({
    title: { type: String, unique: true },
    cover: { type: ImageField, storage, uploadTo: 'covers/' },
    back: { type: FileField, storage, uploadTo: 'backs/' },
    photos: [photoSchema],
  }),
);

await Album.init();

const state = async () => ({ ...(await storedCounts(storage)), albums: await Album.countDocuments() });

/** A valid 8×8 GIF of `size` bytes, streamed in 16 KiB chunks; `done` settles when it is read to the end or dropped. */
function slowImage(size: number, wait?: Promise<unknown>): { stream: Readable; done: Promise<void> } {
  const body = Buffer.concat([gifHeader(8, 8), Buffer.alloc(size)]);
  async function* chunks() {
    yield body.subarray(0, 16 * 1024);
    await wait;
    for (let at = 16 * 1024; at < body.length; at += 16 * 1024) {
      await sleep(1);
      yield body.subarray(at, at + 16 * 1024);
    }
  }
  const stream = Readable.from(chunks());
  const done = new Promise<void>((resolve) => stream.once('close', resolve));
  return { stream, done };
}

/** A stream that is not an image, read only once `wait` settles; `done` settles when it is dropped. */
function notAnImage(wait?: Promise<unknown>): { stream: Readable; done: Promise<void> } {
  async function* chunks() {
    await wait;
    yield Buffer.from('not an image at all, whatever its name says');
  }
  const stream = Readable.from(chunks());
  const done = new Promise<void>((resolve) => stream.once('close', resolve));
  return { stream, done };
}

/** Polls until `check` holds (at most ~5 s): waits for a parallel upload to get where a test needs it. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await sleep(10);
}

/**
 * Asserts that the save is refused and that, once every upload it started
 * has ended (the streams are closed and the store had time to finish), the
 * files and documents are as before.
 */
async function leavesNothing(save: () => Promise<unknown>, streams: Promise<void>[]): Promise<void> {
  const before = await state();
  await assert.rejects(save(), (err: Error) => {
    const refusal =
      err.name === 'ValidationError'
        ? Object.values((err as Error & { errors: Record<string, Error> }).errors)[0]
        : err;
    assert.ok(refusal instanceof InvalidFileContent, `${err.name}: ${err.message}`);
    return true;
  });
  await Promise.all(streams);
  // An upload still in flight after the save failed writes its files document last: give it time to.
  await sleep(300);
  assert.deepEqual(await state(), before);
}

describe(`a failed save of parallel uploads stores no file, on ${server.name}`, () => {
  test('a subdocument refused while another one’s stream is still uploading', async () => {
    const refused = notAnImage();
    const big = slowImage(600_000, refused.done);
    await leavesNothing(
      () =>
        new Album({
          title: 'in flight',
          photos: [
            { image: { name: 'big.gif', content: big.stream } },
            { image: { name: 'bad.gif', content: refused.stream } },
          ],
        }).save(),
      [big.done, refused.done],
    );
  });

  test('a subdocument refused after another one’s stream was stored', async () => {
    const small = slowImage(20_000);
    const refused = notAnImage(until(() => storage.exists('photos/small.gif')));
    await leavesNothing(
      () =>
        new Album({
          title: 'stored first',
          photos: [
            { image: { name: 'small.gif', content: small.stream } },
            { image: { name: 'late.gif', content: refused.stream } },
          ],
        }).save(),
      [small.done, refused.done],
    );
  });

  test('Buffers stored without validation: an image refused while the others upload', async () => {
    await leavesNothing(
      () =>
        new Album({
          title: 'buffers',
          photos: [
            {
              note: Buffer.alloc(900_000, 1),
              image: { name: 'big.gif', content: Buffer.concat([gifHeader(8, 8), Buffer.alloc(900_000)]) },
            },
            { image: { name: 'wide.gif', content: gifHeader(100, 2) } },
          ],
        }).save({ validateBeforeSave: false }),
      [],
    );
  });

  test('top-level paths and subdocuments together: the document’s own image refused last', async () => {
    const note = slowImage(100_000);
    await leavesNothing(
      () =>
        new Album({
          title: 'top level',
          back: { name: 'back.txt', content: Buffer.from('the back cover') },
          cover: { name: 'cover.gif', content: notAnImage().stream },
          photos: [{ note: { name: 'n.gif', content: note.stream } }],
        }).save(),
      [note.done],
    );
  });

  test('the write fails (a duplicate key): the subdocuments’ files are deleted with the document’s', async () => {
    await new Album({ title: 'twin' }).save();
    const before = await state();
    const twin = new Album({
      title: 'twin',
      back: { name: 'twin.txt', content: Buffer.from('back') },
      photos: [{ note: { name: 't1.txt', content: Buffer.from('one') } }, { image: gifHeader(4, 4) }],
    });
    await assert.rejects(twin.save(), (err: Error & { code?: number }) => err.code === 11000);
    assert.deepEqual(await state(), before);
  });

  test('after a refusal, the same album with a good image saves every file', async () => {
    const album = new Album({
      title: 'retry',
      photos: [
        { note: { name: 'n1.txt', content: Buffer.from('one') } },
        { image: { name: 'r.gif', content: notAnImage().stream } },
      ],
    });
    await assert.rejects(album.save());
    album.photos[1]!.image = { name: 'r.gif', content: gifHeader(4, 4) } as never;
    const before = await storedCounts(storage);
    await album.save();
    assert.equal((await storedCounts(storage)).files, before.files + 2);
    const stored = await Album.collection.findOne({ title: 'retry' });
    assert.deepEqual(
      (stored?.['photos'] as { note?: string; image?: string }[]).map((p) => p.note ?? p.image),
      ['notes/n1.txt', 'photos/r.gif'],
    );
  });
});
