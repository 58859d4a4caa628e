// `npm run test:servers`: builds both emulators into .cache/servers, so CI
// fails here, loudly, rather than in the middle of the tests.
import { ferretdb, mongoJavaServer } from './servers.js';

for (const server of [ferretdb(), mongoJavaServer()]) {
  const started = Date.now();
  try {
    await server.build();
  } catch (err) {
    const e = err as Error & { stderr?: string };
    console.error(`Building ${server.label} failed: ${e.message}\n${e.stderr ?? ''}`);
    process.exit(1);
  }
  console.log(`${server.label}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
