// Loading the user's own modules (models, settings) by a path given on the
// command line. A module that cannot be found or throws while loading is an
// ImproperlyConfigured naming the path and the cause. TypeScript files load
// when the CLI runs under tsx, or through tsx's register() when it is
// installed beside the user's project.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../core/errors.js';

const TYPESCRIPT = /\.[cm]?tsx?$/;

// A variable specifier, so bundlers leave tsx (an optional peer of the CLI) alone.
const TSX_API = 'tsx/esm/api';

async function registerTsx(): Promise<boolean> {
  try {
    const api = (await import(TSX_API)) as { register?: () => unknown };
    api.register?.();
    return typeof api.register === 'function';
  } catch {
    return false;
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Imports the module at `file` (relative to `cwd`) and returns its exports.
 * `.json` files are parsed. `what` names the module in messages, e.g.
 * `models module`.
 *
 * @example
 * ```ts
 * const exports = await importUserModule('./dist/models.js', process.cwd(), 'models module');
 * ```
 */
export async function importUserModule(file: string, cwd: string, what: string): Promise<Record<string, unknown>> {
  const absolute = path.resolve(cwd, file);
  if (!existsSync(absolute)) {
    throw new ImproperlyConfigured(
      `The ${what} ${JSON.stringify(file)} does not exist (looked for ${absolute}). ` +
        'Give the path of a .js, .mjs, .cjs, .json or (under tsx) .ts file, relative to the current directory.',
    );
  }
  try {
    if (absolute.endsWith('.json')) return { default: JSON.parse(await readFile(absolute, 'utf8')) as unknown };
    const url = pathToFileURL(absolute).href;
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (err) {
      if (errorCode(err) !== 'ERR_UNKNOWN_FILE_EXTENSION' || !TYPESCRIPT.test(absolute) || !(await registerTsx())) {
        throw err;
      }
      // A new URL: Node remembers the failed import of the old one.
      return (await import(`${url}?tsx`)) as Record<string, unknown>;
    }
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const hint =
      errorCode(err) === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' To load TypeScript, run the CLI under tsx (`npx tsx node_modules/djongoose/dist/cli/index.js …`) or compile the module first.'
        : '';
    throw new ImproperlyConfigured(`The ${what} ${JSON.stringify(file)} failed to load: ${reason}.${hint}`, {
      cause: err,
    });
  }
}
