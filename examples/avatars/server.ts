// The examples' database: MONGODB_URI when set, else a local FerretDB on
// SQLite whose data stays in .data/example-ferretdb (as examples/blog).
import path from 'node:path';
import { ROOT } from '../../test/harness/paths.js';
import { ferretdb, type RunningServer } from '../../test/harness/servers.js';

/**
 * The host for settings' CLIENT.host, and a stop function for a local server.
 *
 * @example
 * ```ts
 * const { host, stop } = await exampleServer();
 * ```
 */
export async function exampleServer(): Promise<{ host: string; stop: () => Promise<void> }> {
  const uri = process.env['MONGODB_URI'];
  if (uri) return { host: uri, stop: async () => undefined };
  const definition = ferretdb();
  console.error('MONGODB_URI is unset: starting a local FerretDB (SQLite) in .data/example-ferretdb …');
  await definition.build();
  const local: RunningServer = await definition.start({ dataDir: path.join(ROOT, '.data', 'example-ferretdb') });
  return { host: local.uri, stop: () => local.stop() };
}
