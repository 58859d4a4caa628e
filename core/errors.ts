/**
 * Every error djongoose throws on purpose is one of these classes, so callers
 * can tell a bad setting from a failed connection with `instanceof`.
 *
 * @example
 * ```ts
 * import { connect, ImproperlyConfigured } from 'djongoose';
 * try {
 *   await connect({ NAME: '' });
 * } catch (err) {
 *   if (err instanceof ImproperlyConfigured) console.error(err.message);
 * }
 * ```
 */
export class DjongooseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A setting is missing, has the wrong type or names something djongoose does
 * not know. Raised before anything touches the network. Django's name.
 *
 * @example
 * ```ts
 * await connect({ ENGINE: 'djongo' }); // ImproperlyConfigured: settings NAME is required …
 * ```
 */
export class ImproperlyConfigured extends DjongooseError {}

/**
 * The database could not be used: unreachable host, refused authentication.
 * Django (PEP 249) calls this an OperationalError. Its message names the hosts
 * and never contains the password.
 *
 * @example
 * ```ts
 * try {
 *   await connect({ NAME: 'blog', CLIENT: { host: '127.0.0.1', port: 1 } });
 * } catch (err) {
 *   if (err instanceof OperationalError) console.error(err.hosts, err.message);
 * }
 * ```
 */
export class OperationalError extends DjongooseError {
  /** The `host:port` pairs that were tried, without credentials. */
  readonly hosts: readonly string[];

  constructor(message: string, hosts: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.hosts = hosts;
  }
}
