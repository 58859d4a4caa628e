// Keeps passwords out of everything djongoose lets escape: log lines, error
// messages, stacks and `cause` chains. The driver's own errors may quote a
// connection string, so they are rebuilt rather than passed through.

import { MASK, maskCredentials } from './uri.js';

/** Every spelling of a secret that can show up in text: raw and URL-encoded. */
function spellings(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    all.add(secret);
    all.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...all].sort((a, b) => b.length - a.length);
}

// Where a connection string starts in free text, misspelt ones included. A
// literal head with no quantifier: trying it at a position costs O(1).
const URI_START = /mongodb(?:\+srv)?(?::\/\/|:\/|\/\/)/gi;
const WHITESPACE = /\s/g;

/**
 * Masks the credentials of every connection string in `text`, for passwords
 * we were not told about. One left-to-right pass: each string runs to the
 * next whitespace, is masked by {@link maskCredentials} (itself linear), and
 * the search resumes after it, so no character is looked at more than a
 * fixed number of times however hostile the text.
 */
function maskUris(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  URI_START.lastIndex = 0;
  for (let match = URI_START.exec(text); match; match = URI_START.exec(text)) {
    const start = match.index;
    WHITESPACE.lastIndex = start + match[0].length;
    const end = WHITESPACE.exec(text)?.index ?? text.length;
    parts.push(text.slice(copied, start), maskCredentials(text.slice(start, end)));
    copied = end;
    URI_START.lastIndex = end;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Replaces each secret in `text` with `***`, and the user information of any
 * connection string in it. Linear in the length of `text` for a given list
 * of secrets.
 *
 * @example
 * ```ts
 * redact('auth failed for hunter2 at mongodb://bob:x@h/db', ['hunter2']);
 * // 'auth failed for *** at mongodb://***@h/db'
 * ```
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of spellings(secrets)) {
    // Masking can splice a new occurrence together ("a*" in "aa*"), so repeat.
    for (let i = 0; i < 8 && out.includes(secret) && !MASK.includes(secret); i++) out = out.split(secret).join(MASK);
  }
  return maskUris(out);
}

/**
 * A copy of `err` and its `cause` chain as plain Errors whose name, message and
 * stack have the secrets masked. Other properties (the driver's topology
 * descriptions, options objects) are dropped, since any of them may hold a
 * credential.
 */
export function scrubError(err: unknown, secrets: readonly string[], depth = 0): Error {
  const source = err instanceof Error ? err : new Error(String(err));
  const copy = new Error(redact(source.message, secrets), {
    cause: source.cause !== undefined && depth < 8 ? scrubError(source.cause, secrets, depth + 1) : undefined,
  });
  copy.name = source.name;
  copy.stack = source.stack === undefined ? undefined : redact(source.stack, secrets);
  if (copy.cause === undefined) delete copy.cause;
  return copy;
}
