// modelAdmin without a database: Django's ModelAdmin names become AdminJS
// resource options, and a name that is not a field, an unknown option or a
// field that cannot be searched fails when the admin is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { ImproperlyConfigured } from '../../index.js';
import { Resource, modelAdmin } from '../../admin/index.js';
import { adminModels } from '../helpers/admin-models.js';

const { Entry, Author } = adminModels(mongoose.createConnection());

test("Django's names map onto AdminJS resource options", async () => {
  const { resource, options } = modelAdmin(Entry, {
    listDisplay: ['id', 'headline', 'blog.name'],
    listFilter: ['blog.name', 'rating'],
    searchFields: ['headline'],
    ordering: ['-pubDate', 'headline'],
    readonlyFields: ['pubDate'],
    fieldsets: [
      ['Entry', { fields: ['headline', 'blog'] }],
      ['More', { fields: ['comments'] }],
    ],
    listPerPage: 25,
  });
  assert.ok(resource instanceof Resource);
  assert.deepEqual(options.listProperties, ['id', 'headline', 'blog.name']);
  assert.deepEqual(options.filterProperties, ['q', 'blog.name', 'rating']);
  assert.deepEqual(options.sort, { sortBy: 'pubDate', direction: 'desc' });
  assert.deepEqual(options.editProperties, ['headline', 'blog', 'comments']);
  assert.deepEqual(options.showProperties, ['headline', 'blog', 'comments']);
  assert.equal(options.properties?.['pubDate']?.isDisabled, true);
  assert.deepEqual(options.properties?.['blog']?.custom, { fieldset: 'Entry' });
  assert.deepEqual(options.properties?.['q']?.isVisible, { filter: true, list: false, show: false, edit: false });
  const before = options.actions?.list?.before as unknown;
  assert.equal(typeof before, 'function');
  const withDefault = await (before as (r: object) => Promise<{ query: Record<string, string> }>)({ query: {} });
  assert.equal(withDefault.query['perPage'], '25');
  const asked = await (before as (r: object) => Promise<{ query: Record<string, string> }>)({
    query: { perPage: '5' },
  });
  assert.equal(asked.query['perPage'], '5');
});

test('a name that is not a field fails with the fields and the closest one', () => {
  assert.throws(
    () => modelAdmin(Entry, { listDisplay: ['headlin' as 'headline'] }),
    (err: Error) =>
      err instanceof ImproperlyConfigured &&
      /listDisplay: "headlin" is not a field of Entry; fields: id, _id, headline/.test(err.message) &&
      /Did you mean "headline"/.test(err.message),
  );
  assert.throws(() => modelAdmin(Entry, { ordering: ['-nope' as 'headline'] }), ImproperlyConfigured);
  assert.throws(
    () => modelAdmin(Entry, { fieldsets: [['x', { fields: ['blog.nope' as 'blog'] }]] }),
    ImproperlyConfigured,
  );
  assert.throws(
    () => modelAdmin(Entry, { list_display: ['headline'] } as object),
    /unknown option "list_display"; accepted: listDisplay, .*Did you mean "listDisplay"/,
  );
  assert.throws(() => modelAdmin(Entry, { listPerPage: 0 }), /listPerPage: 0 is not a whole number from 1 to 500/);
});

test('searchFields must be text', () => {
  assert.throws(
    () => modelAdmin(Entry, { searchFields: ['rating'] }),
    (err: Error) =>
      err instanceof ImproperlyConfigured &&
      /searchFields: "rating" is a number field; search fields are text fields \(or lists of text\): headline, blog.name/.test(
        err.message,
      ),
  );
  assert.throws(() => modelAdmin(Entry, { searchFields: ['blog'] }), /"blog" is a mixed field/);
  modelAdmin(Entry, { searchFields: ['headline', 'tags', 'comments.text', '^blog.name'] });
  modelAdmin(Author, { searchFields: ['=name', 'avatar'] });
});
