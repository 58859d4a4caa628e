// ENFORCE_SCHEMA against a real server: lax reads fill what old documents
// lack with null and never write it back; strict reads raise MigrationError
// and strict writes need a collection that migrate created.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { ImproperlyConfigured, MigrationError } from '../../core/errors.js';
import { enforceSchema, type EnforceSchemaOptions } from '../../plugins/enforce-schema/index.js';
import { manager, type Managed } from '../../plugins/manager-plugin.js';
import { F } from '../../manager/q.js';
import { ready, server } from '../helpers/server.js';
import { schemaModeConnections, type BlogRaw, migrationError } from '../helpers/schema-modes.js';
import { commandsDuring } from '../helpers/commands.js';

const { NAME, lax, strict, raw } = await schemaModeConnections(import.meta.url);

function blogSchema(fields: Record<string, unknown>, options?: EnforceSchemaOptions) {
  const schema = new mongoose.Schema<BlogRaw>(fields, { collection: 'blog' });
  schema.plugin(manager);
  schema.plugin(enforceSchema, options);
  return schema;
}

async function collectionNames(): Promise<string[]> {
  return (await raw('x').db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
}

// The seed's story: Blog saved with two fields, then the model gains description.
const V1 = await ready(
  lax.model('BlogV1', new mongoose.Schema({ name: String, tagline: String }, { collection: 'blog' })),
);
await V1.create({ name: 'Beatles Blog', tagline: 'All the latest Beatles news.' });
const Blog = lax.model<BlogRaw, Managed<BlogRaw>>(
  'Blog',
  blogSchema({ name: String, tagline: String, description: String }),
);

describe(`enforceSchema, lax, on ${server.name}`, () => {
  test('Blog v1→v2: description reads null through every read path', async () => {
    const where = { name: 'Beatles Blog' };
    assert.equal((await Blog.find(where))[0]?.description, null);
    assert.equal((await Blog.findOne(where))?.description, null);
    const found = await Blog.findOne(where);
    assert.equal((await Blog.findById(found?._id))?.description, null);
    const lean = await Blog.findOne(where).lean();
    assert.ok(lean && 'description' in lean, 'the lean document has the key');
    assert.equal(lean.description, null);
    assert.equal((await Blog.find(where).lean())[0]?.description, null);
    assert.equal((await Blog.objects.get({ name: 'Beatles Blog' })).description, null);
    assert.equal((await Blog.objects.first())?.description, null);
    assert.deepEqual(await Blog.objects.values('name', 'description'), [{ name: 'Beatles Blog', description: null }]);
    const [all] = await Blog.objects.values();
    assert.equal(all?.['description'], null);
    assert.deepEqual(await Blog.objects.valuesList('description'), [[null]]);
    assert.deepEqual(await Blog.objects.valuesList('description', { flat: true }), [null]);
    for await (const blog of Blog.objects.all()) assert.equal(blog.description, null);
    for await (const blog of Blog.objects.all().lean()) assert.equal(blog.description, null);
    for await (const blog of Blog.find(where).cursor()) assert.equal(blog.description, null);
    const [annotated] = await Blog.objects.annotate({ n: F('name') }).lean();
    assert.equal(annotated?.description, null);
    const [annotatedDoc] = await Blog.objects.annotate({ n: F('name') });
    assert.equal(annotatedDoc?.description, null);
  });

  test('the same read without the plugin gives undefined (what the plugin changes)', async () => {
    const Plain = lax.model('BlogPlain', new mongoose.Schema({ name: String, description: String }), 'blog');
    assert.equal((await Plain.findOne().lean())?.['description'], undefined);
  });

  test('load and save does not write the nulls', async () => {
    const blog = await Blog.findOne({ name: 'Beatles Blog' });
    assert.ok(blog);
    assert.deepEqual(blog.modifiedPaths(), []);
    blog.tagline = 'Still the latest.';
    const sent = await commandsDuring(lax, () => blog.save());
    const update = sent.find((c) => c.name === 'update');
    assert.ok(update, `an update was sent: ${sent.map((c) => c.name).join(', ')}`);
    assert.ok(!JSON.stringify(update.command).includes('description'), JSON.stringify(update.command));
    const stored = await raw('blog').findOne({ name: 'Beatles Blog' });
    assert.ok(stored && !('description' in stored), 'the stored document still lacks description');
    // An explicit null is a change, even after an earlier save of the same
    // document: no markModified needed.
    blog.description = null;
    await blog.save();
    assert.ok('description' in ((await raw('blog').findOne({ name: 'Beatles Blog' })) ?? {}));
    await raw('blog').updateOne({ name: 'Beatles Blog' }, { $unset: { description: '' } });
  });

  test('fields not selected are not filled', async () => {
    const lean = await Blog.findOne().select('name').lean();
    assert.ok(lean && !('description' in lean) && !('tagline' in lean));
    const doc = await Blog.findOne().select('-tagline').lean();
    assert.ok(doc && !('tagline' in doc) && doc.description === null);
    assert.deepEqual(await Blog.objects.values('name'), [{ name: 'Beatles Blog' }]);
    const hydrated = await Blog.findOne().select('name');
    assert.equal(hydrated?.description, undefined);
  });

  test('embedded documents and arrays of them are filled at every depth', async () => {
    const reply = new mongoose.Schema({ by: String, text: String }, { _id: false });
    const comment = new mongoose.Schema({ author: String, score: Number, replies: [reply] }, { _id: false });
    const schema = new mongoose.Schema({
      blog: new mongoose.Schema({ name: String, tagline: String }, { _id: false }),
      meta: { source: String, lang: String },
      comments: [comment],
      headline: String,
    });
    schema.plugin(enforceSchema);
    const Entry = lax.model('DeepEntry', schema, 'deep_entry');
    await raw('deep_entry').insertOne({
      blog: { name: 'Beatles Blog' },
      meta: { source: 'rss' },
      comments: [{ author: 'ann', replies: [{ by: 'bob' }] }, { score: 3 }],
    });
    const lean = (await Entry.findOne().lean()) as unknown as Record<string, unknown>;
    assert.deepEqual(
      { blog: lean['blog'], meta: lean['meta'], comments: lean['comments'], headline: lean['headline'] },
      {
        blog: { name: 'Beatles Blog', tagline: null },
        meta: { source: 'rss', lang: null },
        comments: [
          { author: 'ann', score: null, replies: [{ by: 'bob', text: null }] },
          { author: null, score: 3, replies: null },
        ],
        headline: null,
      },
    );
    const doc = await Entry.findOne();
    assert.ok(doc);
    assert.equal(doc.get('blog.tagline'), null);
    assert.equal(doc.get('meta.lang'), null);
    assert.equal(doc.get('comments.0.replies.0.text'), null);
    assert.equal(doc.get('comments.1.author'), null);
    assert.deepEqual(doc.get('comments.1.replies').toObject(), [], 'an array keeps its Mongoose default');
    assert.deepEqual(doc.modifiedPaths(), []);
    await raw('deep_entry').insertOne({ headline: 'no blog, no meta' });
    const bare = await Entry.findOne({ headline: 'no blog, no meta' }).lean();
    assert.equal(bare?.['blog'], null);
    assert.equal(bare?.['meta'], null);
  });

  test('a field with a default: hydrated gets the default, lean gets null', async () => {
    const schema = new mongoose.Schema({ name: String, status: { type: String, default: 'draft' } });
    schema.plugin(enforceSchema);
    const Post = lax.model('Post', schema, 'post');
    await raw('post').insertOne({ name: 'old' });
    assert.equal((await Post.findOne())?.get('status'), 'draft');
    assert.equal((await Post.findOne().lean())?.['status'], null);
  });

  test('a query option makes one read strict', async () => {
    const err = await Blog.findOne({ name: 'Beatles Blog' })
      .setOptions({ enforceSchema: true })
      .lean()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof MigrationError, String(err));
    assert.deepEqual(err.details.missing, ['description']);
    await assert.rejects(Blog.find().setOptions({ enforceSchema: true }), MigrationError);
    await assert.rejects(Blog.find().setOptions({ enforceSchema: 'yes' }), ImproperlyConfigured);
  });
});

describe(`enforceSchema, strict, on ${server.name}`, () => {
  const StrictBlog = strict.model<BlogRaw, Managed<BlogRaw>>(
    'Blog',
    blogSchema({ name: String, tagline: String, description: String }),
  );

  test('a document lacking a model field raises on every read path', async () => {
    const stored = await raw('blog').findOne({ name: 'Beatles Blog' });
    const reads: [string, () => PromiseLike<unknown>][] = [
      ['find', () => StrictBlog.find()],
      ['findOne', () => StrictBlog.findOne()],
      ['findById', () => StrictBlog.findById(stored?._id)],
      ['find lean', () => StrictBlog.find().lean()],
      ['findOne lean', () => StrictBlog.findOne().lean()],
      [
        'cursor',
        async () => {
          for await (const d of StrictBlog.find().cursor()) void d;
        },
      ],
      [
        'lean cursor',
        async () => {
          for await (const d of StrictBlog.find().lean().cursor()) void d;
        },
      ],
      ['objects', () => StrictBlog.objects.all()],
      ['objects.get', () => StrictBlog.objects.get({ name: 'Beatles Blog' })],
      ['objects.first', () => StrictBlog.objects.first()],
      ['objects.values', () => StrictBlog.objects.values()],
      ['objects.valuesList', () => StrictBlog.objects.valuesList('description')],
      [
        'for await',
        async () => {
          for await (const d of StrictBlog.objects.all()) void d;
        },
      ],
      ['annotate', () => StrictBlog.objects.annotate({ n: F('name') })],
      ['annotate lean', () => StrictBlog.objects.annotate({ n: F('name') }).lean()],
      [
        'annotate for await',
        async () => {
          for await (const d of StrictBlog.objects.annotate({ n: F('name') })) void d;
        },
      ],
      [
        'annotate lean for await',
        async () => {
          for await (const d of StrictBlog.objects.annotate({ n: F('name') }).lean()) void d;
        },
      ],
    ];
    for (const [label, read] of reads) {
      const err = await migrationError(read).catch((e: unknown) => assert.fail(`${label}: ${String(e)}`));
      assert.equal(err.model, 'Blog', label);
      assert.equal(String(err.details.id), String(stored?._id), label);
      assert.deepEqual(err.details.missing, ['description'], label);
      assert.match(err.message, /Blog .*description/, label);
    }
  });

  test('fields not selected are not missing', async () => {
    assert.deepEqual(await StrictBlog.objects.values('name'), [{ name: 'Beatles Blog' }]);
    assert.equal((await StrictBlog.findOne().select('name tagline'))?.name, 'Beatles Blog');
  });

  test('an unknown field raises, also inside embedded documents; the model names it', async () => {
    const schema = new mongoose.Schema({
      title: String,
      comments: [new mongoose.Schema({ author: String }, { _id: false })],
    });
    schema.plugin(enforceSchema);
    const Note = strict.model('Note', schema, 'note');
    const { insertedId } = await raw('note').insertOne({ title: 't', rating: 5, comments: [{ author: 'a', x: 1 }] });
    const err = await migrationError(() => Note.findOne().lean());
    assert.deepEqual([...(err.details.unknown ?? [])].sort(), ['comments.0.x', 'rating']);
    assert.deepEqual(err.details.missing, []);
    assert.equal(String(err.details.id), String(insertedId));
    await migrationError(() => Note.findOne());
  });

  test('documents written through the strict model read back: unset fields are stored as null', async () => {
    await raw('blog_ok').db.createCollection('blog_ok');
    const schema = blogSchema({ name: String, tagline: String, description: String });
    schema.set('collection', 'blog_ok');
    const Ok = strict.model<BlogRaw, Managed<BlogRaw>>('BlogOk', schema);
    await Ok.create({ name: 'Stones Weekly' });
    await Ok.insertMany([{ name: 'Kinks Korner', tagline: 'Sunny' }]);
    await Ok.objects.create({ name: 'The Who Times' });
    const stored = await raw('blog_ok').findOne({ name: 'Stones Weekly' });
    assert.equal(stored?.['description'], null);
    assert.ok(stored && 'description' in stored);
    assert.equal((await Ok.find()).length, 3);
    assert.equal((await Ok.objects.valuesList('tagline', { flat: true })).length, 3);
  });

  test('a write to a collection migrate has not created raises and sends nothing', async () => {
    const schema = blogSchema({ name: String, tagline: String, description: String });
    schema.set('collection', 'never_migrated');
    schema.index({ name: 1 });
    const Ghost = strict.model<BlogRaw, Managed<BlogRaw>>('Ghost', schema);
    await Ghost.init();
    const writes: [string, () => PromiseLike<unknown>][] = [
      ['create', () => Ghost.create({ name: 'x' })],
      ['save', () => new Ghost({ name: 'x' }).save()],
      ['insertMany', () => Ghost.insertMany([{ name: 'x' }])],
      ['bulkWrite', () => Ghost.bulkWrite([{ insertOne: { document: { name: 'x' } } }])],
      ['upsert', () => Ghost.updateOne({ name: 'x' }, { tagline: 'y' }, { upsert: true })],
      ['findOneAndUpdate', () => Ghost.findOneAndUpdate({ name: 'x' }, { tagline: 'y' }, { upsert: true })],
      ['objects.create', () => Ghost.objects.create({ name: 'x' })],
      ['objects.update', () => Ghost.objects.all().update({ tagline: 'y' })],
    ];
    for (const [label, write] of writes) {
      const err = await migrationError(write).catch((e: unknown) => assert.fail(`${label}: ${String(e)}`));
      assert.match(err.message, /djongoose migrate/, label);
      assert.equal(err.model, 'Ghost', label);
    }
    assert.ok(!(await collectionNames()).includes('never_migrated'), 'nothing created the collection');
    // Once migrate has created it, writes go through.
    await raw('never_migrated').db.createCollection('never_migrated');
    await Ghost.create({ name: 'after migrate' });
    assert.equal(await raw('never_migrated').countDocuments(), 1);
    assert.deepEqual(
      (await raw('never_migrated').indexes()).map((i) => i.name),
      ['_id_'],
      'autoIndex is off for strict models',
    );
  });

  test('plugin option and query option beat the connection', async () => {
    const LaxHere = strict.model<BlogRaw>(
      'BlogLaxHere',
      blogSchema({ name: String, tagline: String, description: String }, { strict: false }),
    );
    assert.equal((await LaxHere.findOne().lean())?.description, null);
    assert.equal((await StrictBlog.findOne().setOptions({ enforceSchema: false }))?.description, null);
    assert.equal((await StrictBlog.findOne().setOptions({ enforceSchema: false }).lean())?.description, null);
    const rows = await StrictBlog.aggregate([{ $match: {} }]).option({ enforceSchema: false } as never);
    assert.equal(rows[0]?.['description'], null);
    const StrictHere = lax.model<BlogRaw>(
      'BlogStrictHere',
      blogSchema({ name: String, tagline: String, description: String }, { strict: true }),
    );
    await migrationError(() => StrictHere.findOne());
  });

  test('a connection djongoose did not open is lax', async () => {
    const plain = await mongoose.createConnection(server.uri, { dbName: NAME }).asPromise();
    try {
      const schema = blogSchema({ name: String, tagline: String, description: String });
      const Foreign = plain.model<BlogRaw>('Blog', schema);
      assert.equal((await Foreign.findOne().lean())?.description, null);
    } finally {
      await plain.close();
    }
  });
});

describe('enforceSchema options', () => {
  test('bad plugin options raise ImproperlyConfigured saying what is accepted', () => {
    const schema = () => new mongoose.Schema({ name: String });
    assert.throws(() => schema().plugin(enforceSchema, { strict: 'yes' } as never), {
      name: 'ImproperlyConfigured',
      message: /strict must be true \(strict\), false \(lax\)/,
    });
    assert.throws(() => schema().plugin(enforceSchema, { strickt: true } as never), {
      name: 'ImproperlyConfigured',
      message: /accepted options are: strict\. Did you mean "strict"\?/,
    });
  });
});
