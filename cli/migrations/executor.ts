// The executor: which migrations to run and which way (the plan), then each
// one's operations in order, its progress noted step by step and its
// record written when it is done. Everything that could stop a plan (an
// irreversible step, a drop nobody confirmed, an unknown target) is found
// before the first operation runs.
import type { mongo } from 'mongoose';
import { AnswerRequired, ImproperlyConfigured, IrreversibleError } from '../../core/errors.js';
import { didYouMean } from '../../core/closest.js';
import { collectionNames } from '../models.js';
import { applyOperation, type ApplyContext, type OperationResult } from './apply.js';
import type { LoadedMigration } from './loader.js';
import { describeOperation, reverseOf, stateForwards, type Operation } from './operations.js';
import { noteSteps, recordApplied, recordUnapplied, stepsDone } from './recorder.js';
import type { ProjectState } from './state.js';

/** One migration of a plan. */
export interface PlannedMigration {
  readonly name: string;
  readonly direction: 'forwards' | 'backwards';
  /** The operations that run, in order, each with the state it starts from. */
  readonly steps: readonly { readonly operation: Operation; readonly before: ProjectState }[];
  readonly initial: boolean;
}

function statesThrough(migrations: readonly LoadedMigration[], upTo: number): ProjectState {
  let state: ProjectState = {};
  for (const { migration } of migrations.slice(0, upTo))
    for (const op of migration.operations) state = stateForwards(state, op);
  return state;
}

function forwardSteps(migration: LoadedMigration, start: ProjectState): PlannedMigration['steps'] {
  let state = start;
  return migration.migration.operations.map((operation) => {
    const step = { operation, before: state };
    state = stateForwards(state, operation);
    return step;
  });
}

function backwardSteps(migration: LoadedMigration, start: ProjectState): PlannedMigration['steps'] {
  const forwards = forwardSteps(migration, start);
  return forwards
    .map(({ operation, before }, i) => {
      const reverse = reverseOf(operation, before);
      if (!reverse) {
        throw new IrreversibleError(
          `${migration.name}: operation ${i + 1} (${describeOperation(operation)}) cannot be reversed: it has no ` +
            `down function. Nothing was run; add down to the RunScript, or migrate to ${migration.name} or later.`,
          migration.name,
        );
      }
      return { operation: reverse, before: stateForwards(before, operation) };
    })
    .reverse();
}

/**
 * The migration `target` names: its whole name, or as Django takes it, a
 * prefix of one only (`0001` for `0001_initial`).
 */
function targetIndex(names: readonly string[], target: string): number {
  const exact = names.indexOf(target);
  if (exact >= 0) return exact;
  const matches = names.filter((name) => name.startsWith(target));
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) return names.indexOf(only);
  if (matches.length > 1) {
    throw new ImproperlyConfigured(
      `The target ${JSON.stringify(target)} matches more than one migration: ${matches.join(', ')}; give more of the name.`,
    );
  }
  throw new ImproperlyConfigured(
    `There is no migration ${JSON.stringify(target)}; the targets are zero, ${names.join(', ') || '(no migrations)'}.` +
      didYouMean(target, names) +
      " A target is a migration's name, or the start of one name only.",
  );
}

/**
 * The migrations to run to reach `target` (a migration name or the start
 * of one, `zero` for none, undefined for the latest), given the names applied: forwards in
 * order, or backwards in reverse order. Raises IrreversibleError when a
 * backwards step cannot be undone, before anything runs.
 *
 * @example
 * ```ts
 * planMigrations(loaded, new Set(['0001_initial']), undefined).map((m) => m.name); // ['0002_blog_description']
 * ```
 */
export function planMigrations(
  migrations: readonly LoadedMigration[],
  applied: ReadonlySet<string>,
  target: string | undefined,
): PlannedMigration[] {
  const names = migrations.map((m) => m.name);
  const index = target === undefined ? names.length - 1 : target === 'zero' ? -1 : targetIndex(names, target);
  const plan: PlannedMigration[] = [];
  for (let i = migrations.length - 1; i > index; i--) {
    const migration = migrations[i];
    if (!migration || !applied.has(migration.name)) continue;
    const steps = backwardSteps(migration, statesThrough(migrations, i));
    plan.push({ name: migration.name, direction: 'backwards', steps, initial: migration.migration.initial === true });
  }
  for (let i = 0; i <= index; i++) {
    const migration = migrations[i];
    if (!migration || applied.has(migration.name)) continue;
    const steps = forwardSteps(migration, statesThrough(migrations, i));
    plan.push({ name: migration.name, direction: 'forwards', steps, initial: migration.migration.initial === true });
  }
  return plan;
}

/**
 * Refuses a plan that drops a collection (DeleteModel, or CreateModel
 * reversed) unless `confirm` says yes to each, before anything runs.
 *
 * @example
 * ```ts
 * await confirmDrops(plan, async () => true);
 * ```
 */
export async function confirmDrops(
  plan: readonly PlannedMigration[],
  confirm: ((question: string) => Promise<boolean>) | undefined,
): Promise<void> {
  for (const migration of plan) {
    for (const { operation } of migration.steps) {
      if (operation.op !== 'DeleteModel') continue;
      const question = `${migration.name}: drop the collection ${operation.model.collection} of ${operation.model.name}, with its documents?`;
      if (confirm && (await confirm(question))) continue;
      throw new AnswerRequired(
        `${question} Not confirmed: pass --yes (the API: yes: true) to drop it. Nothing was run.`,
      );
    }
  }
}

/** What running one migration did. */
export interface MigrationRun {
  readonly name: string;
  readonly direction: 'forwards' | 'backwards';
  /** Recorded without running (--fake, or --fake-initial with its collections there). */
  readonly fake: boolean;
  readonly results: readonly OperationResult[];
}

async function collectionsExist(db: mongo.Db, migration: PlannedMigration): Promise<boolean> {
  const names = await collectionNames(db);
  const created = migration.steps.flatMap(({ operation }) =>
    operation.op === 'CreateModel' ? [operation.model.collection] : [],
  );
  return created.length > 0 && created.every((name) => names.has(name));
}

/**
 * Runs one planned migration: its steps from the last one a killed run
 * finished, each noted when done, then its record in `django_migrations`
 * written (forwards) or removed (backwards).
 *
 * @example
 * ```ts
 * await runMigration(ctx, 'djongoose', plan[0], { fake: false, fakeInitial: false });
 * ```
 */
export async function runMigration(
  ctx: ApplyContext,
  app: string,
  migration: PlannedMigration,
  options: { readonly fake: boolean; readonly fakeInitial: boolean },
): Promise<MigrationRun> {
  const { db } = ctx;
  const forwards = migration.direction === 'forwards';
  const fake =
    options.fake || (forwards && options.fakeInitial && migration.initial && (await collectionsExist(db, migration)));
  const results: OperationResult[] = [];
  if (!fake) {
    const done = await stepsDone(db, app, migration.name, migration.direction);
    for (const [i, { operation, before }] of migration.steps.entries()) {
      if (i < done) continue;
      results.push(await applyOperation(operation, before, ctx));
      await noteSteps(db, app, migration.name, migration.direction, i + 1);
    }
  }
  if (forwards) await recordApplied(db, app, migration.name);
  else await recordUnapplied(db, app, migration.name);
  await noteSteps(db, app, migration.name, migration.direction, null);
  return { name: migration.name, direction: migration.direction, fake, results };
}
