// `npm run example:admin`: the seed's Entry (embedded Blog) and an Author
// (avatar ImageField on GridFS, embedded Comments, JSON settings) in AdminJS.
// MONGODB_URI, or a local FerretDB in .data/example-ferretdb as
// `npm run example` starts. PORT (default 3000; 0 picks a free one),
// ADMIN_EMAIL / ADMIN_PASSWORD (default admin@example.com / djongoose, for
// local use only), ADMIN_SESSION_SECRET (else random per start).
import type { AddressInfo } from 'node:net';
import { connect } from '../../index.js';
import { exampleServer } from '../avatars/server.js';
import { adminApp } from './app.js';
import { adminAccount } from './auth.js';
import { adminModels } from './models.js';
import { seed } from './seed.js';

const { host, stop } = await exampleServer();
const connection = await connect({ NAME: process.env['EXAMPLE_DB_NAME'] ?? 'djongoose_admin', CLIENT: { host } });
const models = adminModels(connection);
await seed(models);
const { app, bundleMs } = await adminApp(models, adminAccount(process.env));
console.error(`AdminJS components bundled in ${Math.round(bundleMs)} ms`);

const listener = app.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1');
await new Promise((resolve, reject) => listener.once('listening', resolve).once('error', reject));
console.log(`Admin ready at http://127.0.0.1:${(listener.address() as AddressInfo).port}/admin`);

async function shutdown(): Promise<void> {
  listener.close();
  listener.closeAllConnections();
  await connection.close();
  await stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
