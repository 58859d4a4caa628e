// MongoEngine's pull with lookups (issue 12 §2.15): the part of a pull__ key
// after the list is a condition on each element, sent as $pull's condition on
// the list, never as a dotted path into it (which MongoDB refuses and
// mongo-java-server silently ignores).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, ValidationError, compileUpdate, manager, type Managed } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));

interface SiteRaw {
  name?: string;
  collaborators?: { user?: string }[];
}
const collaborator = new mongoose.Schema({ user: String }, { _id: false });
const siteSchema = new mongoose.Schema<SiteRaw>({ name: String, collaborators: [collaborator] });
siteSchema.plugin(manager);
const Site = await ready(conn.model<SiteRaw, Managed<SiteRaw>>('Site', siteSchema));

const skip = lacks('pullConditions');

/** Creates one entry, applies `changes` to it, and returns it as stored after. */
async function afterPull(changes: Record<string, unknown>) {
  await Entry.deleteMany({});
  const doc = await Entry.objects.create({
    headline: 'p',
    tags: ['a', 'b', 'c'],
    comments: [
      { author: 'ann', score: 1 },
      { author: 'bob', score: 5 },
      { author: 'cid', score: 2 },
    ],
    data: { list: [1, 4, 7] },
  });
  assert.equal(await Entry.objects.filter({ pk: doc._id }).update(changes), 1);
  return (await Entry.findById(doc._id).lean()) as unknown as Record<string, unknown>;
}

test(`pull on ${server.name}: pull__collaborators__user compiles to a condition on the list`, { skip }, async () => {
  // MongoEngine's test_pull_nested.
  await Site.deleteMany({});
  const site = await Site.objects.create({ name: 'test', collaborators: [{ user: 'Esteban' }, { user: 'Ross' }] });
  const update = compileUpdate({ schema: siteSchema, modelName: 'Site' }, { pull__collaborators__user: 'Esteban' });
  assert.deepEqual(update, { $pull: { collaborators: { user: 'Esteban' } } });
  assert.equal(await Site.objects.filter({ pk: site._id }).update({ pull__collaborators__user: 'Esteban' }), 1);
  const after = await Site.findById(site._id).lean();
  assert.deepEqual(after?.collaborators, [{ user: 'Ross' }]);
});

test(`pull on ${server.name}: pull_all__collaborators__user is a FieldError, nothing written`, async () => {
  await Site.deleteMany({});
  const site = await Site.objects.create({ name: 'test', collaborators: [{ user: 'Ross' }] });
  await assert.rejects(
    Site.objects.filter({ pk: site._id }).update({ pull_all__collaborators__user: ['Ross'] }),
    FieldError,
  );
  assert.deepEqual((await Site.findById(site._id).lean())?.collaborators, [{ user: 'Ross' }]);
});

const CASES: [string, Record<string, unknown>, (doc: Record<string, unknown>) => void][] = [
  [
    'pull__comments__score__lt',
    { pull__comments__score__lt: 3 },
    (d) => assert.deepEqual(d['comments'], [{ author: 'bob', score: 5 }]),
  ],
  [
    'pull__comments__score__gte with a numeric string (cast by the field)',
    { pull__comments__score__gte: '2' },
    (d) => assert.deepEqual(d['comments'], [{ author: 'ann', score: 1 }]),
  ],
  ['pull__tags__in', { pull__tags__in: ['a', 'c', 'z'] }, (d) => assert.deepEqual(d['tags'], ['b'])],
  ['pull__tags__nin', { pull__tags__nin: ['a', 'z'] }, (d) => assert.deepEqual(d['tags'], ['a'])],
  [
    'pull__comments__author__in',
    { pull__comments__author__in: ['ann', 'cid'] },
    (d) => assert.deepEqual(d['comments'], [{ author: 'bob', score: 5 }]),
  ],
  [
    'pull__data__list__gt inside a JSON value',
    { pull__data__list__gt: 3 },
    (d) => assert.deepEqual(d['data'], { list: [1] }),
  ],
];

for (const [name, changes, check] of CASES) {
  test(`pull on ${server.name}: ${name}`, { skip }, async () => {
    check(await afterPull(changes));
  });
}

const REFUSED: [string, Record<string, unknown>, new (...args: never[]) => Error, RegExp][] = [
  ['a lookup on a field that is no list', { pull__headline__in: ['p'] }, FieldError, /pull__ works on list fields/],
  ['an operator as the value', { pull__comments__author: { $ne: null } }, ValidationError, /cannot cast/],
  ['a value that does not cast', { pull__comments__score__lt: 'x' }, ValidationError, /Number/],
  ['a lookup on another update key', { inc__rating__lt: 1 }, FieldError, /only pull__ takes a lookup/],
];

for (const [name, changes, error, pattern] of REFUSED) {
  test(`pull on ${server.name}: ${name} is refused, nothing written`, async () => {
    await Entry.deleteMany({});
    const doc = await Entry.objects.create({
      headline: 'p',
      rating: 2,
      tags: ['a'],
      comments: [{ author: 'ann', score: 1 }],
    });
    const before = JSON.stringify(await Entry.findById(doc._id).lean());
    await assert.rejects(Entry.objects.filter({ pk: doc._id }).update(changes), (err: unknown) => {
      assert.ok(err instanceof error, `expected ${error.name}, got ${String(err)}`);
      assert.match((err as Error).message, pattern);
      return true;
    });
    assert.equal(JSON.stringify(await Entry.findById(doc._id).lean()), before);
  });
}
