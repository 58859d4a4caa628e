// Type tests for F's Django operators: not, the bitwise operations, Value (a
// constant first) and Date operands. F does not know its field's type (that
// is checked when it meets the model, f-types.ts), so what the types refuse
// is the operand: a string, an object, a Date where a whole number goes, and
// Value with anything but a number or a Date, or a constant on its right.
import type { Connection } from 'mongoose';
import { F, Value, type FExpression } from '../../index.js';
import { entryModel } from '../helpers/models.js';

export function fOperators(conn: Connection) {
  const Entry = entryModel(conn);
  const expressions: FExpression[] = [
    F('views').bitand(7).bitor(F('likes')).bitxor(null),
    F('views').bitleftshift(2).bitrightshift(F('rating')),
    Value(640).dividedBy(F('views')),
    Value(2).pow(F('rating')).minus(1),
    Value(new Date()).minus(F('pub_date')),
    Value(2n ** 40n).dividedBy(F('views')),
    F('views').times(3n),
    F('pub_date').plus(3_600_000).minus(new Date()),
    F('views').plus(null),
  ];
  const ok = [
    Entry.objects.filter(F('views').bitand(1)),
    Entry.objects.exclude(F('rating').not()),
    Entry.objects.filter({ likes: Value(100).dividedBy(F('views')) }),
    Entry.objects.update({ views: F('views').bitleftshift(1), rating: Value(5).minus(F('rating')) }),
  ];

  // @ts-expect-error the bitwise operations take whole numbers, F or null, not a Date
  F('views').bitand(new Date());
  // @ts-expect-error nor a string
  F('views').bitor('1');
  // @ts-expect-error arithmetic takes numbers, Dates, F or null, not a string
  F('views').plus('1');
  // @ts-expect-error nor an object (a request's value)
  F('views').minus({ $literal: 1 });
  // @ts-expect-error not() takes no operand
  F('published').not(true);
  // @ts-expect-error Value takes a number or a Date
  Value('640');
  // @ts-expect-error nor null: Value(None) is a null operand, F('n').plus(null)
  Value(null);
  // @ts-expect-error Value's methods take an F: a constant on both sides is no expression of a field
  Value(640).dividedBy(2);
  // @ts-expect-error a Value alone is not a filter
  Entry.objects.filter(Value(1));
  return [expressions, ok];
}
