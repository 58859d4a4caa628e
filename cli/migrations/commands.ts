// makemigrations, migrate (with a migrations folder) and showmigrations as
// functions: what the CLI runs, for scripts and tests.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mongo, type Connection } from 'mongoose';
import { connectionSettings } from '../../core/connect.js';
import { ImproperlyConfigured, OperationalError } from '../../core/errors.js';
import { didYouMean } from '../../core/closest.js';
import { databaseOf, type CommandModels } from '../models.js';
import { autodetect } from './autodetect.js';
import { confirmDrops, planMigrations, runMigration, type MigrationRun } from './executor.js';
import type { OperationProgress } from './apply.js';
import { loadMigrations, stateAfter } from './loader.js';
import { withMigrationLock } from './lock.js';
import { describeOperation } from './operations.js';
import { questioner, type AnswerOptions } from './questioner.js';
import { appliedMigrations } from './recorder.js';
import { stateOfModels } from './state.js';
import { migrationName, renderMigration } from './writer.js';

/** Where the migrations are, and whose they are. */
export interface MigrationsLocation {
  /** The migrations folder, relative to `cwd`; default `./migrations`. */
  readonly migrations?: string;
  readonly cwd?: string;
  /** The app label recorded in `django_migrations`; default `djongoose`. */
  readonly app?: string;
}

/** Options for {@link makeMigrations}. */
export interface MakeMigrationsOptions extends MigrationsLocation, AnswerOptions {
  /** The migration's name after its number; default from its operations. */
  readonly name?: string;
  /** Work out the migration, write no file. */
  readonly dryRun?: boolean;
  /**
   * Compare only these models (the CLI's --model): the files' other models
   * are left as they are, never taken for deleted.
   */
  readonly only?: readonly string[];
  /** Write a migration with no operations, to fill in by hand (a RunScript), Django's --empty. */
  readonly empty?: boolean;
}

/** What {@link makeMigrations} wrote (or, on a dry run, would write). */
export interface MakeMigrationsReport {
  /** False: "No changes detected", no file. */
  readonly changed: boolean;
  readonly dryRun: boolean;
  readonly name?: string;
  readonly file?: string;
  readonly operations: readonly string[];
  /** The file's source. */
  readonly source?: string;
}

const where = (options: MigrationsLocation) => ({
  dir: options.migrations ?? './migrations',
  cwd: options.cwd ?? process.cwd(),
  app: options.app ?? 'djongoose',
});

/**
 * Compares the models with the state the migration files build up and writes
 * the next migration file (`0001_initial.ts` for a folder without any),
 * Django's makemigrations. No change: no file, `changed: false`.
 *
 * @example
 * ```ts
 * const report = await makeMigrations({ Entry }, { migrations: './migrations', yes: true });
 * report.file; // '/app/migrations/0002_entry_description.ts'
 * ```
 */
export async function makeMigrations(
  models: CommandModels,
  options: MakeMigrationsOptions = {},
): Promise<MakeMigrationsReport> {
  const { dir, cwd } = where(options);
  if (options.name !== undefined && !/^\w+$/.test(options.name)) {
    throw new ImproperlyConfigured(
      `The migration name ${JSON.stringify(options.name)} is not a name; it takes letters, digits and _ only, e.g. blog_description.`,
    );
  }
  const loaded = await loadMigrations(dir, cwd);
  const ask = questioner(options);
  const files = stateAfter(loaded);
  const from = options.only
    ? Object.fromEntries(options.only.flatMap((m) => (files[m] ? [[m, files[m]]] : [])))
    : files;
  const operations = options.empty ? [] : await autodetect(from, stateOfModels(models), ask);
  const dryRun = options.dryRun ?? false;
  if (operations.length === 0 && !options.empty) return { changed: false, dryRun, operations: [] };
  // An answer that matched nothing is a typo, and a mistyped --rename would remove and add, losing the values.
  const unused = ask.unused();
  if (unused.length > 0) throw new ImproperlyConfigured(`${unused.join(' ')} Nothing was written.`);
  const initial = loaded.length === 0;
  const last = loaded.at(-1)?.name;
  const number = String((last ? Number(last.slice(0, 4)) : 0) + 1).padStart(4, '0');
  const suffix = options.name ?? migrationName(operations, initial).replace(/\W+/g, '_');
  const name = `${number}_${suffix}`;
  const source = renderMigration({ dependencies: last ? [last] : [], initial, operations });
  const file = path.join(path.resolve(cwd, dir), `${name}.ts`);
  if (!dryRun) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source, { flag: 'wx' });
  }
  return { changed: true, dryRun, name, file, operations: operations.map(describeOperation), source };
}

/** Options for {@link applyMigrations}. */
export interface ApplyMigrationsOptions extends MigrationsLocation {
  /** The migration to end at: a name, `zero` for none; default the latest. */
  readonly target?: string;
  /** Print the plan only; run and record nothing. */
  readonly plan?: boolean;
  /** Record the migrations without running them. */
  readonly fake?: boolean;
  /** Record an initial migration without running it when its collections exist. */
  readonly fakeInitial?: boolean;
  /** Confirms dropping collections. */
  readonly yes?: boolean;
  /** Asks whether to drop a collection, when `yes` is not given. */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly batchSize?: number;
  readonly onProgress?: (progress: OperationProgress) => void;
  /** Milliseconds to wait for another migrate's lock; default 60000. */
  readonly lockWait?: number;
  /** Milliseconds a lock lasts without renewal; default 30000. */
  readonly lockTtl?: number;
}

/** What {@link applyMigrations} planned and did. */
export interface ApplyMigrationsReport {
  readonly app: string;
  readonly plan: readonly {
    readonly name: string;
    readonly direction: 'forwards' | 'backwards';
    readonly operations: readonly string[];
  }[];
  /** Empty for `plan: true`. */
  readonly runs: readonly MigrationRun[];
}

/**
 * Applies the unapplied migrations in order (or reverses those past
 * `target`), recording each in `django_migrations`, under the database's
 * migration lock. Django's migrate.
 *
 * @example
 * ```ts
 * const report = await applyMigrations(conn, { migrations: './migrations' });
 * report.runs.map((r) => r.name); // ['0001_initial', '0002_blog_description']
 * ```
 */
export async function applyMigrations(
  conn: Connection,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsReport> {
  const { dir, cwd, app } = where(options);
  const db = databaseOf(conn);
  const loaded = await loadMigrations(dir, cwd);
  const planned = async () => {
    const applied = new Set((await appliedMigrations(db)).filter((row) => row.app === app).map((row) => row.name));
    return planMigrations(loaded, applied, options.target);
  };
  const summary = (plan: Awaited<ReturnType<typeof planned>>): ApplyMigrationsReport['plan'] =>
    plan.map((m) => ({
      name: m.name,
      direction: m.direction,
      operations: m.steps.map((s) => describeOperation(s.operation)),
    }));
  if (options.plan) return { app, plan: summary(await planned()), runs: [] };
  const confirm = options.yes ? async () => true : options.confirm;
  // Checked before the lock, and again under it: another run may have applied some meanwhile.
  await confirmDrops(options.fake ? [] : await planned(), confirm);
  const locked = withMigrationLock(
    db,
    { wait: options.lockWait ?? 60_000, ttl: options.lockTtl ?? 30_000 },
    async () => {
      const plan = await planned();
      if (!options.fake) await confirmDrops(plan, confirm);
      const ctx = {
        db,
        batchSize: options.batchSize ?? 1000,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      };
      const runs: MigrationRun[] = [];
      const flags = { fake: options.fake ?? false, fakeInitial: options.fakeInitial ?? false };
      for (const migration of plan) {
        try {
          runs.push(await runMigration(ctx, app, migration, flags));
        } catch (err) {
          throw connectionLost(err, conn, migration.name) ?? err;
        }
      }
      return { app, plan: summary(plan), runs };
    },
  );
  return locked.catch((err: unknown) => {
    throw connectionLost(err, conn, undefined) ?? err;
  });
}

/**
 * The server went away in the middle of a migration: an OperationalError
 * naming the hosts and saying that the next migrate resumes, in place of the
 * driver's network error (which the CLI would show as a failure, exit 70).
 */
function connectionLost(err: unknown, conn: Connection, migration: string | undefined): OperationalError | undefined {
  if (!(err instanceof mongo.MongoNetworkError || err instanceof mongo.MongoServerSelectionError)) return undefined;
  const hosts = connectionSettings(conn)?.hosts ?? [`${conn.host}:${conn.port}`];
  return new OperationalError(
    `Lost the connection to MongoDB at ${hosts.join(',')} while ${migration ? `applying ${migration}` : 'migrating'}: ` +
      `${err.message}. The finished steps are recorded; run migrate again when the server is back, and it resumes there.`,
    hosts,
    { cause: err },
  );
}

/** What {@link showMigrations} lists: per app, its migrations and whether each is applied. */
export interface ShowMigrationsReport {
  readonly apps: readonly {
    readonly app: string;
    readonly migrations: readonly { readonly name: string; readonly applied: boolean }[];
  }[];
  /**
   * Every migration in the order it runs (`showmigrations --plan`): the
   * recorded ones in the order they were applied, then this folder's
   * unapplied ones in order.
   */
  readonly plan: readonly { readonly app: string; readonly name: string; readonly applied: boolean }[];
}

/** Options for {@link showMigrations}. */
export interface ShowMigrationsOptions extends MigrationsLocation {
  /** Only these apps' migrations (showmigrations' app labels); default all. */
  readonly apps?: readonly string[];
}

/**
 * The migrations per app, applied or not: this folder's, under `app`, and
 * every other app's rows in `django_migrations` (djongo's), all applied.
 *
 * @example
 * ```ts
 * (await showMigrations(conn, { migrations: './migrations' })).apps;
 * // [{ app: 'blog', migrations: [{ name: '0001_initial', applied: true }] }, { app: 'djongoose', migrations: […] }]
 * ```
 */
export async function showMigrations(
  conn: Connection,
  options: ShowMigrationsOptions = {},
): Promise<ShowMigrationsReport> {
  const { dir, cwd, app } = where(options);
  if (options.migrations !== undefined && !existsSync(path.resolve(cwd, dir))) {
    throw new ImproperlyConfigured(
      `There is no migrations folder ${JSON.stringify(path.resolve(cwd, dir))}; pass --migrations <dir> naming the ` +
        'folder makemigrations writes (default ./migrations), or run makemigrations first.',
    );
  }
  const loaded = await loadMigrations(dir, cwd);
  const rows = await appliedMigrations(databaseOf(conn));
  const byApp = new Map<string, { name: string; applied: boolean }[]>();
  const list = (label: string): { name: string; applied: boolean }[] => {
    const found = byApp.get(label);
    if (found) return found;
    const made: { name: string; applied: boolean }[] = [];
    byApp.set(label, made);
    return made;
  };
  // This folder's app is listed even without migrations, as Django lists an app with none.
  list(app);
  for (const { name } of loaded) list(app).push({ name, applied: rows.some((r) => r.app === app && r.name === name) });
  for (const row of rows) {
    if (!list(row.app).some((m) => m.name === row.name)) list(row.app).push({ name: row.name, applied: true });
  }
  const wanted = options.apps;
  const unknown = wanted?.filter((label) => !byApp.has(label)) ?? [];
  if (unknown.length > 0) {
    throw new ImproperlyConfigured(
      `No migrations for the app ${unknown.map((label) => JSON.stringify(label)).join(', ')}; the apps are ` +
        `${[...byApp.keys()].sort().join(', ')}.${didYouMean(unknown[0] ?? '', byApp.keys())}`,
    );
  }
  const shown = (label: string): boolean => !wanted || wanted.includes(label);
  const apps = [...byApp.entries()].filter(([label]) => shown(label)).sort(([a], [b]) => a.localeCompare(b));
  const plan = [
    ...rows.map((row) => ({ app: row.app, name: row.name, applied: true })),
    ...loaded
      .filter(({ name }) => !rows.some((r) => r.app === app && r.name === name))
      .map(({ name }) => ({ app, name, applied: false })),
  ];
  return {
    apps: apps.map(([label, migrations]) => ({ app: label, migrations })),
    plan: plan.filter((m) => shown(m.app)),
  };
}
