// What every operation runs with and reports: shared by apply.ts and the
// modules it hands work to (embedded-apply.ts), so none imports apply.ts back.
import type { mongo } from 'mongoose';

/** How far an operation over a collection has got. */
export interface OperationProgress {
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/** What an operation runs with. */
export interface ApplyContext {
  readonly db: mongo.Db;
  /** Documents per bulkWrite where work goes document by document. */
  readonly batchSize: number;
  readonly onProgress?: (progress: OperationProgress) => void;
}

/** What an operation did. */
export interface OperationResult {
  readonly operation: string;
  /** Documents changed. */
  readonly modified: number;
  /** How the work ran: on the server, or computed in djongoose (a server lacking pipeline updates). */
  readonly via?: 'server' | 'batched';
  /** AlterField: stored values left as they were because they cannot convert (written while it ran). */
  readonly unconverted?: number;
}
