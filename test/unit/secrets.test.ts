import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact, scrubError } from '../../core/secrets.js';

test('redact masks raw, URL-encoded and URI-embedded passwords', () => {
  assert.equal(redact('auth with hunter2 failed', ['hunter2']), 'auth with *** failed');
  assert.equal(redact('p%40ss and p@ss', ['p@ss']), '*** and ***');
  assert.equal(redact('mongodb://bob:unknown@h:1/db', []), 'mongodb://bob:***@h:1/db');
});

test('scrubError rebuilds the cause chain without secrets or extra properties', () => {
  const inner = Object.assign(new Error('inner sees hunter2'), { options: { password: 'hunter2' } });
  const outer = new Error('outer hunter2', { cause: inner });
  outer.name = 'MongoServerSelectionError';
  const scrubbed = scrubError(outer, ['hunter2']);
  assert.equal(scrubbed.name, 'MongoServerSelectionError');
  assert.equal(scrubbed.message, 'outer ***');
  assert.equal((scrubbed.cause as Error).message, 'inner sees ***');
  assert.equal('options' in (scrubbed.cause as object), false);
  assert.ok(!JSON.stringify(scrubbed, Object.getOwnPropertyNames(scrubbed)).includes('hunter2'));
  assert.ok(!String(scrubbed.stack).includes('hunter2'));
});

test('no password survives redact, whatever it and its surroundings are', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1 }), fc.string(), fc.string(), (password, before, after) => {
      const text = `${before}${password}${after}${encodeURIComponent(password)}`;
      const out = redact(text, [password]);
      // What remains may contain the password only if the mask text itself spells it.
      return !out.includes(password) || '***'.includes(password);
    }),
    { numRuns: 2000 },
  );
});
