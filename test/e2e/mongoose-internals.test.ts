// The adapter's private reads that only show on a real server: an
// aggregation cursor's transform, populate's clones, a model that skips
// creating its collection, and a GridFS read's chunk cursor. Each test uses
// the wrapper as djongoose does and checks Mongoose (or the driver) did what
// the wrapper counts on; the members' shapes are in
// test/unit/mongoose-internals.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import mongoose, { type Document } from 'mongoose';
import {
  addCursorTransform,
  documentValues,
  limitChunkBatches,
  skipAutoCreate,
} from '../../core/mongoose-internals.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });

describe(`addCursorTransform, on ${server.name}`, () => {
  const schema = new mongoose.Schema({ n: Number });
  schema.pre('aggregate', function markRows() {
    addCursorTransform(this, (row) => Object.assign(row as object, { marked: true }));
  });
  const Row = conn.model('Row', schema);

  test('marks every row of a cursor, however it is read', { timeout: 30_000 }, async () => {
    await ready(Row);
    await Row.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const pipeline = [{ $sort: { n: 1 as const } }];
    const iterated: unknown[] = [];
    for await (const row of Row.aggregate(pipeline).cursor()) iterated.push(row);
    const cursor = Row.aggregate(pipeline).cursor();
    const nexted = [await cursor.next(), await cursor.next(), await cursor.next()];
    await cursor.close();
    for (const rows of [iterated, nexted]) {
      assert.deepEqual(
        rows.map((r) => [(r as { n: number }).n, (r as { marked?: boolean }).marked]),
        [
          [1, true],
          [2, true],
          [3, true],
        ],
      );
    }
  });

  test(
    "runs before the caller's own transform, and leaves a non-cursor aggregation alone",
    { timeout: 30_000 },
    async () => {
      const theirs = (row: { marked?: boolean; n: number }) => ({ n: row.n, markedFirst: row.marked === true });
      // Read with next(): Mongoose's own for-await wrapping runs before any
      // transform given in cursor(), which then gets { value, done }.
      const cursor = Row.aggregate([{ $match: { n: 1 } }]).cursor({ transform: theirs });
      const rows = [await cursor.next(), await cursor.next()];
      assert.deepEqual(rows, [{ n: 1, markedFirst: true }, null]);
      const [plain] = await Row.aggregate<{ marked?: boolean }>([{ $match: { n: 1 } }]);
      assert.equal(plain?.marked, undefined);
    },
  );
});

describe(`documentValues and populate's clones, on ${server.name}`, () => {
  test(
    'Model.hydrate() is given the very values object of the populated document it clones',
    { timeout: 30_000 },
    async () => {
      const loaded = new WeakSet<object>();
      const hydrated: unknown[] = [];
      const authorSchema = new mongoose.Schema({ name: String });
      authorSchema.pre('init', function noteValues(this: Document) {
        const own = documentValues(this);
        if (own) loaded.add(own);
      });
      authorSchema.static('hydrate', function hydrateNoted(this: unknown, obj: unknown, ...rest: unknown[]) {
        hydrated.push(obj);
        return (mongoose.Model.hydrate as (...args: unknown[]) => Document).call(this, obj, ...rest);
      });
      const Author = await ready(conn.model('Author', authorSchema));
      const Post = await ready(
        conn.model('Post', new mongoose.Schema({ title: String, author: { type: 'ObjectId', ref: 'Author' } })),
      );
      const author = await Author.create({ name: 'Ann' });
      await Post.create({ title: 'one', author: author._id });
      const [post] = await Post.find().populate({ path: 'author', options: { clone: true } });
      assert.equal((post?.author as unknown as { name?: string }).name, 'Ann');
      assert.equal(hydrated.length, 1, 'populate with clone: true hydrates a copy');
      assert.ok(loaded.has(hydrated[0] as object), 'the copy is made from the loaded document’s own values');
    },
  );
});

describe(`skipAutoCreate, on ${server.name}`, () => {
  test('a model whose init skips it creates no collection', { timeout: 30_000 }, async () => {
    const schema = new mongoose.Schema({ name: String });
    schema.static('init', function initSkipped(this: unknown) {
      skipAutoCreate(this as mongoose.Model<never>);
      return (mongoose.Model.init as (this: unknown) => Promise<void>).call(this);
    });
    const Skipped = conn.model('Skipped', schema, 'skipped');
    const Created = conn.model('Created', new mongoose.Schema({ name: String }), 'created');
    await Promise.all([Skipped.init(), Created.init()]);
    const names = (await conn.db!.listCollections().toArray()).map((c) => c.name);
    assert.ok(names.includes('created'), 'the control model created its collection');
    assert.ok(!names.includes('skipped'), `no collection for the skipping model: ${names.join(', ')}`);
  });
});

describe(`limitChunkBatches, on ${server.name}`, () => {
  test(
    "sets the batch size of a GridFS read's chunk cursor, and the bytes still arrive whole",
    { timeout: 30_000 },
    async () => {
      const bucket = new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: 'internals', chunkSizeBytes: 1024 });
      const bytes = Buffer.alloc(40 * 1024, 7);
      const upload = bucket.openUploadStream('forty.bin');
      await new Promise((resolve, reject) =>
        Readable.from([bytes]).pipe(upload).on('finish', resolve).on('error', reject),
      );
      const read = async (limit: boolean): Promise<Buffer> => {
        const stream = bucket.openDownloadStream(upload.id);
        if (limit) stream.once('file', () => limitChunkBatches(stream, 16));
        const parts: Buffer[] = [];
        for await (const part of stream) parts.push(part as Buffer);
        return Buffer.concat(parts);
      };
      const chunkFinds = (sent: { name: string; command: mongoose.mongo.Document }[]) =>
        sent.filter((c) => c.name === 'find' && c.command['find'] === 'internals.chunks');
      let whole: Buffer = Buffer.alloc(0);
      const limited = chunkFinds(await commandsDuring(conn, async () => (whole = await read(true))));
      assert.ok(whole.equals(bytes));
      assert.equal(limited.length, 1);
      assert.equal(limited[0]!.command['batchSize'], 16);
      const unlimited = chunkFinds(await commandsDuring(conn, () => read(false)));
      assert.equal(unlimited[0]?.command['batchSize'], undefined, 'the driver sets none of its own');
    },
  );
});
