// Type tests for custom lookups: a lookup declared in CustomLookups (through
// module augmentation, as users do from 'djongoose') is accepted by typed
// filters on the fields it names, with its value type. Each @ts-expect-error must fail.
import type { Connection } from 'mongoose';
import { Q, type TypedQ } from '../../index.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';

declare module '../../index.js' {
  interface CustomLookups {
    /** On string fields, takes a string. */
    ne_ci: { field: string; value: string };
    /** On numbers, takes a boolean. */
    odd: { field: number; value: boolean };
    /** On any field. */
    near: readonly [number, number];
  }
}

export function customLookups(conn: Connection) {
  const Entry = entryModel(conn);
  const EQ: TypedQ<EntryRaw> = Q;
  const ok = [
    Entry.objects.filter({ headline__ne_ci: 'hey jude', rating__odd: true }),
    Entry.objects.filter({ blog__name__ne_ci: 'x', comments__score__odd: false, views__near: [1, 2] }),
    Entry.objects.exclude(EQ({ headline__ne_ci: 'x' })),
    Entry.objects.filter({ data__anything__ne_ci: 1 }), // JSON: anything goes
  ];
  // @ts-expect-error ne_ci takes a string
  Entry.objects.filter({ headline__ne_ci: 5 });
  // @ts-expect-error ne_ci is declared for string fields only
  Entry.objects.filter({ rating__ne_ci: 'x' });
  // @ts-expect-error odd takes a boolean
  Entry.objects.filter({ rating__odd: 1 });
  // @ts-expect-error odd is declared for numbers only
  Entry.objects.filter({ headline__odd: true });
  // @ts-expect-error an undeclared lookup
  Entry.objects.filter({ headline__ne_cj: 'x' });
  return ok;
}
