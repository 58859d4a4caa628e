// The commands' reports as text for a person, and as JSON for a program.
// Pure: the CLI prints what these return.
import type { AdoptReport } from './adopt.js';
import type { CheckReport, FieldDrift } from './check.js';
import type { CounterChange } from './counters.js';
import type { MigrateAction, MigrateReport } from './migrate.js';
import type { SyncCountersReport } from './sync-counters.js';

/**
 * A report as JSON: ObjectIds as hex strings, bigints as numbers.
 *
 * @example
 * ```ts
 * JSON.parse(toJson(await check(conn, models))).drift; // true
 * ```
 */
export function toJson(report: unknown): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value), 2);
}

function sampleIds(ids: readonly unknown[]): string {
  return ids.map((id) => String(id)).join(', ');
}

function describeAction(action: MigrateAction): string {
  switch (action.kind) {
    case 'createCollection':
      return `${action.model}: create collection ${action.collection}`;
    case 'createIndex':
      return `${action.model}: create index ${action.name} on ${action.collection} ${JSON.stringify(action.keys)}${
        action.options['unique'] ? ' (unique)' : ''
      }`;
    case 'schemaEntry':
      return `${action.model}: __schema__ ${action.collection}.${action.field} seq ${
        action.before === null ? 'new' : String(action.before)
      } → ${action.after}`;
    case 'schemaFields':
      return `${action.model}: __schema__ ${action.collection} fields ${Object.keys(action.fields).join(', ')}`;
  }
}

/**
 * `migrate`'s report as lines of text.
 *
 * @example
 * ```ts
 * formatMigrate(report); // 'Entry: create collection entries\n…\nApplied 3 changes.'
 * ```
 */
export function formatMigrate(report: MigrateReport): string {
  const verb = report.dryRun ? 'Would apply' : 'Applied';
  const lines = report.actions.map((action) => `${report.dryRun ? '(dry run) ' : ''}${describeAction(action)}`);
  for (const model of report.upToDate) lines.push(`${model}: up to date`);
  lines.push(
    report.actions.length === 0
      ? 'No changes: the database is up to date.'
      : `${verb} ${report.actions.length} change${report.actions.length === 1 ? '' : 's'}.`,
  );
  return lines.join('\n');
}

function describeCounter(change: CounterChange, dryRun: boolean): string {
  const label = `${change.model ?? change.collection}: __schema__ ${change.collection}.${change.field}`;
  const before = change.before === null ? 'none' : String(change.before);
  if (!change.changed) return `${label} seq ${before} (max id ${change.maxId}): unchanged`;
  return `${dryRun ? '(dry run) would set' : 'set'} ${label} seq ${before} → ${change.after} (max id ${change.maxId})`;
}

/**
 * `adopt`'s or `sync-counters`' report as lines of text.
 *
 * @example
 * ```ts
 * formatCounters(await adopt(conn, models)); // 'set Entry: __schema__ entries.id seq none → 7 (max id 7)\n…'
 * ```
 */
export function formatCounters(report: AdoptReport | SyncCountersReport): string {
  const lines = report.counters.map((change) => describeCounter(change, report.dryRun));
  for (const skip of report.skipped) lines.push(`${skip.model}: skipped, ${skip.reason}`);
  const changed = report.counters.filter((change) => change.changed).length;
  const verb = report.dryRun ? 'Would write' : 'Wrote';
  lines.push(
    changed === 0
      ? report.dryRun
        ? 'Dry run: nothing would change; nothing was written.'
        : 'No changes: every counter is at or above its largest id.'
      : `${verb} ${changed} counter${changed === 1 ? '' : 's'}.${report.dryRun ? ' Dry run: nothing was written.' : ''}`,
  );
  return lines.join('\n');
}

function driftLines(title: string, drifts: readonly FieldDrift[], describe: (d: FieldDrift) => string): string[] {
  if (drifts.length === 0) return [];
  return [
    `  ${title}:`,
    ...drifts.map((d) => `    ${describe(d)}: ${d.count} document(s), e.g. _id ${sampleIds(d.sampleIds)}`),
  ];
}

/**
 * `check`'s report as lines of text, one block per model.
 *
 * @example
 * ```ts
 * formatCheck(report); // 'Entry (entries): 2 of 10 documents drift\n  missing fields:\n    headline: 2 document(s), e.g. _id …'
 * ```
 */
export function formatCheck(report: CheckReport): string {
  const lines: string[] = [];
  for (const model of report.models) {
    const head = `${model.model} (${model.collection})`;
    if (!model.exists) {
      lines.push(`${head}: the collection does not exist; run \`djongoose migrate\``);
      continue;
    }
    if (model.drifted === 0) {
      lines.push(`${head}: ${model.scanned} documents, no drift`);
      continue;
    }
    lines.push(`${head}: ${model.drifted} of ${model.scanned} documents drift`);
    lines.push(...driftLines('missing fields', model.missing, (d) => d.field));
    lines.push(...driftLines('unknown fields', model.unknown, (d) => d.field));
    lines.push(
      ...driftLines('wrong types', model.wrongType, (d) => {
        const wrong = model.wrongType.find((w) => w.field === d.field);
        const found = Object.entries(wrong?.found ?? {})
          .map(([type, count]) => `${type} ×${count}`)
          .join(', ');
        return `${d.field} (expected ${wrong?.expected ?? '?'}, found ${found})`;
      }),
    );
  }
  lines.push(report.drift ? 'Drift found.' : 'No drift.');
  return lines.join('\n');
}
