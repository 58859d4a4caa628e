// Type tests for the numeric family: Int32, Double, Decimal128 and BigInt
// fields take the lookups a Number field takes (mod included), as the
// runtime registry does, the text lookups on their text form, and refuse
// the date and array ones.
import mongoose, { type Connection } from 'mongoose';
import { measureModel } from '../helpers/numeric-models.js';

export function numericFamily(conn: Connection) {
  const Measure = measureModel(conn);
  const ok = [
    Measure.objects.filter({ count__mod: [2, 1], ratio__mod: [2, 1], price__mod: [2, 1], big__mod: [2, 1] }),
    Measure.objects.filter({ count__gt: 3, ratio__gte: 4.5, price__lt: '7', big__lte: 7n }),
    Measure.objects.filter({ price__gt: mongoose.Types.Decimal128.fromString('4'), big__in: [4n, 7] }),
    Measure.objects.filter({ ratio__range: [1, 5], big: 7n, price: 3, count__isnull: false }),
  ];

  // @ts-expect-error mod takes [divisor, remainder]
  Measure.objects.filter({ big__mod: 2 });
  // @ts-expect-error mod takes two numbers
  Measure.objects.filter({ price__mod: ['2', '1'] });
  // The text lookups match the number's text, as Django casts it.
  ok.push(
    Measure.objects.filter({ count__startswith: '4', price__icontains: 4, big__regex: '^4+$', ratio__iendswith: '5' }),
  );
  // @ts-expect-error a regex is a pattern, not a number
  Measure.objects.filter({ count__regex: 4 });
  // @ts-expect-error a text lookup takes text or a number, not a list
  Measure.objects.filter({ count__contains: ['4'] });
  // @ts-expect-error a date lookup on a BigInt field
  Measure.objects.filter({ big__year: 2020 });
  // @ts-expect-error a date lookup on a Double field
  Measure.objects.filter({ ratio__month: 5 });
  // @ts-expect-error an array lookup on a Double field
  Measure.objects.filter({ ratio__len: 1 });
  // @ts-expect-error a BigInt field takes no boolean
  Measure.objects.filter({ big__gt: true });
  // @ts-expect-error mod is the numeric family's: not on strings
  Measure.objects.filter({ name__mod: [2, 1] });
  return ok;
}
