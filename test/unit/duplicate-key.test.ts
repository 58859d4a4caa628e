// duplicateKeyAsIntegrity: the server's duplicate-key refusal, without the values it quotes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError } from '../../core/errors.js';
import { duplicateKeyAsIntegrity } from '../../manager/duplicate-key.js';

const secret = 'hunter2@example.com';
const errmsg = `E11000 duplicate key error collection: db.accounts index: email_1_org_-1 dup key: { email: "${secret}" }`;

test('a duplicate key becomes IntegrityError naming the index fields, never the value', () => {
  const cases: [unknown, string[]][] = [
    [{ code: 11000, keyPattern: { email: 1 }, keyValue: { email: secret }, errmsg }, ['email']],
    [{ code: 11000, errmsg }, ['email', 'org']],
    [{ code: 11000, message: 'x', writeErrors: [{ errmsg }] }, ['email', 'org']],
    [{ code: 11000, errmsg: `E11000 duplicate key error index: _id_ dup key: { _id: "${secret}" }` }, ['_id']],
    [{ code: 11000, errmsg: `E11000 duplicate key error: ${secret}` }, []],
  ];
  for (const [err, fields] of cases) {
    const out = duplicateKeyAsIntegrity(err, 'Account');
    assert.ok(out instanceof IntegrityError);
    assert.deepEqual(out.fields, fields);
    assert.ok(!out.message.includes(secret), out.message);
    assert.ok(out.message.startsWith('Account: duplicate key on '), out.message);
    assert.equal(out.cause, undefined);
  }
});

test('any other error is returned as it is', () => {
  const other = new Error('boom');
  assert.equal(duplicateKeyAsIntegrity(other, 'Account'), other);
  const notDuplicate = { code: 11001 };
  assert.equal(duplicateKeyAsIntegrity(notDuplicate, 'Account'), notDuplicate);
});
