// `npm run example:admin` from a clean checkout, without MONGODB_URI: the
// example starts its own local FerretDB (in .data/example-ferretdb, as
// `npm run example` does), seeds it, and serves the admin behind its login
// with the default account. Checked over plain HTTP: the login page, a
// wrong password refused, the default one let in, and the seeded entries
// listed through AdminJS's API. It does not depend on the suite's server, so
// it runs once, in the FerretDB pass (the two passes would share the data
// directory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAdminExample } from '../helpers/admin-example.js';
import { databaseName, server } from '../helpers/server.js';

const skip = server.kind === 'ferretdb' ? false : 'runs once, in the FerretDB pass: it starts its own FerretDB';

/** Logs in through AdminJS's login form; the session cookie, or undefined when refused. */
async function logIn(url: string, email: string, password: string): Promise<string | undefined> {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('djongoose-admin='));
  const to = res.headers.get('location') ?? '';
  return res.status === 302 && !to.includes('login') && cookie ? cookie.split(';')[0] : undefined;
}

test(
  'without MONGODB_URI the admin example starts a local FerretDB and serves the seeded admin',
  { skip },
  async () => {
    const admin = await startAdminExample('', databaseName(import.meta.url));
    try {
      assert.deepEqual(admin.stdout, [`Admin ready at ${admin.url}`]);
      assert.match(admin.stderr(), /MONGODB_URI is unset: starting a local FerretDB/);
      const login = await (await fetch(`${admin.url}/login`)).text();
      assert.match(login, /for local use only/);
      assert.equal(await logIn(admin.url, 'admin@example.com', 'wrong'), undefined);
      const cookie = await logIn(admin.url, 'admin@example.com', 'djongoose');
      assert.ok(cookie, 'the default account logs in');
      const res = await fetch(`${admin.url}/api/resources/Entry/actions/list`, { headers: { cookie } });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { records: { params: Record<string, unknown> }[]; meta: { total: number } };
      assert.ok(page.meta.total >= 3, JSON.stringify(page.meta));
      assert.ok(
        page.records.some((r) => r.params['headline'] === 'Paint It Black'),
        JSON.stringify(page.records.map((r) => r.params['headline'])),
      );
    } finally {
      await admin.stop();
    }
  },
);
