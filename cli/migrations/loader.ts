// The migration files of one folder, in order, checked: `0001_initial.ts`,
// `0002_blog_description.ts`, … Each default-exports a Migration. Their
// operations, folded in order, are the state makemigrations diffs against.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ImproperlyConfigured } from '../../core/errors.js';
import { importUserModule } from '../import-module.js';
import { stateForwards, type Migration, type Operation, type OperationName } from './operations.js';
import type { ProjectState } from './state.js';

/** A migration file, loaded. */
export interface LoadedMigration {
  /** Its name, the file name without extension: `0002_blog_description`. */
  readonly name: string;
  readonly file: string;
  readonly migration: Migration;
}

const FILE = /^(\d{4})_\w+\.(?:ts|mts|js|mjs|cjs)$/;

const OPERATIONS: readonly OperationName[] = [
  'CreateModel',
  'DeleteModel',
  'RenameModel',
  'AddField',
  'RemoveField',
  'RenameField',
  'AlterField',
  'AddIndex',
  'RemoveIndex',
  'AlterUnique',
  'AddAutoIncrement',
  'RemoveAutoIncrement',
  'RunScript',
];

const SHAPE =
  "A migration file default-exports { dependencies: ['0001_initial'], operations: [{ op: 'AddField', … }] }.";

function checked(value: unknown, file: string): Migration {
  const migration = value as Partial<Migration> | undefined;
  const problem =
    typeof migration !== 'object' || migration === null
      ? 'has no default export object'
      : !Array.isArray(migration.dependencies) || !migration.dependencies.every((d) => typeof d === 'string')
        ? 'has no dependencies list of migration names'
        : !Array.isArray(migration.operations)
          ? 'has no operations list'
          : undefined;
  if (problem) throw new ImproperlyConfigured(`The migration ${JSON.stringify(file)} ${problem}. ${SHAPE}`);
  for (const [i, op] of ((migration as Migration).operations as readonly Partial<Operation>[]).entries()) {
    if (!OPERATIONS.includes(op?.op as OperationName)) {
      throw new ImproperlyConfigured(
        `The migration ${JSON.stringify(file)}: operation ${i + 1} has op ${JSON.stringify(op?.op)}; the operations are ${OPERATIONS.join(', ')}.`,
      );
    }
  }
  return migration as Migration;
}

/**
 * The migration files of `dir` (relative to `cwd`), in name order, each
 * checked: its dependencies are earlier files of the folder. An absent
 * folder has none.
 *
 * @example
 * ```ts
 * (await loadMigrations('./migrations', process.cwd())).map((m) => m.name); // ['0001_initial', '0002_blog_description']
 * ```
 */
export async function loadMigrations(dir: string, cwd: string): Promise<LoadedMigration[]> {
  const folder = path.resolve(cwd, dir);
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder)
    .filter((file) => FILE.test(file) && !file.endsWith('.d.ts'))
    .sort();
  const loaded: LoadedMigration[] = [];
  for (const file of files) {
    const name = file.replace(/\.\w+$/, '');
    if (loaded.some((m) => m.name === name)) {
      throw new ImproperlyConfigured(`Two migration files are named ${name} in ${folder}; keep one.`);
    }
    const exports = await importUserModule(path.join(folder, file), cwd, 'migration').catch((err: unknown) => {
      if (!(err instanceof ImproperlyConfigured)) throw err;
      throw new ImproperlyConfigured(`${err.message} ${SHAPE} Fix the file, or remove it if no database applied it.`, {
        cause: err,
      });
    });
    const migration = checked(exports['default'], file);
    for (const dependency of migration.dependencies) {
      if (!loaded.some((m) => m.name === dependency)) {
        throw new ImproperlyConfigured(
          `The migration ${name} depends on ${JSON.stringify(dependency)}, which is not an earlier migration of ` +
            `${folder} (those are: ${loaded.map((m) => m.name).join(', ') || 'none'}).`,
        );
      }
    }
    loaded.push({ name, file: path.join(folder, file), migration });
  }
  return loaded;
}

/**
 * The project state after the given migrations, in order.
 *
 * @example
 * ```ts
 * Object.keys(stateAfter(await loadMigrations('./migrations', cwd))); // ['Blog']
 * ```
 */
export function stateAfter(migrations: readonly LoadedMigration[]): ProjectState {
  let state: ProjectState = {};
  for (const { name, migration } of migrations) {
    for (const op of migration.operations) {
      try {
        state = stateForwards(state, op);
      } catch (err) {
        throw new ImproperlyConfigured(`The migration ${name}: ${err instanceof Error ? err.message : String(err)}.`);
      }
    }
  }
  return state;
}
