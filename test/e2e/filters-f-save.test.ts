// F assigned to a document's field and saved (issue 12 §2.11, Django's
// `obj.n = F('n') + 1; obj.save()`): one atomic update on the server, then the
// document holds the stored number.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { DoesNotExist, F, FieldError, manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface CounterRaw {
  name: string;
  n: number;
  ratio?: number;
  meta?: { hits?: number };
}

const conn = await openTestDatabase(import.meta.url);
const schema = new mongoose.Schema<CounterRaw>({
  name: String,
  n: { type: Number, min: 0 },
  ratio: Number,
  meta: { hits: Number },
});
schema.plugin(manager);
const Counter = await ready(conn.model<CounterRaw, Managed<CounterRaw>>('Counter', schema));

async function stored(name: string): Promise<CounterRaw | null> {
  return Counter.findOne({ name }).lean<CounterRaw>();
}

describe(`F saved from a document on ${server.name}`, () => {
  test('n = F(n) + 1 is an atomic increment: a concurrent change is kept', async () => {
    await Counter.objects.create({ name: 'a', n: 5, meta: { hits: 1 } });
    const doc = await Counter.objects.get({ name: 'a' });
    // Another writer increments after we read the document.
    await Counter.updateOne({ name: 'a' }, { $inc: { n: 10 } });
    doc.set('n', F('n').plus(1));
    assert.equal(doc.n, 5, 'until save, the field reads its old value');
    await doc.save();
    assert.equal(doc.n, 16, 'after save, the document holds the stored number');
    assert.equal(doc.isModified('n'), false);
    assert.equal((await stored('a'))?.n, 16);
  });

  test('times, and a nested path, and other changes saved with them', async () => {
    const doc = await Counter.objects.get({ name: 'a' });
    doc.set('n', F('n').times(2));
    doc.set('meta.hits', F('meta__hits').plus(4));
    doc.name = 'a2';
    await doc.save();
    assert.deepEqual([doc.n, doc.meta?.hits, doc.name], [32, 5, 'a2']);
    const row = await stored('a2');
    assert.deepEqual([row?.n, row?.meta?.hits], [32, 5]);
  });

  test('a plain value assigned after F replaces it', async () => {
    const doc = await Counter.objects.get({ name: 'a2' });
    doc.set('n', F('n').plus(100));
    doc.n = 7;
    await doc.save();
    assert.equal((await stored('a2'))?.n, 7);
  });

  test('the F is not validated as a value, and the save of a fresh document refuses it', async () => {
    await assert.rejects(
      Counter.objects.create({ name: 'b', n: F('n').plus(1) as unknown as number }),
      (err: unknown) => err instanceof FieldError && /F\(\) on a new document/.test(err.message),
    );
    assert.equal(await stored('b'), null, 'nothing written');
  });

  test('a document deleted meanwhile is DoesNotExist, not a silent no-op', async () => {
    await Counter.objects.create({ name: 'c', n: 1 });
    const doc = await Counter.objects.get({ name: 'c' });
    await Counter.deleteOne({ name: 'c' });
    doc.set('n', F('n').plus(1));
    await assert.rejects(doc.save(), DoesNotExist);
  });
});
