import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Built server binaries and jars, kept between runs; git-ignored. */
export const CACHE = path.join(ROOT, '.cache', 'servers');
