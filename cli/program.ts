// The `djongoose` command line: commander parses, the API functions do the
// work, format.ts prints. Every failure becomes one line on stderr and an
// exit code by kind, with the password masked, and nothing written.
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { Connection } from 'mongoose';
import { connect } from '../core/connect.js';
import { DjongooseError, ImproperlyConfigured, MigrationError, OperationalError } from '../core/errors.js';
import { redact } from '../core/secrets.js';
import { resolveSettings } from '../core/settings.js';
import { adopt } from './adopt.js';
import { check } from './check.js';
import { cliSettings, type ConnectionSource } from './connection.js';
import { formatCheck, formatCounters, formatMigrate, toJson } from './format.js';
import { formatGridFSLayout, moveGridFSLayout } from './gridfs-layout.js';
import { importUserModule } from './import-module.js';
import { bindModels, inspectModelsModule, type ModelsModule } from './load-models.js';
import { inspectCommand } from './inspect/command.js';
import { DEFAULT_SAMPLE } from './inspectdb.js';
import { migrate } from './migrate.js';
import type { CommandModel } from './models.js';
import { progressBar } from './progress.js';
import { syncCounters } from './sync-counters.js';
import {
  hasMigrationsFolder,
  migrateOptions,
  migrateTarget,
  migrationCommands,
  runMigrate,
  type CommandKit,
  type MigrationCommandOptions,
} from './migrations/program.js';

/** The CLI's exit codes. */
export const EXIT = {
  ok: 0,
  /** `check` found drift. */
  drift: 1,
  /** Bad options, settings or models module (ImproperlyConfigured). */
  usage: 2,
  /** The server could not be reached (OperationalError). */
  unreachable: 3,
  /** The stored data stops the command, e.g. ids that are not integers (MigrationError). */
  data: 4,
  /** Anything else: a bug, or a server error mid-command. */
  failure: 70,
} as const;

/** What the CLI reads and writes; the process's own by default. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stderr is a terminal, for the progress bar. */
  readonly isTTY: boolean;
  /** The stream a progress bar draws on. */
  readonly progressStream?: NodeJS.WritableStream;
  /** Asks a person a question (makemigrations' rename and default questions); absent: not interactive. */
  readonly prompt?: (question: string) => Promise<string>;
}

interface CommonOptions {
  settings?: string;
  database?: string;
  uri?: string;
  db?: string;
  models?: string;
  model?: string[];
  timeout?: number;
  json?: boolean;
  dryRun?: boolean;
  progress?: boolean;
  batchSize?: number;
  sampleSize?: number;
  collections?: string[];
  sample?: number;
  out?: string;
  to?: 'djongo' | 'flat';
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a whole number of at least 1.');
  return n;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',')];

function addConnectionOptions(command: Command): Command {
  return command
    .option('--settings <module>', "module exporting djongo's DATABASES (or a default settings dict)")
    .option('--database <alias>', 'the DATABASES alias to use', 'default')
    .option('--uri <uri>', 'mongodb:// URI, when not using --settings (default: $MONGODB_URI)')
    .option('--db <name>', 'database name (overrides the settings NAME or the URI path)');
}

function addCommonOptions(command: Command, modelsRequired: boolean): Command {
  const modelsHelp = modelsRequired
    ? 'module exporting your Mongoose models, or a function models(conn) returning them (required)'
    : 'module exporting your Mongoose models (optional: without it, every __schema__ counter)';
  return addConnectionOptions(command)
    .option('--models <module>', modelsHelp)
    .option('--model <name>', 'only this model (repeat or comma-separate for several)', collect)
    .option('--timeout <ms>', 'server selection timeout in ms (default: the settings, else 5000)', positiveInteger)
    .option('--json', 'print the report as JSON on stdout');
}

/** What a run learns that its error message needs: the secrets to mask. */
interface RunState {
  secrets: readonly string[];
}

/** A run of one command: settings, models, connection, then the work. */
async function execute(
  options: CommonOptions,
  io: CliIo,
  state: RunState,
  modelsRequired: boolean,
  work: (conn: Connection, models: CommandModel[] | undefined) => Promise<number>,
): Promise<number> {
  const source: ConnectionSource = {
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.uri === undefined ? {} : { uri: options.uri }),
    ...(options.db === undefined ? {} : { db: options.db }),
    ...(options.timeout === undefined ? {} : { timeoutMS: options.timeout }),
  };
  const settings = await cliSettings(source, io.cwd, io.env);
  const resolved = resolveSettings(settings);
  state.secrets = resolved.secrets;
  if (modelsRequired && options.models === undefined) {
    throw new ImproperlyConfigured('--models <module> is required: the module that exports your Mongoose models.');
  }
  let module: ModelsModule | undefined;
  if (options.models !== undefined) {
    const exports = await importUserModule(options.models, io.cwd, 'models module');
    module = inspectModelsModule(exports, options.models);
  }
  const conn = await connect(settings);
  try {
    const models = module ? await bindModels(module, conn, options.model ?? []) : undefined;
    if (!options.json)
      io.stderr(`djongoose: database ${JSON.stringify(resolved.name)} at ${resolved.hosts.join(',')}\n`);
    return await work(conn, models);
  } finally {
    await conn.close();
  }
}

type MigrateCliOptions = CommonOptions & MigrationCommandOptions;

function exitCodeOf(err: unknown): number {
  if (err instanceof ImproperlyConfigured) return EXIT.usage;
  if (err instanceof OperationalError) return EXIT.unreachable;
  if (err instanceof MigrationError) return EXIT.data;
  return EXIT.failure;
}

function buildProgram(io: CliIo, state: RunState, done: (code: number) => void): Command {
  const print = (options: CommonOptions, report: unknown, text: string): void =>
    io.stdout(`${options.json ? toJson(report) : text}\n`);

  const program = new Command('djongoose')
    .description("djongo's management commands for Mongoose apps")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  const kit: CommandKit = {
    cwd: io.cwd,
    isTTY: io.isTTY,
    ...(io.progressStream ? { progressStream: io.progressStream } : {}),
    ...(io.prompt ? { prompt: io.prompt } : {}),
    execute: (options, modelsRequired, work) =>
      execute(options, io, state, modelsRequired, work).then((code) => (done(code), code)),
    print,
  };

  const commands: Command[] = [
    migrateOptions(addCommonOptions(program.command('migrate'), true))
      .description(
        'apply the migrations folder’s migrations (Django’s migrate); without a folder, create the models’ ' +
          'collections, indexes and __schema__ counters, idempotent',
      )
      .option('--dry-run', 'print what would change, write nothing')
      .action(
        async (first: string | undefined, second: string | undefined, options: MigrateCliOptions, command: Command) => {
          const target = migrateTarget(first, second, options.app ?? 'djongoose');
          if (hasMigrationsFolder(io.cwd, options.migrations)) return void (await runMigrate(kit, target, options));
          if (target !== undefined || options.plan || options.fake || options.fakeInitial) {
            throw new ImproperlyConfigured(
              `migrate ${target ?? ''} --plan/--fake/--fake-initial need a migrations folder, and there is no ` +
                `${JSON.stringify(options.migrations ?? './migrations')}: run makemigrations first, or pass --migrations <dir>.`,
            );
          }
          // Only the default folder may be missing (a project without migrations syncs):
          // a folder named on the command line and not there is a typo, not a choice.
          if (command.getOptionValueSource('migrations') === 'cli') {
            throw new ImproperlyConfigured(
              `--migrations ${JSON.stringify(options.migrations)}: there is no such folder (looked in ${io.cwd}). Name an existing ` +
                `migrations folder, or leave --migrations out to sync the models without migrations.`,
            );
          }
          await execute(options, io, state, true, async (conn, models) => {
            const report = await migrate(conn, models ?? [], { dryRun: options.dryRun ?? false });
            print(options, report, formatMigrate(report));
            return EXIT.ok;
          }).then(done);
        },
      ),
    addCommonOptions(program.command('check'), true)
      .description('report schema drift in the stored documents; exits 1 when there is any')
      .option('--no-progress', 'no progress bar (there is none anyway when stderr is not a terminal)')
      .option('--batch-size <n>', 'documents per cursor batch', positiveInteger, 1000)
      .option('--sample-size <n>', 'sample _ids per problem', positiveInteger, 5)
      .action(async (options: CommonOptions) => {
        await execute(options, io, state, true, async (conn, models) => {
          const bar =
            io.isTTY && options.progress !== false && !options.json ? progressBar(io.progressStream) : undefined;
          try {
            const report = await check(conn, models ?? [], {
              batchSize: options.batchSize ?? 1000,
              sampleSize: options.sampleSize ?? 5,
              ...(bar ? { onProgress: bar.update } : {}),
            });
            bar?.stop();
            print(options, report, formatCheck(report));
            return report.drift ? EXIT.drift : EXIT.ok;
          } finally {
            bar?.stop();
          }
        }).then(done);
      }),
    addCommonOptions(program.command('adopt'), true)
      .description('write __schema__ counters for an existing database, seq = the largest id stored')
      .option('--dry-run', 'print what would be written, write nothing')
      .action(async (options: CommonOptions) => {
        await execute(options, io, state, true, async (conn, models) => {
          const report = await adopt(conn, models ?? [], { dryRun: options.dryRun ?? false });
          print(options, report, formatCounters(report));
          return EXIT.ok;
        }).then(done);
      }),
    addCommonOptions(program.command('sync-counters'), false)
      .description('raise every __schema__ seq to the largest id stored')
      .option('--dry-run', 'print what would be raised, write nothing')
      .action(async (options: CommonOptions) => {
        await execute(options, io, state, false, async (conn, models) => {
          const report = await syncCounters(conn, models, { dryRun: options.dryRun ?? false });
          print(options, report, formatCounters(report));
          return EXIT.ok;
        }).then(done);
      }),
    addConnectionOptions(program.command('inspectdb'))
      .description('write a TypeScript models module for the database (Django’s inspectdb)')
      .option('--collections <names>', 'only these collections (repeat or comma-separate for several)', collect)
      .option('--sample <n>', 'documents sampled per collection, at most', positiveInteger, DEFAULT_SAMPLE)
      .option('--out <file>', 'write the module to this file (default: stdout)')
      .option('--no-progress', 'no progress bar (there is none anyway when stderr is not a terminal)')
      .option('--timeout <ms>', 'server selection timeout in ms (default: the settings, else 5000)', positiveInteger)
      .option('--json', 'print the report (models, skipped collections, and the module unless --out) as JSON')
      .action(async (options: CommonOptions) => {
        await execute(options, io, state, false, async (conn) => {
          await inspectCommand(conn, options, io);
          return EXIT.ok;
        }).then(done);
      }),
    addConnectionOptions(program.command('gridfs-layout'))
      .argument('<collection>', "the GridFSStorage's collection (its top-level bucket)")
      .description("move a GridFS storage's files into djongo's layout or the flat one; idempotent, resumable")
      .requiredOption(
        '--to <layout>',
        "'djongo' (a bucket per directory) or 'flat' (the path in the file name)",
        (v) => {
          if (v !== 'djongo' && v !== 'flat') throw new InvalidArgumentError("Expected 'djongo' or 'flat'.");
          return v;
        },
      )
      .option('--dry-run', 'print what would move, write nothing')
      .option('--timeout <ms>', 'server selection timeout in ms (default: the settings, else 5000)', positiveInteger)
      .option('--json', 'print the report as JSON on stdout')
      .option('--no-progress', 'no progress bar (there is none anyway when stderr is not a terminal)')
      .action(async (collection: string, options: CommonOptions) => {
        await execute(options, io, state, false, async (conn) => {
          const bar =
            io.isTTY && options.progress !== false && !options.json ? progressBar(io.progressStream) : undefined;
          try {
            const report = await moveGridFSLayout(conn, {
              collection,
              to: options.to ?? 'djongo',
              dryRun: options.dryRun ?? false,
              ...(bar
                ? { onProgress: ({ done, total }) => bar.update({ model: collection, scanned: done, total }) }
                : {}),
            });
            bar?.stop();
            print(options, report, formatGridFSLayout(report));
            return report.skipped.length > 0 ? EXIT.data : EXIT.ok;
          } finally {
            bar?.stop();
          }
        }).then(done);
      }),
    ...migrationCommands(program, kit, addCommonOptions),
  ];
  for (const command of commands) command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and returns
 * its exit code: 0 done, 1 drift found by `check`, 2 bad options, settings or
 * models module, 3 server unreachable, 4 stored data in the way (ids that are
 * not integers), 70 anything else.
 *
 * @example
 * ```ts
 * process.exitCode = await run(['migrate', '--settings', './settings.js', '--models', './dist/models.js']);
 * ```
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const state: RunState = { secrets: [] };
  const program = buildProgram(io, state, (c) => (code = c));
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const message = err instanceof Error ? err.message : String(err);
    const kind = err instanceof DjongooseError ? err.name : 'Error';
    io.stderr(`djongoose: ${kind}: ${redact(message, state.secrets)}\n`);
    return exitCodeOf(err);
  }
}

/** The process's own streams, environment and directory. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
    ...(process.stdin.isTTY === true ? { prompt: ask } : {}),
  };
}

/** One question on the terminal, answered by a line. */
async function ask(question: string): Promise<string> {
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await lines.question(question);
  } finally {
    lines.close();
  }
}
