// AdminJS serves the custom components as one bundle that it builds with
// rollup and babel into ADMIN_JS_TMP_DIR (default .adminjs/, gitignored).
// Left to itself it builds on the first page load in development, and
// reuses whatever bundle.js is on disk, even a stale one; in production it
// builds in the background after start. Building here, before the server
// listens, makes "Admin ready" mean ready, from a clean clone too.
import { performance } from 'node:perf_hooks';
import type AdminJS from 'adminjs';
import { ADMIN_JS_TMP_DIR, componentsBundler, generateUserComponentEntry } from 'adminjs/bundler';

/**
 * Writes the components' entry and bundles it; resolves to the milliseconds it took.
 *
 * @example
 * ```ts
 * const ms = await bundleComponents(admin); // before app.listen()
 * ```
 */
export async function bundleComponents(admin: AdminJS): Promise<number> {
  const started = performance.now();
  await componentsBundler.createEntry({ content: generateUserComponentEntry(admin, ADMIN_JS_TMP_DIR) });
  await componentsBundler.build();
  return performance.now() - started;
}
