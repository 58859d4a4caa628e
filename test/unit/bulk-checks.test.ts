// The checks bulkCreate and iterator() make before anything is sent, on
// their own: pure code over Mongoose models that never connect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { ValidationError } from '../../index.js';
import { assertBulkList, assertChunkSize, assertOwnDocument } from '../../manager/bulk-checks.js';

const conn = mongoose.createConnection();
const Blog = conn.model('Blog', new mongoose.Schema({ title: String, posts: [{ title: String }] }));
const Author = conn.model('Author', new mongoose.Schema({ name: String }));
const Special = Blog.discriminator('SpecialBlog', new mongoose.Schema({ note: String }));
const Copy = conn.useDb('elsewhere').model('Blog', Blog.schema);

test('assertBulkList takes arrays only, and names what it got', () => {
  assertBulkList([], 'Entry');
  assertBulkList([{ headline: 'a' }], 'Entry');
  const expected = 'Entry.objects.bulkCreate takes a list of plain objects (field → value) or documents of Entry, not ';
  for (const [value, shown] of [
    ['HELLO WORLD', 'the string "HELLO WORLD"'],
    [{ headline: 'secret' }, 'an object'],
    [undefined, 'undefined'],
    [new Set([{}]), 'an instance of Set'],
  ] as const) {
    assert.throws(() => assertBulkList(value, 'Entry'), new ValidationError(`${expected}${shown}.`, 'Entry'));
  }
});

test('assertOwnDocument takes the model, its discriminators and its copies on other databases', () => {
  for (const doc of [new Blog({}), new Special({}), new Copy({})]) assertOwnDocument(Blog, doc, 0);
  const start =
    'Blog.objects.bulkCreate takes plain objects (field → value) or documents of Blog or of its discriminators;';
  assert.throws(() => assertOwnDocument(Blog, new Author({}), 3), {
    name: 'ValidationError',
    message: `${start} item 3 is a document of Author.`,
  });
  const embedded = new Blog({ posts: [{ title: 'p' }] }).get('posts')[0] as mongoose.Document;
  assert.throws(() => assertOwnDocument(Blog, embedded, 0), { message: `${start} item 0 is an embedded document.` });
  // A discriminator's manager takes no document of its base, which would lack the discriminator key.
  assert.throws(() => assertOwnDocument(Special, new Blog({}), 0), /item 0 is a document of Blog\.$/);
});

test('assertChunkSize takes undefined or a whole number of at least 1', () => {
  for (const ok of [undefined, 1, 2000, Number.MAX_SAFE_INTEGER]) assertChunkSize(ok, 'Entry');
  for (const [bad, shown] of [
    [0, '0'],
    [-1, '-1'],
    [0.5, '0.5'],
    [Infinity, 'Infinity'],
    [null, 'null'],
    [10n, 'the bigint 10n'],
  ] as const) {
    assert.throws(() => assertChunkSize(bad, 'Entry'), {
      name: 'ValidationError',
      message: `Entry: iterator() chunkSize must be strictly positive: a whole number of at least 1, not ${shown}.`,
    });
  }
});
