// djongoose's management commands as functions: what the `djongoose` CLI
// runs, for scripts, deploy hooks and tests. Each takes a connected
// Connection and the models, and returns a typed report.
export { migrate } from './migrate.js';
export type { MigrateAction, MigrateOptions, MigrateReport } from './migrate.js';
export { check } from './check.js';
export type { CheckOptions, CheckProgress, CheckReport, FieldDrift, ModelDrift, WrongTypeDrift } from './check.js';
export { adopt } from './adopt.js';
export type { AdoptOptions, AdoptReport, SkippedModel } from './adopt.js';
export { syncCounters } from './sync-counters.js';
export type { SyncCountersOptions, SyncCountersReport } from './sync-counters.js';
export type { CounterChange } from './counters.js';
export { inspectdb } from './inspectdb.js';
export type { InspectedModel, InspectOptions, InspectProgress, InspectReport, SkippedCollection } from './inspectdb.js';
export { inspectDocument, storedType } from './drift.js';
export type { DocumentDrift, WrongType } from './drift.js';
export type { CommandModel, CommandModels } from './models.js';
export { moveGridFSLayout, formatGridFSLayout } from './gridfs-layout.js';
export type { GridFSLayoutOptions, GridFSLayoutReport, SkippedFile } from './gridfs-layout.js';
export { run, EXIT } from './program.js';
export type { CliIo } from './program.js';
export { makeMigrations, applyMigrations, showMigrations } from './migrations/commands.js';
export type {
  ApplyMigrationsOptions,
  ApplyMigrationsReport,
  MakeMigrationsOptions,
  MakeMigrationsReport,
  MigrationsLocation,
  ShowMigrationsOptions,
  ShowMigrationsReport,
} from './migrations/commands.js';
export { defineMigration } from './migrations/operations.js';
export type { Migration, Operation, OperationName, ScriptContext } from './migrations/operations.js';
export type { FieldState, IndexState, ModelState, StoredValue } from './migrations/state.js';
export type { OperationProgress, OperationResult } from './migrations/apply.js';
export type { MigrationRun } from './migrations/executor.js';
