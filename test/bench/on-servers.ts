// Where a standalone benchmark runs: on MONGODB_URI when set, else on the
// test servers, each built, started, measured and stopped in turn.
import { identifyServer } from '../harness/identify.js';
import { ferretdb, mongoJavaServer } from '../harness/servers.js';

/** A test server a benchmark can run on, by its harness label in lower case. */
export type BenchServer = 'ferretdb' | 'mongo-java-server';

/**
 * Runs `measure` on MONGODB_URI when it is set, else on each of `servers`;
 * a server that will not start, or a measurement that throws, is reported on
 * stderr and the others still run. Resolves to false when anything failed.
 *
 * @example
 * ```ts
 * const ok = await onServers(async (label, uri) => console.log(label, await measure(uri)));
 * process.exitCode = ok ? 0 : 1;
 * ```
 */
export async function onServers(
  measure: (label: string, uri: string) => Promise<void>,
  servers: readonly BenchServer[] = ['ferretdb', 'mongo-java-server'],
): Promise<boolean> {
  const uri = process.env['MONGODB_URI'];
  if (uri) {
    const identity = await identifyServer(uri);
    await measure(`${identity.name} ${identity.ferretdbVersion ?? identity.mongodbVersion} (MONGODB_URI)`, uri);
    return true;
  }
  let ok = true;
  const definitions = [ferretdb(), mongoJavaServer()];
  for (const definition of definitions.filter((d) => servers.includes(d.label.toLowerCase() as BenchServer))) {
    const server = await definition
      .build()
      .then(() => definition.start())
      .catch((err: unknown) => {
        ok = false;
        console.error(`${definition.label} would not start:`, err);
        return undefined;
      });
    if (!server) continue;
    try {
      await measure(`${definition.label} ${server.version}`, server.uri);
    } catch (err) {
      ok = false;
      console.error(`\n${definition.label}: the benchmark failed:`, err);
    } finally {
      await server.stop();
    }
  }
  return ok;
}
