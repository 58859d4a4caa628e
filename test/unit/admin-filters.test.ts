// The admin's filters and params without a database: AdminJS filters compile
// to djongoose lookups, the search box to an OR of icontains, and values the
// browser sends (query strings through qs, form params) never become
// operators, lookups or prototype keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { Filter } from 'adminjs';
import { FilterError } from '../../index.js';
import { Resource } from '../../admin/index.js';
import { readParams } from '../../admin/params.js';
import { PendingUpload } from '../../admin/uploads.js';
import { propertySpecs } from '../../admin/properties.js';
import { adminModels } from '../helpers/admin-models.js';
import { hostile, parseExtendedQuery } from '../helpers/hostile.js';

const { Entry, Author } = adminModels(mongoose.createConnection());
const entries = new Resource(Entry, { searchFields: ['headline', '^blog.name', '=tags'] });
const specs = propertySpecs(Entry.schema);

/** The Mongo filter AdminJS's filter query (`filters.x=…` after qs) compiles to. */
function compiled(filters: Record<string, unknown>): unknown {
  return entries.queryset(new Filter(filters, entries)).toMongo().filter;
}

function refused(filters: Record<string, unknown>): FilterError {
  let caught: unknown;
  try {
    compiled(filters);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof FilterError, `not refused: ${JSON.stringify(filters)} (${String(caught)})`);
  return caught;
}

test('the properties: embedded, lists, references, JSON, the auto id first and read-only', () => {
  const brief = specs.map((s) => [s.path, s.type, s.isArray ?? false, s.kind ?? '']);
  assert.deepEqual(brief, [
    ['id', 'number', false, 'autoId'],
    ['_id', 'string', false, ''],
    ['headline', 'string', false, ''],
    ['blog', 'mixed', false, ''],
    ['rating', 'number', false, ''],
    ['published', 'boolean', false, ''],
    ['pubDate', 'datetime', false, ''],
    ['tags', 'string', true, ''],
    ['comments', 'mixed', true, ''],
    ['authors', 'reference', true, ''],
    ['data', 'textarea', false, 'json'],
  ]);
  assert.deepEqual(
    entries
      .property('blog')
      ?.subProperties()
      .map((p) => p.name()),
    ['name', 'tagline'],
  );
  assert.equal(entries.property('comments.0.text')?.isRequired(), true);
  assert.equal(entries.property('authors')?.reference(), Author.modelName);
  assert.equal(entries.property('id')?.isEditable(), false);
  assert.equal(new Resource(Author).property('avatar')?.kind(), 'image');
});

test('text is icontains, embedded paths included; ranges are gte/lte; the rest exact', () => {
  assert.deepEqual(compiled({ 'blog.name': 'beat.les' }), { 'blog.name': /beat\.les/i });
  assert.deepEqual(compiled({ 'rating~~from': '2', 'rating~~to': '4' }), {
    $and: [{ rating: { $gte: 2 } }, { rating: { $lte: 4 } }],
  });
  assert.deepEqual(compiled({ rating: '3' }), { rating: 3 });
  assert.deepEqual(compiled({ 'pubDate~~from': '2020-01-01' }), {
    pubDate: { $gte: new Date('2020-01-01T00:00:00Z') },
  });
  assert.deepEqual(compiled({ published: 'false' }), { published: false });
  const id = new mongoose.Types.ObjectId();
  assert.deepEqual(compiled({ authors: id.toHexString() }), { authors: { $eq: id } });
  assert.deepEqual(compiled({ _id: id.toHexString() }), { _id: { $eq: id } });
  assert.deepEqual(compiled({ headline: '' }), {}, 'an empty filter is no filter');
});

test('the search box: every word matches one of searchFields, with Django prefixes', () => {
  assert.deepEqual(compiled({ q: 'hey  b.' }), {
    $and: [
      { $or: [{ headline: /hey/i }, { 'blog.name': /^hey/i }, { tags: { $regex: '^hey$', $options: 'i' } }] },
      { $or: [{ headline: /b\./i }, { 'blog.name': /^b\./i }, { tags: { $regex: '^b\\.$', $options: 'i' } }] },
    ],
  });
  assert.deepEqual(
    compiled({ tags: 'ro.k' }),
    { tags: { $regex: 'ro\\.k', $options: 'i' } },
    'a list of strings is searched element by element',
  );
  assert.deepEqual(compiled({ q: '   ' }), {});
});

test('hostile query strings are refused, listing every bad filter', () => {
  for (const query of [
    'filters[headline][$ne]=x',
    'filters[rating][$gt]=1',
    'filters[rating][from][$gt]=1',
    'filters[constructor][prototype][x]=1',
    'filters[headline]=a&filters[headline]=b',
    'filters[q][$where]=1',
    'filters[$where]=1',
    'filters[data]=x',
    'filters[blog]=x',
    'filters[rating]=many',
  ]) {
    const parsed = parseExtendedQuery(query) as { filters?: Record<string, unknown> };
    refused(parsed.filters ?? {});
  }
  // qs puts a `__proto__` key on the prototype: AdminJS reads own keys only, so it filters nothing.
  assert.deepEqual(
    compiled(parseExtendedQuery('filters[__proto__][headline]=x')['filters'] as Record<string, unknown>),
    {},
  );
  const err = refused({ rating: 'x', headlin: 'y' });
  assert.deepEqual(Object.keys(err.errors).sort(), ['headlin', 'rating']);
  assert.match(err.message, /Did you mean "headline"/);
  assert.match(err.message, /"x" is not a number/);
});

test('any operator object as a filter value is refused (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('headline', 'blog.name', 'rating', 'authors', 'published', 'q'),
      hostile,
      (path, value) => {
        refused({ [path]: value });
      },
    ),
    { numRuns: 300 },
  );
});

test('sorting takes a sortable property only', () => {
  assert.rejects(entries.find(new Filter({}, entries), { sort: { sortBy: '$where', direction: 'asc' } }), FilterError);
  assert.rejects(
    entries.find(new Filter({}, entries), { sort: { sortBy: 'comments', direction: 'asc' } }),
    FilterError,
  );
});

test('params: only editable fields are read, by their own keys', () => {
  const { values, errors } = readParams(specs, {
    headline: 'Hey',
    'blog.name': 'Beatles',
    'comments.0.text': 'one',
    'comments.2.text': 'three', // a removed item leaves a gap
    'tags.0': 'rock',
    id: '99',
    _id: '64b7f0c2a1b2c3d4e5f60718',
    __proto__: { polluted: true },
    'blog.__proto__.polluted': 'yes',
    $set: { headline: 'x' },
    notAField: 1,
  } as Record<string, unknown>);
  assert.deepEqual(errors, {});
  assert.deepEqual(values, {
    headline: 'Hey',
    blog: { name: 'Beatles' },
    comments: [{ text: 'one' }, { text: 'three' }],
    tags: ['rock'],
  });
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('params: operator objects, lists for scalars and bad JSON are refused on their field', () => {
  const { errors } = readParams(specs, {
    headline: { $ne: 1 },
    rating: ['1', '2'],
    'blog.name': { $gt: '' },
    'comments.0.text': { $where: 'x' },
    tags: { $in: ['x'] },
    data: '{"a": ',
  });
  assert.deepEqual(Object.keys(errors).sort(), ['blog.name', 'comments.0.text', 'data', 'headline', 'rating', 'tags']);
  assert.match(errors['data']!.message, /Not valid JSON/);
});

test('params: a file path takes an upload instance, never a plain object naming a server path', () => {
  const author = propertySpecs(Author.schema);
  const forged = readParams(author, { name: 'Eve', 'avatar.path': '/etc/passwd', 'avatar.name': 'x.png' });
  assert.deepEqual(Object.keys(forged.errors), ['avatar']);
  class FormFile {
    constructor(
      readonly path: string,
      readonly name: string,
      readonly size: number,
    ) {}
  }
  const uploaded = readParams(author, { name: 'Ann', avatar: new FormFile(import.meta.filename, 'ann.gif', 10) });
  assert.deepEqual(uploaded.errors, {});
  assert.ok(uploaded.values['avatar'] instanceof PendingUpload);
  assert.equal(uploaded.values['avatar'].file.name, 'ann.gif');
  assert.deepEqual(
    readParams(author, { avatar: new FormFile(import.meta.filename, '', 0) }).values,
    {},
    'no file chosen',
  );
});
