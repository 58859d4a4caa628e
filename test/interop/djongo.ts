// Runs the interop project's Python side (djproject/) with the virtualenv
// that test/interop/venv.sh makes, against the test server of this run. A
// missing virtualenv fails the suite: it never skips.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';
import { server } from '../helpers/server.js';

const run = promisify(execFile);
const PROJECT = path.join(ROOT, 'test', 'interop', 'djproject');
const PYTHON = path.join(ROOT, '.cache', 'python-interop', 'bin', 'python');

if (!existsSync(PYTHON)) {
  throw new Error(
    `The djongo interop suite needs djongo's virtualenv, and ${PYTHON} is missing. ` +
      'Make it with `bash test/interop/venv.sh` (.ci/run does), then run the tests again.',
  );
}

/**
 * A database by name (djongo's ENFORCE_SCHEMA off, as settings.py has it), or
 * with ENFORCE_SCHEMA on, where djongo refuses a row that lacks a column.
 */
export type DjongoDatabase = string | { readonly name: string; readonly enforceSchema: boolean };

async function python(database: DjongoDatabase, args: readonly string[]): Promise<string> {
  const { name, enforceSchema } = typeof database === 'string' ? { name: database, enforceSchema: false } : database;
  try {
    const { stdout } = await run(PYTHON, args, {
      cwd: PROJECT,
      env: {
        ...process.env,
        DJONGO_URI: server.uri,
        DJONGO_DB: name,
        DJONGO_ENFORCE_SCHEMA: enforceSchema ? '1' : '0',
        PYTHONDONTWRITEBYTECODE: '1',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const { stderr = '', message } = err as { stderr?: string; message: string };
    // djongo's traceback ends with the server's own error: keep its tail.
    throw new Error(`djongo: python ${args.join(' ')} failed: ${message}\n${stderr.split('\n').slice(-25).join('\n')}`);
  }
}

/** `manage.py <args>` (migrate, inspectdb) on `database`; its standard output. */
export function manage(database: DjongoDatabase, ...args: string[]): Promise<string> {
  return python(database, ['manage.py', ...args]);
}

/** One step of djproject/steps.py on `database`, its JSON answer parsed. */
export async function step<T>(database: DjongoDatabase, name: string, argument?: unknown): Promise<T> {
  const args = ['steps.py', name, ...(argument === undefined ? [] : [JSON.stringify(argument)])];
  return JSON.parse(await python(database, args)) as T;
}
