// djongo 1.3.7 itself and djongoose on one database, both ways, on the
// server of this run: djongo's manage.py and ORM run from the interop
// project (djproject/) in its own Python; djongoose runs here. Each side
// reads what the other wrote and writes after it, ids continuing one
// `__schema__` counter.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { references } from '../../index.js';
import { existingFile, fieldFile } from '../../storage/index.js';
import { migrate } from '../../cli/api.js';
import { lacks, openTestDatabase } from '../helpers/server.js';
import { manage, step } from './djongo.js';
import { blogModels, blogStorage } from './models.js';

interface Dump {
  entries: { id: number; headline: string; pub_date: string; n_comments: number; rating: number }[];
  authors: { id: number; name: string }[];
  posts: { id: number; headline: string; comments: unknown[]; data: unknown; authors: number[] }[];
  beatles: number[];
}
interface Relations {
  authors: Record<string, string[]>;
  johns_posts: number[];
}

/** manage.py migrate's output once both of the project's migrations applied. */
const MIGRATED = /Applying blog\.0001_initial\.\.\.[^]* OK\n {2}Applying blog\.0002_attachment\.\.\.[^]* OK\n$/;
const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const pick = <T>(rows: readonly T[], key: keyof T): unknown[] => rows.map((row) => row[key]);

// Mongoose's autoCreate would make the collections before djongo's migrate,
// which then skips their `__schema__` entries: migrate makes them here.
const noAutoCreate = { autoCreate: false, autoIndex: false };
const djongoFirst = await openTestDatabase(import.meta.url, noAutoCreate);
const djongooseFirst = await openTestDatabase(import.meta.url, noAutoCreate);
const djongoOnly = await openTestDatabase(import.meta.url, noAutoCreate);

describe('djongo migrates and writes first', () => {
  const db = djongoFirst.name;
  const { Entry, Author, Post } = blogModels(djongoFirst);

  test('djongo migrates and saves the seed', async () => {
    assert.match(await manage(db, 'migrate'), MIGRATED);
    assert.deepEqual(await step(db, 'seed'), { entries: [1, 2, 3], authors: [1, 2], post: 1 });
  });

  test("djongoose reads djongo's rows: embedded, array, JSON and reference fields", async () => {
    assert.deepEqual(await Entry.objects.orderBy('id').valuesList('id', { flat: true }), [1, 3]);
    assert.deepEqual(
      await Entry.objects.filter({ blog__name: 'Beatles Blog' }).valuesList('headline', { flat: true }),
      ['Hey Jude'],
    );
    const jude = await Entry.objects.get({ pk: 1 });
    assert.deepEqual(
      [jude.pub_date, jude.n_comments, jude.rating, jude.blog?.tagline],
      [day('1968-08-26'), 2, 5, 'All the latest Beatles news.'],
    );
    const post = await Post.objects.get({ comments__author: 'ann', data__chart__uk: 1 });
    assert.deepEqual([post.id, [...(post.authors_id ?? [])]], [1, [1, 2]]);
    assert.deepEqual(
      await references(post, 'authors_id', Author).all().orderBy('id').valuesList('name', { flat: true }),
      ['John', 'Paul'],
    );
  });

  test("djongoose writes, updates and deletes; its ids continue djongo's counter", async () => {
    const revolution = await Entry.objects.create({
      blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' },
      headline: 'Revolution',
      body_text: 'You say you want',
      pub_date: day('1968-08-26'),
      n_comments: 0,
      rating: 4,
    });
    const george = await Author.objects.create({ name: 'George' });
    const something = await Post.objects.create({
      headline: 'Something',
      comments: [{ author: 'bob', text: 'In the way she moves' }],
      data: { chart: { us: 3 } },
      authors_id: [george.id],
    });
    assert.deepEqual([revolution.id, george.id, something.id], [4, 3, 2]);
    await references(await Post.objects.get({ pk: 1 }), 'authors_id', Author).add(george);
    assert.equal(await Entry.objects.filter({ pk: 1 }).update({ rating: 1 }), 1);
    assert.equal(await Entry.objects.filter({ headline: 'Paint It Black' }).delete(), 1);
  });

  test('djongo reads back what djongoose wrote, updated and deleted', async () => {
    const dump = await step<Dump>(db, 'dump');
    assert.deepEqual(pick(dump.entries, 'id'), [1, 4]);
    assert.deepEqual(
      dump.entries.map((e) => [e.headline, e.pub_date, e.n_comments, e.rating]),
      [
        ['Hey Jude', '1968-08-26', 2, 1],
        ['Revolution', '1968-08-26', 0, 4],
      ],
    );
    assert.deepEqual(dump.authors, [
      { id: 1, name: 'John' },
      { id: 2, name: 'Paul' },
      { id: 3, name: 'George' },
    ]);
    assert.deepEqual(dump.posts, [
      {
        id: 1,
        headline: 'Let It Be',
        comments: [{ author: 'ann', text: 'Whisper words' }],
        data: { chart: { uk: 1 } },
        authors: [1, 2, 3],
      },
      {
        id: 2,
        headline: 'Something',
        comments: [{ author: 'bob', text: 'In the way she moves' }],
        data: { chart: { us: 3 } },
        authors: [3],
      },
    ]);
    assert.deepEqual(dump.beatles, [1, 4]);
  });

  test("djongo's joins over djongoose's references", { skip: lacks('lookup') }, async () => {
    assert.deepEqual(await step<Relations>(db, 'relations'), {
      authors: { 1: ['George', 'John', 'Paul'], 2: ['George'] },
      johns_posts: [1],
    });
  });

  test("Django's exists() over djongoose's rows", { skip: lacks('literal') }, async () => {
    assert.equal(await step(db, 'exists', 'Revolution'), true);
    assert.equal(await step(db, 'exists', 'Paint It Black'), false);
  });

  test('djongo writes after djongoose with no id collision, and djongoose after djongo again', async () => {
    assert.deepEqual(await step(db, 'write'), { entry: 5, author: 4, post: 3, saved: 4 });
    assert.deepEqual(await Entry.objects.orderBy('id').valuesList('id', 'rating'), [
      [1, 1],
      [4, 5],
      [5, 2],
    ]);
    assert.deepEqual([...((await Post.objects.get({ pk: 3 })).authors_id ?? [])], [4]);
    assert.equal((await Entry.objects.create({ headline: 'Get Back' })).id, 6);
  });
});

describe("files in djongo's GridFSStorage, at its top level", () => {
  const db = djongoFirst.name;
  const { Attachment } = blogModels(djongoFirst);

  // A 2×1 GIF, as steps.py saves it.
  const gif = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');

  test("djongoose opens the files of djongo's FileField and ImageField, and saves its own", async () => {
    assert.deepEqual(await step(db, 'save_files'), { id: 1, document: 'report.txt', image: 'dot.gif' });
    const fromDjango = await Attachment.objects.get({ pk: 1 });
    assert.equal(await text(await fieldFile(fromDjango, 'document').open()), 'djongo wrote this');
    assert.deepEqual(await fieldFile(fromDjango, 'image').size(), gif.length);
    const fromNode = new Attachment({
      title: 'From Node',
      document: { name: 'node.txt', content: Buffer.from('djongoose wrote this') },
      image: { name: 'node.gif', content: gif },
    } as never);
    await fromNode.save();
    assert.equal(fromNode.id, 2);
  });

  test('djongo opens the files djongoose saved', async () => {
    assert.deepEqual(await step(db, 'read_files'), [
      { id: 1, title: 'From Django', document: ['report.txt', 'djongo wrote this'], image: ['dot.gif', 2, 1] },
      { id: 2, title: 'From Node', document: ['node.txt', 'djongoose wrote this'], image: ['node.gif', 2, 1] },
    ]);
  });
});

describe("files in djongo's GridFSStorage, in subdirectories (a bucket per directory)", () => {
  const db = djongoFirst.name;
  // The interop models' storage: GridFSStorage({ collection: 'myfiles' }), the layout left to 'auto'.
  const { Attachment } = blogModels(djongoFirst);
  const storage = blogStorage(djongoFirst);
  const gif = Buffer.from('R0lGODlhAgABAIAAAP///wAAACwAAAAAAgABAAACAoRRADs=', 'base64');

  test("djongo saves docs/report.txt (as report.txt in the bucket myfiles.docs); djongoose's default layout opens it", async () => {
    assert.deepEqual(await step(db, 'save_dir_files'), { id: 3, document: 'docs/report.txt', image: 'img/dot.gif' });
    const raw = await djongoFirst.db!.collection('myfiles.docs.files').findOne({ filename: 'report.txt' });
    assert.ok(raw, "djongo's own layout: the directory is the bucket suffix");
    assert.equal(await storage.layout(), 'djongo', "'auto' over a database Django migrated");
    const fromDjango = await Attachment.objects.get({ pk: 3 });
    assert.equal(await text(await fieldFile(fromDjango, 'document').open()), 'djongo wrote this in docs');
    assert.equal(await fieldFile(fromDjango, 'image').size(), gif.length);
    const stat = await storage.stat('docs/report.txt');
    assert.deepEqual([stat.name, stat.size, stat.contentType], ['docs/report.txt', 25, 'text/plain']);
    assert.equal(fieldFile(fromDjango, 'document').url, '/media/docs/report.txt');
  });

  test('djongoose saves docs/node_report.txt; djongo opens it, and reads the attachment naming it', async () => {
    const document = await storage.save('docs/node_report.txt', 'djongoose wrote this in docs');
    const image = await storage.save('img/node.gif', gif);
    assert.deepEqual([document, image], ['docs/node_report.txt', 'img/node.gif']);
    const fromNode = await new Attachment({
      title: 'From Node, in directories',
      document: existingFile(document),
      image: existingFile(image),
    } as never).save();
    assert.equal(fromNode.id, 4);
    assert.deepEqual(await step(db, 'open_file', 'docs/node_report.txt'), {
      size: 28,
      text: 'djongoose wrote this in docs',
    });
    const read = await step<{ id: number; document: [string, string]; image: [string, number, number] }[]>(
      db,
      'read_files',
    );
    assert.deepEqual(
      read.filter((a) => a.id > 2).map((a) => [a.document, a.image]),
      [
        [
          ['docs/report.txt', 'djongo wrote this in docs'],
          ['img/dot.gif', 2, 1],
        ],
        [
          ['docs/node_report.txt', 'djongoose wrote this in docs'],
          ['img/node.gif', 2, 1],
        ],
      ],
    );
  });

  test("listdir matches the listing djongo's listdir means (djongo's own raises AttributeError)", async () => {
    const root = await step<{ error: string | null; directories: string[]; files: string[] }>(db, 'listdir', '');
    // Evidence that djongo 1.3.7's listdir cannot run: see steps.py listdir().
    assert.equal(root.error, 'AttributeError');
    assert.deepEqual(root.directories, ['docs', 'img']);
    assert.deepEqual(await storage.listdir(''), { directories: root.directories, files: root.files });
    const docs = await step<{ directories: string[]; files: string[] }>(db, 'listdir', 'docs/');
    assert.deepEqual(docs.files, ['node_report.txt', 'report.txt']);
    assert.deepEqual(await storage.listdir('docs'), { directories: docs.directories, files: docs.files });
  });
});

describe('djongoose migrates first', () => {
  const [ours, theirs] = [djongooseFirst, djongoOnly];
  const models = blogModels(ours);
  const schemaOf = async (conn: typeof ours): Promise<unknown[]> =>
    conn
      .db!.collection('__schema__')
      .find({ name: /^blog_/ }, { projection: { _id: 0 } })
      .sort({ name: 1 })
      .toArray();

  test("djongoose migrate writes the __schema__ entries djongo's migrate writes", async () => {
    await migrate(ours, Object.values(models));
    await manage(theirs.name, 'migrate');
    const [mine, djongos] = [await schemaOf(ours), await schemaOf(theirs)];
    assert.equal(djongos.length, 4);
    assert.deepEqual(mine, djongos);
    // The columns' order too: inspectdb prints them in it.
    const columns = (entries: unknown[]): string[][] =>
      entries.map((entry) => Object.keys((entry as { fields: object }).fields));
    assert.deepEqual(columns(mine), columns(djongos));
  });

  test('djongo migrates, writes and inspects a database djongoose set up', async () => {
    assert.match(await manage(ours.name, 'migrate'), MIGRATED);
    assert.deepEqual(await step(ours.name, 'seed'), { entries: [1, 2, 3], authors: [1, 2], post: 1 });
    assert.deepEqual(await models.Entry.objects.orderBy('id').valuesList('id', { flat: true }), [1, 3]);
    assert.equal((await models.Author.objects.create({ name: 'Ringo' })).id, 3);
    const inspected = await manage(ours.name, 'inspectdb');
    assert.match(inspected, /class BlogPost\(models\.Model\):/);
    assert.equal(inspected, await manage(theirs.name, 'inspectdb'));
  });
});
