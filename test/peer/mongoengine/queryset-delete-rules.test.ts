// Ported from MongoEngine's tests/queryset/test_queryset.py: the delete rules
// on references (reverse_delete_rule). They are djongoose's onDelete, Django's
// on_delete: CASCADE is 'CASCADE', NULLIFY 'SET_NULL', DENY 'PROTECT' (whose
// error is ProtectedError, MongoEngine's OperationError), and PULL on a
// ListField(ReferenceField) is 'PULL' on an ArrayReferenceField. A
// Document's delete() is `doc.deleteOne()`, its reload() `refreshFromDb(doc)`;
// an abstract Document is a schema whose paths a concrete schema takes
// (`abstract.clone().add({ content: String })`); ReferenceField("self") names
// the model's own name; and reading `post.category.name` follows the
// reference with selectRelated.
import assert from 'node:assert/strict';
import mongoose, { type SchemaDefinition } from 'mongoose';
import {
  ArrayReferenceField,
  DoesNotExist,
  NotSupportedError,
  ProtectedError,
  manager,
  refreshFromDb,
  type Managed,
} from '../../../index.js';
import { openTestDatabase, ready } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { person } from './models/queryset.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url);
const { ObjectId } = mongoose.Schema.Types;
type Id = mongoose.Types.ObjectId;

let counter = 0;

/**
 * A managed model in a collection of its own, from a schema or from fields
 * that may name the model itself (`self`, MongoEngine's ReferenceField("self")).
 */
async function model<T>(
  name: string,
  fields: mongoose.Schema | ((self: string) => SchemaDefinition),
): Promise<Managed<T>> {
  counter += 1;
  const modelName = `DeleteRules${name}${counter}`;
  const schema = fields instanceof mongoose.Schema ? fields : new mongoose.Schema(fields(modelName));
  schema.plugin(manager);
  return ready(conn.model(modelName, schema) as unknown as Managed<T>);
}

interface PostRaw {
  content?: string;
  author?: Id | null;
}

/** The BlogPost of the cascade cases, its author a Person with the given rule. */
async function blogPost(onDelete: 'CASCADE' | 'SET_NULL' | 'PROTECT', abstract = false) {
  const Person = await person(conn);
  const author = { type: ObjectId, ref: Person.modelName, onDelete };
  // MongoEngine's AbstractBlogPost (meta abstract) declares the reference; BlogPost adds content.
  const schema = abstract
    ? new mongoose.Schema({ author }).clone().add({ content: String })
    : new mongoose.Schema({ content: String, author });
  const BlogPost = await model<PostRaw>('BlogPost', schema);
  return { Person, BlogPost };
}

/** "Test User" with two posts, "Some-one Else" with one. */
async function threePosts(onDelete: 'CASCADE', abstract = false) {
  const { Person, BlogPost } = await blogPost(onDelete, abstract);
  const me = await Person.create({ name: 'Test User' });
  const someoneelse = await Person.create({ name: 'Some-one Else' });
  await BlogPost.create({ content: 'Watching TV', author: me._id });
  await BlogPost.create({ content: 'Chilling out', author: me._id });
  await BlogPost.create({ content: 'Pro Testing', author: someoneelse._id });
  return { Person, BlogPost };
}

peer.case('TestQueryset.test_reverse_delete_rule_cascade', async () => {
  const { Person, BlogPost } = await threePosts('CASCADE');
  assert.equal(await BlogPost.objects.count(), 3);
  await Person.objects.filter({ name: 'Test User' }).delete();
  assert.equal(await BlogPost.objects.count(), 1);
});

peer.case('TestQueryset.test_reverse_delete_rule_cascade_on_abstract_document', async () => {
  const { Person, BlogPost } = await threePosts('CASCADE', true);
  assert.equal(await BlogPost.objects.count(), 3);
  await Person.objects.filter({ name: 'Test User' }).delete();
  assert.equal(await BlogPost.objects.count(), 1);
});

interface DummyRaw {
  reference?: Id | null;
  cat?: Id | null;
}

peer.case('TestQueryset.test_reverse_delete_rule_cascade_cycle', async () => {
  const Dummy = await model<DummyRaw>('Dummy', (self) => ({
    reference: { type: ObjectId, ref: self, onDelete: 'CASCADE' },
  }));
  const base = await Dummy.create({});
  const other = await Dummy.create({ reference: base._id });
  base.reference = other._id;
  await base.save();

  await base.deleteOne();

  await assert.rejects(refreshFromDb(base), DoesNotExist);
  await assert.rejects(refreshFromDb(other), DoesNotExist);
});

peer.case('TestQueryset.test_reverse_delete_rule_cascade_complex_cycle', async () => {
  const Category = await model<{ name?: string }>('Category', () => ({ name: String }));
  const Dummy = await model<DummyRaw>('Dummy', (self) => ({
    reference: { type: ObjectId, ref: self, onDelete: 'CASCADE' },
    cat: { type: ObjectId, ref: Category.modelName, onDelete: 'CASCADE' },
  }));
  const cat = await Category.create({ name: 'cat' });
  const base = await Dummy.create({ cat: cat._id });
  const other = await Dummy.create({ reference: base._id });
  const other2 = await Dummy.create({ reference: other._id });
  base.reference = other._id;
  await base.save();

  await cat.deleteOne();

  await assert.rejects(refreshFromDb(base), DoesNotExist);
  await assert.rejects(refreshFromDb(other), DoesNotExist);
  await assert.rejects(refreshFromDb(other2), DoesNotExist);
});

peer.case('TestQueryset.test_reverse_delete_rule_cascade_self_referencing', async () => {
  const Category = await model<{ name?: string; parent?: Id | null }>('Category', (self) => ({
    name: String,
    parent: { type: ObjectId, ref: self, onDelete: 'CASCADE' },
  }));
  const numChildren = 3;
  const base = await Category.create({ name: 'Root' });
  // A simple parent-child tree.
  for (let i = 0; i < numChildren; i++) {
    const child = await Category.create({ name: `Child-${i}`, parent: base._id });
    for (let j = 0; j < numChildren; j++) {
      await Category.create({ name: `Child-Child-${j}`, parent: child._id });
    }
  }
  const treeSize = 1 + numChildren + numChildren * numChildren;
  assert.equal(await Category.objects.count(), treeSize);
  assert.equal(await Category.objects.filter({ parent: base._id }).count(), numChildren);

  // The delete wipes out the collection without an endless parent-child cascade.
  await base.deleteOne();
  assert.equal(await Category.objects.count(), 0);
});

peer.case('TestQueryset.test_reverse_delete_rule_nullify', async () => {
  const Category = await model<{ name?: string }>('Category', () => ({ name: String }));
  const BlogPost = await model<{ content?: string; category?: Id | null }>('BlogPost', () => ({
    content: String,
    category: { type: ObjectId, ref: Category.modelName, onDelete: 'SET_NULL' },
  }));
  const lameness = await Category.create({ name: 'Lameness' });
  await BlogPost.create({ content: 'Watching TV', category: lameness._id });

  assert.equal(await BlogPost.objects.count(), 1);
  const first = await BlogPost.objects.selectRelated('category').first();
  assert.equal((first?.category as unknown as { name?: string } | null)?.name, 'Lameness');
  await Category.objects.all().delete();
  assert.equal(await BlogPost.objects.count(), 1);
  assert.equal((await BlogPost.objects.first())?.category, null);
});

peer.case('TestQueryset.test_reverse_delete_rule_nullify_on_abstract_document', async () => {
  const { Person, BlogPost } = await blogPost('SET_NULL', true);
  const me = await Person.create({ name: 'Test User' });
  await Person.create({ name: 'Some-one Else' });
  await BlogPost.create({ content: 'Watching TV', author: me._id });

  assert.equal(await BlogPost.objects.count(), 1);
  assert.equal(String((await BlogPost.objects.first())?.author), String(me._id));
  await Person.objects.filter({ name: 'Test User' }).delete();
  assert.equal(await BlogPost.objects.count(), 1);
  assert.equal((await BlogPost.objects.first())?.author, null);
});

peer.case('TestQueryset.test_reverse_delete_rule_deny', async () => {
  const { Person, BlogPost } = await blogPost('PROTECT');
  const me = await Person.create({ name: 'Test User' });
  await BlogPost.create({ content: 'Watching TV', author: me._id });

  await assert.rejects(Person.objects.all().delete(), ProtectedError);
});

peer.case('TestQueryset.test_reverse_delete_rule_deny_on_abstract_document', async () => {
  const { Person, BlogPost } = await blogPost('PROTECT', true);
  const me = await Person.create({ name: 'Test User' });
  await BlogPost.create({ content: 'Watching TV', author: me._id });

  assert.equal(await BlogPost.objects.count(), 1);
  await assert.rejects(Person.objects.all().delete(), ProtectedError);
});

interface AuthorsPostRaw {
  content?: string;
  authors?: Id[];
}

/** The pull cases: me and someoneelse on one post, someoneelse alone on another; someoneelse deleted. */
async function pullCase(abstract: boolean) {
  const Person = await person(conn);
  const authors = ArrayReferenceField(Person.modelName, { onDelete: 'PULL' });
  const schema = abstract
    ? new mongoose.Schema({ authors }).clone().add({ content: String })
    : new mongoose.Schema({ content: String, authors });
  const BlogPost = await model<AuthorsPostRaw>('BlogPost', schema);
  const me = await Person.create({ name: 'Test User' });
  const someoneelse = await Person.create({ name: 'Some-one Else' });
  const post = await BlogPost.create({ content: 'Watching TV', authors: [me._id, someoneelse._id] });
  const another = await BlogPost.create({ content: 'Chilling Out', authors: [someoneelse._id] });

  await someoneelse.deleteOne();
  await refreshFromDb(post);
  await refreshFromDb(another);

  assert.deepEqual((post.authors ?? []).map(String), [String(me._id)]);
  assert.deepEqual((another.authors ?? []).map(String), []);
}

peer.case('TestQueryset.test_reverse_delete_rule_pull', () => pullCase(false));

peer.case('TestQueryset.test_reverse_delete_rule_pull_on_abstract_documents', () => pullCase(true));

// MongoEngine deletes the slice (and cascades). Django refuses to delete a
// sliced QuerySet, and djongoose follows Django (#12 §2): NotSupportedError,
// nothing deleted, nothing cascaded.
peer.case('TestQueryset.test_delete_with_limit_handles_delete_rules', async () => {
  const { Person, BlogPost } = await threePosts('CASCADE');
  assert.equal(await BlogPost.objects.count(), 3);
  await assert.rejects(Person.objects.all().slice(0, 1).delete(), NotSupportedError);
  assert.equal(await BlogPost.objects.count(), 3);
});
