// The `djongo` logger's feed: the driver's command monitoring events, paired
// started → succeeded/failed so each line has its collection and duration.
// Authentication commands never reach these events, and the driver redacts
// the other sensitive ones (createUser, …) before they do.
import type { Connection, mongo } from 'mongoose';
import type { OperationLogRecord } from './logging-settings.js';
import { redact } from './secrets.js';

// Commands whose first field is not a collection name.
const NO_COLLECTION = new Set([
  'ping',
  'hello',
  'isMaster',
  'ismaster',
  'buildInfo',
  'buildinfo',
  'listCollections',
  'listDatabases',
  'dropDatabase',
  'endSessions',
  'killCursors',
  'serverStatus',
  'connectionStatus',
  'getLastError',
  'commitTransaction',
  'abortTransaction',
  'getParameter',
  'hostInfo',
]);

function collectionOf(event: mongo.CommandStartedEvent): string | undefined {
  if (NO_COLLECTION.has(event.commandName)) return undefined;
  if (event.commandName === 'getMore') {
    const coll: unknown = event.command['collection'];
    return typeof coll === 'string' ? coll : undefined;
  }
  const target: unknown = event.command[event.commandName];
  return typeof target === 'string' ? target : undefined;
}

/** Sends one record per finished command on `connection` to `write`. */
export function attachOperationLog(
  connection: Connection,
  write: (record: OperationLogRecord) => void,
  secrets: readonly string[],
): void {
  const pending = new Map<number, { database: string; collection: string | undefined }>();

  connection.on('commandStarted', function djongoCommandStarted(event: mongo.CommandStartedEvent) {
    pending.set(event.requestId, { database: event.databaseName, collection: collectionOf(event) });
  });

  function finish(event: mongo.CommandSucceededEvent | mongo.CommandFailedEvent, error?: string): void {
    const started = pending.get(event.requestId);
    pending.delete(event.requestId);
    const record: OperationLogRecord = {
      logger: 'djongo',
      database: started?.database ?? event.databaseName,
      ...(started?.collection === undefined ? {} : { collection: started.collection }),
      command: event.commandName,
      durationMS: event.duration,
      ok: error === undefined,
      ...(error === undefined ? {} : { error }),
    };
    write(record);
  }

  connection.on('commandSucceeded', function djongoCommandSucceeded(event: mongo.CommandSucceededEvent) {
    finish(event);
  });
  connection.on('commandFailed', function djongoCommandFailed(event: mongo.CommandFailedEvent) {
    finish(event, redact(event.failure.message, secrets));
  });
}
