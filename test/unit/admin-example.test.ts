// The admin example's pure parts: its login account from the environment,
// and the media URL its thumbnail component builds from a stored name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BasePropertyJSON } from 'adminjs';
import { adminAccount, DEFAULT_EMAIL, DEFAULT_PASSWORD } from '../../examples/admin/auth.js';
import { mediaUrl } from '../../examples/admin/components/media-url.js';

test('adminAccount: the defaults are admin@example.com / djongoose, and say so', () => {
  const account = adminAccount({});
  assert.equal(account.defaults, true);
  assert.equal(account.matches(DEFAULT_EMAIL, DEFAULT_PASSWORD), true);
  assert.equal(account.matches(' Admin@Example.com ', DEFAULT_PASSWORD), true);
  assert.equal(account.matches(DEFAULT_EMAIL, 'djongoose '), false);
  assert.equal(account.matches('someone@example.com', DEFAULT_PASSWORD), false);
});

test('adminAccount: ADMIN_EMAIL / ADMIN_PASSWORD replace the defaults, which then stop working', () => {
  const account = adminAccount({ ADMIN_EMAIL: 'ops@example.org', ADMIN_PASSWORD: 'correct horse' });
  assert.equal(account.defaults, false);
  assert.equal(account.matches('ops@example.org', 'correct horse'), true);
  assert.equal(account.matches(DEFAULT_EMAIL, DEFAULT_PASSWORD), false);
  assert.equal(account.matches('ops@example.org', DEFAULT_PASSWORD), false);
});

test('adminAccount: values a form parser can make other than strings never match', () => {
  const account = adminAccount({});
  for (const value of [undefined, null, ['djongoose'], { $ne: '' }, 1]) {
    assert.equal(account.matches(DEFAULT_EMAIL, value), false);
    assert.equal(account.matches(value, DEFAULT_PASSWORD), false);
  }
});

test('adminAccount: the password is not readable from the account, and the session secret is random per start', () => {
  const account = adminAccount({ ADMIN_PASSWORD: 'hunter2-secret' });
  assert.ok(!JSON.stringify(account).includes('hunter2-secret'));
  assert.notEqual(adminAccount({}).sessionSecret, adminAccount({}).sessionSecret);
  assert.ok(adminAccount({}).sessionSecret.length >= 32);
  assert.equal(adminAccount({ ADMIN_SESSION_SECRET: 'fixed' }).sessionSecret, 'fixed');
});

test('mediaUrl: each segment of the stored name is encoded under the property media prefix', () => {
  const property = { custom: { mediaUrl: '/files/' } } as unknown as BasePropertyJSON;
  assert.equal(mediaUrl(property, 'avatars/ann 1.png'), '/files/avatars/ann%201.png');
  assert.equal(mediaUrl(property, 'a/x?y#z.png'), '/files/a/x%3Fy%23z.png');
  for (const name of ['../x.png', 'a/./b.png', '/abs.png', 'a//b.png']) assert.equal(mediaUrl(property, name), null);
  assert.equal(mediaUrl({ custom: {} } as unknown as BasePropertyJSON, 'a.png'), '/media/a.png');
  assert.equal(mediaUrl(property, ''), null);
  assert.equal(mediaUrl(property, undefined), null);
});
