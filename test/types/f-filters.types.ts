// Type tests for issue 12's filter additions: F's mod and pow, F on the right
// of the text lookups and inside in/range lists, and array positions in keys.
import type { Connection } from 'mongoose';
import { F, type FExpression } from '../../index.js';
import { entryModel } from '../helpers/models.js';

export function fFilters(conn: Connection) {
  const Entry = entryModel(conn);
  const arithmetic: FExpression[] = [F('views').mod(3), F('rating').pow(2), F('views').mod(F('rating')).pow(0.5)];
  const ok = [
    Entry.objects.filter({ headline__icontains: F('blog__name'), headline__startswith: F('blog__tagline') }),
    Entry.objects.filter({ headline__iexact: F('blog__name'), headline__iendswith: F('blog__name') }),
    Entry.objects.filter({ rating__in: [3, F('likes')], views__range: [F('likes'), 500] }),
    Entry.objects.filter({ rating: F('views').mod(3), likes__gte: F('rating').pow(2) }),
    Entry.objects.filter({ tags__0: 'rock', tags__1__startswith: 'ba', comments__0__author: 'ann' }),
    Entry.objects.filter({ comments__1__score__gte: 2, comments__0: { author: 'ann' } }),
  ];

  // @ts-expect-error mod takes a number or an F, not a string
  F('views').mod('3');
  // @ts-expect-error pow takes a number, a Date, an F or null
  F('views').pow([2]);
  // @ts-expect-error regex takes a pattern (a string), not F
  Entry.objects.filter({ headline__regex: F('blog__name') });
  // @ts-expect-error nin lists take values, not F
  Entry.objects.filter({ rating__nin: [F('likes')] });
  // @ts-expect-error a range is two bounds
  Entry.objects.filter({ rating__range: [F('likes')] });
  // @ts-expect-error the element of a string array takes strings
  Entry.objects.filter({ tags__0: 5 });
  // @ts-expect-error no lookup "year" on a string element
  Entry.objects.filter({ tags__0__year: 2020 });
  // @ts-expect-error no field "who" in a comment
  Entry.objects.filter({ comments__0__who: 'ann' });
  return [arithmetic, ok];
}
