// The djongoose CLI as a user runs it, in a child process: for the CLI's own
// tests and the interop suite (beside djongo's manage.py, on one database).
import { spawn } from 'node:child_process';
import { ROOT } from '../harness/paths.js';

/** A finished run of the CLI. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `djongoose <args>`; MONGODB_URI is cleared so only the arguments (or `env`) name the server.
 * `preload`: more Node options before the CLI (the migrate bench's `--import` of its RSS probe).
 */
export function djongoose(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  preload: readonly string[] = [],
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...preload, 'cli/index.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
