// Where the CLI connects: djongo's settings dict from a module, or a URI and a
// database name. Either way it ends as the dict connect() takes, with the
// CLI's own overrides: a short server selection timeout, so an unreachable
// server fails fast, and no automatic index builds or collection creation,
// so only `migrate` ever changes the schema.
import type { ClientSettings, DjongoSettings } from '../core/settings.js';
import { ImproperlyConfigured } from '../core/errors.js';
import { parseMongoUri } from '../core/uri.js';
import { isRecord } from '../core/values.js';
import { importUserModule } from './import-module.js';

/** Where to connect, as the CLI's options give it. */
export interface ConnectionSource {
  /** A module exporting `DATABASES` (djongo's dict of aliases) or a default export of it or of one settings dict. */
  readonly settings?: string;
  /** The alias in DATABASES; default `default`. */
  readonly database?: string;
  /** A mongodb:// URI; default the MONGODB_URI environment variable. */
  readonly uri?: string;
  /** The database name; overrides the settings' NAME or the URI's path. */
  readonly db?: string;
  /** Server selection timeout in ms; default the settings' own, else 5000. */
  readonly timeoutMS?: number;
}

/** The CLI's default server selection timeout: short, since a person is waiting. */
export const CLI_TIMEOUT_MS = 5000;

const SETTINGS_KEYS = ['ENGINE', 'NAME', 'ENFORCE_SCHEMA', 'CLIENT', 'LOGGING', 'engine', 'name', 'client'];

function pickSettings(exports: Record<string, unknown>, file: string, alias: string): DjongoSettings {
  const candidates = [exports['DATABASES'], exports['default']];
  for (const candidate of candidates) {
    if (!isRecord(candidate)) continue;
    const databases = isRecord(candidate['DATABASES']) ? candidate['DATABASES'] : candidate;
    if (SETTINGS_KEYS.some((key) => key in databases)) return databases as DjongoSettings;
    const chosen = databases[alias];
    if (isRecord(chosen)) return chosen as DjongoSettings;
    throw new ImproperlyConfigured(
      `The settings module ${JSON.stringify(file)} has no database alias ${JSON.stringify(alias)}; ` +
        `its aliases are ${Object.keys(databases).join(', ') || '(none)'}. Pick one with --database <alias>.`,
    );
  }
  throw new ImproperlyConfigured(
    `The settings module ${JSON.stringify(file)} exports no settings: export DATABASES = { default: { NAME, CLIENT, … } } ` +
      `(djongo's dict), or a default export of it or of one settings dict; it exports ${Object.keys(exports).join(', ') || 'nothing'}.`,
  );
}

/** The URI's database, read as the driver reads it; a malformed URI is refused with its password masked. */
function databaseOfUri(uri: string): string | undefined {
  return /^mongodb(\+srv)?:\/\//.test(uri) ? parseMongoUri(uri, 'The URI').database : undefined;
}

/**
 * The settings dict the CLI connects with. `--settings` wins; otherwise the
 * URI (`--uri`, else MONGODB_URI) and `--db` (else the URI's database).
 *
 * @example
 * ```ts
 * await cliSettings({ uri: 'mongodb://127.0.0.1:27017', db: 'blog' }, process.cwd(), process.env);
 * // { NAME: 'blog', CLIENT: { host: 'mongodb://127.0.0.1:27017', serverSelectionTimeoutMS: 5000, autoIndex: false, autoCreate: false, … } }
 * ```
 */
export async function cliSettings(
  source: ConnectionSource,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<DjongoSettings> {
  let settings: DjongoSettings;
  if (source.settings !== undefined) {
    if (source.uri !== undefined) {
      throw new ImproperlyConfigured(
        'Give either --settings or --uri, not both: the settings module names the server.',
      );
    }
    const exports = await importUserModule(source.settings, cwd, 'settings module');
    settings = { ...pickSettings(exports, source.settings, source.database ?? 'default') };
    if (source.db !== undefined) {
      settings = { ...settings, NAME: source.db };
      delete settings.name;
    }
  } else {
    const uri = source.uri ?? env['MONGODB_URI'];
    if (!uri) {
      throw new ImproperlyConfigured(
        'No database to connect to: pass --settings <module> (exporting DATABASES or a default settings dict), ' +
          'or --uri <mongodb://…> (or set MONGODB_URI) with --db <name>.',
      );
    }
    const name = source.db ?? databaseOfUri(uri);
    if (!name) {
      throw new ImproperlyConfigured(
        'No database name: pass --db <name>, or put it in the URI (mongodb://host/<name>).',
      );
    }
    settings = { NAME: name, CLIENT: { host: uri } };
  }

  const client: ClientSettings = { ...(settings.CLIENT ?? settings.client ?? {}) };
  client.serverSelectionTimeoutMS = source.timeoutMS ?? client.serverSelectionTimeoutMS ?? CLI_TIMEOUT_MS;
  client.connectTimeoutMS = source.timeoutMS ?? client.connectTimeoutMS ?? CLI_TIMEOUT_MS;
  client.autoIndex = false;
  client.autoCreate = false;
  const result: DjongoSettings = { ...settings, CLIENT: client };
  delete result.client;
  return result;
}
