// Translation cost alone: a six-clause filter with nested Q compiled to a
// MongoDB filter, without a server (the model sits on an unopened connection).
import mongoose from 'mongoose';
import { Q, compileFilter, type QNode } from '../../index.js';
import { entryModel } from '../helpers/models.js';
import { perCall } from './measure.js';

/** blog__name AND rating__gte AND (startswith OR icontains) AND NOT tags__in AND pub_date__year__gte. */
export function sixClauses(): QNode {
  return Q({ blog__name: 'Beatles Blog', rating__gte: 4 }).and(
    Q({ headline__startswith: 'Hey' }).or({ headline__icontains: 'jude' }),
    Q.not({ tags__in: ['pop', 'live'] }),
    { pub_date__year__gte: 1965 },
  );
}

export interface TranslationRow {
  readonly name: string;
  readonly ns: number;
}

export function translationBenchmark(): TranslationRow[] {
  const Entry = entryModel(mongoose.createConnection(), 'BenchEntry');
  const scope = { schema: Entry.schema, modelName: Entry.modelName };
  const q = sixClauses();
  // What it compiles to is checked once, so the timing measures real work.
  const expected = JSON.stringify(compileFilter(scope, q));
  if (JSON.stringify(Entry.objects.filter(sixClauses()).toMongo().filter) !== expected) {
    throw new Error('toMongo() and compileFilter() disagree on the six-clause filter');
  }
  return [
    { name: 'compileFilter (six clauses, nested Q, Q built once)', ns: perCall(() => compileFilter(scope, q), 20_000) },
    { name: 'Q(...) built + compileFilter, per call', ns: perCall(() => compileFilter(scope, sixClauses()), 20_000) },
    { name: 'Entry.objects.filter(q).toMongo()', ns: perCall(() => Entry.objects.filter(q).toMongo(), 20_000) },
  ];
}
