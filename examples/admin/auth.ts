// The admin's login: one account from ADMIN_EMAIL / ADMIN_PASSWORD, defaults
// for local use only. The password is compared in constant time and never
// logged, echoed or put in an error.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The account that may log in, and the secret that signs its session cookie. */
export interface AdminAccount {
  readonly email: string;
  /** Compares a submitted password with the configured one; the password itself is not kept readable. */
  readonly matches: (email: unknown, password: unknown) => boolean;
  readonly sessionSecret: string;
  /** True when ADMIN_EMAIL and ADMIN_PASSWORD were both unset. */
  readonly defaults: boolean;
}

export const DEFAULT_EMAIL = 'admin@example.com';
export const DEFAULT_PASSWORD = 'djongoose';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The account from the environment: ADMIN_EMAIL, ADMIN_PASSWORD and
 * ADMIN_SESSION_SECRET (else a random secret per start, so sessions end with the process).
 *
 * @example
 * ```ts
 * const account = adminAccount(process.env);
 * account.matches('admin@example.com', 'djongoose'); // true when the variables are unset
 * ```
 */
export function adminAccount(env: NodeJS.ProcessEnv): AdminAccount {
  const email = env['ADMIN_EMAIL'] || DEFAULT_EMAIL;
  const passwordDigest = digest(env['ADMIN_PASSWORD'] || DEFAULT_PASSWORD);
  return Object.freeze({
    email,
    matches: (givenEmail: unknown, givenPassword: unknown): boolean => {
      if (typeof givenEmail !== 'string' || typeof givenPassword !== 'string') return false;
      // Both are compared, always, so the time taken does not tell which one was wrong.
      const emailOk = givenEmail.trim().toLowerCase() === email.toLowerCase();
      const passwordOk = timingSafeEqual(digest(givenPassword), passwordDigest);
      return emailOk && passwordOk;
    },
    sessionSecret: env['ADMIN_SESSION_SECRET'] || randomBytes(32).toString('hex'),
    defaults: !env['ADMIN_EMAIL'] && !env['ADMIN_PASSWORD'],
  });
}
