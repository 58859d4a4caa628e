// A mongodb:// URI read the way the driver will read it, so that its hosts and
// database come out, and every malformed shape is refused, before any network
// traffic; and any host or URI text made safe to quote in a message. Nothing
// here ever quotes what could be a password: a message shows the text with
// its user information masked.
import { ImproperlyConfigured } from './errors.js';

/** What a masked credential reads as. */
export const MASK = '***';

/** A mongodb:// or mongodb+srv:// URI, split. */
export interface MongoUri {
  readonly srv: boolean;
  /** `host:port` pairs (or the SRV name), as written. */
  readonly hosts: readonly string[];
  /** The database of the path, percent-decoded; undefined when the path is empty. */
  readonly database: string | undefined;
  /** The password and other credentials the URI holds, raw and decoded, for masking. */
  readonly secrets: readonly string[];
}

// The query options that carry a credential, and the one credential carried
// inside authMechanismProperties.
const QUERY_SECRETS = /((?:^|[?&])(?:proxyPassword|tlsCertificateKeyFilePassword)=)[^&#]*/gi;
const AWS_TOKEN = /(AWS_SESSION_TOKEN(?::|%3A))[^,&#]*/gi;
// What may start a URI-like text before its authority: a scheme and `//`,
// even a misspelt one (`MONGODB://`, `mongodb//`, `mongodb:/`).
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*(?::\/\/?|\/\/)/;
// Characters the driver refuses unescaped in a user name or password.
const USERINFO_RESERVED = /[:/?#[\]@]/;

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/** The index of the `:` before a port that is not a number, or -1. */
function badPortColon(host: string): number {
  const colon = host.startsWith('[') ? host.indexOf(']:') + 1 : host.indexOf(':');
  if (colon <= 0) return -1;
  return isPort(host.slice(colon + 1)) ? -1 : colon;
}

/**
 * `text` (a host setting, a URI, or a misspelt one) with anything that may be
 * a credential replaced by `***`: everything before the last `@` of the
 * authority, a port that is not a number and all after it, and the
 * credential query options. Errs on masking too much: a message must never
 * show a fragment of a password. Linear in the length of `text`.
 *
 * @example
 * ```ts
 * maskCredentials('MONGODB://app:s3cr@t@db/blog'); // 'MONGODB://***@db/blog'
 * maskCredentials('app:s3cret');                   // 'app:***'
 * ```
 */
export function maskCredentials(text: string): string {
  const prefix = SCHEME_PREFIX.exec(text)?.[0] ?? '';
  const at = text.lastIndexOf('@');
  let rest = at >= prefix.length ? `${MASK}${text.slice(at)}` : text.slice(prefix.length);
  const hostsStart = at >= prefix.length ? MASK.length + 1 : 0;
  const hostsEnd = rest.slice(hostsStart).search(/[/?#]/);
  const hostSection = rest.slice(hostsStart, hostsEnd === -1 ? undefined : hostsStart + hostsEnd);
  let offset = hostsStart;
  for (const host of hostSection.split(',')) {
    const colon = badPortColon(host);
    if (colon !== -1) {
      rest = `${rest.slice(0, offset + colon + 1)}${MASK}`;
      break;
    }
    offset += host.length + 1;
  }
  rest = rest.replace(QUERY_SECRETS, `$1${MASK}`).replace(AWS_TOKEN, `$1${MASK}`);
  return prefix + rest;
}

function refuse(label: string, uri: string, problem: string): never {
  throw new ImproperlyConfigured(
    `${label} ${JSON.stringify(maskCredentials(uri))} is not a valid MongoDB URI: ${problem}. ` +
      'Accepted: mongodb:// or mongodb+srv://, then user:password@ if needed, then host or host:port names ' +
      'separated by commas (one name and no port for mongodb+srv), then /database and ?options if needed; ' +
      'percent-encode (encodeURIComponent) any : / ? # [ ] @ % in the user name, password and database.',
  );
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The credentials in the query options, raw and decoded. */
function querySecrets(query: string): string[] {
  const found: string[] = [];
  for (const pattern of [QUERY_SECRETS, AWS_TOKEN]) {
    for (const match of query.matchAll(pattern)) {
      const value = match[0].slice(match[1]?.length ?? 0);
      if (value) found.push(value, decoded(value) ?? value);
    }
  }
  return found;
}

/**
 * Splits a `mongodb://` or `mongodb+srv://` URI as the driver does (user
 * information ends at the first `@`), or throws {@link ImproperlyConfigured},
 * quoting the URI masked, for any shape the driver would refuse or misread:
 * an unescaped reserved character or a bad percent escape in the user name
 * or password, an `@` after the user information (a password with an
 * unescaped `@` or `/` would otherwise be read as hosts and database), a
 * port that is not a number, a bad percent escape in the database.
 *
 * @example
 * ```ts
 * parseMongoUri('mongodb://app:p%40ss@h1:1,h2/blog?replicaSet=rs0', 'CLIENT host');
 * // { srv: false, hosts: ['h1:1', 'h2'], database: 'blog', secrets: ['p%40ss', 'p@ss'] }
 * ```
 */
export function parseMongoUri(uri: string, label: string): MongoUri {
  const scheme = /^mongodb(\+srv)?:\/\//.exec(uri);
  if (!scheme) refuse(label, uri, 'it must start with mongodb:// or mongodb+srv://, in lower case');
  const srv = scheme[1] !== undefined;
  let rest = uri.slice(scheme[0].length);
  const secrets: string[] = [];

  const at = rest.indexOf('@');
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const username = colon === -1 ? userinfo : userinfo.slice(0, colon);
    const password = colon === -1 ? undefined : userinfo.slice(colon + 1);
    if (password) secrets.push(password, decoded(password) ?? password);
    if (username === '') refuse(label, uri, 'the user information before @ has no user name');
    if (USERINFO_RESERVED.test(username) || (password !== undefined && USERINFO_RESERVED.test(password))) {
      refuse(label, uri, 'the user name or password holds an unescaped reserved character');
    }
    if (decoded(username) === undefined || (password !== undefined && decoded(password) === undefined)) {
      refuse(label, uri, 'the user name or password holds a bad percent escape');
    }
    rest = rest.slice(at + 1);
  }

  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  secrets.push(...querySecrets(queryAt === -1 ? '' : rest.slice(queryAt)));
  // Even in the options: the driver refuses an @ there without user
  // information, and with it, a password holding @ ? or / would otherwise be
  // read as hosts, database and options.
  if (rest.includes('@')) {
    refuse(label, uri, 'it holds an @ after the user information (percent-encode @ as %40 in a password or option)');
  }
  const slash = beforeQuery.indexOf('/');
  const hostSection = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash);
  const hosts = hostSection.split(',');
  if (hosts.some((h) => h === '')) refuse(label, uri, 'its host list is empty or has an empty entry');
  if (hosts.some((h) => badPortColon(h) !== -1)) refuse(label, uri, 'a port is not a number from 1 to 65535');
  if (srv && (hosts.length !== 1 || hosts[0]?.includes(':'))) {
    refuse(label, uri, 'a mongodb+srv:// URI names one host, without a port');
  }

  const path = slash === -1 ? '' : beforeQuery.slice(slash + 1);
  const database = decoded(path);
  if (database === undefined) refuse(label, uri, 'its database name holds a bad percent escape');
  return Object.freeze({
    srv,
    hosts: Object.freeze(hosts),
    database: database === '' ? undefined : database,
    secrets: Object.freeze(secrets),
  });
}
