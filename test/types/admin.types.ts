// Type tests for djongoose/admin: modelAdmin's options name fields of the
// model's documents (one level into embedded ones); each @ts-expect-error
// line must fail to compile, or tsc fails.
import mongoose from 'mongoose';
import AdminJS, { type ResourceWithOptions } from 'adminjs';
import { Database, Resource, modelAdmin } from '../../admin/index.js';
import type { Managed } from '../../index.js';

interface Entry {
  id: number;
  headline: string;
  blog?: { name?: string; tagline?: string } | null;
  rating?: number;
  pubDate?: Date;
  tags?: string[];
  comments?: { author?: string; text?: string }[];
}
declare const conn: mongoose.Connection;
const Entry = conn.model<Entry, Managed<Entry>>('Entry', new mongoose.Schema<Entry>({ headline: String }));
const Untyped = conn.model('Untyped', new mongoose.Schema({ title: String }));

AdminJS.registerAdapter({ Database, Resource });

export const entry: ResourceWithOptions = modelAdmin(Entry, {
  listDisplay: ['id', 'headline', 'blog.name', 'rating'],
  listFilter: ['blog.name', 'pubDate', '_id'],
  searchFields: ['headline', '^blog.name', '=tags'],
  ordering: ['-pubDate', 'headline'],
  readonlyFields: ['pubDate'],
  fieldsets: [
    ['Entry', { fields: ['headline', 'blog'] }],
    [null, { fields: ['comments'], description: 'What readers said' }],
  ],
  listPerPage: 50,
});
export const untyped: ResourceWithOptions = modelAdmin(Untyped, { listDisplay: ['title'] });
export const bare: ResourceWithOptions = modelAdmin(Entry);

// @ts-expect-error not a field of Entry
modelAdmin(Entry, { listDisplay: ['headlin'] });
// @ts-expect-error not a field of the embedded blog
modelAdmin(Entry, { listFilter: ['blog.nam'] });
// @ts-expect-error a Date has no fields to name
modelAdmin(Entry, { listDisplay: ['pubDate.getTime'] });
// @ts-expect-error ordering's prefix is '-', not '+'
modelAdmin(Entry, { ordering: ['+headline'] });
// @ts-expect-error search prefixes are ^ and =
modelAdmin(Entry, { searchFields: ['@headline'] });
// @ts-expect-error a fieldset is [title, { fields }]
modelAdmin(Entry, { fieldsets: [['Entry', ['headline']]] });
// @ts-expect-error Django's snake_case names are camelCase here
modelAdmin(Entry, { list_display: ['headline'] });
// @ts-expect-error listPerPage is a number
modelAdmin(Entry, { listPerPage: '50' });

new Resource(Entry, { searchFields: ['headline'] });
new Database(conn);
// @ts-expect-error a Resource takes a model
new Resource('Entry');
