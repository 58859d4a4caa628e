// Every MongoEngine-style update key, and F arithmetic, against a real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F, FieldError } from '../../index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const Entry = entryModel(await openTestDatabase(import.meta.url));

async function afterUpdate(changes: Record<string, unknown>, start: Record<string, unknown> = {}) {
  const doc = await Entry.objects.create({
    headline: 'u',
    rating: 3,
    views: 10,
    likes: 4,
    tags: ['a', 'b', 'c'],
    blog: { name: 'B' },
    ...start,
  });
  assert.equal(await Entry.objects.filter({ pk: doc._id }).update(changes), 1);
  const after = await Entry.objects.filter({ pk: doc._id }).lean().first();
  await Entry.objects.filter({ pk: doc._id }).delete();
  return after as Record<string, unknown>;
}

const cases: [string, Record<string, unknown>, (doc: Record<string, unknown>) => void][] = [
  ['bare key sets', { headline: 'v' }, (d) => assert.equal(d['headline'], 'v')],
  ['set__ into an embedded document', { set__blog__name: 'C' }, (d) => assert.deepEqual(d['blog'], { name: 'C' })],
  ['unset__', { unset__rating: true }, (d) => assert.ok(!('rating' in d))],
  ['inc__', { inc__views: 5 }, (d) => assert.equal(d['views'], 15)],
  ['dec__', { dec__views: 5 }, (d) => assert.equal(d['views'], 5)],
  ['mul__', { mul__views: 3 }, (d) => assert.equal(d['views'], 30)],
  ['min__', { min__views: 2 }, (d) => assert.equal(d['views'], 2)],
  ['max__', { max__views: 2 }, (d) => assert.equal(d['views'], 10)],
  ['pop__ last', { pop__tags: 1 }, (d) => assert.deepEqual(d['tags'], ['a', 'b'])],
  ['pop__ first', { pop__tags: -1 }, (d) => assert.deepEqual(d['tags'], ['b', 'c'])],
  ['push__', { push__tags: 'd' }, (d) => assert.deepEqual(d['tags'], ['a', 'b', 'c', 'd'])],
  ['push_all__', { push_all__tags: ['d', 'e'] }, (d) => assert.deepEqual(d['tags'], ['a', 'b', 'c', 'd', 'e'])],
  ['pull__', { pull__tags: 'b' }, (d) => assert.deepEqual(d['tags'], ['a', 'c'])],
  ['pull_all__', { pull_all__tags: ['a', 'c'] }, (d) => assert.deepEqual(d['tags'], ['b'])],
  ['add_to_set__', { add_to_set__tags: ['a', 'z'] }, (d) => assert.deepEqual(d['tags'], ['a', 'b', 'c', 'z'])],
  [
    'set_on_insert__ leaves an existing document alone',
    { set_on_insert__rating: 9, headline: 'w' },
    (d) => assert.equal(d['rating'], 3),
  ],
  ['rename__', { rename__likes: 'hearts' }, (d) => assert.ok(d['hearts'] === 4 && !('likes' in d))],
  ['F plus', { views: F('views').plus(2) }, (d) => assert.equal(d['views'], 12)],
  ['F minus', { views: F('views').minus(2) }, (d) => assert.equal(d['views'], 8)],
  ['F times', { views: F('views').times(2) }, (d) => assert.equal(d['views'], 20)],
  ['F dividedBy', { views: F('views').dividedBy(2) }, (d) => assert.equal(d['views'], 5)],
];

for (const [name, changes, check] of cases) {
  test(`update on ${server.name}: ${name}`, async () => {
    check(await afterUpdate(changes));
  });
}

test('an unknown update field is a FieldError and nothing is written', async () => {
  const doc = await Entry.objects.create({ headline: 'guard', views: 1 });
  await assert.rejects(
    // @ts-expect-error no field "veiws": refused at compile time too
    Entry.objects.filter({ pk: doc._id }).update({ inc__veiws: 1 }),
    (e: unknown) => e instanceof FieldError && /Did you mean "views"/.test((e as Error).message),
  );
  // @ts-expect-error a lookup is not an update key: refused at compile time too
  await assert.rejects(Entry.objects.filter({ pk: doc._id }).update({ views__gt: 1 }), FieldError);
  assert.equal((await Entry.objects.get({ pk: doc._id })).views, 1);
});
