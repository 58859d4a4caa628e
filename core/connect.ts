// connect(): djongo's settings dict in, a connected Mongoose Connection out.
import mongoose, { type Connection, type Mongoose } from 'mongoose';
import { ImproperlyConfigured, OperationalError } from './errors.js';
import { redact, scrubError } from './secrets.js';
import { resolveSettings, type DjongoSettings, type PipelineUpdatesMode, type ResolvedSettings } from './settings.js';
import { defaultNote, type ResolvedLogging } from './logging-settings.js';
import { attachOperationLog } from './operation-log.js';

/** What djongoose remembers about a connection it opened. */
export interface ConnectionSettings {
  readonly engine: 'djongo' | 'djongoose';
  readonly name: string;
  readonly enforceSchema: boolean;
  readonly hosts: readonly string[];
  /** Where pipeline updates are computed (PIPELINE_UPDATES). */
  readonly pipelineUpdates: PipelineUpdatesMode;
}

// Side tables rather than properties on Mongoose's objects. Keyed by the
// MongoClient as well, because `useDb()` makes new Connections that share it.
const byConnection = new WeakMap<Connection, ConnectionSettings>();
const byClient = new WeakMap<object, ConnectionSettings>();
const notesByClient = new WeakMap<object, ResolvedLogging['note']>();

/**
 * Where djongoose's own notes (not operations) go for a connection: the
 * LOGGING logger of a connection it opened, else `debug('djongo')`;
 * undefined when nothing would print.
 *
 * @example
 * ```ts
 * connectionNote(conn)?.('Entry: pipeline updates are computed in djongoose', { model: 'Entry' });
 * ```
 */
export function connectionNote(connection: Connection): ResolvedLogging['note'] {
  try {
    const client = connection.getClient();
    if (notesByClient.has(client)) return notesByClient.get(client);
  } catch {
    // Not connected yet: Mongoose's default.
  }
  return defaultNote();
}

/**
 * The djongoose settings a connection was opened with, or undefined for a
 * connection djongoose did not open. Plugins read ENFORCE_SCHEMA from here.
 *
 * @example
 * ```ts
 * const conn = await connect({ NAME: 'blog', ENFORCE_SCHEMA: true });
 * connectionSettings(conn)?.enforceSchema; // true
 * connectionSettings(conn.useDb('other'))?.enforceSchema; // true
 * ```
 */
export function connectionSettings(connection: Connection): ConnectionSettings | undefined {
  const direct = byConnection.get(connection);
  if (direct) return direct;
  try {
    return byClient.get(connection.getClient());
  } catch {
    return undefined;
  }
}

/** Options for {@link connect} that are not part of djongo's settings dict. */
export interface ConnectExtras {
  /** The Mongoose instance to connect with; default the `mongoose` package's. */
  mongoose?: Mongoose;
}

const DRIVER_OPTION_ERRORS = new Set([
  'MongoParseError',
  'MongoInvalidArgumentError',
  'MongoAPIError',
  'MongoMissingDependencyError',
]);

function describeFailure(err: unknown, resolved: ResolvedSettings): Error {
  const scrubbed = scrubError(err, resolved.secrets);
  if (DRIVER_OPTION_ERRORS.has(scrubbed.name)) {
    return new ImproperlyConfigured(
      `The MongoDB driver rejected the CLIENT settings: ${scrubbed.message}. ` +
        'CLIENT accepts host, port, username, password, authSource, authMechanism and the MongoClient options of the Node driver.',
      { cause: scrubbed },
    );
  }
  const timeout = resolved.options.serverSelectionTimeoutMS;
  return new OperationalError(
    `Could not connect to MongoDB at ${resolved.hosts.join(',')} (database ${JSON.stringify(resolved.name)}` +
      `, server selection timeout ${String(timeout)} ms): ${redact(scrubbed.message, resolved.secrets)}`,
    resolved.hosts,
    { cause: scrubbed },
  );
}

/**
 * Opens a Mongoose connection from djongo's `DATABASES['default']` dict.
 *
 * Bad settings raise {@link ImproperlyConfigured} before any network traffic;
 * an unreachable or refusing server raises {@link OperationalError} naming
 * the hosts, within CLIENT's `serverSelectionTimeoutMS` (default 10 s).
 * Neither ever contains the password.
 *
 * @example
 * ```ts
 * import { connect } from 'djongoose';
 * const conn = await connect({
 *   ENGINE: 'djongo',
 *   NAME: 'blog',
 *   ENFORCE_SCHEMA: false,
 *   CLIENT: { host: 'localhost', port: 27017, username: 'app', password: 's3cret', authSource: 'admin' },
 *   LOGGING: { version: 1, loggers: { djongo: { level: 'DEBUG', propagate: false } } },
 * });
 * const Blog = conn.model('Blog', blogSchema);
 * ```
 */
export async function connect(settings: DjongoSettings, extras: ConnectExtras = {}): Promise<Connection> {
  const resolved = resolveSettings(settings);
  const instance = extras.mongoose ?? mongoose;
  const write = resolved.logging.write;
  const options = write ? { ...resolved.options, monitorCommands: true } : resolved.options;

  let connection: Connection | undefined;
  try {
    connection = instance.createConnection(resolved.uri, options);
    if (write) attachOperationLog(connection, write, resolved.secrets);
    await connection.asPromise();
  } catch (err) {
    await connection?.close(true).catch(() => undefined);
    throw describeFailure(err, resolved);
  }

  const remembered: ConnectionSettings = Object.freeze({
    engine: resolved.engine,
    name: resolved.name,
    enforceSchema: resolved.enforceSchema,
    hosts: resolved.hosts,
    pipelineUpdates: resolved.pipelineUpdates,
  });
  byConnection.set(connection, remembered);
  byClient.set(connection.getClient(), remembered);
  notesByClient.set(connection.getClient(), resolved.logging.note);
  return connection;
}
