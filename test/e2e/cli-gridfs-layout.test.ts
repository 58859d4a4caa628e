// `djongoose gridfs-layout`, as a user runs it (a child process) and through
// run() and the API: files in directories move between the flat layout and
// djongo's bucket per directory with their bytes intact, a second run does
// nothing, a run stopped part-way is finished by the next, a name that is
// taken or that djongo's layout refuses stays where it was and is reported
// (exit 4), --dry-run writes nothing, and a terminal gets a progress bar.
import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import mongoose from 'mongoose';
import { moveGridFSLayout } from '../../cli/gridfs-layout.js';
import { run, type CliIo } from '../../cli/program.js';
import { GridFSStorage } from '../../storage/index.js';
import type { FilesDocument } from '../../storage/bucket.js';
import { ROOT } from '../harness/paths.js';
import { databaseName, server } from '../helpers/server.js';
import { patternHash, patternStream, sha256 } from '../helpers/storage-sources.js';
import { djongoose } from '../helpers/cli.js';

const NAME = databaseName(import.meta.url);
const conn = await mongoose
  .createConnection(server.uri, { dbName: NAME, serverSelectionTimeoutMS: 10_000 })
  .asPromise();
const db = conn.db!;
after(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

const cli = (args: readonly string[]) => djongoose([...args, '--uri', server.uri, '--db', NAME]);

const storage = (layout: 'flat' | 'djongo'): GridFSStorage =>
  new GridFSStorage({ collection: 'myfiles', connection: conn, layout });
const collections = async (): Promise<string[]> =>
  (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
/** Every files document, wherever it is: bucket, filename, _id. */
async function snapshot(): Promise<string[]> {
  const rows: string[] = [];
  for (const name of await collections()) {
    if (!name.endsWith('.files')) continue;
    for (const doc of await db.collection(name).find({}).toArray()) {
      rows.push(`${name.slice(0, -6)} ${String(doc['filename'])} ${String(doc['_id'])}`);
    }
  }
  return rows.sort();
}
const BIG = 700_000; // three chunks

async function seedFlat(): Promise<void> {
  const flat = storage('flat');
  await flat.save('top.txt', 'top');
  await flat.save('docs/report.txt', 'report');
  await flat.save('docs/2026/big.bin', patternStream(BIG));
}

beforeEach(async () => {
  await db.dropDatabase();
});

describe(`djongoose gridfs-layout on ${server.name}`, () => {
  test('flat → djongo → flat: bytes and ids intact, the second run does nothing, empty sub-buckets dropped', async () => {
    await seedFlat();
    const before = await snapshot();
    const into = await cli(['gridfs-layout', 'myfiles', '--to', 'djongo']);
    assert.equal(into.code, 0, into.stderr);
    assert.match(into.stdout, /Moved 2 files of "myfiles" into the djongo layout\./);
    const djongo = storage('djongo');
    assert.equal(await sha256(await djongo.open('docs/2026/big.bin')), await patternHash(BIG));
    assert.equal((await djongo.stat('docs/report.txt')).size, 6);
    assert.deepEqual(await djongo.listdir(''), { directories: ['docs'], files: ['top.txt'] });
    assert.equal(
      await new GridFSStorage({ collection: 'myfiles', connection: conn }).layout(),
      'djongo',
      "'auto' now reads djongo's",
    );
    const ids = (rows: string[]): string[] => rows.map((row) => row.split(' ')[2]!).sort();
    assert.deepEqual(ids(await snapshot()), ids(before), 'the same files, by _id');
    assert.equal(await db.collection('myfiles.chunks').countDocuments({}), 1, "only top.txt's chunk stays");

    const again = await cli(['gridfs-layout', 'myfiles', '--to', 'djongo', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), {
      collection: 'myfiles',
      to: 'djongo',
      dryRun: false,
      moved: 0,
      resumed: 0,
      skipped: [],
      droppedBuckets: [],
    });

    const back = await cli(['gridfs-layout', 'myfiles', '--to', 'flat', '--json']);
    assert.equal(back.code, 0, back.stderr);
    const report = JSON.parse(back.stdout) as { moved: number; droppedBuckets: string[] };
    assert.equal(report.moved, 2);
    assert.deepEqual(report.droppedBuckets.sort(), ['myfiles.docs', 'myfiles.docs.2026']);
    assert.deepEqual(await snapshot(), before, 'back where they were');
    assert.deepEqual(await collections(), ['myfiles.chunks', 'myfiles.files']);
    assert.equal(await sha256(await storage('flat').open('docs/2026/big.bin')), await patternHash(BIG));
  });

  test('--dry-run reports what would move and writes nothing', async () => {
    await seedFlat();
    const [before, names] = [await snapshot(), await collections()];
    const dry = await cli(['gridfs-layout', 'myfiles', '--to', 'djongo', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run: would move 2 files of "myfiles" into the djongo layout; nothing was written\./);
    assert.deepEqual([await snapshot(), await collections()], [before, names]);
  });

  test("names djongo's layout refuses and names already taken stay where they are: reported, exit 4", async () => {
    await seedFlat();
    const flat = storage('flat');
    await flat.save('v1.2/notes.txt', 'dotted directory');
    await storage('djongo').save('docs/report.txt', 'another file, same name');
    const result = await cli(['gridfs-layout', 'myfiles', '--to', 'djongo', '--json']);
    assert.equal(result.code, 4, result.stderr);
    const report = JSON.parse(result.stdout) as { moved: number; skipped: { name: string; reason: string }[] };
    assert.equal(report.moved, 1);
    assert.deepEqual(
      report.skipped.map((s) => s.name),
      ['docs/report.txt', 'v1.2/notes.txt'],
    );
    assert.match(report.skipped[0]!.reason, /already has the name "report\.txt" in the bucket "myfiles\.docs"/);
    assert.match(report.skipped[1]!.reason, /"\." separates buckets/);
    const { files } = await flat.bucket();
    assert.deepEqual((await files.find({}).toArray()).map((d) => d.filename).sort(), [
      'docs/report.txt',
      'top.txt',
      'v1.2/notes.txt',
    ]);
    assert.equal((await files.findOne({ filename: 'docs/report.txt' }))?.length, 6, 'the source is intact');
  });

  test('a run stopped part-way is finished by the next: partial copy, copy without the source removed', async () => {
    await seedFlat();
    const { files, chunks } = await storage('flat').bucket();
    const big = (await files.findOne({ filename: 'docs/2026/big.bin' })) as FilesDocument;
    const report = (await files.findOne({ filename: 'docs/report.txt' })) as FilesDocument;
    // Stopped while copying big.bin's chunks: one of three is in the target, no files document.
    const first = await chunks.findOne({ files_id: big._id, n: 0 });
    await db.collection('myfiles.docs.2026.chunks').insertOne(first!);
    // Stopped after copying report.txt, before removing its source (its chunks already gone).
    await db.collection('myfiles.docs.chunks').insertMany(await chunks.find({ files_id: report._id }).toArray());
    await db.collection('myfiles.docs.files').insertOne({ ...report, filename: 'report.txt' });
    await chunks.deleteMany({ files_id: report._id });

    const done = await moveGridFSLayout(conn, { collection: 'myfiles', to: 'djongo' });
    assert.deepEqual([done.moved, done.resumed, done.skipped], [1, 1, []]);
    const djongo = storage('djongo');
    assert.equal(await sha256(await djongo.open('docs/2026/big.bin')), await patternHash(BIG));
    assert.equal(await db.collection('myfiles.docs.2026.chunks').countDocuments({}), 3, 'no chunk twice');
    assert.equal(await files.countDocuments({}), 1, 'only top.txt is left in the top-level bucket');
    assert.equal(await chunks.countDocuments({}), 1);
  });

  test('a terminal gets a progress bar; a bad --to is a usage error (exit 2)', async () => {
    await seedFlat();
    const bar = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    bar.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const io: CliIo = {
      stdout: () => undefined,
      stderr: () => undefined,
      env: {},
      cwd: ROOT,
      isTTY: true,
      progressStream: bar,
    };
    assert.equal(await run(['gridfs-layout', 'myfiles', '--to', 'djongo', '--uri', server.uri, '--db', NAME], io), 0);
    assert.match(drawn, /myfiles \[.*\] \d+% \| 2\/2 documents/);
    const bad = await cli(['gridfs-layout', 'myfiles', '--to', 'nested']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Expected 'djongo' or 'flat'/);
  });
});
