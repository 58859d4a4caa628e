// The migration commands on the command line: makemigrations,
// showmigrations, and migrate's options when a migrations folder exists.
// program.ts owns the connection and the exit codes; this adds the options
// and turns them into the API calls of commands.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Connection } from 'mongoose';
import { ImproperlyConfigured, MigrationError, UnconvertibleValuesError } from '../../core/errors.js';
import type { CommandModel } from '../models.js';
import { progressBar } from '../progress.js';
import { applyMigrations, makeMigrations, showMigrations } from './commands.js';
import { formatApplyMigrations, formatMakeMigrations, formatShowMigrations } from './format.js';
import type { StoredValue } from './state.js';

/** The options the migration commands add to the common ones. */
export interface MigrationCommandOptions {
  json?: boolean;
  dryRun?: boolean;
  progress?: boolean;
  batchSize?: number;
  migrations?: string;
  app?: string;
  name?: string;
  yes?: boolean;
  default?: Record<string, StoredValue>;
  rename?: string[];
  plan?: boolean;
  fake?: boolean;
  fakeInitial?: boolean;
  lockWait?: number;
  model?: string[];
  empty?: boolean;
  check?: boolean;
  list?: boolean;
}

/** What program.ts lends the migration commands. */
export interface CommandKit {
  readonly cwd: string;
  readonly isTTY: boolean;
  readonly progressStream?: NodeJS.WritableStream;
  readonly prompt?: (question: string) => Promise<string>;
  readonly execute: (
    options: MigrationCommandOptions,
    modelsRequired: boolean,
    work: (conn: Connection, models: CommandModel[] | undefined) => Promise<number>,
  ) => Promise<number>;
  readonly print: (options: MigrationCommandOptions, report: unknown, text: string) => void;
}

function fieldValue(value: string, previous: Record<string, StoredValue> = {}): Record<string, StoredValue> {
  const at = value.indexOf('=');
  if (at < 1)
    throw new InvalidArgumentError('Expected field=value (or Model.field=value), e.g. --default owner=admin.');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function renamePair(value: string, previous: string[] = []): string[] {
  if (!/^[^:]+:[^:]+$/.test(value)) throw new InvalidArgumentError('Expected old:new, e.g. --rename title:name.');
  return [...previous, value];
}

function positiveCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a positive whole number, e.g. 1000.');
  return n;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('Expected a whole number of milliseconds.');
  return n;
}

/**
 * A migration refused by the stored data, as `migrate --json` prints it (the exit code says 4).
 *
 * @example
 * ```ts
 * refusalReport(err); // { error: 'UnconvertibleValuesError', message: '…', model: 'Blog', unconvertible: 1, sample: [2] }
 * ```
 */
export function refusalReport(err: MigrationError): Record<string, unknown> {
  return {
    error: err.name,
    message: err.message,
    model: err.model,
    ...(err instanceof UnconvertibleValuesError ? { unconvertible: err.count, sample: err.sample } : {}),
  };
}

/** Whether the project has a migrations folder, which turns migrate into Django's. */
export function hasMigrationsFolder(cwd: string, dir: string | undefined): boolean {
  return existsSync(path.resolve(cwd, dir ?? './migrations'));
}

/**
 * migrate's arguments as Django takes them, `[app_label] [migration_name]`,
 * or the migration alone: the target, undefined for the latest.
 *
 * @example
 * ```ts
 * migrateTarget('djongoose', '0001', 'djongoose'); // '0001'
 * migrateTarget('djongoose', undefined, 'djongoose'); // undefined
 * migrateTarget('zero', undefined, 'djongoose'); // 'zero'
 * ```
 */
export function migrateTarget(first: string | undefined, second: string | undefined, app: string): string | undefined {
  if (second === undefined) return first === app ? undefined : first;
  if (first === app) return second;
  throw new ImproperlyConfigured(
    `No migrations for the app ${JSON.stringify(first)}: this folder's migrations are the app ${app} (--app). ` +
      `Give migrate ${app} <target>, or the target alone (a migration's name, the start of one, or zero).`,
  );
}

/** Adds the options `migrate` takes with a migrations folder. */
export function migrateOptions(command: Command): Command {
  return command
    .argument('[app_label]', "the app label (as Django's migrate takes it), or the target alone")
    .argument(
      '[target]',
      'the migration to end at (later ones are reversed), the start of its name, or zero; default the latest',
    )
    .option('--migrations <dir>', 'the migrations folder (without one, migrate syncs as before)', './migrations')
    .option('--app <label>', 'the app label recorded in django_migrations', 'djongoose')
    .option('--plan', 'print the migrations and operations that would run')
    .option('--fake', 'record the migrations as applied (or unapplied) without running them')
    .option('--fake-initial', 'record an initial migration whose collections exist without running it')
    .option('--yes', 'confirm dropping collections (DeleteModel)')
    .option('--no-progress', 'no progress bar')
    .option('--batch-size <n>', 'documents per bulkWrite where work goes document by document', positiveCount, 1000)
    .option('--lock-wait <ms>', "how long to wait for another migrate's lock", milliseconds, 60_000)
    .option('--check', 'exit 1 when there are migrations to apply (or unapply); run nothing');
}

/**
 * Runs `migrate` with a migrations folder: applies (or reverses to
 * `target`) and prints Django's lines.
 *
 * @example
 * ```ts
 * await runMigrate(kit, undefined, { migrations: './migrations' });
 * ```
 */
export function runMigrate(
  kit: CommandKit,
  target: string | undefined,
  options: MigrationCommandOptions,
): Promise<number> {
  const prompt = kit.prompt;
  return kit.execute(options, false, async (conn) => {
    const planOnly = options.plan === true || options.dryRun === true || options.check === true;
    const bar =
      kit.isTTY && options.progress !== false && !options.json && !planOnly
        ? progressBar(kit.progressStream)
        : undefined;
    try {
      const report = await applyMigrations(conn, {
        cwd: kit.cwd,
        ...(options.migrations ? { migrations: options.migrations } : {}),
        ...(options.app ? { app: options.app } : {}),
        ...(target === undefined ? {} : { target }),
        plan: planOnly,
        fake: options.fake ?? false,
        fakeInitial: options.fakeInitial ?? false,
        yes: options.yes ?? false,
        ...(prompt ? { confirm: async (q: string) => /^y/i.test(await prompt(`${q} [y/N] `)) } : {}),
        batchSize: options.batchSize ?? 1000,
        lockWait: options.lockWait ?? 60_000,
        ...(bar ? { onProgress: (p) => bar.update({ model: p.label, scanned: p.done, total: p.total }) } : {}),
      });
      bar?.stop();
      kit.print(options, report, formatApplyMigrations(report, planOnly));
      return options.check && report.plan.length > 0 ? 1 : 0;
    } catch (err) {
      // With --json the refusal is JSON on stdout too (the count and _ids of what cannot convert), for scripts.
      if (options.json && err instanceof MigrationError) kit.print(options, refusalReport(err), '');
      throw err;
    } finally {
      bar?.stop();
    }
  });
}

/**
 * The makemigrations and showmigrations commands.
 *
 * @example
 * ```ts
 * for (const command of migrationCommands(program, kit, addCommonOptions)) command.exitOverride();
 * ```
 */
export function migrationCommands(
  program: Command,
  kit: CommandKit,
  common: (command: Command, modelsRequired: boolean) => Command,
): Command[] {
  const make = common(program.command('makemigrations'), true)
    .description('write the next migration file from the changes to the models')
    .option('--migrations <dir>', 'the migrations folder', './migrations')
    .option('--app <label>', 'the app label', 'djongoose')
    .option('--name <name>', "the migration's name after its number")
    .option('--dry-run', 'print what the migration would hold, write no file')
    .option('--yes', 'ask nothing: fields not named by --rename are removed and added')
    .option('--default <field=value>', 'a value for the documents of a required field without a default', fieldValue)
    .option('--rename <old:new>', 'a field renamed (repeat for several)', renamePair)
    .option('--empty', 'write a migration with no operations, to fill in by hand (a RunScript)')
    .option('--check', 'exit 1 when the models have changes without a migration; write nothing')
    .action(async (options: MigrationCommandOptions) => {
      await kit.execute(options, true, async (_conn, models) => {
        const report = await makeMigrations(models ?? [], {
          cwd: kit.cwd,
          ...(options.migrations ? { migrations: options.migrations } : {}),
          ...(options.name ? { name: options.name } : {}),
          dryRun: options.dryRun === true || options.check === true,
          empty: options.empty ?? false,
          yes: options.yes ?? false,
          ...(options.default ? { defaults: options.default } : {}),
          ...(options.rename ? { renames: options.rename } : {}),
          ...(options.model?.length ? { only: (models ?? []).map((m) => m.modelName) } : {}),
          ...(kit.prompt && !options.yes ? { prompt: kit.prompt } : {}),
        });
        kit.print(options, report, formatMakeMigrations(report, kit.cwd, options.app ?? 'djongoose'));
        return options.check && report.changed ? 1 : 0;
      });
    });
  const show = common(program.command('showmigrations'), false)
    .description('list the migrations, [X] applied, [ ] not, per app (djongo’s rows included)')
    .option('--migrations <dir>', 'the migrations folder (default: "./migrations", when there is one)')
    .option('--app <label>', 'the app label of the migrations folder', 'djongoose')
    .argument('[app_labels...]', 'only these apps')
    .option('-l, --list', 'per app, [X] applied and [ ] not (the default)')
    .option('-p, --plan', 'list every migration in the order it runs, as [X]  app.name')
    .option('--dry-run', 'accepted as the other commands take it; showmigrations writes nothing anyway')
    .action(async (labels: string[], options: MigrationCommandOptions) => {
      await kit.execute(options, false, async (conn) => {
        const report = await showMigrations(conn, {
          cwd: kit.cwd,
          ...(options.migrations ? { migrations: options.migrations } : {}),
          ...(options.app ? { app: options.app } : {}),
          ...(labels.length > 0 ? { apps: labels } : {}),
        });
        kit.print(options, report, formatShowMigrations(report, options.plan === true));
        return 0;
      });
    });
  return [make, show];
}
