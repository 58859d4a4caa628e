// The LOGGING key: djongo's Python dictConfig form
//   { version: 1, loggers: { djongo: { level: 'DEBUG', propagate: false } } }
// and a JavaScript form { level, logger } for a debug, pino or console logger.
import createDebug from 'debug';
import { ImproperlyConfigured } from './errors.js';
import { checkOptionKeys } from './values.js';

/** Levels, lowest first. Python's names are accepted in any case. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What is logged for each database operation. */
export interface OperationLogRecord {
  readonly logger: 'djongo';
  readonly database: string;
  /** Absent for commands that name no collection (ping, buildInfo). */
  readonly collection?: string;
  readonly command: string;
  readonly durationMS: number;
  readonly ok: boolean;
  /** The server's or the network's error message, when `ok` is false. */
  readonly error?: string;
}

/** A function logger such as `debug('djongo')`. */
export interface DebugLikeLogger {
  (formatter: string, ...args: unknown[]): void;
  enabled: boolean;
}

/** A pino (or bunyan-like) logger: structured object first, then the message. */
export interface PinoLikeLogger {
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): PinoLikeLogger;
  levels: unknown;
}

/** `console` or anything with a console-style `debug(message, ...args)`. */
export interface ConsoleLikeLogger {
  debug(message: string, ...args: unknown[]): void;
}

export type DjongoLogger = DebugLikeLogger | PinoLikeLogger | ConsoleLikeLogger;

/** One logger entry of Python's dictConfig. */
export interface DictConfigLogger {
  level?: string;
  propagate?: boolean;
  handlers?: readonly string[];
}

/** The LOGGING setting. */
export interface LoggingSettings {
  /** Minimum level of the `djongo` logger. Operations are logged at `debug`. */
  level?: LogLevel | Uppercase<LogLevel> | 'WARNING' | 'CRITICAL' | 'NOTSET';
  /** Where lines go; default `debug('djongo')`, shown with `DEBUG=djongo`. */
  logger?: DjongoLogger;
  /** dictConfig keys, as djongo's settings give them. */
  version?: number;
  disable_existing_loggers?: boolean;
  loggers?: Record<string, DictConfigLogger>;
  handlers?: Record<string, unknown>;
  formatters?: Record<string, unknown>;
  filters?: Record<string, unknown>;
  root?: DictConfigLogger;
}

export interface ResolvedLogging {
  readonly level: LogLevel;
  readonly write: ((record: OperationLogRecord) => void) | undefined;
  /** A line that is not an operation (a fallback djongoose took), at debug level; undefined when it would drop it. */
  readonly note?: ((message: string, details: Readonly<Record<string, unknown>>) => void) | undefined;
}

const LOGGING_KEYS = [
  'level',
  'logger',
  'version',
  'disable_existing_loggers',
  'loggers',
  'handlers',
  'formatters',
  'filters',
  'root',
];

const PYTHON_LEVELS: Record<string, LogLevel> = {
  notset: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  critical: 'error',
  silent: 'silent',
};

function parseLevel(value: unknown, where: string): LogLevel {
  const level = typeof value === 'string' ? PYTHON_LEVELS[value.toLowerCase()] : undefined;
  if (level === undefined) {
    throw new ImproperlyConfigured(
      `${where} must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (or debug, info, warn, error, silent), not ${JSON.stringify(value)}.`,
    );
  }
  return level;
}

function format(record: OperationLogRecord): string {
  const target = record.collection ? `${record.database}.${record.collection}` : record.database;
  const outcome = record.ok ? '' : ` failed: ${record.error ?? 'unknown error'}`;
  return `${record.command} ${target} ${record.durationMS.toFixed(1)} ms${outcome}`;
}

function isPino(logger: DjongoLogger): logger is PinoLikeLogger {
  return typeof logger === 'object' && typeof (logger as PinoLikeLogger).child === 'function' && 'levels' in logger;
}

/** Turns a logger object into a record writer, or undefined when it would drop everything. */
function writerFor(logger: DjongoLogger): ((record: OperationLogRecord) => void) | undefined {
  if (typeof logger === 'function') {
    if (!logger.enabled) return undefined;
    return function logToDebug(record) {
      logger('%s', format(record));
    };
  }
  if (isPino(logger)) {
    const child = logger.child({ name: 'djongo' });
    return function logToPino(record) {
      child.debug(record, format(record));
    };
  }
  if (typeof logger === 'object' && logger !== null && typeof logger.debug === 'function') {
    return function logToConsole(record) {
      logger.debug(`djongo ${format(record)}`);
    };
  }
  throw new ImproperlyConfigured(
    'LOGGING logger must be a debug() function, a pino logger or a console-like object with a debug method.',
  );
}

/** The same logger, for a message that is not an operation; the logger is already checked. */
function noteWriterFor(logger: DjongoLogger): NonNullable<ResolvedLogging['note']> {
  if (typeof logger === 'function') {
    return function noteToDebug(message) {
      logger('%s', message);
    };
  }
  if (isPino(logger)) {
    const child = logger.child({ name: 'djongo' });
    return function noteToPino(message, details) {
      child.debug({ logger: 'djongo', ...details }, message);
    };
  }
  return function noteToConsole(message) {
    (logger as ConsoleLikeLogger).debug(`djongo ${message}`);
  };
}

/**
 * Where djongoose's own notes go on a connection it did not open (Mongoose's
 * createConnection): `debug('djongo')`, shown with `DEBUG=djongo`.
 *
 * @example
 * ```ts
 * defaultNote()?.('pipeline updates fall back', {}); // printed with DEBUG=djongo
 * ```
 */
export function defaultNote(): ResolvedLogging['note'] {
  const logger = createDebug('djongo');
  return logger.enabled ? noteWriterFor(logger) : undefined;
}

/**
 * Resolves the LOGGING setting. Operation logging is on only when the level
 * admits `debug` and the logger would print, so a quiet connection pays
 * nothing for it.
 */
export function resolveLogging(input: unknown): ResolvedLogging {
  if (input === undefined) {
    const logger = createDebug('djongo');
    const write = writerFor(logger);
    return Object.freeze({ level: 'debug', write, note: write && noteWriterFor(logger) });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ImproperlyConfigured(
      "Settings LOGGING must be an object: { level, logger } or djongo's { version: 1, loggers: { djongo: { level: 'DEBUG' } } }.",
    );
  }
  checkOptionKeys(input, LOGGING_KEYS, (key, hint) => {
    throw new ImproperlyConfigured(
      `Unknown LOGGING key ${JSON.stringify(key)}; accepted keys are ${LOGGING_KEYS.join(', ')}.${hint}`,
    );
  });
  const settings = input as LoggingSettings;
  const djongoEntry = settings.loggers?.['djongo'];
  const rawLevel = settings.level ?? djongoEntry?.level;
  const level = rawLevel === undefined ? 'debug' : parseLevel(rawLevel, 'LOGGING level');

  let logger = settings.logger;
  if (logger === undefined) {
    // Configuring the djongo logger at all is the request to see its lines.
    const debugLogger = createDebug('djongo');
    debugLogger.enabled = true;
    logger = debugLogger;
  }
  const write = level === 'debug' ? writerFor(logger) : undefined;
  if (level !== 'debug') writerFor(logger); // still reject a bad logger object
  return Object.freeze({ level, write, note: write && noteWriterFor(logger) });
}
