// The paths values(), valuesList() and orderBy() name are resolved when they
// are called and kept: fetching, iterating and shaping each row read them,
// and never resolve the keys again. Under a JSON field, `data__x__<name>` is
// a path until a lookup `<name>` is registered, and a lookup after it, so a
// QuerySet that resolved its keys again would now refuse them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { registerLookup } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
const name = `kept_e2e_${process.pid}`;
await Entry.insertMany([
  { headline: 'a', data: { x: { [name]: 2 } } },
  { headline: 'b', data: { x: { [name]: 1 } } },
  { headline: 'c', data: { y: 3 } },
]);

describe(`kept paths on ${server.name}`, () => {
  test('rows are shaped by the paths resolved at the call, whatever is registered since', async () => {
    const field = `data__x__${name}`;
    const key = field as 'headline';
    const values = Entry.objects
      .filter({ headline__in: ['a', 'b'] })
      .orderBy(key)
      .values('headline', key);
    const flat = Entry.objects.orderBy(`-${key}` as 'headline').valuesList(key, { flat: true });
    registerLookup('*', { name, compile: (t, v) => ({ [t.path]: { $ne: v } }) });
    assert.deepEqual(await values, [
      { headline: 'b', [field]: 1 },
      { headline: 'a', [field]: 2 },
    ]);
    assert.deepEqual(await flat, [2, 1, null]);
    const streamed: unknown[] = [];
    for await (const row of flat.iterator({ chunkSize: 1 })) streamed.push(row);
    assert.deepEqual(streamed, [2, 1, null]);
  });
});
