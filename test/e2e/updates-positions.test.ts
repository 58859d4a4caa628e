// List positions in update keys (issue 12 §2.14), MongoEngine's: a number
// after a list names an element, `S` the element the filter matched (MongoDB's
// positional `$`), and a number ending a push__ key is where the values go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError, NotSupportedError, ValidationError, compileUpdate } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
const scope = { schema: entrySchema(), modelName: 'Entry' };

async function fixture() {
  await Entry.deleteMany({});
  const doc = await Entry.objects.create({
    headline: 'p',
    tags: ['a', 'b'],
    comments: [
      { author: 'ann', score: 1 },
      { author: 'bob', score: 2 },
    ],
  });
  await Entry.objects.create({ headline: 'bystander', tags: ['a'], comments: [{ author: 'bob', score: 9 }] });
  return { qs: Entry.objects.filter({ pk: doc._id }), id: doc._id };
}

async function stored(id: unknown) {
  return (await Entry.findById(id).lean())!;
}

test(`positions on ${server.name}: set__comments__1__author writes one element`, async () => {
  // MongoEngine's test_editting_embedded_objects (set__tags__0__name).
  const { qs, id } = await fixture();
  assert.deepEqual(compileUpdate(scope, { set__comments__1__author: 'cid' }), { $set: { 'comments.1.author': 'cid' } });
  assert.equal(await qs.update({ set__comments__1__author: 'cid' }), 1);
  assert.deepEqual((await stored(id)).comments, [
    { author: 'ann', score: 1 },
    { author: 'cid', score: 2 },
  ]);
});

test(`positions on ${server.name}: set__tags__0 and inc__comments__0__score`, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ set__tags__0: 'z', inc__comments__0__score: 10 }), 1);
  const after = await stored(id);
  assert.deepEqual(after.tags, ['z', 'b']);
  assert.equal(after.comments?.[0]?.score, 11);
});

test(
  `positions on ${server.name}: inc__comments__S__score changes the matched element`,
  { skip: lacks('positionalUpdates') },
  async () => {
    const { id } = await fixture();
    const qs = Entry.objects.filter({ pk: id, comments__author: 'bob' });
    assert.deepEqual(compileUpdate(scope, { inc__comments__S__score: 3 }), { $inc: { 'comments.$.score': 3 } });
    assert.equal(await qs.update({ inc__comments__S__score: 3 }), 1);
    assert.deepEqual((await stored(id)).comments, [
      { author: 'ann', score: 1 },
      { author: 'bob', score: 5 },
    ]);
    // MongoEngine's test_set_list_embedded_documents: set__authors__S with a whole element.
    assert.equal(
      await Entry.objects.filter({ comments__author: 'ann' }).update({ set__comments__S: { author: 'Ross' } }),
      1,
    );
    assert.deepEqual((await stored(id)).comments?.[0], { author: 'Ross' });
  },
);

test(`positions on ${server.name}: a server without the positional $ gives NotSupportedError`, async (t) => {
  if (!lacks('positionalUpdates')) return t.skip(`${server.name} runs the positional $`);
  const { id } = await fixture();
  const before = JSON.stringify(await Entry.find({}).sort({ _id: 1 }).lean());
  await assert.rejects(
    Entry.objects.filter({ pk: id, comments__author: 'bob' }).update({ inc__comments__S__score: 3 }),
    (err: unknown) => err instanceof NotSupportedError && /positional \$/.test(err.message),
  );
  assert.equal(JSON.stringify(await Entry.find({}).sort({ _id: 1 }).lean()), before);
});

test(`positions on ${server.name}: push__tags__0 pushes at the front`, { skip: lacks('pushPosition') }, async () => {
  const { qs, id } = await fixture();
  assert.deepEqual(compileUpdate(scope, { push__tags__0: 'new' }), {
    $push: { tags: { $each: ['new'], $position: 0 } },
  });
  assert.equal(await qs.update({ push__tags__0: 'new' }), 1);
  assert.deepEqual((await stored(id)).tags, ['new', 'a', 'b']);
  assert.equal(await qs.update({ push_all__tags__1: ['x', 'y'] }), 1);
  assert.deepEqual((await stored(id)).tags, ['new', 'x', 'y', 'a', 'b']);
});

const REFUSED: [string, () => Promise<unknown>, new (...args: never[]) => Error, RegExp][] = [
  [
    'S without a filter on the list',
    () => Entry.objects.filter({ headline: 'p' }).update({ inc__comments__S__score: 1 }),
    FieldError,
    /filter has no condition on comments/,
  ],
  [
    'push at S',
    () => Entry.objects.filter({ tags: 'a' }).update({ push__tags__S: 'x' }),
    FieldError,
    /numbered position/,
  ],
  [
    'an element value of another type',
    () => Entry.objects.filter({ headline: 'p' }).update({ set__tags__0: 5 as unknown as string }),
    ValidationError,
    /Entry\.tags\.0 takes a String/,
  ],
  [
    'an unknown field of the element',
    () => Entry.objects.filter({ headline: 'p' }).update({ set__comments__0__autor: 'x' } as Record<string, unknown>),
    FieldError,
    /Did you mean "author"/,
  ],
  [
    'inc__ at a position of a list of String',
    () =>
      Entry.objects
        .filter({ headline: 'p' })
        .update({ set__comments__0__score: 1, inc__tags__0: 1 } as Record<string, unknown>),
    FieldError,
    /numeric fields/,
  ],
];

for (const [name, write, error, pattern] of REFUSED) {
  test(`positions on ${server.name}: ${name} is refused, nothing written`, async () => {
    await fixture();
    const before = JSON.stringify(await Entry.find({}).sort({ _id: 1 }).lean());
    await assert.rejects(write, (err: unknown) => {
      assert.ok(err instanceof error, String(err));
      assert.match((err as Error).message, pattern);
      return true;
    });
    assert.equal(JSON.stringify(await Entry.find({}).sort({ _id: 1 }).lean()), before);
  });
}
