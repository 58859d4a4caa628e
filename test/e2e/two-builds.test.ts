// An app that both imports and requires djongoose runs two copies of it: the
// ESM and the CommonJS build. Values and errors of one copy work with the
// other, and a lookup registered by one is known to both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { lacks, openTestDatabase, ready } from '../helpers/server.js';
import { loadBothBuilds } from '../helpers/two-builds.js';
import type { FilterInput, Managed as ManagedModel, QNode } from '../../index.js';

const { esm, cjs } = await loadBothBuilds();

interface Row {
  headline: string;
  views: number;
  likes: number;
}
type Managed = ManagedModel<Row>;

const conn = await openTestDatabase(import.meta.url);

/** A model whose plugin (and so its manager) comes from `copy`. */
async function modelOf(copy: typeof esm, name: string): Promise<Managed> {
  const schema = new mongoose.Schema<Row>({ headline: String, views: Number, likes: Number });
  schema.plugin(copy.djongo);
  const model = await ready(conn.model(name, schema) as unknown as Managed);
  await model.insertMany([
    { headline: 'Hey Jude', views: 100, likes: 150 },
    { headline: 'Abbey Road', views: 200, likes: 20 },
    { headline: 'Paint It Black', views: 50, likes: 60 },
  ]);
  return model;
}

const Entry = await modelOf(esm, 'EsmEntry');
const CjsEntry = await modelOf(cjs, 'CjsEntry');

const headlines = async (filter: QNode | FilterInput): Promise<unknown[]> =>
  Entry.objects.filter(filter).orderBy('headline').valuesList('headline', { flat: true });

test('the two builds are two copies of the package', () => {
  assert.notEqual(esm.Q, cjs.Q);
  assert.notEqual(esm.DoesNotExist, cjs.DoesNotExist);
  assert.notEqual(esm.registerLookup, cjs.registerLookup);
});

test('CommonJS Q and Raw filter through the ESM manager', async () => {
  assert.deepEqual(await headlines(cjs.Q({ views__gte: 100 }).or({ headline__startswith: 'Paint' }).not()), []);
  assert.deepEqual(await headlines(cjs.Q({ views__gte: 150 }).or({ headline__startswith: 'Paint' })), [
    'Abbey Road',
    'Paint It Black',
  ]);
  assert.deepEqual(await headlines(cjs.Q.not({ views__gte: 100 })), ['Paint It Black']);
  assert.deepEqual(await headlines(cjs.Raw({ views: { $lt: 100 } })), ['Paint It Black']);
  // Mixed in one tree with the ESM copy's nodes.
  assert.deepEqual(await headlines(esm.Q({ views__gte: 100 }).and(cjs.Raw({ likes: { $gt: 100 } }))), ['Hey Jude']);
});

test('a CommonJS F compares fields through the ESM manager', { skip: lacks('exprComparison') }, async () => {
  assert.deepEqual(await headlines({ likes__gt: cjs.F('views') }), ['Hey Jude', 'Paint It Black']);
  assert.deepEqual(await headlines({ likes__gt: cjs.F('views').plus(20) }), ['Hey Jude']);
});

test('a CommonJS F computes an update through the ESM manager', async () => {
  const Scratch = await modelOf(esm, 'EsmScratch');
  await Scratch.objects.filter({ headline: 'Hey Jude' }).update({ views: cjs.F('views').plus(1) });
  assert.equal((await Scratch.objects.get({ headline: 'Hey Jude' })).views, 101);
});

test('CommonJS aggregates run through the ESM manager', async () => {
  // One accumulator per $group, $sum and $count only: what FerretDB v1.24 computes.
  assert.deepEqual(await Entry.objects.aggregate({ total: cjs.Sum('views') }), { total: 350 });
  assert.deepEqual(await Entry.objects.filter({ views__gte: 100 }).aggregate({ n: cjs.Count() }), { n: 2 });
});

test('a CommonJS F annotates through the ESM manager', { skip: lacks('arithmeticExpressions') }, async () => {
  const net = await Entry.objects
    .annotate({ net: cjs.F('likes').minus(cjs.F('views')) })
    .orderBy('headline')
    .valuesList('net', { flat: true });
  assert.deepEqual(net, [-180, 50, 10]);
});

test('an error thrown by either copy is an instance of both copies’ classes', async () => {
  for (const model of [Entry, CjsEntry]) {
    const err: unknown = await model.objects.get({ headline: 'nope' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    for (const copy of [esm, cjs]) {
      assert.ok(err instanceof copy.DoesNotExist, `${String(err)} instanceof DoesNotExist`);
      assert.ok(err instanceof copy.DjongooseError);
      assert.equal(err instanceof copy.MultipleObjectsReturned, false);
      assert.equal(err instanceof copy.FieldError, false);
    }
  }
  // Raised when filter() is called; the async wrapper turns it into a rejection.
  const fieldError: unknown = await (async () => CjsEntry.objects.filter({ headlin: 'x' } as FilterInput))().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(fieldError instanceof esm.FieldError, String(fieldError));
  assert.equal(fieldError instanceof esm.DoesNotExist, false);
  // A subclass keeps its ancestry across copies; a sibling does not match.
  const empty = new cjs.EmptyPage('Page 9 is out of range', 9, 2);
  assert.ok(empty instanceof esm.EmptyPage && empty instanceof esm.InvalidPage && empty instanceof esm.DjongooseError);
  assert.equal(empty instanceof esm.PageNotAnInteger, false);
  assert.equal(new esm.InvalidPage('x') instanceof cjs.EmptyPage, false);
  // A plain error, or an object that only looks like one, is none of them.
  assert.equal(Object.assign(new Error('x'), { name: 'DoesNotExist' }) instanceof esm.DoesNotExist, false);
});

test('a lookup registered by the CommonJS copy is used by the ESM manager', async () => {
  const name = `shout_${process.pid}`;
  await assert.rejects(headlines({ [`headline__${name}`]: 'hey jude' }), esm.FieldError);
  cjs.registerLookup('String', {
    name,
    compile: (target, value) => ({ [target.path]: { $regex: `^${String(value)}$`, $options: 'i' } }),
  });
  assert.deepEqual(await headlines({ [`headline__${name}`]: 'hey jude' }), ['Hey Jude']);
});

test('file values of the CommonJS copy are recognised by the ESM copy', async () => {
  const storage = new cjs.GridFSStorage({ collection: 'twobuilds', connection: conn });
  // The ESM FileField takes the CommonJS storage.
  const schema = new mongoose.Schema({ avatar: { type: esm.FileField, storage } });
  const Profile = conn.model('TwoBuildsProfile', schema);
  const name = await storage.save('avatars/me.txt', Buffer.from('hello'));
  const doc = new Profile({ avatar: cjs.existingFile(name) });
  await doc.save();
  const found = await Profile.findById(doc._id).orFail();
  const file = esm.fieldFile(found as never, 'avatar');
  assert.ok(file instanceof cjs.FieldFile);
  assert.equal(file.name, name);
  assert.equal(Buffer.concat(await (await file.open()).toArray()).toString(), 'hello');
});
