// Type-check timings: the whole project, and the wide-model fixture (30
// fields, embedding three deep) next to a one-field model with the same
// imports, each as its own `tsc --noEmit -p` run.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';

const run = promisify(execFile);
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
export const FIXTURES = path.join('test', 'bench', 'fixtures');

export interface TscTiming {
  /** Wall time of the tsc process. */
  readonly ms: number;
  /** tsc's own "Check time" and "Instantiations", with --extendedDiagnostics. */
  readonly checkMs: number | undefined;
  readonly instantiations: number | undefined;
  /** The first error lines when tsc failed, else undefined. */
  readonly errors: string | undefined;
}

/** Runs `tsc --noEmit -p <project>` from the repository root. */
export async function tsc(project: string, diagnostics = false): Promise<TscTiming> {
  const args = [TSC, '--noEmit', '-p', project, ...(diagnostics ? ['--extendedDiagnostics'] : [])];
  const started = process.hrtime.bigint();
  const { stdout, errors } = await run(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout }) => ({ stdout, errors: undefined }),
    (err: { stdout?: string; message: string }) => {
      const out = err.stdout ?? '';
      const lines = out.split('\n').filter((l) => /error TS\d+/.test(l));
      return { stdout: out, errors: lines.slice(0, 5).join('\n') || err.message };
    },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(stdout);
    return match ? Number(match[1]) : undefined;
  };
  const check = field('Check time');
  return {
    ms,
    checkMs: check === undefined ? undefined : check * 1000,
    instantiations: field('Instantiations'),
    errors,
  };
}
