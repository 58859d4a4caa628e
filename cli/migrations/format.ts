// The migration commands' reports as text, worded as Django's are.
import path from 'node:path';
import type { ApplyMigrationsReport, MakeMigrationsReport, ShowMigrationsReport } from './commands.js';

/**
 * makemigrations' report as text.
 *
 * @example
 * ```ts
 * formatMakeMigrations(report, process.cwd()); // "Migrations for 'djongoose':\n  migrations/0002_blog_description.ts\n    - Add field description to Blog"
 * ```
 */
export function formatMakeMigrations(report: MakeMigrationsReport, cwd: string, app: string): string {
  if (!report.changed || !report.file) return 'No changes detected';
  return [
    `${report.dryRun ? '(dry run, not written) ' : ''}Migrations for '${app}':`,
    `  ${path.relative(cwd, report.file)}`,
    ...report.operations.map((op) => `    - ${op}`),
  ].join('\n');
}

/**
 * migrate's report as text: the plan (`--plan`), or what ran.
 *
 * @example
 * ```ts
 * formatApplyMigrations(report, false); // 'Running migrations:\n  Applying djongoose.0001_initial... OK'
 * ```
 */
export function formatApplyMigrations(report: ApplyMigrationsReport, planOnly: boolean): string {
  if (planOnly) {
    if (report.plan.length === 0) return 'Planned operations:\n  No planned migration operations.';
    const lines = ['Planned operations:'];
    for (const m of report.plan) {
      lines.push(`${report.app}.${m.name}${m.direction === 'backwards' ? ' (reverse)' : ''}`);
      lines.push(...m.operations.map((op) => `    ${op}`));
    }
    return lines.join('\n');
  }
  const lines = ['Running migrations:'];
  if (report.runs.length === 0) lines.push('  No migrations to apply.');
  for (const run of report.runs) {
    const verb = run.direction === 'forwards' ? 'Applying' : 'Unapplying';
    const modified = run.results.reduce((sum, r) => sum + r.modified, 0);
    const unconverted = run.results.reduce((sum, r) => sum + (r.unconverted ?? 0), 0);
    // Values written while AlterField ran that cannot convert: kept as they were, and said.
    const left = unconverted > 0 ? `, ${unconverted} value${unconverted === 1 ? '' : 's'} left unconverted` : '';
    const counts = run.fake ? '' : ` (${modified} document${modified === 1 ? '' : 's'} changed${left})`;
    lines.push(`  ${verb} ${report.app}.${run.name}... ${run.fake ? 'FAKED' : 'OK'}${counts}`);
  }
  return lines.join('\n');
}

/**
 * showmigrations' report as text: `[X]` applied, `[ ]` not, per app, or
 * with `plan` every migration in the order it runs.
 *
 * @example
 * ```ts
 * formatShowMigrations(report); // 'djongoose\n [X] 0001_initial\n [ ] 0002_blog_description'
 * formatShowMigrations(report, true); // '[X]  djongoose.0001_initial\n[ ]  djongoose.0002_blog_description'
 * ```
 */
export function formatShowMigrations(report: ShowMigrationsReport, plan = false): string {
  // --plan: Django's `[X]  app.name` lines, in the order they run.
  if (plan)
    return report.plan.map((m) => `[${m.applied ? 'X' : ' '}]  ${m.app}.${m.name}`).join('\n') || '(no migrations)';
  if (report.apps.length === 0) return '(no migrations)';
  return report.apps
    .flatMap(({ app, migrations }) => [
      app,
      ...(migrations.length === 0 ? [' (no migrations)'] : []),
      ...migrations.map((m) => ` [${m.applied ? 'X' : ' '}] ${m.name}`),
    ])
    .join('\n');
}
