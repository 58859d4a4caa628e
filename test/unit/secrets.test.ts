import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact, scrubError } from '../../core/secrets.js';

test('redact masks raw, URL-encoded and URI-embedded passwords', () => {
  assert.equal(redact('auth with hunter2 failed', ['hunter2']), 'auth with *** failed');
  assert.equal(redact('p%40ss and p@ss', ['p@ss']), '*** and ***');
  assert.equal(redact('mongodb://bob:unknown@h:1/db', []), 'mongodb://***@h:1/db');
  assert.equal(redact('at MONGODB://bob:pa@ss/x@h:1/db now', []), 'at MONGODB://***@h:1/db now');
  assert.equal(redact('bad "mongodb//bob:pw@h" and mongodb:/bob:pw@h', []), 'bad "mongodb//***@h" and mongodb:/***@h');
  assert.equal(redact('mongodb://h/?proxyPassword=pp', []), 'mongodb://h/?proxyPassword=***');
});

// A server error at DEBUG can echo a user's value, megabytes of it: masking
// it must take one pass. The old regex rescanned to the end of the text from
// every "mongodb://", quadratic: 192 KB took seconds, 1 MiB would take minutes,
// past this test's timeout. (Linearity in numbers: test/bench/redact.ts.)
describe('redact on 1 MiB of hostile text', { timeout: 20_000 }, () => {
  const MiB = 1024 * 1024;
  const times = (unit: string) => Math.ceil(MiB / unit.length);
  const fill = (unit: string) => unit.repeat(times(unit));
  // Not assert.equal: a failure would print megabytes.
  const same = (actual: string, expected: string, what: string) =>
    assert.ok(actual === expected, `${what}: got ${actual.length} chars starting ${actual.slice(0, 60)}`);

  test('"mongodb://a:" repeated with no @ and no space: the port is not a number, so all after it is masked', () => {
    same(redact(fill('mongodb://a:'), []), 'mongodb://a:***', 'no @');
  });

  test('"mongodb://a:b" repeated, then one @: everything before it is user information', () => {
    same(redact(`${fill('mongodb://a:b')}@h/db`, []), 'mongodb://***@h/db', 'one @');
  });

  test('connection strings split by spaces: each masked on its own', () => {
    const n = times('mongodb://u:p@h ');
    same(redact('mongodb://u:p@h '.repeat(n), []), 'mongodb://***@h '.repeat(n), 'spaced');
  });

  test('a host list of a million commas, and credential options by the thousand', () => {
    const hosts = `mongodb://${fill(',')}`;
    same(redact(hosts, []), hosts, 'commas');
    const n = times('proxyPassword=x&');
    same(
      redact(`mongodb://h/?${'proxyPassword=x&'.repeat(n)}`, []),
      `mongodb://h/?${'proxyPassword=***&'.repeat(n)}`,
      'options',
    );
  });

  test('a known secret a million times, and in a connection string', () => {
    const n = times('hunter2 ');
    same(redact('hunter2 '.repeat(n), ['hunter2']), '*** '.repeat(n), 'known');
    same(redact(`mongodb://u:${fill('hunter2')}@h`, ['hunter2']), 'mongodb://***@h', 'in a URI');
  });
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
