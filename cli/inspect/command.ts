// The `inspectdb` command's run: the progress bar on a terminal only, the
// module on stdout or in --out (written once it is complete, so a failed run
// leaves no file), and the report as JSON with --json.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { ImproperlyConfigured } from '../../core/errors.js';
import { toJson } from '../format.js';
import { DEFAULT_SAMPLE, inspectdb, type InspectReport } from '../inspectdb.js';
import { progressBar } from '../progress.js';

/** What the command writes to: the CLI's io (program.ts's CliIo fits it). */
export interface InspectIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly isTTY: boolean;
  readonly progressStream?: NodeJS.WritableStream;
}

/** The command's options, as commander parses them. */
export interface InspectCommandOptions {
  readonly collections?: string[];
  readonly sample?: number;
  readonly out?: string;
  readonly json?: boolean;
  readonly progress?: boolean;
}

async function writeModule(io: InspectIo, given: string, source: string): Promise<void> {
  try {
    await writeFile(path.resolve(io.cwd, given), source);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ImproperlyConfigured(
      `Cannot write --out ${JSON.stringify(given)}: ${reason}. Give a file in a directory that exists and you may write to.`,
      { cause: err },
    );
  }
}

/**
 * Runs `djongoose inspectdb` on a connected database: prints the module (or
 * writes it to --out) and, with --json, the report.
 *
 * @example
 * ```ts
 * await inspectCommand(conn, { out: 'src/models.ts' }, processIo());
 * ```
 */
export async function inspectCommand(conn: Connection, options: InspectCommandOptions, io: InspectIo): Promise<void> {
  const bar =
    io.isTTY && options.progress !== false && !options.json ? progressBar(io.progressStream, 'collections') : undefined;
  let report: InspectReport;
  try {
    report = await inspectdb(conn, {
      ...(options.collections ? { collections: options.collections } : {}),
      sample: options.sample ?? DEFAULT_SAMPLE,
      ...(bar ? { onProgress: ({ done, total }) => bar.update({ model: 'inspectdb', scanned: done, total }) } : {}),
    });
  } finally {
    bar?.stop();
  }
  if (options.out !== undefined) await writeModule(io, options.out, report.source);
  if (options.json) {
    const written = { models: report.models, skipped: report.skipped, out: options.out };
    io.stdout(`${toJson(options.out === undefined ? report : written)}\n`);
  } else if (options.out === undefined) io.stdout(report.source);
  else io.stderr(`djongoose: wrote ${report.models.length} model(s) to ${options.out}\n`);
}
