// uploadTo's date placeholders, the subset of strftime Django users write in
// upload_to. Dates are taken in UTC, so a name does not depend on the
// server's time zone.
import { ImproperlyConfigured } from '../core/errors.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const DIRECTIVES: Record<string, (d: Date) => string> = {
  Y: (d) => pad(d.getUTCFullYear(), 4),
  y: (d) => pad(d.getUTCFullYear() % 100),
  m: (d) => pad(d.getUTCMonth() + 1),
  d: (d) => pad(d.getUTCDate()),
  H: (d) => pad(d.getUTCHours()),
  M: (d) => pad(d.getUTCMinutes()),
  S: (d) => pad(d.getUTCSeconds()),
  j: (d) => pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3),
  '%': () => '%',
};

/** The placeholders {@link strftime} accepts, for messages. */
export const STRFTIME_DIRECTIVES = Object.keys(DIRECTIVES).map((k) => `%${k}`);

/**
 * Checks a pattern's placeholders up front, so that a typo is a configuration
 * error at schema definition, not a failed upload.
 *
 * @example
 * ```ts
 * checkStrftime('avatars/%Y/%m/'); // ok
 * checkStrftime('avatars/%Q/'); // ImproperlyConfigured: … unknown placeholder %Q …
 * ```
 */
export function checkStrftime(pattern: string, label: string): void {
  for (const match of pattern.matchAll(/%(.?)/gs)) {
    const directive = match[1] ?? '';
    if (!(directive in DIRECTIVES)) {
      throw new ImproperlyConfigured(
        `${label}: unknown placeholder %${directive} in ${JSON.stringify(pattern)}; accepted are ${STRFTIME_DIRECTIVES.join(', ')}.`,
      );
    }
  }
}

/**
 * Replaces `%Y`, `%m`, `%d`, `%H`, `%M`, `%S`, `%y`, `%j` and `%%` with the
 * date's UTC parts.
 *
 * @example
 * ```ts
 * strftime('avatars/%Y/%m/', new Date('2026-03-05T10:00:00Z')); // 'avatars/2026/03/'
 * ```
 */
export function strftime(pattern: string, date: Date): string {
  return pattern.replace(/%(.?)/gs, (all, directive: string) => DIRECTIVES[directive]?.(date) ?? all);
}
