// selectRelated as Django's JOIN: where the server has $lookup, the books
// and their authors come in ONE aggregate (counted from the driver's command
// monitoring); where it lacks it (FerretDB v1), the first read is refused
// once and populate reads them from then on. Either way the documents are
// those Mongoose's own populate gives: each is compared with a populate()
// of the same books, not with hard-coded values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type Document } from 'mongoose';
import { Count, manager, refreshFromDb, type Managed } from '../../index.js';
import { lacks, openTestDatabase, server } from '../helpers/server.js';
import { commandsDuring, type SentCommand } from '../helpers/commands.js';
import { relationModels, seedRelations } from '../helpers/relation-models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const models = relationModels(conn, 'Sj');
const { Book, Author, Publisher, Tag } = models;
const seeded = await seedRelations(models);
// A book whose author was deleted, and an author whose publisher was: populate reads both as null.
const gone = await Author.create({ name: 'Gone', publisher: new mongoose.Types.ObjectId() });
await Book.create({ title: 'F', author: new mongoose.Types.ObjectId(), review: { by: gone._id, text: 'z' } });
await Book.create({ title: 'G', author: gone._id });

const hasLookup = lacks('lookup') === false;
const collection = (m: { collection: { collectionName: string } }) => m.collection.collectionName;

/** Each command: a find's collection, or an aggregate's joined collections. */
const shape = (sent: readonly SentCommand[]) =>
  sent.map((c) =>
    c.name === 'find'
      ? `find ${String(c.command['find'])}`
      : c.name === 'aggregate'
        ? `aggregate ${String(c.command['aggregate'])} ⋈ ${(
            c.command['pipeline'] as Record<string, { from?: string }>[]
          )
            .flatMap((s) => s.$lookup?.from ?? [])
            .join(',')}`
        : c.name,
  );

/** What a document is, populated paths included: its values, and which paths hold a populated id. */
function snapshot(doc: unknown, paths: readonly string[]): unknown {
  const d = doc as Document;
  return {
    values: JSON.parse(JSON.stringify(d.toObject({ virtuals: false }))) as unknown,
    populated: paths.map((p) => String(d.populated(p) ?? '-')),
    modified: d.modifiedPaths(),
    isNew: d.isNew,
  };
}

describe(`selectRelated joined ($lookup) on ${server.name}`, () => {
  // First in the file: on a server without $lookup the refusal is remembered per client.
  test('one aggregate where the server has $lookup; else one refused aggregate, then populate', async () => {
    const read = () => Book.objects.selectRelated('author').filter({ title__in: ['A', 'B'] });
    const first = await commandsDuring(conn, read);
    const again = await commandsDuring(conn, read);
    const populated = [`find ${collection(Book)}`, `find ${collection(Author)}`];
    if (hasLookup) {
      assert.deepEqual(shape(first), [`aggregate ${collection(Book)} ⋈ ${collection(Author)}`]);
      assert.deepEqual(shape(again), shape(first));
    } else {
      assert.deepEqual(shape(first), [`aggregate ${collection(Book)} ⋈ ${collection(Author)}`, ...populated]);
      assert.deepEqual(shape(again), populated);
    }
  });

  test('the documents are those populate gives: found, missing (null) and no reference', async () => {
    let books: unknown[] = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects.selectRelated('author').orderBy('title');
    });
    assert.equal(sent.length, hasLookup ? 1 : 2);
    const oracle = await Book.find().sort({ title: 1 }).populate({ path: 'author', model: Author });
    assert.deepEqual(
      books.map((b) => snapshot(b, ['author'])),
      oracle.map((b) => snapshot(b, ['author'])),
    );
    const [a] = books as Document[];
    assert.ok(a?.get('author') instanceof Author);
    assert.equal((a?.get('author') as Document).isNew, false);
  });

  test('author__publisher and review__by: nested and dotted references, one aggregate', async () => {
    let books: unknown[] = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects.selectRelated('author__publisher', 'review__by').orderBy('title');
    });
    const finds = [Book, Author, Author, Publisher].map((m) => `find ${collection(m)}`);
    assert.deepEqual(
      hasLookup ? shape(sent) : shape(sent).sort(),
      hasLookup
        ? [`aggregate ${collection(Book)} ⋈ ${collection(Author)},${collection(Publisher)},${collection(Author)}`]
        : finds.sort(),
    );
    const oracle = await Book.find()
      .sort({ title: 1 })
      .populate([
        { path: 'author', model: Author, populate: [{ path: 'publisher', model: Publisher }] },
        { path: 'review.by', model: Author },
      ]);
    assert.deepEqual(
      books.map((b) => snapshot(b, ['author', 'review.by'])),
      oracle.map((b) => snapshot(b, ['author', 'review.by'])),
    );
    const authors = (books as Document[]).map((b) => b.get('author') as Document | null);
    const oracleAuthors = oracle.map((b) => b.get('author') as Document | null);
    assert.deepEqual(
      authors.map((a) => String(a?.populated('publisher') ?? '-')),
      oracleAuthors.map((a) => String(a?.populated('publisher') ?? '-')),
    );
  });

  test('lean(), only() and defer() give what populate gives', async () => {
    let lean: unknown[] = [];
    const read = await commandsDuring(conn, async () => {
      lean = await Book.objects.selectRelated('author__publisher').lean().orderBy('title');
    });
    assert.equal(read.length, hasLookup ? 1 : 3);
    const leanOracle = await Book.find()
      .sort({ title: 1 })
      .populate({ path: 'author', model: Author, populate: [{ path: 'publisher', model: Publisher }] })
      .lean();
    assert.deepEqual(JSON.parse(JSON.stringify(lean)), JSON.parse(JSON.stringify(leanOracle)));

    const only = await Book.objects.selectRelated('author').only('title', 'author').orderBy('title');
    const onlyOracle = await Book.find({}, { title: 1, author: 1 })
      .sort({ title: 1 })
      .populate({ path: 'author', model: Author });
    assert.deepEqual(
      only.map((b) => snapshot(b, ['author'])),
      onlyOracle.map((b) => snapshot(b, ['author'])),
    );
    // The reference is deferred: nothing to join, nothing to populate, as populate leaves it.
    const sent = await commandsDuring(conn, async () => {
      const deferred = await Book.objects.selectRelated('author').defer('author').filter({ title: 'A' });
      assert.equal(deferred[0]?.author, undefined);
    });
    assert.deepEqual(shape(sent), [`find ${collection(Book)}`]);
  });

  test('with prefetchRelated: the join, then one find() of the tags', async () => {
    let books: unknown[] = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects.selectRelated('author').prefetchRelated('tags').orderBy('title');
    });
    assert.deepEqual(
      shape(sent),
      hasLookup
        ? [`aggregate ${collection(Book)} ⋈ ${collection(Author)}`, `find ${collection(Tag)}`]
        : [`find ${collection(Book)}`, `find ${collection(Author)}`, `find ${collection(Tag)}`],
    );
    const oracle = await Book.find()
      .sort({ title: 1 })
      .populate([
        { path: 'author', model: Author },
        { path: 'tags', model: Tag },
      ]);
    assert.deepEqual(
      books.map((b) => snapshot(b, ['author', 'tags'])),
      oracle.map((b) => snapshot(b, ['author', 'tags'])),
    );
  });

  test('get(), the cursor and refreshFromDb(fromQueryset) read in one command', async () => {
    const one = hasLookup ? 1 : 2;
    let sent = await commandsDuring(conn, async () => {
      const a = await Book.objects.selectRelated('author').get({ title: 'A' });
      assert.equal((a.author as unknown as { name?: string }).name, 'Beatrix');
    });
    assert.equal(sent.length, one);

    const names: string[] = [];
    sent = await commandsDuring(conn, async () => {
      for await (const b of Book.objects.selectRelated('author').orderBy('title').iterator({ chunkSize: 2 })) {
        names.push((b.author as unknown as { name?: string } | null)?.name ?? '-');
      }
    });
    assert.deepEqual(names, ['Beatrix', 'Ben', 'Carl', 'Beatrix', '-', '-', 'Gone']);
    if (hasLookup) assert.deepEqual(shape(sent).slice(0, 1), [`aggregate ${collection(Book)} ⋈ ${collection(Author)}`]);
    assert.ok(!shape(sent).includes(`find ${collection(Author)}`) || !hasLookup);

    const book = await Book.objects.get({ title: 'B' });
    sent = await commandsDuring(conn, () =>
      refreshFromDb(book, { fromQueryset: Book.objects.selectRelated('author') }),
    );
    assert.equal(sent.length, one);
    assert.equal((book.author as unknown as { name?: string }).name, 'Ben');
    assert.equal(String(book.populated('author')), String(seeded.ben._id));
    assert.deepEqual(book.modifiedPaths(), []);
  });

  test('the filter is compiled once: a generator given to __in is read once', async () => {
    function* titles() {
      yield 'A';
      yield 'B';
    }
    const books = await Book.objects
      .selectRelated('author')
      .filter({ title__in: titles() as never })
      .orderBy('title');
    assert.deepEqual(
      books.map((b) => [b.title, (b.author as unknown as { name?: string }).name]),
      [
        ['A', 'Beatrix'],
        ['B', 'Ben'],
      ],
    );
  });

  test('fields hidden by the schema (select: false) stay hidden, as find() and populate hide them', async () => {
    const { ObjectId } = mongoose.Schema.Types;
    const userSchema = new mongoose.Schema({ name: String, password: { type: String, select: false } });
    const postSchema = new mongoose.Schema({
      title: String,
      secret: { type: String, select: false },
      user: { type: ObjectId, ref: 'SjUser' },
    });
    userSchema.plugin(manager);
    postSchema.plugin(manager);
    const User = conn.model('SjUser', userSchema) as unknown as Managed<{ name?: string; password?: string }>;
    const Post = conn.model('SjPost', postSchema) as unknown as Managed<{ title?: string; secret?: string }>;
    const ann = await User.objects.create({ name: 'ann', password: 'hunter2' });
    await Post.objects.create({ title: 'p', secret: 's', user: ann._id } as never);
    const rows = await commandsDuring(conn, async () => {
      const [post] = await Post.objects.selectRelated('user' as never);
      const oracle = await Post.find().populate({ path: 'user', model: User });
      assert.deepEqual(snapshot(post, ['user']), snapshot(oracle[0], ['user']));
      assert.equal((post?.get('user') as Document).get('password'), undefined);
      assert.equal(post?.get('secret'), undefined);
      assert.equal((post?.get('user') as Document).isSelected('password'), false);
      const [named] = await Post.objects.selectRelated('user' as never).only('title', 'secret', 'user' as never);
      assert.equal(named?.get('secret'), 's');
    });
    assert.equal(rows.filter((c) => c.name === 'aggregate').length, hasLookup ? 2 : 0);
  });

  test('a joined document saves as its id', async () => {
    let book = await Book.objects.get({ title: 'D' });
    const read = await commandsDuring(conn, async () => {
      book = await Book.objects.selectRelated('author').get({ title: 'D' });
    });
    assert.deepEqual(shape(read).slice(0, 1), [
      hasLookup ? `aggregate ${collection(Book)} ⋈ ${collection(Author)}` : `find ${collection(Book)}`,
    ]);
    book.rating = 9;
    await book.save();
    const stored = await Book.collection.findOne({ _id: book._id });
    assert.equal(String(stored?.['author']), String(seeded.beatrix._id));
    assert.equal(stored?.['rating'], 9);
    await Book.objects.filter({ title: 'D' }).update({ rating: 1 });
  });

  test('with annotations: the join after the pipeline', { skip: lacks('arrayExpressions') }, async () => {
    let books: { title?: string; n?: number; author?: unknown }[] = [];
    const sent = await commandsDuring(conn, async () => {
      books = await Book.objects
        .filter({ title__in: ['A', 'B'] })
        .annotate({ n: Count('tags') })
        .selectRelated('author')
        .orderBy('title');
    });
    assert.equal(sent.length, hasLookup ? 1 : 2);
    assert.deepEqual(
      books.map((b) => [b.title, b.n, (b.author as { name?: string }).name]),
      [
        ['A', 2, 'Beatrix'],
        ['B', 1, 'Ben'],
      ],
    );
  });
});
