// Credentials never show in what djongoose says about a host or URI: every
// misspelt or malformed shape is refused with the text masked, and a valid
// one leaves no fragment of its password in the hosts or database it yields.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cliSettings } from '../../cli/connection.js';
import { ImproperlyConfigured } from '../../core/errors.js';
import { redact } from '../../core/secrets.js';
import { resolveSettings } from '../../core/settings.js';
import { maskCredentials, parseMongoUri } from '../../core/uri.js';
import { ROOT } from '../harness/paths.js';

// Characters that no message, host or database of these tests holds: one of
// them in every 3 characters of a password makes "a fragment of 4 or more
// characters shows" the same as "one of them shows", whatever else the
// password spells (`://`, `@db/`, …).
const MARKERS = ['Ж', 'Ω', '漢'];
// One code point each, so that a marker is in every 4 characters.
const RISKY = ['@', '/', ':', '%', '?', '#', '[', ']', ',', ' ', '4', '0', 'a', 'Z', '9', 'é', '😀', '\u2028'];

const password = fc
  .array(fc.tuple(fc.constantFrom(...MARKERS), fc.array(fc.constantFrom(...RISKY), { maxLength: 2 })), {
    minLength: 1,
    maxLength: 8,
  })
  .map((groups) => groups.map(([marker, rest]) => marker + rest.join('')).join(''));

/** Every 4-character window of the password, raw and percent-encoded. */
function fragments(pw: string): string[] {
  const chars = [...pw];
  const found = new Set<string>();
  for (let i = 0; i + 4 <= chars.length; i++) {
    const window = chars.slice(i, i + 4).join('');
    found.add(window);
    found.add(encodeURIComponent(window));
  }
  if (chars.length < 4) found.add(pw);
  for (const marker of MARKERS) found.add(marker);
  return [...found];
}

function assertNoFragment(text: string, pw: string, where: string): void {
  for (const fragment of fragments(pw)) {
    assert.ok(!text.includes(fragment), `${where} shows ${JSON.stringify(fragment)} of the password: ${text}`);
  }
}

// The host settings people write, right and wrong, with the password as typed.
const SHAPES: ((pw: string) => string)[] = [
  (pw) => `app:${pw}@db`,
  (pw) => `MONGODB://app:${pw}@db/blog`,
  (pw) => `mongodb//app:${pw}@db`,
  (pw) => `mongodb:/app:${pw}@db`,
  (pw) => `mongodb://app:${pw}@db/blog`,
  (pw) => `mongodb://app:${pw}@db1:27017,db2/blog?replicaSet=rs0`,
  (pw) => `mongodb+srv://app:${pw}@cluster.example/blog`,
  (pw) => `mongodb://app:${pw}@sec/blog@db/blog`,
  (pw) => `mongodb://app:${encodeURIComponent(pw)}@db/blog`,
  (pw) => `mongodb://app:${encodeURIComponent(pw)}@db/blog?proxyPassword=${encodeURIComponent(pw)}`,
  // After the last @ comes a host: a password at the very end must not hold one.
  (pw) => `app:${pw.replaceAll('@', '')}`,
  (pw) => `db:${pw.replaceAll('@', '')}`,
];

describe('credentials never show in what is said about a host', () => {
  test('resolveSettings: refused with the host masked, or resolved with no fragment in hosts or database', () => {
    fc.assert(
      fc.property(password, fc.integer({ min: 0, max: SHAPES.length - 1 }), (pw, shape) => {
        const host = SHAPES[shape]!(pw);
        let resolved;
        try {
          resolved = resolveSettings({ NAME: 'blog', CLIENT: { host } });
        } catch (err) {
          assert.ok(err instanceof ImproperlyConfigured, `${host}: ${String(err)}`);
          assertNoFragment(err.message, pw, host);
          return;
        }
        assertNoFragment(resolved.hosts.join(','), pw, `${host}: hosts`);
        // What the driver may say about the URI, masked with what was resolved.
        assertNoFragment(redact(`failed on ${host} (${pw})`, resolved.secrets), pw, `${host}: redact`);
      }),
      { numRuns: 3000 },
    );
  });

  test('the CLI: --uri shapes are refused or resolved without a fragment of the password', async () => {
    await fc.assert(
      fc.asyncProperty(password, fc.integer({ min: 0, max: SHAPES.length - 1 }), async (pw, shape) => {
        const uri = SHAPES[shape]!(pw);
        try {
          resolveSettings(await cliSettings({ uri }, ROOT, {}));
        } catch (err) {
          assert.ok(err instanceof ImproperlyConfigured, `${uri}: ${String(err)}`);
          assertNoFragment(redact(err.message, []), pw, uri);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('maskCredentials over any text: no fragment before the last @, nor in a port that is not a number', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), password, fc.string(), (before, pw, after) => {
        const clean = (text: string) => [...text].filter((c) => !MARKERS.includes(c)).join('');
        assertNoFragment(
          maskCredentials(`${clean(before)}${pw}@h${clean(after).replace(/[@:]/g, '')}`),
          pw,
          'userinfo',
        );
        assertNoFragment(maskCredentials(`mongodb://h:${pw.replaceAll('@', '')}`), pw, 'port');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveSettings, by hand', () => {
  test('a port that is not a number may be a password: refused, masked', () => {
    assert.throws(
      () => resolveSettings({ NAME: 'b', CLIENT: { host: 'db:s3cret' } }),
      (err: unknown) =>
        err instanceof ImproperlyConfigured &&
        err.message.startsWith(
          'CLIENT host "db:***" is not a host list: give host, host:port with a port from 1 to 65535',
        ),
    );
  });

  test('credential options are secrets too, from CLIENT and from the URI', () => {
    const resolved = resolveSettings({
      NAME: 'b',
      CLIENT: { host: 'mongodb://h/?proxyPassword=pp%21', tlsCertificateKeyFilePassword: 'kfp' },
    });
    assert.deepEqual([...resolved.secrets].sort(), ['kfp', 'pp!', 'pp%21']);
  });
});

describe('maskCredentials and parseMongoUri, by hand', () => {
  test('each shape masked', () => {
    const cases: [string, string][] = [
      ['app:s3cret@db', '***@db'],
      ['MONGODB://app:s3cret@db/blog', 'MONGODB://***@db/blog'],
      ['mongodb//app:s3cret@db', 'mongodb//***@db'],
      ['mongodb://app:pa@ss/x@db/blog', 'mongodb://***@db/blog'],
      ['mongodb://app:pa/ss@db:27017', 'mongodb://***@db:27017'],
      ['app:s3cret', 'app:***'],
      ['mongodb://app:pa/ss/blog', 'mongodb://app:***'],
      ['mongodb://[::1]:27017,h:1/blog', 'mongodb://[::1]:27017,h:1/blog'],
      ['mongodb://h/blog?proxyPassword=pp&tls=true', 'mongodb://h/blog?proxyPassword=***&tls=true'],
      [
        'mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:tok,X:y',
        'mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:***,X:y',
      ],
      ['db.example:27017', 'db.example:27017'],
    ];
    for (const [text, masked] of cases) assert.equal(maskCredentials(text), masked, text);
  });

  test('a valid URI splits as the driver splits it', () => {
    assert.deepEqual(parseMongoUri('mongodb://app:p%40ss@h1:1,h2/blog?replicaSet=rs0&proxyPassword=x%21', 'URI'), {
      srv: false,
      hosts: ['h1:1', 'h2'],
      database: 'blog',
      secrets: ['p%40ss', 'p@ss', 'x%21', 'x!'],
    });
    assert.equal(parseMongoUri('mongodb://h/caf%C3%A9', 'URI').database, 'café');
    assert.equal(parseMongoUri('mongodb+srv://cluster.example', 'URI').database, undefined);
  });

  test('each malformed URI is ImproperlyConfigured saying what is wrong and what is accepted', () => {
    const cases: [string, RegExp][] = [
      ['mongodb://h/%zz', /database name holds a bad percent escape/],
      ['mongodb://app:p%zz@h/blog', /user name or password holds a bad percent escape/],
      ['mongodb://a%zz:pw@h/blog', /user name or password holds a bad percent escape/],
      ['mongodb://app:pa/ss@h/blog', /unescaped reserved character/],
      ['mongodb://app:pa:ss@h/blog', /unescaped reserved character/],
      ['mongodb://app:p@ss@h/blog', /an @ after the user information/],
      ['mongodb://:pw@h/blog', /no user name/],
      ['mongodb://h:port/blog', /port is not a number/],
      ['mongodb://h,/blog', /empty entry/],
      ['mongodb+srv://a,b/blog', /one host, without a port/],
    ];
    for (const [uri, problem] of cases) {
      assert.throws(
        () => parseMongoUri(uri, 'CLIENT host'),
        (err: unknown) =>
          err instanceof ImproperlyConfigured &&
          problem.test(err.message) &&
          /Accepted: mongodb:\/\/ or mongodb\+srv:\/\//.test(err.message) &&
          !/pa.ss|p%zz|p@ss/.test(err.message),
        uri,
      );
    }
  });
});
