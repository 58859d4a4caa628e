// Ported from MongoEngine's tests/queryset/test_queryset.py: managers and
// custom QuerySets. A MongoEngine `@queryset_manager` or QuerySetManager is a
// DjongoManager subclass overriding getQueryset; a custom QuerySet class's
// method is a method of the manager.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DjongoManager, manager, type QuerySet } from '../../../index.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { define, person } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);

const ids = (docs: readonly { _id: unknown }[]) => docs.map((d) => String(d._id));

peer.case('TestQueryset.test_initialisation', async () => {
  const Person = await person(conn);
  assert.ok(Person.objects instanceof DjongoManager);
  assert.equal(Person.objects.model, Person);
  assert.equal(Person.objects.all().toMongo().collection, Person.collection.collectionName);
});

interface BlogPostRaw {
  tags?: string[];
  deleted?: boolean;
  date?: Date;
}

peer.case('TestQueryset.test_custom_manager', async () => {
  class Live extends DjongoManager<BlogPostRaw> {
    override getQueryset(): QuerySet<BlogPostRaw, mongoose.HydratedDocument<BlogPostRaw>> {
      return super.getQueryset().filter({ deleted: false });
    }
  }
  class Music extends DjongoManager<BlogPostRaw> {
    posts(deleted = false) {
      return super.getQueryset().filter({ tags: 'music', deleted }).orderBy('date');
    }
  }
  const BlogPost = (await define<BlogPostRaw>(
    conn,
    'BlogPost',
    { tags: [String], deleted: { type: Boolean, default: false }, date: { type: Date, default: () => new Date() } },
    {},
    [{ manager: Live }, { name: 'objects_1_arg', manager: Live }, { name: 'music', manager: Music }],
  )) as unknown as mongoose.Model<BlogPostRaw> & { objects: Live; objects_1_arg: Live; music: Music };
  const post1 = await BlogPost.create({ tags: ['music', 'film'] });
  const post2 = await BlogPost.create({ tags: ['music'] });
  const post3 = await BlogPost.create({ tags: ['film', 'actors'] });
  const post4 = await BlogPost.create({ tags: ['film', 'actors', 'music'], deleted: true });
  assert.deepEqual(ids(await BlogPost.objects.all()), ids([post1, post2, post3]));
  assert.deepEqual(ids(await BlogPost.objects_1_arg.all()), ids([post1, post2, post3]));
  assert.deepEqual(ids(await BlogPost.music.posts()), ids([post1, post2]));
  assert.deepEqual(ids(await BlogPost.music.posts(true)), ids([post4]));
});

interface FooRaw {
  bar?: string;
  active?: boolean;
}

peer.case('TestQueryset.test_custom_manager_overriding_objects_works', async () => {
  class Active extends DjongoManager<FooRaw> {
    override getQueryset() {
      return super.getQueryset().filter({ active: true });
    }
  }
  class Inactive extends DjongoManager<FooRaw> {
    override getQueryset() {
      return super.getQueryset().filter({ active: false });
    }
  }
  const Foo = (await define<FooRaw>(
    conn,
    'Foo',
    { bar: { type: String, default: 'bar' }, active: { type: Boolean, default: false } },
    {},
    [{ manager: Active }, { name: 'with_inactive', manager: Inactive }],
  )) as unknown as mongoose.Model<FooRaw> & { objects: Active; with_inactive: Inactive };
  await Foo.create({ active: true });
  await Foo.create({ active: false });
  assert.equal(await Foo.objects.count(), 1);
  assert.equal(await Foo.with_inactive.count(), 1);
  await (await Foo.with_inactive.first())!.deleteOne();
  assert.equal(await Foo.with_inactive.count(), 0);
  assert.equal(await Foo.objects.count(), 1);
});

/** MongoEngine's CustomQuerySet.not_empty, as a manager method. */
class NotEmpty extends DjongoManager<object> {
  async not_empty(): Promise<boolean> {
    return (await this.count()) > 0;
  }
}

peer.case('TestQueryset.test_custom_querysets', async () => {
  const Post = (await define<object>(conn, 'Post', {}, {}, [
    { manager: NotEmpty },
  ])) as unknown as mongoose.Model<object> & {
    objects: NotEmpty;
  };
  assert.ok(Post.objects instanceof NotEmpty);
  assert.equal(await Post.objects.not_empty(), false);
  await Post.create({});
  assert.equal(await Post.objects.not_empty(), true);
});

peer.case('TestQueryset.test_custom_querysets_set_manager_directly', async () => {
  const Post = (await define<object>(conn, 'Post', {}, {}, [
    { name: 'objects', manager: NotEmpty },
  ])) as unknown as mongoose.Model<object> & {
    objects: NotEmpty;
  };
  assert.ok(Post.objects instanceof NotEmpty);
  assert.equal(await Post.objects.not_empty(), false);
  await Post.create({});
  assert.equal(await Post.objects.not_empty(), true);
});

peer.case('TestQueryset.test_custom_querysets_set_manager_methods', async () => {
  class NoDelete extends DjongoManager<object> {
    delete(): Promise<number> {
      return Promise.resolve(0);
    }
  }
  const Post = (await define<object>(conn, 'Post', {}, {}, [
    { manager: NoDelete },
  ])) as unknown as mongoose.Model<object> & {
    objects: NoDelete;
  };
  assert.ok(Post.objects instanceof NoDelete);
  assert.equal(await Post.objects.delete(), 0);
  const post = await Post.create({});
  assert.equal(await Post.objects.count(), 1);
  await post.deleteOne();
  assert.equal(await Post.objects.count(), 0);
});

peer.case('TestQueryset.test_custom_querysets_managers_directly', async () => {
  class Published extends DjongoManager<{ is_published?: boolean }> {
    override getQueryset() {
      return super.getQueryset().filter({ is_published: true });
    }
  }
  const Post = (await define<{ is_published?: boolean }>(
    conn,
    'Post',
    { is_published: { type: Boolean, default: false } },
    {},
    [{}, { name: 'published', manager: Published }],
  )) as unknown as mongoose.Model<{ is_published?: boolean }> & { objects: DjongoManager; published: Published };
  await Post.create({});
  await Post.create({ is_published: true });
  assert.equal(await Post.objects.count(), 2);
  assert.equal(await Post.published.count(), 1);
});

// MongoEngine's abstract base Document is a schema the model's schema clones
// (its fields and plugins); its allow_inheritance subclasses are Mongoose
// discriminators. The models are typed loosely: Mongoose's own inference for
// discriminators of a managed model is too costly for the type checker.

/** What these cases use of a model: its manager, create and init. */
interface Loose<M> {
  objects: M;
  create(doc: object): Promise<unknown>;
  init(): Promise<unknown>;
}

/** A model of a clone of `base`, in a collection of its own. */
async function fromBase<M>(base: mongoose.Schema, name: string): Promise<Loose<M>> {
  const model = conn.model(`${name}${Math.random().toString(36).slice(2, 8)}`, base.clone()) as unknown as Loose<M>;
  await model.init();
  return model;
}

/** A discriminator (a MongoEngine subclass) of `parent`. */
function subclass<M>(parent: unknown, schema: mongoose.Schema): Loose<M> {
  const name = `Bar${Math.random().toString(36).slice(2, 8)}`;
  return (parent as { discriminator(name: string, schema: mongoose.Schema): unknown }).discriminator(
    name,
    schema,
  ) as Loose<M>;
}

for (const title of [
  'TestQueryset.test_custom_querysets_inherited',
  'TestQueryset.test_custom_querysets_inherited_direct',
]) {
  peer.case(title, async () => {
    const base = new mongoose.Schema({});
    base.plugin(manager, { manager: NotEmpty });
    const Post = await fromBase<NotEmpty>(base, 'Post');
    assert.ok(Post.objects instanceof NotEmpty);
    assert.equal(await Post.objects.not_empty(), false);
    await Post.create({});
    assert.equal(await Post.objects.not_empty(), true);
  });
}

class ActiveOnly extends DjongoManager<FooRaw> {
  override getQueryset() {
    return super.getQueryset().filter({ active: true });
  }
}

class InactiveOnly extends DjongoManager<FooRaw> {
  override getQueryset() {
    return super.getQueryset().filter({ active: false });
  }
}

peer.case('TestQueryset.test_inherit_objects', async () => {
  const base = new mongoose.Schema({ active: { type: Boolean, default: true } });
  base.plugin(manager, { manager: ActiveOnly });
  const Foo = await fromBase<ActiveOnly>(base, 'Foo');
  const Bar = subclass<ActiveOnly>(Foo, new mongoose.Schema({}));
  await Bar.objects.create({ active: false });
  assert.equal(await Bar.objects.count(), 0);
});

peer.case('TestQueryset.test_inherit_objects_override', async () => {
  const base = new mongoose.Schema({ active: { type: Boolean, default: true } });
  base.plugin(manager, { manager: ActiveOnly });
  const Foo = await fromBase<ActiveOnly>(base, 'Foo');
  const child = new mongoose.Schema({});
  child.plugin(manager, { manager: InactiveOnly });
  const Bar = subclass<InactiveOnly>(Foo, child);
  await Bar.objects.create({ active: false });
  assert.equal(await Foo.objects.count(), 0);
  assert.equal(await Bar.objects.count(), 1);
});
