// Update values are checked against the field's type (issue 12 §2.17), as
// MongoEngine's ValidationError: a value of another type is refused before
// anything is sent, where Mongoose would cast it silently (1 stored as "1");
// a string Mongoose casts (a form's '5' for a Number) is still cast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));

async function fixture() {
  await Entry.deleteMany({});
  const doc = await Entry.objects.create({ headline: 'h', rating: 3, tags: ['a'], pub_date: new Date(0) });
  return { qs: Entry.objects.filter({ pk: doc._id }), id: doc._id };
}

const REFUSED: [string, Record<string, unknown>, RegExp][] = [
  ['a number in a String field', { headline: 1 }, /Entry\.headline takes a String \(a string\), not the number 1/],
  ['a boolean in a String field', { set__headline: true }, /Entry\.headline takes a String/],
  ['a Date in a String field', { headline: new Date(0) }, /takes a String.*not the Date/],
  ['a boolean in a Number field', { rating: false }, /Entry\.rating takes a Number .*not false/],
  ['a Date in a Number field', { rating: new Date(0) }, /Entry\.rating takes a Number/],
  ['a boolean in a Date field', { pub_date: true }, /Entry\.pub_date takes a Date/],
  ['a number pushed to a list of String', { push__tags: 5 }, /Entry\.tags takes a String/],
  ['a number among a list of String', { tags: ['a', 5] }, /Entry\.tags takes a String/],
  ['a number in an embedded String field', { blog: { name: 1 } }, /Entry\.blog\.name takes a String/],
  ['set_on_insert__ of a number in a String field', { set_on_insert__headline: 2 }, /takes a String/],
];

for (const [name, changes, pattern] of REFUSED) {
  test(`update on ${server.name}: ${name} is a ValidationError, nothing written`, async () => {
    const { qs } = await fixture();
    const before = JSON.stringify(await Entry.find({}).lean());
    await assert.rejects(qs.update(changes), (err: unknown) => {
      assert.ok(err instanceof ValidationError, String(err));
      assert.match(err.message, pattern);
      return true;
    });
    // With upsert on no match, nothing is inserted either.
    await assert.rejects(Entry.objects.filter({ headline: 'none' }).update(changes, { upsert: true }), ValidationError);
    assert.equal(JSON.stringify(await Entry.find({}).lean()), before);
  });
}

test(`update on ${server.name}: strings Mongoose casts are cast`, async () => {
  const { qs, id } = await fixture();
  // As a form or query string gives them: the typed signature takes numbers only.
  const form: Record<string, unknown> = { rating: '5', pub_date: '2020-01-02T00:00:00Z', push__tags: 'b' };
  assert.equal(await qs.update(form), 1);
  const after = await Entry.findById(id).lean();
  assert.equal(after?.rating, 5);
  assert.equal(after?.pub_date?.toISOString(), '2020-01-02T00:00:00.000Z');
  assert.deepEqual(after?.tags, ['a', 'b']);
});

test(`update on ${server.name}: a string that does not cast is still Mongoose's cast error, as a ValidationError`, async () => {
  const { qs } = await fixture();
  const form: Record<string, unknown> = { rating: 'five' };
  await assert.rejects(qs.update(form), ValidationError);
});

test(`update on ${server.name}: null clears a typed field`, async () => {
  const { qs, id } = await fixture();
  assert.equal(await qs.update({ headline: null, rating: null }), 1);
  const after = await Entry.findById(id).lean();
  assert.equal(after?.headline, null);
  assert.equal(after?.rating, null);
});
