// Type-check timings: the whole project, and the wide-model fixture (30
// fields, embedding three deep) next to a one-field model with the same
// imports, each as its own `tsc --noEmit -p` run. And the cost of a user's
// file: the same queries with djongoose and with plain Mongoose, measured as
// the instantiations tsc spends on that one file.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
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

/** What tsc spends on one file of a program, the rest of it checked first. */
export interface FileCost {
  readonly instantiations: number;
  readonly types: number;
  /** Type errors in the file, when it has any. */
  readonly errors: string | undefined;
}

/**
 * The type instantiations (and new types) that checking `file` costs, under
 * the project's compiler options. Only that file is checked: the rest of its
 * program (Mongoose's declarations, djongoose's source, the model fixture) is
 * read only as far as the file's types need it, as when djongoose comes as
 * declarations, so the count is what the user's file adds on either side.
 *
 * @example
 * ```ts
 * const ours = fileCost(path.join(FIXTURES, 'user-djongoose.ts'));
 * ```
 */
export function fileCost(file: string): FileCost {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json did not parse');
  const program = ts.createProgram([path.resolve(ROOT, file)], config.options);
  const target = program.getSourceFile(path.resolve(ROOT, file));
  if (!target) throw new Error(`${file} is not in its own program`);
  program.getTypeChecker(); // binds every file and merges the globals: common to both files
  const [instantiations, types] = [program.getInstantiationCount(), program.getTypeCount()];
  const diagnostics = program.getSemanticDiagnostics(target);
  return {
    instantiations: program.getInstantiationCount() - instantiations,
    types: program.getTypeCount() - types,
    errors:
      diagnostics.length === 0
        ? undefined
        : diagnostics
            .slice(0, 5)
            .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
            .join('\n'),
  };
}

/**
 * The user-file budget of issue 11 §5: the same queries written with
 * djongoose (user-djongoose.ts) and with plain Mongoose (user-mongoose.ts),
 * and the ratio of their type-check costs (ours ÷ Mongoose's; the target is
 * at most 1.10).
 *
 * @example
 * ```ts
 * const { ratio } = userFileBudget(); // e.g. 0.93
 * ```
 */
export function userFileBudget(): { readonly ours: FileCost; readonly mongoose: FileCost; readonly ratio: number } {
  const ours = fileCost(path.join(FIXTURES, 'user-djongoose.ts'));
  const mongoose = fileCost(path.join(FIXTURES, 'user-mongoose.ts'));
  return { ours, mongoose, ratio: ours.instantiations / mongoose.instantiations };
}
