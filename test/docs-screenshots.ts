// `npm run docs:screenshots`: the README's admin pictures (docs/admin-*.png),
// taken by the browser tests on FerretDB, the server CI runs them on. It
// starts FerretDB and runs test/e2e/admin-browser.test.ts against it with
// DJONGOOSE_UPDATE_DOCS=1, which makes that test also write its docs pictures.
import { spawn } from 'node:child_process';
import { ROOT } from './harness/paths.js';
import { ferretdb } from './harness/servers.js';

const definition = ferretdb();
await definition.build();
const server = await definition.start();
let code: number | null = 1;
try {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/run.ts', 'test/e2e/admin-browser.test.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MONGODB_URI: server.uri, DJONGOOSE_UPDATE_DOCS: '1' },
  });
  code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
} finally {
  await server.stop();
}
process.exit(code ?? 1);
