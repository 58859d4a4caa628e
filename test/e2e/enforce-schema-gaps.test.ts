// ENFORCE_SCHEMA at two edges of the read paths, against a real server: a
// null the user assigns to a field lax mode filled is saved (and a null
// nobody assigned still is not), and Model.hydrate() enforces the mode as a
// query does: strict raises MigrationError, lax fills nulls.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { MigrationError } from '../../core/errors.js';
import { enforceSchema } from '../../plugins/enforce-schema/index.js';
import { manager, type Managed } from '../../plugins/manager-plugin.js';
import { F } from '../../manager/q.js';
import { server } from '../helpers/server.js';
import { schemaModeConnections, type BlogRaw } from '../helpers/schema-modes.js';
import { commandsDuring } from '../helpers/commands.js';

const { lax, strict, raw } = await schemaModeConnections(import.meta.url);

function blogSchema(collection: string) {
  const schema = new mongoose.Schema<BlogRaw>({ name: String, tagline: String, description: String }, { collection });
  schema.plugin(manager);
  schema.plugin(enforceSchema);
  return schema;
}

/** Stores a Blog document as it was saved before the model had description. */
async function oldBlog(collection: string, name: string): Promise<void> {
  await raw(collection).insertOne({ name, tagline: 'All the latest Beatles news.' });
}

async function stored(collection: string, name: string): Promise<Record<string, unknown>> {
  const doc = await raw(collection).findOne({ name });
  assert.ok(doc, `${name} is stored`);
  return doc;
}

describe(`enforceSchema, lax: an explicit null on a filled field, on ${server.name}`, () => {
  const Blog = lax.model<BlogRaw, Managed<BlogRaw>>('AssignBlog', blogSchema('assign_blog'));

  test('assigning null to the filled field saves it, with no markModified', async () => {
    await oldBlog('assign_blog', 'Beatles Blog');
    const blog = await Blog.findOne({ name: 'Beatles Blog' });
    assert.ok(blog);
    assert.equal(blog.description, null, 'lax fill');
    blog.description = null;
    assert.ok(blog.isModified('description'), 'the assignment counts as a change');
    const sent = await commandsDuring(lax, () => blog.save());
    const update = sent.find((c) => c.name === 'update');
    assert.ok(update, `an update was sent: ${sent.map((c) => c.name).join(', ')}`);
    assert.match(JSON.stringify(update.command), /"\$set":\{"description":null\}/);
    const doc = await stored('assign_blog', 'Beatles Blog');
    assert.ok('description' in doc, 'the stored document now has description');
    assert.equal(doc['description'], null);
  });

  test('loading and saving without assigning writes no null', async () => {
    await oldBlog('assign_blog', 'Stones Weekly');
    const blog = await Blog.findOne({ name: 'Stones Weekly' });
    assert.ok(blog);
    assert.deepEqual(blog.modifiedPaths(), []);
    const untouched = await commandsDuring(lax, () => blog.save());
    assert.deepEqual(
      untouched.filter((c) => c.name === 'update'),
      [],
      'nothing to save: no update is sent',
    );
    blog.tagline = 'Satisfaction, weekly.';
    const sent = await commandsDuring(lax, () => blog.save());
    const update = sent.find((c) => c.name === 'update');
    assert.ok(update, `an update was sent: ${sent.map((c) => c.name).join(', ')}`);
    assert.ok(!JSON.stringify(update.command).includes('description'), JSON.stringify(update.command));
    assert.ok(!('description' in (await stored('assign_blog', 'Stones Weekly'))), 'still no description');
  });

  test('the null is saved also when assigned after an earlier save of the same document', async () => {
    // Mongoose treats a top-level path set back to its value at the last
    // save as unmodified; the plugin's save hook marks it again.
    await oldBlog('assign_blog', 'Kinks Korner');
    const blog = await Blog.findOne({ name: 'Kinks Korner' });
    assert.ok(blog);
    blog.tagline = 'Sunny afternoons.';
    await blog.save();
    assert.ok(!('description' in (await stored('assign_blog', 'Kinks Korner'))));
    blog.set('description', null);
    await blog.save();
    const doc = await stored('assign_blog', 'Kinks Korner');
    assert.ok('description' in doc && doc['description'] === null, JSON.stringify(doc));
  });

  test('a null the server stored, assigned again, is sent again: reads keep no record of what they filled', async () => {
    await raw('assign_blog').insertOne({ name: 'Who Times', tagline: null, description: 'x' });
    const blog = await Blog.findOne({ name: 'Who Times' });
    assert.ok(blog);
    assert.deepEqual(blog.modifiedPaths(), []);
    blog.tagline = null;
    assert.deepEqual(blog.modifiedPaths(), ['tagline']);
    await blog.save();
    const doc = await stored('assign_blog', 'Who Times');
    assert.ok('tagline' in doc && doc['tagline'] === null, JSON.stringify(doc));
  });

  test('at every depth: nested objects, embedded documents and arrays of them', async () => {
    const reply = new mongoose.Schema({ by: String, text: String }, { _id: false });
    const comment = new mongoose.Schema({ author: String, text: String, replies: [reply] }, { _id: false });
    const schema = new mongoose.Schema(
      {
        headline: String,
        blog: new mongoose.Schema({ name: String, tagline: String }, { _id: false }),
        meta: { source: String, lang: String },
        comments: [comment],
      },
      { collection: 'assign_entry' },
    );
    schema.plugin(enforceSchema);
    const Entry = lax.model('AssignEntry', schema);
    await raw('assign_entry').insertOne({
      headline: 'Hey Jude',
      blog: { name: 'Beatles Blog' },
      meta: { source: 'rss' },
      comments: [{ author: 'ann', replies: [{ by: 'bob' }] }, { text: 'first!' }],
    });
    const entry = await Entry.findOne();
    assert.ok(entry);
    entry.set('blog.tagline', null);
    entry.set('meta.lang', null);
    entry.set('comments.1.author', null); // through the top-level document
    entry.get('comments.0.replies.0').text = null; // on the embedded document
    await entry.save();
    const saved = await raw('assign_entry').findOne({ headline: 'Hey Jude' });
    assert.deepEqual(
      { blog: saved?.['blog'], meta: saved?.['meta'], comments: saved?.['comments'] },
      {
        blog: { name: 'Beatles Blog', tagline: null },
        meta: { source: 'rss', lang: null },
        comments: [
          { author: 'ann', replies: [{ by: 'bob', text: null }] }, // comments.0.text: filled, not assigned
          { text: 'first!', author: null },
        ],
      },
    );
  });

  test('a document from Model.hydrate() behaves the same', async () => {
    await oldBlog('assign_blog', 'Hollies Herald');
    const blog = Blog.hydrate(await stored('assign_blog', 'Hollies Herald'));
    assert.equal(blog.description, null);
    blog.description = null;
    await blog.save();
    assert.equal((await stored('assign_blog', 'Hollies Herald'))['description'], null);
    assert.ok('description' in (await stored('assign_blog', 'Hollies Herald')));
  });
});

describe(`enforceSchema: Model.hydrate(), on ${server.name}`, () => {
  const LaxBlog = lax.model<BlogRaw, Managed<BlogRaw>>('HydrateBlog', blogSchema('hydrate_blog'));
  const StrictBlog = strict.model<BlogRaw, Managed<BlogRaw>>('HydrateBlog', blogSchema('hydrate_blog'));

  function hydrateError(hydrate: () => unknown): MigrationError {
    let caught: unknown;
    try {
      hydrate();
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof MigrationError, `expected MigrationError, got ${String(caught)}`);
    return caught;
  }

  test('lax: a field the raw document lacks reads null', async () => {
    await raw('hydrate_blog').insertOne({ name: 'Beatles Blog', tagline: 'news' });
    const doc = LaxBlog.hydrate(await stored('hydrate_blog', 'Beatles Blog'));
    assert.equal(doc.description, null);
    assert.equal(doc.toObject().description, null);
    assert.deepEqual(doc.modifiedPaths(), []);
  });

  test('strict: a raw document lacking a model field raises MigrationError naming model, _id and field', async () => {
    const old = await stored('hydrate_blog', 'Beatles Blog');
    const err = hydrateError(() => StrictBlog.hydrate(old));
    assert.equal(err.model, 'HydrateBlog');
    assert.equal(String(err.details.id), String(old['_id']));
    assert.deepEqual(err.details.missing, ['description']);
    assert.match(err.message, /^HydrateBlog \w+: the document lacks description\. ENFORCE_SCHEMA is strict/);
  });

  test('strict: unknown fields raise too, at any depth', () => {
    const schema = new mongoose.Schema({
      title: String,
      comments: [new mongoose.Schema({ author: String }, { _id: false })],
    });
    schema.plugin(enforceSchema, { strict: true });
    const Note = lax.model('HydrateNote', schema, 'hydrate_note');
    const id = new mongoose.Types.ObjectId();
    const err = hydrateError(() => Note.hydrate({ _id: id, title: 't', rating: 5, comments: [{ author: 'a', x: 1 }] }));
    assert.equal(err.model, 'HydrateNote');
    assert.deepEqual([...(err.details.unknown ?? [])].sort(), ['comments.0.x', 'rating']);
    assert.match(err.message, /HydrateNote .*unknown fields: .*rating/);
  });

  test('strict: a matching document hydrates; a projection excuses what it leaves out', () => {
    const _id = new mongoose.Types.ObjectId();
    const full = StrictBlog.hydrate({ _id, name: 'Stones Weekly', tagline: null, description: 'Rolling' });
    assert.equal(full.description, 'Rolling');
    const partial = StrictBlog.hydrate({ _id, name: 'Stones Weekly' }, { name: 1 });
    assert.equal(partial.name, 'Stones Weekly');
  });

  test('strict: annotate() rows, hydrated by the manager, are not taken for unknown fields', async () => {
    await raw('hydrate_ok').insertOne({ name: 'Kinks Korner', tagline: 'Sunny', description: 'd' });
    const schema = blogSchema('hydrate_ok');
    const Ok = strict.model<BlogRaw, Managed<BlogRaw>>('HydrateOk', schema);
    const [row] = await Ok.objects.annotate({ n: F('name') });
    assert.equal(row?.name, 'Kinks Korner');
    for await (const doc of Ok.objects.annotate({ n: F('name') })) assert.equal(doc.name, 'Kinks Korner');
    // And a row the aggregation found wrong still raises when hydrated.
    await raw('hydrate_ok').insertOne({ name: 'Old One' });
    const iterate = async () => {
      for await (const doc of Ok.objects.annotate({ n: F('name') })) void doc;
    };
    await assert.rejects(iterate, MigrationError);
  });
});

describe(`enforceSchema: populate with { clone: true }, on ${server.name}`, () => {
  // Mongoose clones each populated document with Model.hydrate(doc._doc),
  // without the populate's projection: a document already checked when it
  // was loaded must not be checked (strict) or filled (lax) again.
  interface AuthorRaw {
    name?: string | null;
    bio?: string | null;
  }
  interface PostRaw {
    title?: string;
    author?: mongoose.Types.ObjectId | (mongoose.Document & AuthorRaw);
  }
  function models(conn: mongoose.Connection, suffix: string) {
    const authorSchema = new mongoose.Schema<AuthorRaw>({ name: String, bio: String });
    authorSchema.plugin(enforceSchema);
    const postSchema = new mongoose.Schema<PostRaw>({
      title: String,
      author: { type: mongoose.Schema.Types.ObjectId, ref: `CloneAuthor${suffix}` },
    });
    postSchema.plugin(enforceSchema);
    return {
      Author: conn.model<AuthorRaw>(`CloneAuthor${suffix}`, authorSchema, 'clone_author'),
      Post: conn.model<PostRaw>(`ClonePost${suffix}`, postSchema, 'clone_post'),
    };
  }
  const paul = new mongoose.Types.ObjectId();
  const john = new mongoose.Types.ObjectId();
  const authorOf = (post: PostRaw) => post.author as mongoose.Document & AuthorRaw;

  test('strict: the clones of checked documents are not checked again; a document lacking a field still raises', async () => {
    await raw('clone_author').insertOne({ _id: paul, name: 'Paul', bio: 'bass' });
    await raw('clone_post').insertMany([
      { title: 'one', author: paul },
      { title: 'two', author: paul },
    ]);
    const { Post } = models(strict, 'Strict');
    const posts = await Post.find()
      .sort({ title: 1 })
      .populate({ path: 'author', select: 'name', options: { clone: true } });
    assert.deepEqual(
      posts.map((p) => authorOf(p).name),
      ['Paul', 'Paul'],
    );
    assert.notEqual(posts[0]!.author, posts[1]!.author, 'each post has its own copy');

    await raw('clone_author').insertOne({ _id: john, name: 'John' }); // no bio
    await raw('clone_post').insertOne({ title: 'three', author: john });
    await assert.rejects(
      Post.find({ title: 'three' }).populate({ path: 'author', options: { clone: true } }),
      (err: unknown) => err instanceof MigrationError && err.details.missing?.[0] === 'bio',
    );
  });

  test('lax: a clone is the document it copies: fields not selected stay undefined, missing ones null', async () => {
    const { Post } = models(lax, 'Lax');
    const posts = await Post.find({ title: { $in: ['one', 'two'] } }).populate({
      path: 'author',
      select: 'name',
      options: { clone: true },
    });
    assert.equal(posts.length, 2);
    for (const post of posts) {
      assert.equal(authorOf(post).name, 'Paul');
      assert.equal(authorOf(post).bio, undefined, 'not selected: not filled');
    }
    const [three] = await Post.find({ title: 'three' }).populate({ path: 'author', options: { clone: true } });
    assert.equal(authorOf(three!).bio, null, 'selected and missing: null');
    // Read whole, the clone is filled again (lax documents read whole are not
    // tracked): that must change nothing.
    const [original] = await Post.find({ title: 'three' }).populate('author');
    assert.deepEqual(authorOf(three!).toObject(), authorOf(original!).toObject());
    assert.deepEqual(authorOf(three!).modifiedPaths(), []);
  });
});
