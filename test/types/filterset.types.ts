// Type tests for FilterSet declarations: each field must be a field of the
// model and each lookup valid for its type, as in a typed filter() key; the
// ordering fields too. Each @ts-expect-error must fail.
import type { Connection } from 'mongoose';
import express from 'express';
import { djongooseErrorHandler, filterSet, paginate, type Page } from '../../index.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';

export function declarations(conn: Connection) {
  const Entry = entryModel(conn);
  const entries = filterSet(Entry, {
    fields: {
      headline: ['exact', 'icontains'],
      rating: ['gte', 'lte', 'in'],
      pub_date: ['year', 'gte', 'year__gte'],
      blog__name: ['startswith'],
      blog: ['isnull'],
      tags: ['contains', 'len__gt'],
      pk: ['in'],
    },
    ordering: ['rating', 'pub_date', 'blog__name'],
    pageSize: 20,
    maxPageSize: 100,
  });

  // @ts-expect-error no field "headlin"
  filterSet(Entry, { fields: { headlin: ['exact'] } });
  // @ts-expect-error no lookup "icontain"
  filterSet(Entry, { fields: { headline: ['icontain'] } });
  // @ts-expect-error a date lookup on a number field
  filterSet(Entry, { fields: { rating: ['year'] } });
  // @ts-expect-error no field "nme" in the embedded blog
  filterSet(Entry, { fields: { blog__nme: ['exact'] } });
  // @ts-expect-error a date part on a string field
  filterSet(Entry, { fields: { headline: ['year'] } });
  // @ts-expect-error ordering on a field the model lacks
  filterSet(Entry, { fields: { rating: ['gte'] }, ordering: ['ratin'] });
  // @ts-expect-error lookups come as a list
  filterSet(Entry, { fields: { rating: 'gte' } });
  // @ts-expect-error pageSize is a number
  filterSet(Entry, { fields: { rating: ['gte'] }, pageSize: '20' });

  // fromQuery keeps the base QuerySet's result type; page() shapes it.
  const lean = entries.fromQuery({ rating__gte: '4' }, Entry.objects.lean());
  const first: Promise<EntryRaw | undefined> = lean.first();
  const page: Promise<Page<EntryRaw, string>> = entries.page(new URLSearchParams(), {
    base: Entry.objects.lean(),
    url: '/entries',
  });
  const numbered: Promise<Page<EntryRaw>> = paginate(Entry.objects.lean(), '2', 10);
  // @ts-expect-error without a url, next and previous are page numbers
  const linked: Promise<Page<EntryRaw, string>> = paginate(Entry.objects.lean(), '2', 10);
  // @ts-expect-error a query is an object, URLSearchParams or a string
  entries.fromQuery(42);

  // The error handler is Express error middleware.
  express().use(djongooseErrorHandler());
  return [first, page, numbered, linked];
}
