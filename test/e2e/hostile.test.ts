// Hostile filter values against a real server: whatever the value, a query on
// a JSON field matches it literally (so nothing here, since no stored value
// looks like an operator), and typed fields refuse it. The unit test
// hostile-values.test.ts checks the compiled shape over thousands of inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FieldError, ValidationError, type FilterInput } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';
import { hostile, KEYS } from '../helpers/hostile.js';

const Entry = await ready(entryModel(await openTestDatabase(import.meta.url)));
await Entry.insertMany(SEED);

test(`hostile values change nothing on ${server.name}`, async () => {
  const samples = fc.sample(fc.tuple(fc.constantFrom(...KEYS), hostile), { numRuns: 150, seed: 20261125 });
  let ran = 0;
  for (const [key, value] of samples) {
    let found: unknown[];
    try {
      found = await Entry.objects.filter({ [key]: value }).lean();
    } catch (err) {
      assert.ok(err instanceof FieldError || err instanceof ValidationError, `${key}: ${String(err)}`);
      continue;
    }
    ran++;
    // A value that is an object with $-keys can only match itself, and no
    // stored document holds one: any match means it acted as an operator.
    if (typeof value === 'object' && value !== null && Object.keys(value).some((k) => k.startsWith('$'))) {
      assert.equal(found.length, 0, `${key}: ${JSON.stringify(value)} matched ${found.length} documents`);
    }
  }
  assert.ok(ran > 0, 'some hostile values reached the server');
});

test('the classic injections match nothing', async () => {
  for (const value of [{ $ne: null }, { $gt: '' }, { $where: 'true' }, { $exists: true }, { $regex: '.*' }]) {
    assert.equal(await Entry.objects.filter({ data: value }).count(), 0, JSON.stringify(value));
    // As a literal this is a compile error on a typed model; a request body is not typed.
    const fromRequest: FilterInput = { headline: value };
    await assert.rejects(Entry.objects.filter(fromRequest).fetch(), ValidationError);
  }
});
