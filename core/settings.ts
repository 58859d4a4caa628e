// djongo's `DATABASES['default']` dict, checked and turned into what Mongoose
// needs. Pure: nothing here touches the network, so every bad setting is
// reported before a socket is opened.
import type { ConnectOptions } from 'mongoose';
import { ImproperlyConfigured } from './errors.js';
import { didYouMean } from './closest.js';
import { checkOptionKeys, describe, isRecord } from './values.js';
import { maskCredentials, parseMongoUri } from './uri.js';
import { resolveLogging, type LoggingSettings, type ResolvedLogging } from './logging-settings.js';

/** Authentication mechanisms the Node driver knows, spelled as pymongo spells them. */
export const AUTH_MECHANISMS = [
  'DEFAULT',
  'SCRAM-SHA-1',
  'SCRAM-SHA-256',
  'MONGODB-X509',
  'MONGODB-AWS',
  'MONGODB-OIDC',
  'GSSAPI',
  'PLAIN',
] as const;

/** One of {@link AUTH_MECHANISMS}. */
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];

/** Driver options that CLIENT passes through untouched. */
export type PassThroughClientOptions = Omit<
  ConnectOptions,
  'auth' | 'authSource' | 'authMechanism' | 'dbName' | 'user' | 'pass'
>;

/**
 * djongo's CLIENT dict: pymongo's connection keys, plus any other MongoClient
 * option, which is passed to the driver as it is.
 */
export interface ClientSettings extends PassThroughClientOptions {
  /** A host name, `host:port`, a comma-separated list of them, or a whole `mongodb://` / `mongodb+srv://` URI. */
  host?: string;
  /** Port for a plain `host`; default 27017. */
  port?: number;
  username?: string;
  password?: string;
  authSource?: string;
  authMechanism?: AuthMechanism;
}

/** The values of the PIPELINE_UPDATES setting. */
export const PIPELINE_UPDATE_MODES = ['auto', 'server', 'client'] as const;

/**
 * Where an update given as a pipeline (F() across fields,
 * `update({ likes: F('views') })`) is computed: `'server'` sends it and a
 * server without pipeline updates (MongoDB before 4.2, FerretDB v1,
 * mongo-java-server) refuses it with NotSupportedError; `'client'` computes
 * it in djongoose, document by document, each written with a compare-and-set;
 * `'auto'` (the default) sends it and, when the server refuses pipeline
 * updates, computes it in djongoose from then on for that connection.
 */
export type PipelineUpdatesMode = (typeof PIPELINE_UPDATE_MODES)[number];

/** djongo's `DATABASES['default']`, with camelCase aliases. */
export interface DjongoSettings {
  ENGINE?: 'djongo' | 'djongoose';
  NAME?: string;
  ENFORCE_SCHEMA?: boolean;
  CLIENT?: ClientSettings;
  LOGGING?: LoggingSettings;
  /** Where a pipeline update (F() across fields) is computed; default `'auto'`. See {@link PipelineUpdatesMode}. */
  PIPELINE_UPDATES?: PipelineUpdatesMode;
  engine?: 'djongo' | 'djongoose';
  name?: string;
  enforceSchema?: boolean;
  client?: ClientSettings;
  logging?: LoggingSettings;
  pipelineUpdates?: PipelineUpdatesMode;
}

/** Settings after checking: what {@link connect} acts on. */
export interface ResolvedSettings {
  readonly engine: 'djongo' | 'djongoose';
  readonly name: string;
  readonly enforceSchema: boolean;
  /** Connection string without credentials. */
  readonly uri: string;
  /** `host:port` pairs (or the SRV name) for messages. */
  readonly hosts: readonly string[];
  readonly options: ConnectOptions;
  /** Strings to mask wherever text leaves djongoose. */
  readonly secrets: readonly string[];
  readonly logging: ResolvedLogging;
  readonly pipelineUpdates: PipelineUpdatesMode;
}

const KEYS = {
  ENGINE: 'engine',
  NAME: 'name',
  ENFORCE_SCHEMA: 'enforceSchema',
  CLIENT: 'client',
  LOGGING: 'logging',
  PIPELINE_UPDATES: 'pipelineUpdates',
} as const;
type UpperKey = keyof typeof KEYS;

const ACCEPTED_KEYS = [...Object.keys(KEYS), ...Object.values(KEYS)];
const ENGINES = ['djongo', 'djongoose'] as const;
// MongoDB's rules for database names on every platform.
const BAD_DB_NAME_CHARS = /[/\\. "$*<>:|?\0]/;
// Settings may hold credentials (a URI with a password): an array or object is named by its kind, never shown.
const describeSetting = (value: unknown): string => describe(value, { contents: false });

/** Reads KEY or its camelCase alias; both at once must agree. */
function pick(settings: Record<string, unknown>, key: UpperKey): unknown {
  const alias = KEYS[key];
  const upper = settings[key];
  const lower = settings[alias];
  if (upper !== undefined && lower !== undefined && upper !== lower) {
    throw new ImproperlyConfigured(
      `Settings give both ${key} and its alias ${alias} with different values; give one of them.`,
    );
  }
  return upper ?? lower;
}

function checkName(name: unknown): string {
  if (name === undefined || name === null || name === '') {
    throw new ImproperlyConfigured("Settings NAME is required: the database name, e.g. { NAME: 'blog' }.");
  }
  if (typeof name !== 'string') {
    throw new ImproperlyConfigured(`Settings NAME must be a string (the database name), not ${describeSetting(name)}.`);
  }
  if (BAD_DB_NAME_CHARS.test(name) || Buffer.byteLength(name) > 63) {
    throw new ImproperlyConfigured(
      `Settings NAME ${JSON.stringify(name)} is not a valid MongoDB database name: ` +
        'use at most 63 bytes and none of / \\ . space " $ * < > : | ? or NUL.',
    );
  }
  return name;
}

interface ClientResolution {
  uri: string;
  hosts: string[];
  options: ConnectOptions;
  secrets: string[];
}

/** Options that carry a credential, masked like the password. */
const SECRET_OPTIONS = ['proxyPassword', 'tlsCertificateKeyFilePassword'] as const;

/** `host:port` pairs of a plain host setting: names and ports, no credentials. */
function plainHosts(hostText: string, port: number | undefined): string[] {
  const quoted = JSON.stringify(maskCredentials(hostText));
  // A misspelt scheme (`MONGODB://`, `mongodb//`) or credentials land here too.
  if (/[@/?#]/.test(hostText)) {
    throw new ImproperlyConfigured(
      `CLIENT host ${quoted} is neither a host name nor a mongodb:// URI (mongodb:// or mongodb+srv://, in lower case); ` +
        'put credentials in username and password.',
    );
  }
  return hostText.split(',').map((h) => {
    const trimmed = h.trim();
    const withPort = /:\d+$/.test(trimmed) || trimmed.startsWith('[') ? trimmed : `${trimmed}:${port ?? 27017}`;
    if (trimmed === '' || maskCredentials(withPort) !== withPort) {
      throw new ImproperlyConfigured(
        `CLIENT host ${quoted} is not a host list: give host, host:port with a port from 1 to 65535, ` +
          'or a comma-separated list of them.',
      );
    }
    return withPort;
  });
}

function resolveClient(client: unknown): ClientResolution {
  if (client === undefined) client = {};
  if (!isRecord(client)) {
    throw new ImproperlyConfigured(
      `Settings CLIENT must be an object of pymongo-style keys (host, port, username, password, authSource, authMechanism, or any MongoClient option), not ${describeSetting(client)}.`,
    );
  }
  const { host, port, username, password, authSource, authMechanism, ...passThrough } = client;

  if (host !== undefined && (typeof host !== 'string' || host.trim() === '')) {
    throw new ImproperlyConfigured(
      `CLIENT host must be a non-empty string: a host name, host:port, a comma-separated list, or a mongodb:// or mongodb+srv:// URI; got ${describeSetting(host)}.`,
    );
  }
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new ImproperlyConfigured(`CLIENT port must be an integer from 1 to 65535, not ${describeSetting(port)}.`);
  }
  for (const [key, value] of Object.entries({ username, authSource })) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new ImproperlyConfigured(`CLIENT ${key} must be a non-empty string, not ${describeSetting(value)}.`);
    }
  }
  if (password !== undefined && typeof password !== 'string') {
    // Never echo a password back, even a malformed one.
    throw new ImproperlyConfigured(`CLIENT password must be a string, not a value of type ${typeof password}.`);
  }
  if (password !== undefined && username === undefined) {
    throw new ImproperlyConfigured('CLIENT password is set but username is not; give both, or neither.');
  }
  if (authMechanism !== undefined && !(AUTH_MECHANISMS as readonly unknown[]).includes(authMechanism)) {
    throw new ImproperlyConfigured(
      `CLIENT authMechanism ${JSON.stringify(authMechanism)} is not one the driver supports; use one of ${AUTH_MECHANISMS.join(', ')}.` +
        (typeof authMechanism === 'string' ? didYouMean(authMechanism, AUTH_MECHANISMS) : ''),
    );
  }

  const hostText = (host as string | undefined)?.trim() ?? 'localhost';
  const secrets: string[] = typeof password === 'string' ? [password] : [];
  for (const key of SECRET_OPTIONS) {
    if (typeof passThrough[key] === 'string') secrets.push(passThrough[key]);
  }
  let uri: string;
  let hosts: string[];
  if (/^mongodb(\+srv)?:\/\//.test(hostText)) {
    const parsed = parseMongoUri(hostText, 'CLIENT host');
    secrets.push(...parsed.secrets);
    if (port !== undefined) {
      throw new ImproperlyConfigured('CLIENT port cannot be combined with a URI host; put the port in the URI.');
    }
    uri = hostText;
    hosts = [...parsed.hosts];
  } else {
    hosts = plainHosts(hostText, port as number | undefined);
    uri = `mongodb://${hosts.join(',')}/`;
  }

  const options: ConnectOptions = { ...(passThrough as PassThroughClientOptions) };
  if (username !== undefined) {
    options.auth = {
      username: username as string,
      ...(password === undefined ? {} : { password: password as string }),
    };
  }
  if (authSource !== undefined) options.authSource = authSource as string;
  if (authMechanism !== undefined && authMechanism !== 'DEFAULT') {
    options.authMechanism = authMechanism as Exclude<AuthMechanism, 'DEFAULT'>;
  }
  // A wrong host must fail in bounded time; the driver's default is 30 s.
  options.serverSelectionTimeoutMS ??= 10_000;
  options.connectTimeoutMS ??= 10_000;
  return { uri, hosts, options, secrets };
}

/**
 * Checks djongo's settings dict and resolves it into a connection string and
 * driver options. Throws {@link ImproperlyConfigured} for any bad setting,
 * before anything touches the network.
 *
 * @example
 * ```ts
 * const resolved = resolveSettings({ ENGINE: 'djongo', NAME: 'blog', CLIENT: { host: 'db', port: 27018 } });
 * resolved.uri; // 'mongodb://db:27018/'
 * ```
 */
export function resolveSettings(settings: DjongoSettings): ResolvedSettings {
  if (!isRecord(settings)) {
    throw new ImproperlyConfigured(
      `Settings must be an object like djongo's DATABASES['default'] ({ ENGINE, NAME, ENFORCE_SCHEMA, CLIENT, LOGGING, PIPELINE_UPDATES }), not ${describeSetting(settings)}.`,
    );
  }
  checkOptionKeys(settings, ACCEPTED_KEYS, (key, hint) => {
    throw new ImproperlyConfigured(
      `Unknown settings key ${JSON.stringify(key)}; accepted keys are ${ACCEPTED_KEYS.join(', ')}.${hint}`,
    );
  });
  const raw = settings as Record<string, unknown>;

  const engine = pick(raw, 'ENGINE') ?? 'djongo';
  if (!(ENGINES as readonly unknown[]).includes(engine)) {
    throw new ImproperlyConfigured(`Settings ENGINE must be 'djongo' or 'djongoose', not ${describeSetting(engine)}.`);
  }
  const name = checkName(pick(raw, 'NAME'));
  const enforceSchema = pick(raw, 'ENFORCE_SCHEMA') ?? false;
  if (typeof enforceSchema !== 'boolean') {
    throw new ImproperlyConfigured(
      `Settings ENFORCE_SCHEMA must be true or false, not ${describeSetting(enforceSchema)}.`,
    );
  }
  const client = resolveClient(pick(raw, 'CLIENT'));
  const logging = resolveLogging(pick(raw, 'LOGGING'));
  const pipelineUpdates = pick(raw, 'PIPELINE_UPDATES') ?? 'auto';
  if (!(PIPELINE_UPDATE_MODES as readonly unknown[]).includes(pipelineUpdates)) {
    throw new ImproperlyConfigured(
      `Settings PIPELINE_UPDATES must be 'auto' (send pipeline updates, computing them in djongoose where the ` +
        `server refuses them), 'server' or 'client', not ${describeSetting(pipelineUpdates)}.` +
        (typeof pipelineUpdates === 'string' ? didYouMean(pipelineUpdates, PIPELINE_UPDATE_MODES) : ''),
    );
  }

  return Object.freeze({
    engine: engine as 'djongo' | 'djongoose',
    name,
    enforceSchema,
    uri: client.uri,
    hosts: Object.freeze(client.hosts),
    options: Object.freeze({ ...client.options, dbName: name }),
    secrets: Object.freeze(client.secrets),
    logging,
    pipelineUpdates: pipelineUpdates as PipelineUpdatesMode,
  });
}
