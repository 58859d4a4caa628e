// djongo's fields against a real server: what is stored, what the manager
// finds through them, and the related managers of ArrayReferenceField.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { Schema, type HydratedDocument, type Types } from 'mongoose';
import { DoesNotExist, ImproperlyConfigured, manager, type Managed } from '../../index.js';
import {
  abstractModel,
  ArrayField,
  ArrayReferenceField,
  EmbeddedField,
  GenericObjectIdField,
  JSONField,
  jsonFields,
  ObjectIdField,
  referencedBy,
  references,
} from '../../fields/index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });

// The seed's models, in djongo's fields.
const Blog = abstractModel({ name: { type: String, maxlength: 100 }, tagline: String });
const Comment = abstractModel({ author: String, text: String, score: Number });

interface AuthorRaw {
  name?: string;
}
interface EntryRaw {
  blog?: { name?: string; tagline?: string };
  headline?: string;
  comments?: { author?: string; text?: string; score?: number }[];
  tags?: string[];
  authors?: Types.ObjectId[];
  data?: { label?: string; chart?: Record<string, number>; [key: string]: unknown };
  source?: Types.ObjectId;
}

const authorSchema = new Schema<AuthorRaw>({ name: String });
authorSchema.plugin(manager);
const Author = await ready(conn.model<AuthorRaw, Managed<AuthorRaw>>('Author', authorSchema));

const entrySchema = new Schema<EntryRaw>({
  blog: EmbeddedField(Blog),
  headline: { type: String, maxlength: 255 },
  comments: ArrayField(Comment),
  tags: ArrayField(String),
  authors: ArrayReferenceField(Author),
  data: JSONField(),
  source: GenericObjectIdField(),
});
entrySchema.plugin(manager);
entrySchema.plugin(jsonFields);
const Entry = await ready(conn.model<EntryRaw, Managed<EntryRaw>>('Entry', entrySchema));

const [john, paul, george] = await Author.create([{ name: 'John' }, { name: 'Paul' }, { name: 'George' }]);
assert.ok(john && paul && george);

await Entry.create([
  {
    blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' },
    headline: 'Hey Jude',
    comments: [
      { author: 'ann', text: 'Na na na', score: 5 },
      { author: 'bob', text: 'Too long', score: 2 },
    ],
    tags: ['rock', 'ballad'],
    data: { label: 'Apple', chart: { uk: 1, us: 1 } },
  },
  {
    blog: { name: 'Stones Weekly', tagline: 'Rolling news.' },
    headline: 'Paint It Black',
    comments: [{ author: 'bob', text: 'Dark', score: 4 }],
    tags: ['rock'],
    data: { label: 'Decca', chart: { uk: 1, us: 1 } },
  },
]);

const raw = (headline: string) => conn.db!.collection('entries').findOne({ headline });
const headlines = (docs: readonly { headline?: string }[]) => docs.map((d) => d.headline).sort();

describe(`djongo's fields on ${server.name}`, () => {
  test('embedded documents are stored as djongo stores them: plain objects without _id', async () => {
    const stored = await raw('Hey Jude');
    assert.deepEqual(stored?.['blog'], { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' });
    assert.deepEqual(stored?.['comments'][0], { author: 'ann', text: 'Na na na', score: 5 });
    const loaded = await Entry.objects.get({ headline: 'Hey Jude' });
    assert.equal(loaded.blog?.name, 'Beatles Blog');
    assert.equal(loaded.comments?.[1]?.author, 'bob');
  });

  test('filters reach into embedded documents', async () => {
    assert.deepEqual(headlines(await Entry.objects.filter({ blog__name__startswith: 'B' })), ['Hey Jude']);
    assert.deepEqual(headlines(await Entry.objects.filter({ blog__tagline__icontains: 'ROLLING' })), [
      'Paint It Black',
    ]);
    // djongo's own form: the lookup applies to each inner field given.
    assert.deepEqual(headlines(await Entry.objects.filter({ blog__startswith: { name: 'Stones' } })), [
      'Paint It Black',
    ]);
    assert.deepEqual(await Entry.objects.orderBy('-blog__name').valuesList('blog__name', { flat: true }), [
      'Stones Weekly',
      'Beatles Blog',
    ]);
  });

  test('filters reach into arrays of embedded documents and of scalars', async () => {
    assert.deepEqual(headlines(await Entry.objects.filter({ comments__author: 'ann' })), ['Hey Jude']);
    assert.deepEqual(headlines(await Entry.objects.filter({ comments__author: 'bob' })), [
      'Hey Jude',
      'Paint It Black',
    ]);
    assert.deepEqual(headlines(await Entry.objects.filter({ comments__score__gte: 5 })), ['Hey Jude']);
    assert.deepEqual(headlines(await Entry.objects.exclude({ comments__text__icontains: 'dark' })), ['Hey Jude']);
    assert.deepEqual(headlines(await Entry.objects.filter({ tags__contains: 'ballad' })), ['Hey Jude']);
    assert.deepEqual(headlines(await Entry.objects.filter({ tags: 'rock' })), ['Hey Jude', 'Paint It Black']);
  });

  test('an embedded document changed and saved is written back', async () => {
    const entry = await Entry.objects.get({ headline: 'Paint It Black' });
    entry.comments!.push({ author: 'cid', text: 'Yes', score: 3 });
    entry.blog!.tagline = 'Rolling news, weekly.';
    await entry.save();
    const stored = await raw('Paint It Black');
    assert.equal(stored?.['blog']['tagline'], 'Rolling news, weekly.');
    assert.deepEqual(
      stored?.['comments'].map((c: { author: string }) => c.author),
      ['bob', 'cid'],
    );
  });

  test('an abstract model cannot be made a model of its own', () => {
    assert.throws(() => conn.model('Blog', Blog), ImproperlyConfigured);
    assert.ok(!conn.modelNames().includes('Blog'));
  });

  test('JSONField: sub-key filters', async () => {
    assert.deepEqual(headlines(await Entry.objects.filter({ data__label: 'Apple' })), ['Hey Jude']);
    assert.deepEqual(headlines(await Entry.objects.filter({ data__chart__uk__lte: 1 })), [
      'Hey Jude',
      'Paint It Black',
    ]);
    assert.deepEqual(headlines(await Entry.objects.filter({ data__label__in: ['Decca', 'EMI'] })), ['Paint It Black']);
    assert.deepEqual(headlines(await Entry.objects.filter({ data__missing__exists: true })), []);
  });

  test('JSONField: a change made in place is saved, and an unchanged value is not sent', async () => {
    const entry = await Entry.objects.get({ headline: 'Hey Jude' });
    const untouched = await commandsDuring(conn, () => entry.save());
    assert.deepEqual(
      untouched.filter((c) => c.name === 'update'),
      [],
      'nothing changed, nothing written',
    );

    entry.data!.chart!['uk'] = 2; // in place: Mongoose alone would not see it
    entry.data!['remastered'] = true;
    const sent = await commandsDuring(conn, () => entry.save());
    const updates = sent.filter((c) => c.name === 'update');
    assert.equal(updates.length, 1);
    assert.deepEqual(Object.keys(updates[0]!.command['updates'][0].u.$set ?? {}), ['data']);
    assert.deepEqual((await raw('Hey Jude'))?.['data'], {
      label: 'Apple',
      chart: { uk: 2, us: 1 },
      remastered: true,
    });
    assert.deepEqual(headlines(await Entry.objects.filter({ data__chart__uk: 2 })), ['Hey Jude']);

    // After the save the new value is the one compared against.
    const again = await commandsDuring(conn, () => entry.save());
    assert.deepEqual(
      again.filter((c) => c.name === 'update'),
      [],
    );
  });

  test('a document djongo wrote (no __v, plain embedded objects) loads, filters and saves', async () => {
    const _id = new mongoose.Types.ObjectId();
    await conn.db!.collection('entries').insertOne({
      _id,
      blog: { name: 'Djongo Blog', tagline: 'Written by Django' },
      headline: 'From djongo',
      comments: [{ author: 'dj', text: 'hello', score: 1 }],
      authors: [john._id],
      data: { label: 'Django' },
    });
    const entry = await Entry.objects.get({ blog__name: 'Djongo Blog' });
    assert.deepEqual(
      (await references(entry, 'authors', Author).all()).map((a) => a.name),
      ['John'],
    );
    entry.data!.label = 'Djongoose';
    await entry.save();
    assert.equal((await conn.db!.collection('entries').findOne({ _id }))?.['data']['label'], 'Djongoose');
    await Entry.objects.filter({ pk: _id }).delete();
  });

  test('ObjectIdField as _id, GenericObjectIdField as a plain value', async () => {
    const schema = new Schema({ _id: ObjectIdField(), name: String, parent: GenericObjectIdField() });
    schema.plugin(manager);
    const Node = conn.model<
      { name?: string; parent?: Types.ObjectId },
      Managed<{ name?: string; parent?: Types.ObjectId }>
    >('Node', schema);
    const root = await Node.objects.create({ name: 'root' });
    assert.ok(root._id instanceof mongoose.Types.ObjectId);
    assert.equal(root.parent, undefined);
    const child = await Node.objects.create({ name: 'child', parent: String(root._id) });
    assert.ok(child.parent instanceof mongoose.Types.ObjectId);
    assert.equal((await Node.objects.get({ parent: String(root._id) })).name, 'child');
    assert.equal((await Node.objects.get({ pk: String(child._id) })).name, 'child');
    const stored = await conn.db!.collection(Node.collection.collectionName).findOne({ name: 'child' });
    assert.ok(stored?.['parent'] instanceof mongoose.mongo.ObjectId, 'stored as an ObjectId, not a string');
  });
});

describe(`ArrayReferenceField on ${server.name}`, () => {
  async function freshEntry(headline: string): Promise<HydratedDocument<EntryRaw>> {
    return Entry.objects.create({ headline });
  }
  const names = async (qs: PromiseLike<HydratedDocument<AuthorRaw>[]>) => (await qs).map((a) => a.name).sort();
  const storedAuthors = async (headline: string) =>
    ((await raw(headline))?.['authors'] as Types.ObjectId[]).map(String);

  test('add: one $addToSet, no duplicates, mirrored in memory and not sent again by save', async () => {
    const entry = await freshEntry('Help!');
    const authors = references(entry, 'authors', Author);
    const sent = await commandsDuring(conn, () => authors.add(john, paul._id, String(john._id)));
    assert.deepEqual(
      sent.map((c) => c.name),
      ['update'],
    );
    assert.deepEqual(sent[0]!.command['updates'][0].u, {
      $addToSet: { authors: { $each: [john._id, paul._id] } },
    });
    await authors.add(paul, george);
    assert.deepEqual(
      await storedAuthors('Help!'),
      [john, paul, george].map((a) => String(a._id)),
    );
    assert.deepEqual(
      entry.authors!.map(String),
      [john, paul, george].map((a) => String(a._id)),
    );
    assert.equal(entry.isModified('authors'), false);
    const saved = await commandsDuring(conn, () => entry.save());
    assert.deepEqual(
      saved.filter((c) => c.name === 'update'),
      [],
    );
  });

  test('all and filter return the referenced documents as a QuerySet', async () => {
    const entry = await Entry.objects.get({ headline: 'Help!' });
    const authors = references(entry, 'authors', Author);
    assert.deepEqual(await names(authors.all()), ['George', 'John', 'Paul']);
    assert.deepEqual(await names(authors.filter({ name__startswith: 'J' })), ['John']);
    assert.equal(await authors.all().count(), 3);
    // The target model can also come from the ref, on the document's connection.
    assert.deepEqual(await names(references(entry, 'authors').all() as never), ['George', 'John', 'Paul']);
  });

  test('remove: one $pullAll', async () => {
    const entry = await Entry.objects.get({ headline: 'Help!' });
    const sent = await commandsDuring(conn, () => references(entry, 'authors', Author).remove(john, george._id));
    assert.deepEqual(sent[0]!.command['updates'][0].u, { $pullAll: { authors: [john._id, george._id] } });
    assert.deepEqual(await storedAuthors('Help!'), [String(paul._id)]);
    assert.deepEqual(entry.authors!.map(String), [String(paul._id)]);
  });

  test('set: one $set in the given order; clear: $set to []', async () => {
    const entry = await Entry.objects.get({ headline: 'Help!' });
    const authors = references(entry, 'authors', Author);
    await authors.set([george, john]);
    assert.deepEqual(await storedAuthors('Help!'), [String(george._id), String(john._id)]);
    assert.deepEqual(entry.authors!.map(String), [String(george._id), String(john._id)]);
    await authors.clear();
    assert.deepEqual(await storedAuthors('Help!'), []);
    assert.deepEqual([...entry.authors!], []);
    assert.deepEqual(await authors.all(), []);
  });

  test('a stale copy does not undo changes made meanwhile: changes are update operators, not array rewrites', async () => {
    const mine = await Entry.objects.get({ headline: 'Help!' });
    const theirs = await Entry.objects.get({ headline: 'Help!' });
    await references(mine, 'authors', Author).add(john);
    await references(theirs, 'authors', Author).add(paul); // theirs has not seen john
    await theirs.save();
    assert.deepEqual((await storedAuthors('Help!')).sort(), [String(john._id), String(paul._id)].sort());
  });

  test('create makes the target and references it', async () => {
    const entry = await freshEntry('Yesterday');
    const ringo = await references(entry, 'authors', Author).create({ name: 'Ringo' });
    assert.equal(ringo.name, 'Ringo');
    assert.deepEqual(await storedAuthors('Yesterday'), [String(ringo._id)]);
  });

  test('a document not saved yet gets its references on its first save', async () => {
    const entry = new Entry({ headline: 'Let It Be' });
    await references(entry, 'authors', Author).add(paul);
    await entry.save();
    assert.deepEqual(await storedAuthors('Let It Be'), [String(paul._id)]);
  });

  test('a document deleted meanwhile: DoesNotExist', async () => {
    const entry = await freshEntry('Gone');
    await Entry.objects.filter({ pk: entry._id }).delete();
    await assert.rejects(references(entry, 'authors', Author).add(john), DoesNotExist);
  });

  test('reverse: the documents that reference a target, with working add, remove, set, clear', async () => {
    await Entry.objects.filter({ headline__in: ['Help!', 'Yesterday', 'Let It Be'] }).update({ authors: [] });
    const [help, yesterday] = await Promise.all([
      Entry.objects.get({ headline: 'Help!' }),
      Entry.objects.get({ headline: 'Yesterday' }),
    ]);
    const johnsEntries = referencedBy(Entry, 'authors', john);
    assert.deepEqual(await johnsEntries.all(), []);

    await johnsEntries.add(help, yesterday._id);
    assert.deepEqual(headlines(await johnsEntries.all()), ['Help!', 'Yesterday']);
    assert.deepEqual(help.authors!.map(String), [String(john._id)], 'a document passed in is updated in memory');
    assert.deepEqual(headlines(await johnsEntries.filter({ headline__startswith: 'Y' })), ['Yesterday']);
    assert.equal(await referencedBy(Entry, 'authors', String(john._id)).all().count(), 2);

    await johnsEntries.remove(help);
    assert.deepEqual(headlines(await johnsEntries.all()), ['Yesterday']);
    assert.deepEqual([...help.authors!], []);

    await johnsEntries.set([help]);
    assert.deepEqual(headlines(await johnsEntries.all()), ['Help!']);

    await references(help, 'authors', Author).add(paul);
    await johnsEntries.clear();
    assert.deepEqual(await johnsEntries.all(), []);
    assert.deepEqual(await storedAuthors('Help!'), [String(paul._id)], 'only the target is pulled');
  });
});
