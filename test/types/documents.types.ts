// Type tests for the document methods the manager plugin adds
// (refreshFromDb, getNextBy, …): each @ts-expect-error line must fail to
// compile, or tsc fails. Run by `npm run typecheck`.
import type { HydratedDocument } from 'mongoose';
import { getNextBy, loadDeferred, refreshFromDb, type DjongooseDocument, type Managed } from '../../index.js';

interface EntryRaw {
  headline?: string;
  pub_date?: Date;
}
declare const Entry: Managed<EntryRaw>;
declare const entry: HydratedDocument<EntryRaw, DjongooseDocument<EntryRaw>>;

export const all: Promise<void> = entry.refreshFromDb();
export const some: Promise<void> = entry.refresh_from_db({ fields: ['headline'] });
export const fromQs: Promise<void> = entry.refreshFromDb({ fromQueryset: Entry.objects.only('headline') });
export const fromQsDjango: Promise<void> = entry.refresh_from_db({
  from_queryset: Entry.objects.filter({ headline: 'a' }),
});
export const free: Promise<void> = refreshFromDb(entry, { fields: [] });

// @ts-expect-error: an option refreshFromDb does not take
export const unknownOption = entry.refreshFromDb({ unknown_kwarg: 10 });
// @ts-expect-error: fields is a list of names
export const oneField = entry.refreshFromDb({ fields: 'headline' });
// @ts-expect-error: fromQueryset is a QuerySet, not a Mongoose query
export const mongooseQuery = entry.refreshFromDb({ fromQueryset: Entry.find() });

export const next: Promise<HydratedDocument<EntryRaw, DjongooseDocument<EntryRaw>>> = entry.getNextBy('pub_date');
export const previous = entry.getPreviousBy('pub_date', { headline__endswith: '6' });
export const freeNext: Promise<typeof entry> = getNextBy(entry, 'pub_date');
// @ts-expect-error: headline is no Date field
export const notADate = entry.getNextBy('headline');
// @ts-expect-error: no such field
export const unknownField = entry.getPreviousBy('pubdate');

// loadDeferred: Django's read of a deferred field, awaited; typed as the field.
export const loadedMethod: Promise<string | undefined> = entry.loadDeferred('headline');
export const loadedFree: Promise<Date | undefined> = loadDeferred(entry, 'pub_date');
// @ts-expect-error: no such field
export const loadUnknown = entry.loadDeferred('headlin');
// @ts-expect-error: no such field, in the function form too
export const loadUnknownFree = loadDeferred(entry, 'nope');
// @ts-expect-error: a path across references is no field of the document
export const loadAcross = loadDeferred(entry, 'blog__name');
// @ts-expect-error: the value is the field's type, not another
export const loadWrongType: Promise<number> = entry.loadDeferred('headline');
