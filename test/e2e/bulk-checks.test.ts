// What bulkCreate and iterator() refuse, and whose manager a discriminator
// gets: bugs found by MongoEngine's own cases (test/peer/mongoengine), checked
// here against a real server, with nothing written by a refused call.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DjongoManager, ValidationError, manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

const conn = await openTestDatabase(import.meta.url);

interface PostRaw {
  title?: string;
  active?: boolean;
}

let models = 0;
/** A fresh model with the manager plugin, under a name of its own. */
async function model(name: string, schema = new mongoose.Schema<PostRaw>({ title: String })) {
  schema.plugin(manager);
  return ready(conn.model<PostRaw, Managed<PostRaw>>(`${name}${(models += 1)}`, schema));
}

describe(`bulkCreate refusals on ${server.name}`, () => {
  test('a string, a lone object or null is no list: a ValidationError naming what is accepted', async () => {
    const Post = await model('Post');
    for (const [input, shown] of [
      ['HELLO WORLD', 'the string "HELLO WORLD"'],
      [{ title: 'a' }, 'an object'],
      [null, 'null'],
    ] as const) {
      await assert.rejects(Post.objects.bulkCreate(input as never), (err: Error) => {
        assert.ok(err instanceof ValidationError);
        assert.equal(
          err.message,
          `${Post.modelName}.objects.bulkCreate takes a list of plain objects (field → value) or documents of ` +
            `${Post.modelName}, not ${shown}.`,
        );
        return true;
      });
    }
    assert.equal(await Post.countDocuments(), 0);
  });

  test("a document of another model is refused and nothing is written, not even the batch's good items", async () => {
    const Blog = await model('Blog');
    const Author = await model('Author');
    await assert.rejects(Blog.objects.bulkCreate([{ title: 'fine' }, new Author({ title: 'stray' })]), (err: Error) => {
      assert.ok(err instanceof ValidationError);
      assert.match(err.message, new RegExp(`item 1 is a document of ${Author.modelName}\\.$`));
      assert.match(err.message, /plain objects \(field → value\) or documents of/);
      return true;
    });
    assert.equal(await Blog.countDocuments(), 0);
    assert.equal(await Author.countDocuments(), 0);
  });

  test('an embedded document is refused: it belongs to its parent', async () => {
    const withPosts = new mongoose.Schema({ title: String, posts: [{ title: String }] });
    const Blog = await model('Blog', withPosts as unknown as mongoose.Schema<PostRaw>);
    const blog = new Blog({ posts: [{ title: 'inner' }] } as PostRaw);
    const inner = (blog as unknown as { posts: mongoose.Types.DocumentArray<PostRaw> }).posts[0]!;
    await assert.rejects(Blog.objects.bulkCreate([inner as never]), /item 0 is an embedded document\.$/);
    assert.equal(await Blog.countDocuments(), 0);
  });

  test('documents of the model, of its discriminators and of its copy on another database are inserted', async () => {
    const Blog = await model('Blog');
    const Special = Blog.discriminator(`Special${models}`, new mongoose.Schema({ note: String }));
    const Other = conn.useDb(`${conn.name}_copy`, { useCache: true }).model<PostRaw>(Blog.modelName, Blog.schema);
    const made = await Blog.objects.bulkCreate([
      new Blog({ title: 'own' }),
      new Special({ title: 'child', note: 'n' }),
      new Other({ title: 'copy' }),
    ]);
    assert.equal(made.length, 3);
    assert.deepEqual(
      (await Blog.find().sort({ title: 1 })).map((d) => d.title),
      ['child', 'copy', 'own'],
    );
    assert.equal(await Special.countDocuments(), 1);
  });
});

describe(`iterator() chunkSize on ${server.name}`, () => {
  test('0, negatives, fractions and non-numbers are refused when iterator() is called', async () => {
    const Post = await model('Post');
    await Post.create({ title: 'a' });
    for (const [chunkSize, shown] of [
      [0, '0'],
      [-1, '-1'],
      [2.5, '2.5'],
      [Number.NaN, 'NaN'],
      ['10', 'the string "10"'],
    ] as const) {
      assert.throws(
        () => Post.objects.all().iterator({ chunkSize: chunkSize as number }),
        (err: Error) => {
          assert.ok(err instanceof ValidationError);
          assert.equal(
            err.message,
            `${Post.modelName}: iterator() chunkSize must be strictly positive: a whole number of at least 1, not ${shown}.`,
          );
          return true;
        },
      );
    }
    const titles: unknown[] = [];
    for await (const post of Post.objects.all().iterator({ chunkSize: 1 })) titles.push(post.title);
    assert.deepEqual(titles, ['a']);
  });
});

class ActiveOnly extends DjongoManager<PostRaw> {
  override getQueryset() {
    return super.getQueryset().filter({ active: true });
  }
}

class InactiveOnly extends DjongoManager<PostRaw> {
  override getQueryset() {
    return super.getQueryset().filter({ active: false });
  }
}

describe(`a discriminator's managers on ${server.name}`, () => {
  test("its own schema's manager wins over the base's under the same name, the base's otherwise", async () => {
    const base = new mongoose.Schema<PostRaw>({ active: Boolean });
    base.plugin(manager, { manager: ActiveOnly });
    const Foo = await ready(conn.model<PostRaw, Managed<PostRaw, 'objects', ActiveOnly>>(`Foo${(models += 1)}`, base));
    const child = new mongoose.Schema({});
    child.plugin(manager, { manager: InactiveOnly });
    const Bar = Foo.discriminator(`Bar${models}`, child) as unknown as Managed<PostRaw, 'objects', InactiveOnly>;
    const Baz = Foo.discriminator(`Baz${models}`, new mongoose.Schema({})) as unknown as Managed<
      PostRaw,
      'objects',
      ActiveOnly
    >;
    assert.ok(Bar.objects instanceof InactiveOnly);
    assert.ok(Baz.objects instanceof ActiveOnly);
    await Bar.create([{ active: false }, { active: true }]);
    await Baz.create({ active: true });
    assert.equal(await Bar.objects.count(), 1);
    assert.equal(await Baz.objects.count(), 1);
    assert.equal(await Foo.objects.count(), 2);
  });
});
